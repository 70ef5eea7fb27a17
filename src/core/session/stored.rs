//! The stored form of an [`Account`]: versioned JSON bound to issuer and client.
//!
//! Storage is attacker-controlled input (checklist item 38): a script on the page, an extension
//! or a person with devtools can edit it. Reading it back is a full schema check, and the entry
//! must belong to this provider and client; anything else is refused, and the caller purges it.

use super::account::{Account, CachedToken, IdentityClaims};
use crate::core::error::{Error, Result};
use crate::core::json::{self, as_strings, as_uint, ObjectWriter, Value};
use crate::core::provider::Provider;
use crate::core::secret::{AccessToken, IdToken, RefreshToken};

const VERSION: u64 = 1;

/// The largest stored account read back, and so the largest [`to_json_capped`] writes.
pub const MAX_STORED_LEN: usize = 8 * 1024 * 1024;

fn identity_json(i: &IdentityClaims) -> String {
    ObjectWriter::new()
        .string("iss", &i.iss)
        .string("sub", &i.sub)
        .strings("aud", &i.aud)
        .opt_string("azp", i.azp.as_deref())
        .opt_uint("auth_time", i.auth_time)
        .uint("iat", i.iat)
        .opt_string("tid", i.tid.as_deref())
        .opt_string("nonce", i.nonce.as_deref())
        .opt_string("name", i.name.as_deref())
        .opt_string("username", i.username.as_deref())
        .finish()
}

fn token_json(t: &CachedToken) -> String {
    ObjectWriter::new()
        .string("access_token", t.access_token.secret())
        .string("token_type", &t.token_type)
        .strings("scopes", &t.scopes)
        .opt_uint("expires_at", t.expires_at)
        .uint("received_at", t.received_at)
        .finish()
}

/// The account as JSON. It holds tokens: it goes only to the storage the app chose.
pub fn to_json(a: &Account) -> String {
    let tokens: Vec<String> = a.tokens.iter().map(token_json).collect();
    let mut w = ObjectWriter::new();
    w.uint("v", VERSION)
        .string("issuer", &a.issuer)
        .string("client_id", &a.client_id)
        .string("sub", &a.sub);
    if let Some(i) = &a.identity {
        w.raw("identity", &identity_json(i));
    }
    w.opt_string("id_token", a.id_token.as_ref().map(IdToken::secret))
        .strings("grant", &a.grant)
        .opt_string("refresh_token", a.refresh_token.as_ref().map(RefreshToken::secret))
        .opt_uint("refresh_expires_at", a.refresh_expires_at)
        .uint("signed_in_at", a.signed_in_at)
        .raw("tokens", &crate::core::text::concat(&["[", &crate::core::text::join(&tokens, ","), "]"]))
        .finish()
}

/// The account as JSON no larger than [`MAX_STORED_LEN`]: expired tokens are dropped, then the
/// oldest, until it fits; the account keeps what was written. Never writes what [`from_json`]
/// would refuse.
pub fn to_json_capped(a: &mut Account, now: u64) -> String {
    a.prune(now);
    loop {
        let json = to_json(a);
        if json.len() <= MAX_STORED_LEN || a.tokens.is_empty() {
            return json;
        }
        // Newest first (ties in their current order), then the oldest tenth goes.
        let received = |i: usize| a.tokens.get(i).map_or(0, |t| t.received_at);
        let order = crate::core::order::sorted_indices(a.tokens.len(), &|x, y| (received(y), x) < (received(x), y));
        let mut slots: Vec<Option<_>> = core::mem::take(&mut a.tokens).into_iter().map(Some).collect();
        a.tokens = order.iter().filter_map(|&i| slots.get_mut(i).and_then(Option::take)).collect();
        let keep = a.tokens.len() - a.tokens.len().div_ceil(10);
        a.tokens.truncate(keep);
    }
}

fn bad(reason: &'static str) -> Error {
    Error::StoredEntryInvalid { reason }
}

fn text(v: &Value, k: &str) -> Result<String> {
    v.get(k).and_then(Value::as_str).map(str::to_owned).ok_or(bad("missing or malformed field"))
}

fn opt_text(v: &Value, k: &str) -> Result<Option<String>> {
    match v.get(k) {
        None => Ok(None),
        Some(x) => x.as_str().map(|s| Some(s.to_owned())).ok_or(bad("malformed field")),
    }
}

fn opt_uint(v: &Value, k: &str) -> Result<Option<u64>> {
    match v.get(k) {
        None => Ok(None),
        Some(x) => as_uint(x).map(Some).ok_or(bad("malformed number")),
    }
}

fn uint(v: &Value, k: &str) -> Result<u64> {
    opt_uint(v, k)?.ok_or(bad("missing number"))
}

fn identity_from(v: &Value) -> Result<IdentityClaims> {
    Ok(IdentityClaims {
        iss: text(v, "iss")?,
        sub: text(v, "sub")?,
        aud: v.get("aud").and_then(as_strings).ok_or(bad("malformed aud"))?,
        azp: opt_text(v, "azp")?,
        auth_time: opt_uint(v, "auth_time")?,
        iat: uint(v, "iat")?,
        tid: opt_text(v, "tid")?,
        nonce: opt_text(v, "nonce")?,
        name: opt_text(v, "name")?,
        username: opt_text(v, "username")?,
    })
}

fn token_from(v: &Value) -> Result<CachedToken> {
    let access_token = text(v, "access_token")?;
    if access_token.is_empty() {
        return Err(bad("empty access token"));
    }
    Ok(CachedToken {
        access_token: AccessToken::new(access_token),
        token_type: text(v, "token_type")?,
        scopes: v.get("scopes").and_then(as_strings).ok_or(bad("malformed scopes"))?,
        expires_at: opt_uint(v, "expires_at")?,
        received_at: uint(v, "received_at")?,
    })
}

/// Reads a stored account, refusing anything malformed, of another version, or bound to another
/// issuer or client. `now` catches entries dated in the future (an edited clock field).
pub fn from_json(text_in: &str, provider: &Provider, client_id: &str, now: u64) -> Result<Account> {
    if text_in.len() > MAX_STORED_LEN {
        return Err(bad("larger than any entry this library writes"));
    }
    let doc = json::parse_limited(text_in, MAX_STORED_LEN).map_err(|_| bad("not json"))?;
    if doc.get("v").and_then(as_uint) != Some(VERSION) {
        return Err(bad("unknown version"));
    }
    let issuer = text(&doc, "issuer")?;
    let stored_client = text(&doc, "client_id")?;
    if !provider.issuer_matches(&issuer) || stored_client != client_id {
        return Err(bad("bound to another issuer or client"));
    }
    let identity = doc.get("identity").map(identity_from).transpose()?;
    let sub = text(&doc, "sub")?;
    if identity.as_ref().is_some_and(|i| i.sub != sub || i.iss != issuer) {
        return Err(bad("identity does not match the account"));
    }
    let items = doc.get("tokens").and_then(Value::as_array).ok_or(bad("malformed tokens"))?;
    let mut tokens = Vec::with_capacity(items.len());
    for item in items {
        tokens.push(token_from(item)?);
    }
    let signed_in_at = uint(&doc, "signed_in_at")?;
    let future = |t: u64| t > now.saturating_add(300);
    if future(signed_in_at) || tokens.iter().any(|t| future(t.received_at)) {
        return Err(bad("dated in the future"));
    }
    Ok(Account {
        issuer,
        client_id: stored_client,
        sub,
        identity,
        id_token: opt_text(&doc, "id_token")?.map(IdToken::new),
        grant: doc.get("grant").and_then(as_strings).ok_or(bad("malformed grant"))?,
        refresh_token: opt_text(&doc, "refresh_token")?.map(RefreshToken::new),
        refresh_expires_at: opt_uint(&doc, "refresh_expires_at")?,
        tokens,
        signed_in_at,
    })
}
