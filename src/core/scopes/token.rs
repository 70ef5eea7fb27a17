//! One scope token (RFC 6749 §3.3).

use crate::core::error::{Error, Result};

/// The longest scope text accepted, for one token or a whole list: far above any real request,
/// low enough that hostile input (a megabyte of `a`) is refused before any work is done.
pub const MAX_SCOPE_TEXT_LEN: usize = 64 * 1024;

/// Checks `token` against RFC 6749 §3.3: `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`.
///
/// Each failure has its own fixed reason so a caller can tell a stray space from a quote.
pub fn check_scope_token(token: &str) -> Result<()> {
    if token.is_empty() {
        return Err(Error::InvalidScope { reason: "empty scope token" });
    }
    if token.len() > MAX_SCOPE_TEXT_LEN {
        return Err(Error::InvalidScope { reason: "scope is too long" });
    }
    for b in token.bytes() {
        let reason = match b {
            0x21 | 0x23..=0x5b | 0x5d..=0x7e => continue,
            b' ' => "space inside a scope token",
            b'"' => "double quote in a scope token",
            b'\\' => "backslash in a scope token",
            0x80..=0xff => "non-ascii character in a scope token",
            _ => "control character in a scope token",
        };
        return Err(Error::InvalidScope { reason });
    }
    Ok(())
}

/// A validated scope token that keeps its text; comparison is exact and case-sensitive
/// (RFC 6749 §3.3: `Read` and `read` are different scopes).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Scope(String);

impl Scope {
    /// Parses one scope token (RFC 6749 §3.3).
    pub fn parse(token: &str) -> Result<Scope> {
        check_scope_token(token)?;
        Ok(Scope(token.to_owned()))
    }

    /// The token as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Scope {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_full_rfc_alphabet() {
        let all: String = (0x21u8..=0x7e).filter(|b| *b != b'"' && *b != b'\\').map(char::from).collect();
        assert!(check_scope_token(&all).is_ok());
    }

    #[test]
    fn each_forbidden_byte_has_its_reason() {
        let cases = [
            ("", "empty scope token"),
            ("a b", "space inside a scope token"),
            ("\"x\"", "double quote in a scope token"),
            ("a\\b", "backslash in a scope token"),
            ("é", "non-ascii character in a scope token"),
            ("a\tb", "control character in a scope token"),
            ("a\u{7f}", "control character in a scope token"),
        ];
        for (text, reason) in cases {
            assert_eq!(check_scope_token(text), Err(Error::InvalidScope { reason }), "{text:?}");
        }
    }

    #[test]
    fn scope_keeps_its_text_and_compares_case_sensitively() {
        let a = Scope::parse("Read").unwrap();
        assert_eq!(a.as_str(), "Read");
        assert_ne!(a, Scope::parse("read").unwrap());
    }
}
