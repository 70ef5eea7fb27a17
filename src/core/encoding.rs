//! Encodings the protocol needs: base64url without padding (RFC 4648 §5, RFC 7636 App. A) and
//! `application/x-www-form-urlencoded` (WHATWG URL §5, used by RFC 6749 §4.1.3 and §4.1.2).
//!
//! Decoders are strict and total: malformed input returns `None`, never panics.

use base64::alphabet::URL_SAFE;

/// The base64url digit of the low six bits of `v` (RFC 4648 §5, Table 2).
fn base64url_digit(v: u32) -> char {
    let v = (v & 63) as u8;
    char::from(match v {
        0..=25 => b'A' + v,
        26..=51 => b'a' + (v - 26),
        52..=61 => b'0' + (v - 52),
        62 => b'-',
        _ => b'_',
    })
}

/// base64url without padding (RFC 4648 §5). Written out rather than through the base64 crate's
/// general engine, which costs the signed-out page's module 1.2 KB gzip for encoding four
/// 32-byte values (state, nonce, verifier, challenge); the crate is the test oracle for this
/// encoder.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        // One output character per 6 bits present: 2 for 1 octet, 3 for 2, 4 for 3.
        for i in 0..=chunk.len() {
            out.push(base64url_digit(n >> (18 - 6 * i)));
        }
    }
    out
}

/// Strict base64url without padding; `None` on any other alphabet, padding, bad length or
/// non-zero trailing bits, as the base64 crate's `URL_SAFE_NO_PAD` decodes (the native tests
/// compare the two on every string of up to four characters over the symbols that matter).
/// The symbols are the crate's `alphabet::URL_SAFE`; the loop is written out because the
/// crate's general engine, built for throughput on long inputs, cost the session module 1.2 KB
/// gzip (47,284 against 48,507 bytes, measured) to decode an ID token's claims and JWKS members.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    // The value of each byte: its place in the crate's alphabet, 64 for every other byte.
    let mut values = [64u8; 256];
    for (i, &symbol) in URL_SAFE.as_str().as_bytes().iter().enumerate() {
        if let Some(slot) = values.get_mut(usize::from(symbol)) {
            *slot = i as u8;
        }
    }
    let bytes = text.as_bytes();
    // A lone final character carries 6 bits, less than an octet.
    if bytes.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3 + 2);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in bytes {
        let v = values.get(usize::from(c)).copied().unwrap_or(64);
        if v == 64 {
            return None;
        }
        acc = (acc << 6 | u32::from(v)) & 0xFFF;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    // Canonical only: the bits left over after the last octet are zero (RFC 4648 §3.5).
    (acc & ((1 << bits) - 1) == 0).then_some(out)
}

/// The uppercase hex digit for the low four bits of `n`.
pub fn hex_digit(n: u8) -> char {
    let n = n & 0x0f;
    char::from(if n < 10 { b'0' + n } else { b'A' + n - 10 })
}

/// Appends `n` in decimal, as `n.to_string()` writes it. By hand, so that `core::fmt`'s integer
/// formatting stays out of the wasm.
pub fn decimal_into(n: u64, out: &mut String) {
    // u64::MAX has 20 digits; they are produced least significant first.
    let mut digits = [0u8; 20];
    let mut rest = n;
    let mut len = 0;
    for slot in digits.iter_mut() {
        *slot = b'0' + (rest % 10) as u8;
        rest /= 10;
        len += 1;
        if rest == 0 {
            break;
        }
    }
    out.extend(digits.iter().take(len).rev().map(|&d| char::from(d)));
}

/// `n` in decimal, as `n.to_string()` writes it (see [`decimal_into`]).
pub fn decimal(n: u64) -> String {
    let mut s = String::with_capacity(20);
    decimal_into(n, &mut s);
    s
}

/// Appends `value` form-urlencoded: alphanumerics and `*-._` stay, space becomes `+`, every other
/// byte of its UTF-8 form becomes `%XX`.
pub fn form_encode_into(value: &str, out: &mut String) {
    for &b in value.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => out.push(b as char),
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(hex_digit(b >> 4));
                out.push(hex_digit(b));
            }
        }
    }
}

/// Serialises name/value pairs as `a=b&c=d`, form-urlencoded.
pub fn form_serialize<'a, I>(pairs: I) -> String
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        form_encode_into(name, &mut out);
        out.push('=');
        form_encode_into(value, &mut out);
    }
    out
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes one form component (`+` is a space). `None` for a malformed `%` escape or a
/// result that is not UTF-8: lenient decoders are how two parties come to disagree on a value.
pub fn form_decode(component: &str) -> Option<String> {
    let bytes = component.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hi = hex_value(*bytes.get(i + 1)?)?;
                let lo = hex_value(*bytes.get(i + 2)?)?;
                out.push(hi << 4 | lo);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// The most pairs a form string may hold; a larger one is refused, not truncated.
pub const MAX_FORM_PAIRS: usize = 256;

/// Splits and decodes `a=b&c=d`. Empty segments (`a=b&&c=d`) are skipped as browsers do; a
/// segment without `=` has an empty value. `None` on a malformed escape or too many pairs.
pub fn form_parse(text: &str) -> Option<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    for segment in super::text::split(text, b'&') {
        if segment.is_empty() {
            continue;
        }
        if pairs.len() == MAX_FORM_PAIRS {
            return None;
        }
        let (name, value) = super::text::split_once(segment, "=").unwrap_or((segment, ""));
        pairs.push((form_decode(name)?, form_decode(value)?));
    }
    Some(pairs)
}

/// Compares two byte strings in time that depends only on their lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;

    #[test]
    fn base64url_encoder_matches_the_base64_crate() {
        let data: Vec<u8> = (0..=255u8).rev().chain(0..=255).collect();
        for len in 0..70 {
            for start in [0, 1, 97, 300] {
                let input = &data[start..start + len];
                assert_eq!(base64url_encode(input), URL_SAFE_NO_PAD.encode(input), "{len} at {start}");
            }
        }
    }

    #[test]
    fn base64url_round_trips_and_rejects_padding_and_std_alphabet() {
        let data = [0xfbu8, 0xff, 0x00, 0x10];
        let text = base64url_encode(&data);
        assert_eq!(text, "-_8AEA");
        assert_eq!(base64url_decode(&text).as_deref(), Some(&data[..]));
        assert_eq!(base64url_decode("-_8AEA=="), None);
        assert_eq!(base64url_decode("+/8AEA"), None);
        assert_eq!(base64url_decode("a"), None);
    }

    #[test]
    fn base64url_decoder_agrees_with_the_base64_crate() {
        // Every string of up to four characters over symbols that matter: both ends of each
        // range, the two base64url symbols, padding, the standard alphabet's two, and non-ASCII.
        let symbols = ["A", "B", "P", "Q", "Z", "a", "f", "g", "w", "z", "0", "9", "-", "_", "=", "+", "/", "é", " "];
        let mut texts = vec![String::new()];
        let mut checked = 0;
        for _ in 0..4 {
            let mut longer = Vec::new();
            for text in &texts {
                for s in symbols {
                    let t = format!("{text}{s}");
                    assert_eq!(base64url_decode(&t), URL_SAFE_NO_PAD.decode(t.as_bytes()).ok(), "{t:?}");
                    checked += 1;
                    longer.push(t);
                }
            }
            texts = longer;
        }
        assert_eq!(checked, 19 + 19usize.pow(2) + 19usize.pow(3) + 19usize.pow(4));
        // Longer values, encoded by the crate: each decodes back, and a changed last symbol
        // (non-zero trailing bits) is refused by both.
        let data: Vec<u8> = (0..=255u8).rev().chain(0..=255).collect();
        for len in 0..70 {
            let text = URL_SAFE_NO_PAD.encode(&data[len..len * 2]);
            assert_eq!(base64url_decode(&text).as_deref(), Some(&data[len..len * 2]));
            if let Some(last) = text.chars().last() {
                let changed = format!("{}{}", &text[..text.len() - 1], if last == 'B' { 'C' } else { 'B' });
                assert_eq!(base64url_decode(&changed), URL_SAFE_NO_PAD.decode(changed.as_bytes()).ok(), "{changed}");
            }
        }
    }

    #[test]
    fn form_encoding_matches_the_whatwg_serializer() {
        let s = form_serialize([("redirect_uri", "https://a.example/cb?x=1"), ("scope", "openid profile"), ("u", "é~")]);
        assert_eq!(s, "redirect_uri=https%3A%2F%2Fa.example%2Fcb%3Fx%3D1&scope=openid+profile&u=%C3%A9%7E");
    }

    #[test]
    fn form_parse_decodes_and_refuses_malformed_escapes() {
        let p = form_parse("a=1&&b=x+y&c&d=%41%c3%a9").unwrap();
        assert_eq!(p, vec![
            ("a".into(), "1".into()),
            ("b".into(), "x y".into()),
            ("c".into(), "".into()),
            ("d".into(), "Aé".into())
        ]);
        for bad in ["a=%", "a=%4", "a=%zz", "a=%ff", "%=1", "a=%C3"] {
            assert_eq!(form_parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn form_parse_refuses_too_many_pairs() {
        let many = "a=1&".repeat(MAX_FORM_PAIRS + 1);
        assert_eq!(form_parse(&many), None);
        let ok = "a=1&".repeat(MAX_FORM_PAIRS);
        assert_eq!(form_parse(&ok).map(|p| p.len()), Some(MAX_FORM_PAIRS));
    }

    #[test]
    fn decimal_writes_what_to_string_writes() {
        let mut samples = vec![0, 1, 9, 10, 11, 99, 100, 101, 65_535, 1_000_000_007, u64::from(u32::MAX), u64::MAX - 1, u64::MAX];
        samples.extend((0..64).map(|b| 1u64 << b));
        samples.extend((1..20).map(|e| 10u64.pow(e) - 1));
        samples.extend((1..20).map(|e| 10u64.pow(e)));
        for n in samples {
            assert_eq!(decimal(n), n.to_string(), "{n}");
            let mut appended = String::from("x=");
            decimal_into(n, &mut appended);
            assert_eq!(appended, format!("x={n}"));
        }
    }

    #[test]
    fn constant_time_eq_is_equality() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
