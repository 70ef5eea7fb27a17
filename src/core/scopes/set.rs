//! An ordered, de-duplicated set of scope tokens: the `scope` parameter of RFC 6749 §3.3.

use super::token::{check_scope_token, MAX_SCOPE_TEXT_LEN};
use crate::core::error::{Error, Result};

/// The most tokens a scope list may hold; a longer list is refused, not truncated.
pub const MAX_SCOPE_TOKENS: usize = 256;

/// Scope tokens in the order first given, without duplicates (RFC 6749 §3.3: the order does
/// not matter to the server, but keeping it makes requests reproducible and readable).
///
/// Equality is set equality: the same tokens in any order.
#[derive(Clone, Debug, Default)]
pub struct ScopeSet {
    tokens: Vec<String>,
}

impl ScopeSet {
    /// An empty set.
    pub fn new() -> ScopeSet {
        ScopeSet::default()
    }

    /// Parses a space-delimited scope list (RFC 6749 §3.3), strictly: tokens are separated by
    /// exactly one space, with none leading or trailing; an empty string is an error.
    /// Duplicates are dropped, keeping the first.
    pub fn parse(text: &str) -> Result<ScopeSet> {
        if text.is_empty() {
            return Err(Error::InvalidScope { reason: "empty scope list" });
        }
        if text.len() > MAX_SCOPE_TEXT_LEN {
            return Err(Error::InvalidScope { reason: "scope is too long" });
        }
        if text.starts_with(' ') || text.ends_with(' ') {
            return Err(Error::InvalidScope { reason: "leading or trailing space in the scope list" });
        }
        let mut set = ScopeSet::new();
        for token in crate::core::text::split(text, b' ') {
            if token.is_empty() {
                return Err(Error::InvalidScope { reason: "more than one space between scope tokens" });
            }
            set.insert(token)?;
        }
        Ok(set)
    }

    /// Builds a set from separate tokens, each checked against RFC 6749 §3.3.
    pub fn from_tokens(tokens: &[&str]) -> Result<ScopeSet> {
        if tokens.is_empty() {
            return Err(Error::InvalidScope { reason: "empty scope list" });
        }
        let mut set = ScopeSet::new();
        for token in tokens {
            set.insert(token)?;
        }
        Ok(set)
    }

    /// Adds a token (RFC 6749 §3.3); `Ok(false)` when it is already present.
    pub fn insert(&mut self, token: &str) -> Result<bool> {
        check_scope_token(token)?;
        if self.contains(token) {
            return Ok(false);
        }
        if self.tokens.len() == MAX_SCOPE_TOKENS {
            return Err(Error::InvalidScope { reason: "too many scope tokens" });
        }
        let total: usize = self.tokens.iter().map(|t| t.len() + 1).sum();
        if total + token.len() > MAX_SCOPE_TEXT_LEN {
            return Err(Error::InvalidScope { reason: "scope is too long" });
        }
        self.tokens.push(token.to_owned());
        Ok(true)
    }

    /// `true` when `token` is in the set, compared exactly (case-sensitive).
    pub fn contains(&self, token: &str) -> bool {
        self.tokens.iter().any(|t| t == token)
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// `true` when there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The tokens in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.tokens.iter().map(String::as_str)
    }

    /// The tokens as borrowed strings, the form the operations in `ops` take.
    pub fn as_strs(&self) -> Vec<&str> {
        crate::core::text::as_strs(&self.tokens)
    }

    /// Serialises the set as the RFC 6749 §3.3 `scope` value: tokens joined by one space.
    pub fn to_scope_string(&self) -> String {
        crate::core::text::join(&self.tokens, " ")
    }
}

impl PartialEq for ScopeSet {
    fn eq(&self, other: &ScopeSet) -> bool {
        // Both sides are duplicate-free, so equal length plus inclusion is set equality.
        self.len() == other.len() && self.iter().all(|t| other.contains(t))
    }
}

impl Eq for ScopeSet {}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn parse_keeps_order_and_drops_duplicates() {
        let s = ScopeSet::parse("openid profile openid vso.code").unwrap();
        assert_eq!(s.as_strs(), ["openid", "profile", "vso.code"]);
        assert_eq!(s.to_scope_string(), "openid profile vso.code");
    }

    #[test]
    fn equality_ignores_order() {
        assert_eq!(ScopeSet::parse("a b").unwrap(), ScopeSet::parse("b a").unwrap());
        assert_ne!(ScopeSet::parse("a b").unwrap(), ScopeSet::parse("a").unwrap());
    }

    #[test]
    fn token_count_is_capped() {
        let many: Vec<String> = (0..=MAX_SCOPE_TOKENS).map(|i| i.to_string()).collect();
        let err = ScopeSet::parse(&many.join(" ")).unwrap_err();
        assert_eq!(err, Error::InvalidScope { reason: "too many scope tokens" });
        assert!(ScopeSet::parse(&many[..MAX_SCOPE_TOKENS].join(" ")).is_ok());
    }
}
