//! A small strict JSON reader (RFC 8259) for what OAuth servers send: token responses, provider
//! metadata, ID token payloads, and our own stored transactions.
//!
//! Why not serde_json: it is several times the size of this file in wasm, and we need limits
//! (depth, size) and a refusal of duplicate members, which servers' JSON must not rely on
//! (RFC 8259 §4 leaves duplicates undefined; two readers may disagree).

use super::encoding::decimal_into;

/// A parsed JSON value. Objects keep member order.
#[derive(Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

// JSON read here can hold tokens: Debug shows the shape only.
impl core::fmt::Debug for Value {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(_) => f.write_str("bool"),
            Value::Number(_) => f.write_str("number"),
            Value::String(_) => f.write_str("string"),
            Value::Array(a) => write!(f, "array[{}]", a.len()),
            Value::Object(o) => write!(f, "object[{}]", o.len()),
        }
    }
}

/// Why a text is not JSON we accept. Fixed strings: safe to show.
pub type JsonError = &'static str;

/// Nesting deeper than this is refused.
pub const MAX_DEPTH: usize = 32;
/// Documents larger than this are refused.
pub const MAX_LEN: usize = 1024 * 1024;

impl Value {
    /// Member `name` of an object, `None` for a missing member or a non-object. One pass over the
    /// members: callers look up a fixed set of names, so reading a document stays linear.
    pub fn get(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }
    /// Moves the string member `name` out (an empty string stays in its place): a reader that
    /// keeps the value takes it without a copy.
    pub fn take_string(&mut self, name: &str) -> Option<String> {
        match self {
            Value::Object(members) => match members.iter_mut().find(|(k, _)| k == name) {
                Some((_, Value::String(s))) => Some(core::mem::take(s)),
                _ => None,
            },
            _ => None,
        }
    }
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    /// The number, if this is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }
    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }
    /// `true` for an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }
}

/// Parses one JSON document (surrounding whitespace allowed).
pub fn parse(text: &str) -> Result<Value, JsonError> {
    parse_limited(text, MAX_LEN)
}

/// [`parse`] with another size limit, for documents this library wrote itself and sized.
pub fn parse_limited(text: &str, max_len: usize) -> Result<Value, JsonError> {
    if text.len() > max_len {
        return Err("document too large");
    }
    let mut p = Parser { s: text.as_bytes(), i: 0 };
    let v = p.value(0)?;
    p.ws();
    if p.i != p.s.len() {
        return Err("trailing characters");
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }
    fn lit(&mut self, word: &[u8], v: Value) -> Result<Value, JsonError> {
        if self.s.get(self.i..self.i + word.len()) == Some(word) {
            self.i += word.len();
            Ok(v)
        } else {
            Err("invalid literal")
        }
    }
    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        if depth > MAX_DEPTH {
            return Err("nested too deeply");
        }
        self.ws();
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.lit(b"true", Value::Bool(true)),
            Some(b'f') => self.lit(b"false", Value::Bool(false)),
            Some(b'n') => self.lit(b"null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err("unexpected character"),
            None => Err("unexpected end"),
        }
    }
    fn object(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.i += 1;
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(Value::Object(Vec::new()));
        }
        // Room for the members of the objects OAuth exchanges (a transaction has 14, a token
        // response about 6) from the start: no regrowth and copying member by member.
        let mut members: Vec<(String, Value)> = Vec::with_capacity(16);
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err("expected member name");
            }
            let k = self.string()?;
            self.ws();
            if self.peek() != Some(b':') {
                return Err("expected colon");
            }
            self.i += 1;
            let v = self.value(depth + 1)?;
            members.push((k, v));
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    if has_duplicate_name(&members) {
                        return Err("duplicate member");
                    }
                    return Ok(Value::Object(members));
                }
                _ => return Err("expected comma or end of object"),
            }
        }
    }
    fn array(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err("expected comma or end of array"),
            }
        }
    }
    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self.s.get(self.i..self.i + 4).ok_or("bad unicode escape")?;
        let text = core::str::from_utf8(digits).map_err(|_| "bad unicode escape")?;
        let n = u32::from_str_radix(text, 16).map_err(|_| "bad unicode escape")?;
        if !digits.iter().all(u8::is_ascii_hexdigit) {
            return Err("bad unicode escape");
        }
        self.i += 4;
        Ok(n)
    }
    fn string(&mut self) -> Result<String, JsonError> {
        self.i += 1;
        let mut out = String::new();
        loop {
            let start = self.i;
            while matches!(self.peek(), Some(b) if b != b'"' && b != b'\\' && b >= 0x20) {
                self.i += 1;
            }
            let run = self.s.get(start..self.i).ok_or("unexpected end")?;
            out.push_str(core::str::from_utf8(run).map_err(|_| "invalid utf-8")?);
            match self.peek() {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let esc = self.peek().ok_or("unexpected end")?;
                    self.i += 1;
                    let c = match esc {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let cp = if (0xD800..0xDC00).contains(&hi) {
                                if self.s.get(self.i..self.i + 2) != Some(b"\\u") {
                                    return Err("lone surrogate");
                                }
                                self.i += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err("lone surrogate");
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            char::from_u32(cp).ok_or("lone surrogate")?
                        }
                        _ => return Err("bad escape"),
                    };
                    out.push(c);
                }
                Some(_) => return Err("control character in string"),
                None => return Err("unterminated string"),
            }
        }
    }
    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                while matches!(self.peek(), Some(b'0'..=b'9')) {
                    self.i += 1;
                }
            }
            _ => return Err("bad number"),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err("bad number");
            }
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.i += 1;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err("bad number");
            }
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.i += 1;
            }
        }
        let text = self.s.get(start..self.i).ok_or("bad number")?;
        let n = number_value(text);
        if !n.is_finite() {
            return Err("number out of range");
        }
        Ok(Value::Number(n))
    }
}

/// `true` when two members share a name. Sorting the names once keeps this O(n log n) in the
/// member count (comparing each member with all earlier ones made a 1 MiB body take seconds);
/// no hashing, so no hash-flooding and no randomness needed in wasm.
fn has_duplicate_name(members: &[(String, Value)]) -> bool {
    if members.len() < 2 {
        return false;
    }
    let name = |i: usize| members.get(i).map_or("", |(k, _)| k.as_str());
    // Objects of a few members (a transaction, a token response) are compared pairwise: at most
    // 120 comparisons and no allocation, faster than sorting them.
    if members.len() <= 16 {
        return (1..members.len()).any(|j| (0..j).any(|i| name(i) == name(j)));
    }
    let order = super::order::sorted_indices(members.len(), &|a, b| name(a) < name(b));
    order.windows(2).any(|pair| matches!(pair, [a, b] if name(*a) == name(*b)))
}

/// The value of a number already checked against the RFC 8259 §6 grammar. Integers up to 2^53
/// are exact; other values are close, not correctly rounded: OAuth numbers are times and
/// lifetimes, and the exact float parser would double the size of this module in wasm.
fn number_value(text: &[u8]) -> f64 {
    let (negative, text) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    let mut mantissa = 0.0f64;
    let mut exponent: i32 = 0;
    let mut bytes = text.iter().peekable();
    while let Some(&&b) = bytes.peek() {
        if !b.is_ascii_digit() {
            break;
        }
        mantissa = mantissa * 10.0 + f64::from(b - b'0');
        bytes.next();
    }
    if bytes.peek() == Some(&&b'.') {
        bytes.next();
        while let Some(&&b) = bytes.peek() {
            if !b.is_ascii_digit() {
                break;
            }
            mantissa = mantissa * 10.0 + f64::from(b - b'0');
            exponent = exponent.saturating_sub(1);
            bytes.next();
        }
    }
    if matches!(bytes.peek(), Some(&&(b'e' | b'E'))) {
        bytes.next();
        let sign = match bytes.peek() {
            Some(&&b'-') => {
                bytes.next();
                -1
            }
            Some(&&b'+') => {
                bytes.next();
                1
            }
            _ => 1,
        };
        let mut e: i32 = 0;
        for &b in bytes {
            e = e.saturating_mul(10).saturating_add(i32::from(b - b'0'));
        }
        exponent = exponent.saturating_add(sign * e);
    }
    let value = if exponent < 0 { mantissa / 10f64.powi(exponent.saturating_neg()) } else { mantissa * 10f64.powi(exponent) };
    if negative { -value } else { value }
}

/// Builds one JSON object member by member; used for what this library stores.
pub struct ObjectWriter {
    out: String,
}

impl Default for ObjectWriter {
    fn default() -> Self {
        ObjectWriter::new()
    }
}

impl ObjectWriter {
    /// Starts an empty object.
    pub fn new() -> ObjectWriter {
        ObjectWriter { out: String::from("{") }
    }
    fn key(&mut self, k: &str) {
        if self.out.len() > 1 {
            self.out.push(',');
        }
        write_string(k, &mut self.out);
        self.out.push(':');
    }
    /// A string member.
    pub fn string(&mut self, k: &str, v: &str) -> &mut Self {
        self.key(k);
        write_string(v, &mut self.out);
        self
    }
    /// A string member, left out when `None`.
    pub fn opt_string(&mut self, k: &str, v: Option<&str>) -> &mut Self {
        if let Some(v) = v {
            self.string(k, v);
        }
        self
    }
    /// A whole-number member.
    pub fn uint(&mut self, k: &str, v: u64) -> &mut Self {
        self.key(k);
        decimal_into(v, &mut self.out);
        self
    }
    /// A whole-number member, left out when `None`.
    pub fn opt_uint(&mut self, k: &str, v: Option<u64>) -> &mut Self {
        if let Some(v) = v {
            self.uint(k, v);
        }
        self
    }
    /// A boolean member.
    pub fn boolean(&mut self, k: &str, v: bool) -> &mut Self {
        self.key(k);
        self.out.push_str(if v { "true" } else { "false" });
        self
    }
    /// An array-of-strings member.
    pub fn strings(&mut self, k: &str, items: &[String]) -> &mut Self {
        self.key(k);
        self.out.push('[');
        for (i, s) in items.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            write_string(s, &mut self.out);
        }
        self.out.push(']');
        self
    }
    /// A member whose value is JSON text already (an object or array this module wrote).
    pub fn raw(&mut self, k: &str, json: &str) -> &mut Self {
        self.key(k);
        self.out.push_str(json);
        self
    }
    /// Closes the object.
    pub fn finish(&mut self) -> String {
        let mut out = core::mem::take(&mut self.out);
        out.push('}');
        out
    }
}

/// A non-negative whole number below 2^53, as stored by [`ObjectWriter::uint`].
pub fn as_uint(v: &Value) -> Option<u64> {
    v.as_f64().filter(|n| *n >= 0.0 && n.fract() == 0.0 && *n < 9.0e15).map(|n| n as u64)
}

/// An array whose elements are all strings.
pub fn as_strings(v: &Value) -> Option<Vec<String>> {
    Some(super::text::owned(&str_items(v.as_array()?)?))
}

/// The items of an array that holds only strings, borrowed; `None` when one is not a string. A
/// loop rather than `collect::<Option<_>>()`, whose adapter is instantiated anew for each caller.
pub fn str_items(items: &[Value]) -> Option<Vec<&str>> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(item.as_str()?);
    }
    Some(out)
}

/// Writes `s` as a JSON string literal.
pub fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                let b = c as u8;
                out.push(super::encoding::hex_digit(b >> 4));
                out.push(super::encoding::hex_digit(b));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_token_response() {
        let v = parse(r#" {"access_token":"a\u00e9\ud83d\ude00","expires_in":3600,"x":[true,false,null,-1.5e2],"o":{}} "#).unwrap();
        assert_eq!(v.get("access_token").and_then(Value::as_str), Some("aé😀"));
        assert_eq!(v.get("expires_in").and_then(Value::as_f64), Some(3600.0));
        assert_eq!(v.get("x").and_then(Value::as_array).map(<[Value]>::len), Some(4));
        assert!(v.get("o").is_some_and(Value::is_object));
    }

    #[test]
    fn refuses_malformed_documents_without_panicking() {
        let deep = "[".repeat(MAX_DEPTH + 2);
        let big = format!("\"{}\"", "a".repeat(MAX_LEN));
        let cases = [
            "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "'x'", "01", "1.", "-", "1e", "1e999",
            "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\ud800\\u0041\"", "\"a\nb\"", "\"abc", "nul", "truex", "{} {}",
            "{\"a\":1,\"a\":2}", "{\"o\":{\"b\":1,\"a\":1,\"b\":2}}", "[{\"a\":1},{\"a\":1,\"a\":1}]", "\u{feff}{}", &deep, &big, "\"\\u+123\"",
        ];
        for c in cases {
            assert!(parse(c).is_err(), "{:?}", c.get(..40));
        }
    }

    #[test]
    fn duplicate_members_are_refused_in_small_and_large_objects() {
        // Up to 16 members are compared pairwise, more are sorted: both ways, a duplicate at any
        // two places is refused and distinct names are accepted.
        for n in [2usize, 3, 15, 16, 17, 40] {
            let names: Vec<String> = (0..n).map(|i| format!("m{i}")).collect();
            let object = |names: &[String]| format!("{{{}}}", names.iter().map(|k| format!("\"{k}\":1")).collect::<Vec<_>>().join(","));
            assert!(parse(&object(&names)).is_ok(), "{n} distinct");
            for (i, j) in [(0, 1), (0, n - 1), (n / 2, n - 1), (n - 2, n - 1)].into_iter().filter(|(i, j)| i != j) {
                let mut dup = names.clone();
                if let Some(first) = dup.get(i).cloned() {
                    dup[j] = first;
                }
                assert_eq!(parse(&object(&dup)), Err("duplicate member"), "{n}: {i} and {j}");
            }
        }
    }

    #[test]
    fn invalid_utf8_inside_strings_is_impossible_from_str_but_escapes_round_trip() {
        let mut s = String::new();
        write_string("a\"b\\c\n\u{1}é", &mut s);
        assert_eq!(s, "\"a\\\"b\\\\c\\n\\u0001é\"");
        assert_eq!(parse(&s).unwrap().as_str(), Some("a\"b\\c\n\u{1}é"));
    }

    #[test]
    fn numbers_are_read_exactly_for_integers_and_closely_otherwise() {
        let n = |t: &str| parse(t).unwrap().as_f64().unwrap();
        assert_eq!(n("1700000000"), 1_700_000_000.0);
        assert_eq!(n("9007199254740992"), 9_007_199_254_740_992.0);
        assert_eq!(n("-0"), 0.0);
        assert_eq!(n("3600e0"), 3600.0);
        assert_eq!(n("36E+2"), 3600.0);
        assert!((n("-1.5e2") + 150.0).abs() < 1e-9);
        assert!((n("0.001") - 0.001).abs() < 1e-15);
        assert!((n("12.5E-1") - 1.25).abs() < 1e-12);
        assert!(parse("1e400").is_err(), "out of range is refused");
        assert_eq!(n("1e-400"), 0.0);
    }

    #[test]
    fn object_writer_output_parses_back() {
        let text = ObjectWriter::new()
            .string("a", "x\"y")
            .opt_string("b", None)
            .uint("n", 1_700_000_000)
            .boolean("t", true)
            .strings("s", &["p".to_owned(), "q".to_owned()])
            .raw("o", "{}")
            .finish();
        assert_eq!(text, r#"{"a":"x\"y","n":1700000000,"t":true,"s":["p","q"],"o":{}}"#);
        let v = parse(&text).unwrap();
        assert_eq!(v.get("n").and_then(as_uint), Some(1_700_000_000));
        assert_eq!(v.get("s").and_then(as_strings), Some(vec!["p".to_owned(), "q".to_owned()]));
        assert_eq!(parse("[1,\"a\"]").ok().as_ref().and_then(as_strings), None);
        assert_eq!(parse("-1").ok().as_ref().and_then(as_uint), None);
    }

    #[test]
    fn debug_hides_values() {
        let v = parse(r#"{"access_token":"SECRET"}"#).unwrap();
        assert!(!format!("{v:?}").contains("SECRET"));
    }
}
