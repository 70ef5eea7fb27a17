//! ID token claims (OpenID Connect Core §2, §3.1.3.7).
//!
//! The token arrives straight from the token endpoint over TLS, where Core §3.1.3.7 step 6 lets
//! TLS stand in for the signature. The claims are still checked in full here: `iss` exactly (the
//! Entra `{tenantid}` template filled from `tid`), `aud`, `azp`, `exp`, `iat`, `nbf`, `nonce`,
//! `auth_time` against `max_age`, and the header's `alg` against an allow-list.

use super::encoding::{base64url_decode, constant_time_eq};
use super::error::{Error, Result};
use super::json::{self, Value};
use super::provider::Provider;

pub use super::DEFAULT_SKEW_SECS;

/// Algorithms accepted in the header by default (Core §3.1.3.7 step 7: RS256 is the default;
/// §10.1: no symmetric algorithm for a public client; never `none`).
pub const DEFAULT_ALGORITHMS: &[&str] = &["RS256", "PS256", "ES256"];

/// What the claims must match.
pub struct Expected<'a> {
    pub provider: &'a Provider,
    pub client_id: &'a str,
    /// The transaction's nonce; required in the token when sent.
    pub nonce: Option<&'a str>,
    pub max_age: Option<u64>,
    pub now: u64,
    pub skew: u64,
}

/// A JWT split into its decoded header and payload, plus the signing input and signature for a
/// later signature check.
pub struct DecodedJwt {
    pub header: Value,
    pub claims: Value,
    pub signing_input_len: usize,
    pub signature: Vec<u8>,
}

/// Decodes a compact JWS (RFC 7515 §7.1) without trusting it.
pub fn decode(jwt: &str) -> Result<DecodedJwt> {
    let bad = |reason| Error::InvalidIdToken { reason };
    if jwt.len() > 64 * 1024 {
        return Err(Error::InputTooLarge { what: "id token", limit: 64 * 1024 });
    }
    let mut parts = super::text::split(jwt, b'.');
    let (Some(h), Some(p), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(bad("not a compact jws"));
    };
    let part = |text: &str| -> Result<Value> {
        let bytes = base64url_decode(text).ok_or(bad("malformed base64url"))?;
        let text = core::str::from_utf8(&bytes).map_err(|_| bad("not utf-8"))?;
        let v = json::parse(text).map_err(|_| bad("malformed json"))?;
        if v.is_object() { Ok(v) } else { Err(bad("not a json object")) }
    };
    Ok(DecodedJwt {
        header: part(h)?,
        claims: part(p)?,
        signing_input_len: h.len() + 1 + p.len(),
        signature: base64url_decode(s).ok_or(bad("malformed base64url"))?,
    })
}

fn number(claims: &Value, name: &str, reason: &'static str) -> Result<Option<u64>> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) if *n >= 0.0 && n.is_finite() => Ok(Some(*n as u64)),
        Some(_) => Err(Error::InvalidIdToken { reason }),
    }
}

/// Claims read here or kept with the account, which must be strings when present; a claim of
/// another JSON type is an error, never skipped (`aud` and the times are checked where read).
const STRING_CLAIMS: &[&str] = &["iss", "sub", "azp", "nonce", "tid", "name", "preferred_username", "email"];

fn check_claim_types(claims: &Value) -> Result<()> {
    for name in STRING_CLAIMS {
        if claims.get(name).is_some_and(|v| v.as_str().is_none()) {
            return Err(Error::InvalidIdToken { reason: "a claim has the wrong json type" });
        }
    }
    for (name, reason) in [("nbf", "nbf is malformed"), ("auth_time", "auth_time is malformed")] {
        number(claims, name, reason)?;
    }
    Ok(())
}

/// Checks the header and claims of `jwt`; returns the claims. Order follows Core §3.1.3.7.
pub fn validate_claims(jwt: &str, expected: &Expected<'_>, algorithms: &[&str]) -> Result<Value> {
    let bad = |reason| Error::InvalidIdToken { reason };
    let decoded = decode(jwt)?;
    let alg = decoded.header.get("alg").and_then(Value::as_str).ok_or(bad("alg missing"))?;
    // Core §3.1.3.7 step 7 and Discovery §3: within the allow-list, and advertised by the provider.
    if !algorithms.contains(&alg) || alg == "none" || alg.starts_with("HS") || !expected.provider.advertises_id_token_alg(alg) {
        return Err(bad("alg not allowed"));
    }
    let c = &decoded.claims;
    check_claim_types(c)?;
    let iss = c.get("iss").and_then(Value::as_str).ok_or(bad("iss missing"))?;
    let tid = c.get("tid").and_then(Value::as_str);
    let issuer = expected.provider.resolve_issuer(tid)?;
    if iss != issuer {
        return Err(bad("iss does not match the issuer"));
    }
    let sub = c.get("sub").and_then(Value::as_str).ok_or(bad("sub missing"))?;
    if sub.is_empty() || sub.len() > 255 {
        return Err(bad("sub is empty or longer than 255"));
    }
    let audiences: Vec<&str> = match c.get("aud") {
        Some(Value::String(a)) => vec![a.as_str()],
        Some(Value::Array(items)) => super::json::str_items(items).ok_or(bad("aud is malformed"))?,
        _ => return Err(bad("aud missing")),
    };
    if !audiences.contains(&expected.client_id) {
        return Err(bad("aud does not contain the client id"));
    }
    if audiences.iter().any(|a| *a != expected.client_id) {
        return Err(bad("aud contains an untrusted audience"));
    }
    if let Some(azp) = c.get("azp") {
        if azp.as_str() != Some(expected.client_id) {
            return Err(bad("azp is not the client id"));
        }
    }
    let now = expected.now;
    let exp = number(c, "exp", "exp is malformed")?.ok_or(bad("exp missing"))?;
    if now >= exp.saturating_add(expected.skew) {
        return Err(bad("expired"));
    }
    let iat = number(c, "iat", "iat is malformed")?.ok_or(bad("iat missing"))?;
    if iat > now.saturating_add(expected.skew) {
        return Err(bad("issued in the future"));
    }
    if let Some(nbf) = number(c, "nbf", "nbf is malformed")? {
        if nbf > now.saturating_add(expected.skew) {
            return Err(bad("not yet valid"));
        }
    }
    match (expected.nonce, c.get("nonce")) {
        (Some(want), Some(Value::String(got))) if constant_time_eq(want.as_bytes(), got.as_bytes()) => {}
        (Some(_), None) => return Err(bad("nonce missing")),
        (Some(_), Some(_)) => return Err(bad("nonce does not match")),
        (None, _) => {}
    }
    let auth_time = number(c, "auth_time", "auth_time is malformed")?;
    if let Some(max_age) = expected.max_age {
        let auth_time = auth_time.ok_or(bad("auth_time missing"))?;
        if now > auth_time.saturating_add(max_age).saturating_add(expected.skew) {
            return Err(bad("max_age exceeded"));
        }
    }
    Ok(decoded.claims)
}

#[cfg(test)]
mod tests;
