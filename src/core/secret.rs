//! Secret values as newtypes: private field, explicit `secret()` accessor, redacted `Debug`, no
//! `Display`, no derived equality (compare with [`constant_time_eq`](super::encoding::constant_time_eq)),
//! and wiped from wasm memory when dropped.
//!
//! A value handed to JavaScript is a JS string: it cannot be wiped, and lives until the garbage
//! collector takes it. Keep what you hand out to what the caller needs.

use core::fmt;

/// Overwrites a string's bytes with zeros. `black_box` keeps the optimiser from dropping the
/// writes as dead stores.
fn wipe(s: &mut String) {
    let mut bytes = core::mem::take(s).into_bytes();
    for b in bytes.iter_mut() {
        *b = 0;
    }
    core::hint::black_box(&bytes);
}

macro_rules! secret_string {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        pub struct $name(String);

        impl $name {
            /// Wraps a value. Validation, where the specs define a grammar, is the caller's
            /// (see the constructors that return `Result`).
            pub fn new(value: String) -> Self {
                $name(value)
            }
            /// The secret value itself. Every use is a place where it can leak: keep them few.
            pub fn secret(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }

        impl Drop for $name {
            fn drop(&mut self) {
                wipe(&mut self.0);
            }
        }
    };
}

secret_string!(
    /// PKCE `code_verifier` (RFC 7636 §4.1). Deliberately not `Clone`.
    CodeVerifier
);
secret_string!(
    /// The `state` parameter (RFC 6749 §10.12): one-time, unguessable, bound to this browser.
    State
);
secret_string!(
    /// The OIDC `nonce` (OpenID Connect Core §3.1.2.1).
    Nonce
);
secret_string!(
    /// An authorization code (RFC 6749 §4.1.2). Single use.
    AuthorizationCode
);
secret_string!(
    /// An access token (RFC 6749 §1.4).
    AccessToken
);
secret_string!(
    /// A refresh token (RFC 6749 §1.5).
    RefreshToken
);
secret_string!(
    /// A raw ID token, a JWT (OpenID Connect Core §2).
    IdToken
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted_for_every_secret() {
        let all = [
            format!("{:?}", CodeVerifier::new("S3CRET".into())),
            format!("{:?}", State::new("S3CRET".into())),
            format!("{:?}", Nonce::new("S3CRET".into())),
            format!("{:?}", AuthorizationCode::new("S3CRET".into())),
            format!("{:?}", AccessToken::new("S3CRET".into())),
            format!("{:?}", RefreshToken::new("S3CRET".into())),
            format!("{:?}", IdToken::new("S3CRET".into())),
        ];
        for d in all {
            assert!(!d.contains("S3CRET"), "{d}");
            assert!(d.contains("redacted"));
        }
    }

    #[test]
    fn secret_gives_the_value_back() {
        assert_eq!(State::new("abc".into()).secret(), "abc");
    }

    #[test]
    fn wipe_zeroes_the_buffer() {
        let mut s = String::from("secret");
        wipe(&mut s);
        assert!(s.is_empty());
    }
}
