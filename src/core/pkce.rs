//! Proof Key for Code Exchange, S256 only (RFC 7636).
//!
//! `plain` is not offered: RFC 7636 §4.2 allows it only where S256 is impossible, and a client
//! must not downgrade to it (§7.2). There is no flag that turns PKCE off.

use sha2::{Digest, Sha256};

use super::encoding::base64url_encode;
use super::error::{Error, Result};
use super::secret::CodeVerifier;

/// The only `code_challenge_method` this library sends (RFC 7636 §4.3).
pub const CODE_CHALLENGE_METHOD: &str = "S256";

/// `unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"` (RFC 7636 §4.1).
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// `true` when `text` is 43 to 128 unreserved characters: the grammar of both the verifier and
/// the challenge (RFC 7636 §4.1, §4.2).
pub fn is_valid_verifier_syntax(text: &str) -> bool {
    (43..=128).contains(&text.len()) && text.bytes().all(is_unreserved)
}

/// A fresh verifier from 32 CSPRNG octets: base64url, 43 characters (RFC 7636 §4.1).
pub fn verifier_from_random(octets: &[u8; 32]) -> CodeVerifier {
    CodeVerifier::new(base64url_encode(octets))
}

/// A caller-supplied verifier, checked against RFC 7636 §4.1.
pub fn verifier_from_str(text: &str) -> Result<CodeVerifier> {
    if is_valid_verifier_syntax(text) {
        Ok(CodeVerifier::new(text.to_owned()))
    } else {
        Err(Error::InvalidCodeVerifier)
    }
}

/// `BASE64URL-ENCODE(SHA256(ASCII(code_verifier)))` (RFC 7636 §4.2).
pub fn s256_challenge(verifier: &CodeVerifier) -> String {
    base64url_encode(&Sha256::digest(verifier.secret().as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7636 Appendix B (checklist §2.1, items 3 and 4).
    #[test]
    fn rfc7636_appendix_b_vector() {
        let octets = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214,
            191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
        ];
        let v = verifier_from_random(&octets);
        assert_eq!(v.secret(), "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(s256_challenge(&v), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    /// Checklist item 4: boundaries and forbidden characters of a caller-supplied verifier.
    #[test]
    fn caller_supplied_verifier_boundaries() {
        assert!(verifier_from_str(&"a".repeat(42)).is_err());
        assert!(verifier_from_str(&"a".repeat(43)).is_ok());
        assert!(verifier_from_str(&"a".repeat(128)).is_ok());
        assert!(verifier_from_str(&"a".repeat(129)).is_err());
        assert!(verifier_from_str(&format!("{}~._-", "a".repeat(40))).is_ok());
        for bad in ["+", "/", "=", "!", " ", "%", "é"] {
            let text = format!("{}{bad}", "a".repeat(43));
            assert_eq!(verifier_from_str(&text).err(), Some(Error::InvalidCodeVerifier), "{bad}");
        }
        assert!(verifier_from_str("").is_err());
    }

    #[test]
    fn verifiers_from_random_match_the_grammar() {
        for i in 0..=255u8 {
            let v = verifier_from_random(&[i; 32]);
            assert_eq!(v.secret().len(), 43);
            assert!(is_valid_verifier_syntax(v.secret()));
        }
    }
}
