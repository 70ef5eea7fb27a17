//! DPoP proofs (RFC 9449): what the core builds, sans-IO. The key pair lives in WebCrypto (the
//! JS package generates it non-extractable and signs); the core validates the public JWK,
//! computes its RFC 7638 thumbprint (`dpop_jkt`, RFC 9449 §10), writes the proof's JOSE header
//! and claims as the JWS signing input (§4.2), and assembles the compact JWS from the raw ES256
//! signature WebCrypto returns (`r || s`, RFC 7518 §3.4). The random `jti` and the clock are
//! inputs.

use sha2::{Digest, Sha256};

use super::encoding::base64url_encode;
use super::error::{Error, Result};
use super::json::{ObjectWriter, Value};
use super::url::Url;

/// The one algorithm proofs are signed with: ECDSA P-256 SHA-256, which every browser's WebCrypto
/// has (RFC 9449 §4.2 leaves the choice to the client among what the server lists).
pub const ALGORITHM: &str = "ES256";

/// Longest `DPoP-Nonce` taken into a proof; servers send short opaque values.
const MAX_NONCE: usize = 1024;

const fn invalid(reason: &'static str) -> Error {
    Error::DpopInvalid { reason }
}

/// RFC 9449 §5.1: the provider lists `ES256` in `dpop_signing_alg_values_supported`; anything
/// else (absent, another type, only other algorithms) is refused, never a silent fall back to
/// Bearer tokens.
pub fn check_provider(dpop_signing_alg_values_supported: Option<&Value>) -> Result<()> {
    let listed = dpop_signing_alg_values_supported
        .and_then(Value::as_array)
        .is_some_and(|values| values.iter().any(|v| v.as_str() == Some(ALGORITHM)));
    if listed { Ok(()) } else { Err(Error::DpopUnsupported) }
}

/// An EC P-256 public key as a JWK (RFC 7518 §6.2.1): `x` and `y` are 32 octets each, base64url
/// without padding (the canonical form only).
#[derive(Debug, Clone)]
pub struct PublicJwk {
    x: String,
    y: String,
}

impl PublicJwk {
    /// Validates `kty` `EC`, `crv` `P-256` and the two coordinates.
    pub fn new(kty: &str, crv: &str, x: &str, y: &str) -> Result<PublicJwk> {
        if kty != "EC" || crv != "P-256" {
            return Err(invalid("the key is not an ec p-256 jwk"));
        }
        if !is_coordinate(x) || !is_coordinate(y) {
            return Err(invalid("the key's x and y are not 32-byte base64url"));
        }
        Ok(PublicJwk { x: x.to_owned(), y: y.to_owned() })
    }

    /// The JWK's required members, in the order given (RFC 7638 §3.2 wants `crv, kty, x, y`).
    fn members(&self, order: [&str; 4]) -> String {
        let mut w = ObjectWriter::new();
        for name in order {
            let value = match name {
                "crv" => "P-256",
                "kty" => "EC",
                "x" => &self.x,
                _ => &self.y,
            };
            w.string(name, value);
        }
        w.finish()
    }

    /// The RFC 7638 §3 SHA-256 thumbprint, base64url: the `dpop_jkt` authorization parameter
    /// (RFC 9449 §10) and the `cnf.jkt` the server binds tokens to (§6.1).
    pub fn thumbprint(&self) -> String {
        base64url_encode(&Sha256::digest(self.members(["crv", "kty", "x", "y"]).as_bytes()))
    }

    /// The proof's JOSE header (RFC 9449 §4.2): `typ`, `alg` and the public key.
    fn header(&self) -> String {
        let mut w = ObjectWriter::new();
        w.string("typ", "dpop+jwt").string("alg", ALGORITHM).raw("jwk", &self.members(["kty", "crv", "x", "y"]));
        w.finish()
    }
}

/// 32 octets in canonical base64url without padding: 43 characters of the alphabet, the last one
/// carrying 4 data bits and 2 zero bits (RFC 4648 §5, §3.5). Checked without a decoder, which
/// would be most of the dpop wasm module's code.
fn is_coordinate(c: &str) -> bool {
    let digit = |b: u8| match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    };
    c.len() == 43 && c.bytes().all(|b| digit(b).is_some()) && c.bytes().last().and_then(digit).is_some_and(|d| d & 3 == 0)
}

/// The code, fixed text and detail of an error this module raises, as [`Error::code`] and
/// [`Error::detail`] give them (a test holds them equal), without their tables of every variant:
/// the dpop wasm module would carry all the crate's messages for three of its own.
pub fn error_parts(e: &Error) -> (&'static str, &'static str, &'static str) {
    match e {
        Error::DpopInvalid { reason } => ("OAUTH_DPOP_INVALID", "dpop proof cannot be built: ", reason),
        Error::DpopUnsupported => ("OAUTH_DPOP_UNSUPPORTED", "the provider does not support dpop with es256", ""),
        _ => ("OAUTH_RANDOM_UNAVAILABLE", "the random number generator is unavailable", ""),
    }
}

/// What one proof says (RFC 9449 §4.2).
pub struct Claims<'a> {
    /// A fresh random identifier (at least 96 bits of entropy, §11.1).
    pub jti: &'a str,
    /// The request's HTTP method.
    pub htm: &'a str,
    /// The request's URL; query and fragment are dropped here.
    pub htu: &'a str,
    /// Unix seconds.
    pub iat: u64,
    /// The server's last `DPoP-Nonce` for this origin (§8, §9).
    pub nonce: Option<&'a str>,
    /// The access token the request carries (resource requests, §7), hashed into `ath`.
    pub access_token: Option<&'a str>,
}

/// `htu` (RFC 9449 §4.2): the absolute http(s) URL without query and fragment.
/// Credentials in the URL are refused: they would be copied into every proof.
pub fn htu(url: &str) -> Result<String> {
    match Url::parse(url) {
        Ok(u) if !u.has_userinfo() => Ok(u.without_query_and_fragment().to_owned()),
        _ => Err(invalid("htu is not an absolute http(s) url")),
    }
}

/// An HTTP method is a token (RFC 9110 §9.1, §5.6.2).
fn is_method(m: &str) -> bool {
    !m.is_empty() && m.len() <= 32 && m.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~'))
}

/// A `DPoP-Nonce` value: `1*NQCHAR` (RFC 9449 §8.1).
fn is_nonce(n: &str) -> bool {
    !n.is_empty() && n.len() <= MAX_NONCE && n.bytes().all(|b| matches!(b, 0x21 | 0x23..=0x5b | 0x5d..=0x7e))
}

/// `ath` (RFC 9449 §4.2): base64url of the SHA-256 of the access token's ASCII.
pub fn ath(access_token: &str) -> String {
    base64url_encode(&Sha256::digest(access_token.as_bytes()))
}

/// The JWS signing input of a proof: `base64url(header) "." base64url(claims)` (RFC 7515 §5.1),
/// for WebCrypto to sign with ECDSA P-256 SHA-256.
pub fn signing_input(key: &PublicJwk, claims: &Claims<'_>) -> Result<String> {
    if !is_method(claims.htm) {
        return Err(invalid("htm is not an http method"));
    }
    if claims.jti.len() < 16 || claims.jti.len() > 64 {
        return Err(invalid("jti must carry at least 96 bits"));
    }
    let mut w = ObjectWriter::new();
    w.string("jti", claims.jti).string("htm", claims.htm).string("htu", &htu(claims.htu)?).uint("iat", claims.iat);
    if let Some(n) = claims.nonce {
        if !is_nonce(n) {
            return Err(invalid("the server's dpop-nonce is malformed"));
        }
        w.string("nonce", n);
    }
    if let Some(t) = claims.access_token {
        w.string("ath", &ath(t));
    }
    let mut out = base64url_encode(key.header().as_bytes());
    out.push('.');
    out.push_str(&base64url_encode(w.finish().as_bytes()));
    Ok(out)
}

/// The compact JWS: the signing input and the signature WebCrypto returned, which for ECDSA
/// P-256 is already the JWS form (`r || s`, 32 octets each, RFC 7518 §3.4).
pub fn jws(signing_input: &str, signature: &[u8]) -> Result<String> {
    if signature.len() != 64 {
        return Err(invalid("the es256 signature is not 64 bytes"));
    }
    let mut out = String::with_capacity(signing_input.len() + 87);
    out.push_str(signing_input);
    out.push('.');
    out.push_str(&base64url_encode(signature));
    Ok(out)
}

/// A `jti` from 16 random octets (128 bits, RFC 9449 §11.1).
pub fn jti(random: &[u8; 16]) -> String {
    base64url_encode(random)
}

#[cfg(test)]
mod tests;
