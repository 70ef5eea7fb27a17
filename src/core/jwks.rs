//! JSON Web Key Sets (RFC 7517) and the choice of the key that verifies an ID token
//! (RFC 7515 §4.1.4, OpenID Connect Core §10.1.1). Pure: the account module keeps each set and
//! decides when to (re)fetch it (`bindings::account::key_for`); the JS package fetches it and checks
//! the signature with WebCrypto (`js/platform/verify.js`).
//!
//! Selection follows oauth4webapi: a key must fit the header's `alg` by `kty` (and `crv`), `use`,
//! `key_ops` and its own `alg` when it has one. With a `kid`, exactly one fitting key must carry
//! it. Without one, exactly one key may fit: several is ambiguous and refused, never "try all".

use super::encoding::base64url_decode;
use super::error::{Error, Result};
use super::id_token;
use super::json::{self, Value};

/// A JWK Set with more keys than this is refused (real providers publish a handful).
pub const MAX_KEYS: usize = 100;
/// RSA keys shorter than this are refused (RFC 7518 §3.3: 2048 bits or larger).
pub const MIN_RSA_BITS: usize = 2048;
/// A cached set older than this is fetched again before use (oauth4webapi uses 300 s).
pub const MAX_AGE_SECS: u64 = 300;
/// At most one refetch for an unknown `kid` per provider in this many seconds.
pub const REFETCH_COOLDOWN_SECS: u64 = 60;

/// The JWS algorithms verified (RFC 7518 §3.1): the ID token allow-list, all asymmetric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alg {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3).
    Rs256,
    /// RSASSA-PSS with SHA-256, MGF1 SHA-256, 32-byte salt (RFC 7518 §3.5).
    Ps256,
    /// ECDSA P-256 with SHA-256, signature `r || s` (RFC 7518 §3.4).
    Es256,
}

impl Alg {
    /// The algorithm for a header `alg`; `None` for anything else (`none`, `HS*`, …).
    pub fn from_name(name: &str) -> Option<Alg> {
        match name {
            "RS256" => Some(Alg::Rs256),
            "PS256" => Some(Alg::Ps256),
            "ES256" => Some(Alg::Es256),
            _ => None,
        }
    }

    /// The JWA name.
    pub fn name(self) -> &'static str {
        match self {
            Alg::Rs256 => "RS256",
            Alg::Ps256 => "PS256",
            Alg::Es256 => "ES256",
        }
    }
}

/// The public key itself, members as base64url text (what WebCrypto's JWK import takes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyMaterial {
    /// `kty: RSA` (RFC 7518 §6.3.1).
    Rsa { n: String, e: String },
    /// `kty: EC` (RFC 7518 §6.2.1).
    Ec { crv: String, x: String, y: String },
}

/// One public key of a set. Public keys are not secrets: `Debug` shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jwk {
    pub kid: Option<String>,
    /// The key's own `alg` (RFC 7517 §4.4), when it has one.
    pub alg: Option<String>,
    /// `use` (RFC 7517 §4.2).
    pub usage: Option<String>,
    /// `key_ops` (RFC 7517 §4.3).
    pub key_ops: Option<Vec<String>>,
    pub material: KeyMaterial,
}

/// Why a key is left out of the set, or the whole set refused.
enum Skip {
    /// RFC 7517 §5: a key of an unknown `kty`, missing a member or with a value out of range is
    /// ignored; the other keys still count.
    Unusable,
    /// A member of the wrong JSON type: the document is not a JWK Set, and none of it is used.
    Malformed(&'static str),
}

/// A string member, `None` when absent; another JSON type is [`Skip::Malformed`].
fn opt_string(key: &Value, name: &str) -> core::result::Result<Option<String>, Skip> {
    match key.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Skip::Malformed("a key member has the wrong json type")),
    }
}

/// A required base64url member: absent or not decodable to at least one octet is unusable.
fn b64_member(key: &Value, name: &str) -> core::result::Result<String, Skip> {
    let text = opt_string(key, name)?.ok_or(Skip::Unusable)?;
    match base64url_decode(&text) {
        Some(bytes) if !bytes.is_empty() => Ok(text),
        _ => Err(Skip::Unusable),
    }
}

/// One member of `keys`. Every member this reads must have its JSON type, whatever the `kty`.
fn parse_key(key: &Value) -> core::result::Result<Jwk, Skip> {
    if !key.is_object() {
        return Err(Skip::Malformed("a key is not an object"));
    }
    let key_ops = match key.get("key_ops") {
        None => None,
        Some(ops) => Some(json::as_strings(ops).ok_or(Skip::Malformed("key_ops is not an array of strings"))?),
    };
    let (kid, alg, usage) = (opt_string(key, "kid")?, opt_string(key, "alg")?, opt_string(key, "use")?);
    for name in ["n", "e", "crv", "x", "y"] {
        opt_string(key, name)?;
    }
    let material = match opt_string(key, "kty")?.ok_or(Skip::Unusable)?.as_str() {
        "RSA" => KeyMaterial::Rsa { n: b64_member(key, "n")?, e: b64_member(key, "e")? },
        "EC" => KeyMaterial::Ec {
            crv: opt_string(key, "crv")?.ok_or(Skip::Unusable)?,
            x: b64_member(key, "x")?,
            y: b64_member(key, "y")?,
        },
        _ => return Err(Skip::Unusable),
    };
    Ok(Jwk { kid, alg, usage, key_ops, material })
}

/// Reads a JWK Set document (RFC 7517 §5): an object whose `keys` is an array of objects. Keys
/// of an unknown `kty`, missing a member or with undecodable values are skipped; a member of the
/// wrong JSON type refuses the whole set.
pub fn parse_jwks(text: &str) -> Result<Vec<Jwk>> {
    let bad = |reason| Error::InvalidJson { what: "jwks", reason };
    let doc = json::parse(text).map_err(bad)?;
    let keys = doc.get("keys").and_then(Value::as_array).ok_or(bad("keys is not an array"))?;
    if keys.len() > MAX_KEYS {
        return Err(bad("too many keys"));
    }
    let mut out = Vec::new();
    for key in keys {
        match parse_key(key) {
            Ok(jwk) => out.push(jwk),
            Err(Skip::Unusable) => {}
            Err(Skip::Malformed(reason)) => return Err(bad(reason)),
        }
    }
    Ok(out)
}

/// The length in octets of a base64url value (0 if malformed).
fn decoded_len_exact(b64: &str) -> usize {
    base64url_decode(b64).map_or(0, |bytes| bytes.len())
}

/// The length of a base64url big-endian integer, leading zero octets not counted.
fn decoded_len(b64: &str) -> usize {
    base64url_decode(b64).map_or(0, |bytes| bytes.iter().skip_while(|b| **b == 0).count())
}

impl Jwk {
    /// `true` when this key may verify a JWS signed with `alg`.
    pub fn fits(&self, alg: Alg) -> bool {
        let kty_fits = match (&self.material, alg) {
            (KeyMaterial::Rsa { .. }, Alg::Rs256 | Alg::Ps256) => true,
            (KeyMaterial::Ec { crv, x, y }, Alg::Es256) => crv == "P-256" && decoded_len_exact(x) == 32 && decoded_len_exact(y) == 32,
            _ => false,
        };
        kty_fits
            && self.usage.as_deref().is_none_or(|u| u == "sig")
            && self.key_ops.as_ref().is_none_or(|ops| ops.iter().any(|o| o == "verify"))
            && self.alg.as_deref().is_none_or(|a| a == alg.name())
    }

    /// RSA keys must be at least [`MIN_RSA_BITS`] long; other keys pass.
    pub fn check_strength(&self) -> Result<()> {
        match &self.material {
            KeyMaterial::Rsa { n, .. } if decoded_len(n) * 8 < MIN_RSA_BITS => {
                Err(Error::InvalidIdToken { reason: "rsa key is shorter than 2048 bits" })
            }
            _ => Ok(()),
        }
    }
}

/// The key for a token signed with `alg` and header `kid`. `Ok(None)` when no key has that
/// `kid` (or, without a `kid`, none fits): the one case where fetching the set again may help.
pub fn select<'a>(keys: &'a [Jwk], alg: Alg, kid: Option<&str>) -> Result<Option<&'a Jwk>> {
    let bad = |reason| Error::InvalidIdToken { reason };
    let mut named = keys.iter().filter(|k| kid.is_none() || k.kid.as_deref() == kid).peekable();
    if named.peek().is_none() {
        return Ok(None);
    }
    let mut fitting = named.filter(|k| k.fits(alg));
    match (fitting.next(), fitting.next(), kid) {
        (Some(key), None, _) => {
            key.check_strength()?;
            Ok(Some(key))
        }
        (Some(_), Some(_), None) => Err(bad("several keys fit and the token has no kid")),
        (Some(_), Some(_), Some(_)) => Err(bad("several keys share the kid")),
        (None, _, Some(_)) => Err(bad("the key for the kid does not fit the alg")),
        (None, _, None) => Ok(None),
    }
}

/// What the signature check needs from a compact JWS (RFC 7515 §5.2), read without trusting it.
pub struct SignedToken<'a> {
    pub alg: Alg,
    pub kid: Option<String>,
    /// `BASE64URL(header) || '.' || BASE64URL(payload)`, the bytes that were signed.
    pub signing_input: &'a [u8],
    pub signature: Vec<u8>,
}

/// Splits `jwt` for verification. The `alg` allow-list is applied here, before any key is
/// fetched or any crypto runs (checklist item 30): `none` and `HS*` never get further.
pub fn signed_token(jwt: &str) -> Result<SignedToken<'_>> {
    let bad = |reason| Error::InvalidIdToken { reason };
    let decoded = id_token::decode(jwt)?;
    let header = &decoded.header;
    let name = header.get("alg").and_then(Value::as_str).ok_or(bad("alg missing"))?;
    let alg = Alg::from_name(name).ok_or(bad("alg not allowed"))?;
    // RFC 7515 §4.1.11: extensions listed in `crit` must be understood; we understand none.
    if header.get("crit").is_some() {
        return Err(bad("crit header is not supported"));
    }
    let kid = match header.get("kid") {
        None => None,
        Some(Value::String(k)) => Some(k.clone()),
        Some(_) => return Err(bad("kid is malformed")),
    };
    // RFC 7518 §3.4: an ES256 signature is R || S, 32 bytes each (never DER).
    if alg == Alg::Es256 && decoded.signature.len() != 64 {
        return Err(bad("es256 signature is not 64 bytes"));
    }
    let signing_input = jwt.as_bytes().get(..decoded.signing_input_len).ok_or(bad("not a compact jws"))?;
    Ok(SignedToken { alg, kid, signing_input, signature: decoded.signature })
}

/// A provider's key set as last fetched, with the times that rate-limit fetching it.
#[derive(Debug, Clone)]
pub struct CachedJwks {
    pub keys: Vec<Jwk>,
    /// Unix seconds of the fetch.
    pub fetched_at: u64,
    /// Unix seconds of the last refetch for an unknown `kid`, carried over across fetches.
    pub refetched_at: Option<u64>,
}

impl CachedJwks {
    /// `true` when the set is older than [`MAX_AGE_SECS`] (or the clock went back).
    pub fn is_stale(&self, now: u64) -> bool {
        now < self.fetched_at || now - self.fetched_at >= MAX_AGE_SECS
    }

    /// `true` when an unknown `kid` may trigger a refetch now: none in the last
    /// [`REFETCH_COOLDOWN_SECS`]. A token with a random `kid` cannot make us hammer the provider.
    pub fn may_refetch(&self, now: u64) -> bool {
        self.refetched_at.is_none_or(|at| now < at || now - at >= REFETCH_COOLDOWN_SECS)
    }

    /// Like [`CachedJwks::may_refetch`], and when it may, records the refetch as of `now`.
    pub fn claim_refetch(&mut self, now: u64) -> bool {
        let allowed = self.may_refetch(now);
        if allowed {
            self.refetched_at = Some(now);
        }
        allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::encoding::base64url_encode;

    fn rsa_n(len: usize) -> String {
        base64url_encode(&vec![0xC5; len])
    }

    fn rsa(kid: Option<&str>, extra: &str) -> String {
        let kid = kid.map(|k| format!(r#""kid":"{k}","#)).unwrap_or_default();
        format!(r#"{{{kid}{extra}"kty":"RSA","n":"{}","e":"AQAB"}}"#, rsa_n(256))
    }

    fn ec(kid: &str, extra: &str) -> String {
        let c = base64url_encode(&[7; 32]);
        format!(r#"{{"kid":"{kid}",{extra}"kty":"EC","crv":"P-256","x":"{c}","y":"{c}"}}"#)
    }

    fn set(keys: &[String]) -> Vec<Jwk> {
        parse_jwks(&format!(r#"{{"keys":[{}]}}"#, keys.join(","))).unwrap()
    }

    fn kid_of(r: Result<Option<&Jwk>>) -> Result<Option<&str>> {
        r.map(|k| k.and_then(|k| k.kid.as_deref()))
    }

    fn reason(r: Result<Option<&Jwk>>) -> &'static str {
        match r {
            Err(Error::InvalidIdToken { reason }) => reason,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_provider_jwks_is_read_and_unusable_keys_are_skipped() {
        let keys = set(&[
            rsa(Some("r1"), r#""use":"sig","alg":"RS256","x5c":["MII"],"#),
            ec("e1", r#""key_ops":["verify"],"#),
            r#"{"kty":"oct","k":"c2VjcmV0","kid":"hmac"}"#.into(),
            r#"{"kty":"OKP","crv":"Ed25519","x":"AAAA","kid":"ed"}"#.into(),
            r#"{"kty":"RSA","kid":"no-n","e":"AQAB"}"#.into(),
            r#"{"kty":"RSA","kid":"bad-n","n":"***","e":"AQAB"}"#.into(),
            r#"{"kty":"EC","kid":"no-crv","x":"AQAB","y":"AQAB"}"#.into(),
            r#"{"kid":"no-kty"}"#.into(),
        ]);
        assert_eq!(keys.iter().map(|k| k.kid.as_deref()).collect::<Vec<_>>(), [Some("r1"), Some("e1")]);
        assert_eq!(keys.first().and_then(|k| k.alg.as_deref()), Some("RS256"));
        assert_eq!(keys.first().and_then(|k| k.usage.as_deref()), Some("sig"));
        assert!(matches!(keys.get(1).map(|k| &k.material), Some(KeyMaterial::Ec { crv, .. }) if crv == "P-256"));
    }

    /// Strict wire types: a key member of the wrong JSON type is not "a key to ignore" but a
    /// malformed set, refused as a whole; so is a `keys` element that is not an object.
    #[test]
    fn a_key_member_of_the_wrong_json_type_refuses_the_set() {
        let good = rsa(Some("r1"), "");
        for key in [
            r#"{"kty":"RSA","kid":7,"n":"AQAB","e":"AQAB"}"#,
            r#"{"kty":"RSA","kid":"k","alg":["RS256"],"n":"AQAB","e":"AQAB"}"#,
            r#"{"kty":"RSA","kid":"k","use":null,"n":"AQAB","e":"AQAB"}"#,
            r#"{"kty":"RSA","kid":"ops","key_ops":"verify","n":"AQAB","e":"AQAB"}"#,
            r#"{"kty":"RSA","kid":"ops","key_ops":["verify",1],"n":"AQAB","e":"AQAB"}"#,
            r#"{"kty":"RSA","kid":"k","n":1,"e":"AQAB"}"#,
            r#"{"kty":"RSA","kid":"k","n":"AQAB","e":65537}"#,
            r#"{"kty":"EC","kid":"k","crv":256,"x":"AQAB","y":"AQAB"}"#,
            r#"{"kty":"EC","kid":"k","crv":"P-256","x":[],"y":"AQAB"}"#,
            r#"{"kty":"OKP","kid":"k","crv":"Ed25519","x":{}}"#,
            r#"{"kty":5,"kid":"k"}"#,
            "5",
            "[]",
            "null",
        ] {
            let doc = format!(r#"{{"keys":[{good},{key}]}}"#);
            assert!(matches!(parse_jwks(&doc), Err(Error::InvalidJson { what: "jwks", .. })), "{key}");
        }
    }

    #[test]
    fn garbage_sets_are_errors_never_panics() {
        for doc in ["", "null", "[]", "{}", r#"{"keys":{}}"#, r#"{"keys":"x"}"#, "{\"keys\":[", "\u{0}", r#"{"keys":[],"keys":[]}"#] {
            assert!(matches!(parse_jwks(doc), Err(Error::InvalidJson { what: "jwks", .. })), "{doc:?}");
        }
        assert_eq!(parse_jwks(r#"{"keys":[]}"#), Ok(vec![]));
        let many = format!(r#"{{"keys":[{}]}}"#, vec!["{}"; MAX_KEYS + 1].join(","));
        assert_eq!(parse_jwks(&many), Err(Error::InvalidJson { what: "jwks", reason: "too many keys" }));
        // Every prefix of a real set, and bytes flipped in it: an error or a smaller set, never a panic.
        let doc = format!(r#"{{"keys":[{},{}]}}"#, rsa(Some("r1"), ""), ec("e1", ""));
        for end in 0..doc.len() {
            if let Some(prefix) = doc.get(..end) {
                let _ = parse_jwks(prefix);
            }
        }
        for i in 0..doc.len() {
            let mut bytes = doc.clone().into_bytes();
            if let Some(b) = bytes.get_mut(i) {
                *b ^= 0x20;
            }
            let _ = parse_jwks(&String::from_utf8_lossy(&bytes));
        }
    }

    /// Checklist item 32: `kid` selection, and the no-`kid` rules of oauth4webapi.
    #[test]
    fn kid_selection_rules() {
        let keys = set(&[rsa(Some("r1"), r#""alg":"RS256","#), rsa(Some("r2"), ""), ec("e1", "")]);
        assert_eq!(kid_of(select(&keys, Alg::Rs256, Some("r1"))), Ok(Some("r1")));
        assert_eq!(kid_of(select(&keys, Alg::Ps256, Some("r2"))), Ok(Some("r2")));
        assert_eq!(kid_of(select(&keys, Alg::Es256, Some("e1"))), Ok(Some("e1")));
        assert_eq!(kid_of(select(&keys, Alg::Rs256, Some("unknown"))), Ok(None), "unknown kid: refetch may help");
        assert_eq!(kid_of(select(&keys, Alg::Rs256, Some("R1"))), Ok(None), "kid is case-sensitive");
        // No kid: one fitting key is taken, several are ambiguous.
        assert_eq!(kid_of(select(&keys, Alg::Es256, None)), Ok(Some("e1")));
        assert_eq!(reason(select(&keys, Alg::Rs256, None)), "several keys fit and the token has no kid");
        let single = set(&[rsa(None, "")]);
        assert_eq!(select(&single, Alg::Rs256, None).map(|k| k.is_some()), Ok(true));
        assert_eq!(kid_of(select(&single, Alg::Rs256, Some("r1"))), Ok(None), "a key without kid does not match a kid");
        assert_eq!(kid_of(select(&[], Alg::Rs256, None)), Ok(None));
        assert_eq!(kid_of(select(&single, Alg::Es256, None)), Ok(None));
        let twins = set(&[rsa(Some("r1"), ""), rsa(Some("r1"), "")]);
        assert_eq!(reason(select(&twins, Alg::Rs256, Some("r1"))), "several keys share the kid");
    }

    /// Checklist item 32: `kty`, `crv`, `alg`, `use` and `key_ops` must fit the header's alg.
    #[test]
    fn keys_must_fit_the_alg() {
        let misfit = "the key for the kid does not fit the alg";
        let cases: &[(String, Alg)] = &[
            (rsa(Some("k"), r#""alg":"RS256","#), Alg::Ps256),
            (rsa(Some("k"), r#""alg":"PS256","#), Alg::Rs256),
            (rsa(Some("k"), ""), Alg::Es256),
            (ec("k", ""), Alg::Rs256),
            (ec("k", r#""alg":"ES384","#), Alg::Es256),
            (ec("k", "").replace("P-256", "P-384"), Alg::Es256),
            (ec("k", "").replacen(&base64url_encode(&[7; 32]), &base64url_encode(&[7; 31]), 1), Alg::Es256),
            (rsa(Some("k"), r#""use":"enc","#), Alg::Rs256),
            (rsa(Some("k"), r#""key_ops":["encrypt"],"#), Alg::Rs256),
            (rsa(Some("k"), r#""key_ops":[],"#), Alg::Rs256),
        ];
        for (key, alg) in cases {
            let keys = set(std::slice::from_ref(key));
            assert_eq!(keys.len(), 1, "{key}");
            assert_eq!(reason(select(&keys, *alg, Some("k"))), misfit, "{key} {alg:?}");
        }
        let ok = set(&[rsa(Some("k"), r#""use":"sig","key_ops":["verify"],"alg":"PS256","#)]);
        assert_eq!(kid_of(select(&ok, Alg::Ps256, Some("k"))), Ok(Some("k")));
    }

    #[test]
    fn short_rsa_keys_are_refused() {
        let short = format!(r#"{{"kid":"k","kty":"RSA","n":"{}","e":"AQAB"}}"#, rsa_n(128));
        assert_eq!(reason(select(&set(&[short]), Alg::Rs256, Some("k"))), "rsa key is shorter than 2048 bits");
        // Leading zero octets do not count towards the length.
        let padded = format!(r#"{{"kid":"k","kty":"RSA","n":"{}","e":"AQAB"}}"#, base64url_encode(&[&[0u8; 2][..], &[0xC5; 255]].concat()));
        assert_eq!(reason(select(&set(&[padded]), Alg::Rs256, Some("k"))), "rsa key is shorter than 2048 bits");
    }

    fn token(header: &str, signature: &[u8]) -> String {
        format!("{}.{}.{}", base64url_encode(header.as_bytes()), base64url_encode(br#"{"sub":"a"}"#), base64url_encode(signature))
    }

    /// Checklist item 30: `none`, `HS*` and other algorithms stop before any key or crypto.
    #[test]
    fn only_allowed_algorithms_reach_the_signature_check() {
        for header in [r#"{"alg":"none"}"#, r#"{"alg":"HS256"}"#, r#"{"alg":"RS384"}"#, r#"{"alg":"rs256"}"#, r#"{"alg":"EdDSA"}"#] {
            assert_eq!(signed_token(&token(header, b"s")).err(), Some(Error::InvalidIdToken { reason: "alg not allowed" }), "{header}");
        }
        let none = format!("{}.{}.", base64url_encode(br#"{"alg":"none"}"#), base64url_encode(b"{}"));
        assert_eq!(signed_token(&none).err(), Some(Error::InvalidIdToken { reason: "alg not allowed" }));
        assert_eq!(signed_token(&token("{}", b"s")).err(), Some(Error::InvalidIdToken { reason: "alg missing" }));
        assert_eq!(signed_token(&token(r#"{"alg":5}"#, b"s")).err(), Some(Error::InvalidIdToken { reason: "alg missing" }));
        let crit = token(r#"{"alg":"RS256","crit":["b64"],"b64":false}"#, b"s");
        assert_eq!(signed_token(&crit).err(), Some(Error::InvalidIdToken { reason: "crit header is not supported" }));
        let kid = token(r#"{"alg":"RS256","kid":1}"#, b"s");
        assert_eq!(signed_token(&kid).err(), Some(Error::InvalidIdToken { reason: "kid is malformed" }));
        let der = token(r#"{"alg":"ES256"}"#, &[0x30; 70]);
        assert_eq!(signed_token(&der).err(), Some(Error::InvalidIdToken { reason: "es256 signature is not 64 bytes" }));
    }

    #[test]
    fn signing_input_is_header_dot_payload() {
        let jwt = token(r#"{"alg":"ES256","kid":"e1"}"#, &[1; 64]);
        let t = signed_token(&jwt).unwrap();
        assert_eq!(t.alg, Alg::Es256);
        assert_eq!(t.kid.as_deref(), Some("e1"));
        assert_eq!(t.signature, vec![1; 64]);
        let (input, _) = jwt.rsplit_once('.').unwrap();
        assert_eq!(t.signing_input, input.as_bytes());
        for bad in ["", "a.b", "a.b.c.d", "...", "e30.e30.***"] {
            assert!(matches!(signed_token(bad), Err(Error::InvalidIdToken { .. })), "{bad}");
        }
    }

    /// Checklist item 30 (also checked in Chromium, tests/e2e/verify.test.mjs): `none` and `HS256` stop at the
    /// header even when their `kid` names a key of the set, so no key is chosen (and no set is
    /// fetched) for them.
    #[test]
    fn alg_none_and_hs256_are_refused_even_when_the_kid_names_a_key() {
        let keys = set(&[rsa(Some("rsa-1"), ""), ec("ec-1", "")]);
        assert_eq!(kid_of(select(&keys, Alg::Rs256, Some("rsa-1"))), Ok(Some("rsa-1")), "the kid names a usable key");
        let refused = Some(Error::InvalidIdToken { reason: "alg not allowed" });
        for header in [r#"{"alg":"none","kid":"rsa-1"}"#, r#"{"alg":"HS256","kid":"rsa-1"}"#, r#"{"alg":"HS256"}"#] {
            assert_eq!(signed_token(&token(header, &[1; 256])).err(), refused, "{header}");
        }
        let none = format!("{}.{}.", base64url_encode(br#"{"alg":"none","kid":"rsa-1"}"#), base64url_encode(b"{}"));
        assert_eq!(signed_token(&none).err(), refused);
    }

    /// OIDF `kid-absent-single-jwks` and its ambiguous twin, from the token's header to the key:
    /// without a `kid`, the one RSA key of a set that also holds an EC key is taken; two fitting
    /// RSA keys are refused, never both tried.
    #[test]
    fn kid_absent_with_several_fitting_keys_is_refused() {
        let jwt = token(r#"{"alg":"RS256"}"#, &[1; 256]);
        let t = signed_token(&jwt).unwrap();
        assert_eq!((t.alg, t.kid.as_deref()), (Alg::Rs256, None));
        let one = set(&[rsa(Some("rsa-1"), ""), ec("ec-1", "")]);
        assert_eq!(kid_of(select(&one, t.alg, t.kid.as_deref())), Ok(Some("rsa-1")));
        let two = set(&[rsa(Some("rsa-1"), ""), rsa(Some("rsa-other"), "")]);
        assert_eq!(reason(select(&two, t.alg, t.kid.as_deref())), "several keys fit and the token has no kid");
    }

    /// Checklist item 32: at most one refetch per cooldown; stale sets are fetched again.
    #[test]
    fn refetch_is_rate_limited() {
        let mut c = CachedJwks { keys: vec![], fetched_at: 1000, refetched_at: None };
        assert!(!c.is_stale(1000) && !c.is_stale(1000 + MAX_AGE_SECS - 1));
        assert!(c.is_stale(1000 + MAX_AGE_SECS) && c.is_stale(999), "too old, or the clock went back");
        assert!(c.claim_refetch(1000), "the first unknown kid may refetch at once");
        assert_eq!(c.refetched_at, Some(1000));
        assert!(!c.claim_refetch(1000) && !c.claim_refetch(1000 + REFETCH_COOLDOWN_SECS - 1));
        assert_eq!(c.refetched_at, Some(1000), "a refused refetch does not extend the cooldown");
        assert!(c.claim_refetch(1000 + REFETCH_COOLDOWN_SECS));
        assert!(!c.may_refetch(1000 + REFETCH_COOLDOWN_SECS + 1));
    }
}
