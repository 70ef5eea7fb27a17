//! A small strict JSON reader (RFC 8259) for what OAuth servers send: token responses, provider
//! metadata, ID token payloads, and our own stored transactions.
//!
//! Why not serde_json: it is several times the size of this file in wasm, and we need limits
//! (depth, size) and a refusal of duplicate members, which servers' JSON must not rely on
//! (RFC 8259 §4 leaves duplicates undefined; two readers may disagree).

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
    /// Member `name` of an object, `None` for a missing member or a non-object.
    pub fn get(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().find(|(k, _)| k == name).map(|(_, v)| v),
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
    if text.len() > MAX_LEN {
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
        let mut members: Vec<(String, Value)> = Vec::new();
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(Value::Object(members));
        }
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
            if members.iter().any(|(name, _)| *name == k) {
                return Err("duplicate member");
            }
            members.push((k, v));
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
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
        let text = core::str::from_utf8(self.s.get(start..self.i).ok_or("bad number")?).map_err(|_| "bad number")?;
        let n: f64 = text.parse().map_err(|_| "bad number")?;
        if !n.is_finite() {
            return Err("number out of range");
        }
        Ok(Value::Number(n))
    }
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

/// Serialises a value back to JSON text (numbers as Rust prints `f64`, integers without `.0`).
pub fn to_string(value: &Value) -> String {
    let mut out = String::new();
    write_value(value, &mut out);
    out
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(v, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, (k, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                write_value(v, out);
            }
            out.push('}');
        }
    }
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
            "{\"a\":1,\"a\":2}", "\u{feff}{}", &deep, &big, "\"\\u+123\"",
        ];
        for c in cases {
            assert!(parse(c).is_err(), "{:?}", c.get(..40));
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
    fn to_string_round_trips() {
        let text = r#"{"a":[1,2.5,-3,true,null],"b":{"c":"d\"e"},"e":1700000000}"#;
        assert_eq!(to_string(&parse(text).unwrap()), text);
    }

    #[test]
    fn debug_hides_values() {
        let v = parse(r#"{"access_token":"SECRET"}"#).unwrap();
        assert!(!format!("{v:?}").contains("SECRET"));
    }
}
