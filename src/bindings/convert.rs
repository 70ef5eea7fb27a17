//! Conversions across the boundary: options in, results and errors out.
//!
//! Options are read field by field with `Reflect`, each mistake naming its field. (serde with
//! serde-wasm-bindgen did the same job for 30 KB more wasm, most of it error formatting.)
//!
//! Only the caller's OWN properties are options, at every level (nested objects such as `entra`,
//! array elements): another script in the page may have polluted `Object.prototype`, and an
//! inherited `trustedAuthorityHosts`, `tokenEndpoint` or `storage` must read as absent. An own
//! accessor is read through its getter: the caller defined it on its own object. Options objects
//! may have a null prototype.
//!
//! Shared by both modules; each uses part of it.
#![allow(dead_code)]

use wasm_bindgen::{JsCast, JsValue};

use crate::core::error::{Error, Piece};
use crate::core::scopes::{check_scope_token, Resource, ScopeStatus, MAX_SCOPE_TOKENS};
#[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
use crate::core::encoding::base64url_decode;
use crate::core::provider::Provider;
#[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
use crate::core::signin::SignInResult;

pub type JsResult<T> = Result<T, JsValue>;

fn set(target: &JsValue, key: &str, value: &JsValue) {
    // Reflect.set on a fresh plain object cannot fail.
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), value);
}

/// A JS `Error` with `.code`, and the server's fields for server errors. Messages are the
/// fixed ones of [`Error::detail`]: no secret ever reaches them.
pub fn js_error(e: Error) -> JsValue {
    let err: JsValue = js_sys::Error::new("").into();
    set(&err, "message", &message(&e).into());
    set(&err, "code", &e.code().into());
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    if let Error::InteractionRequired { reason } = &e {
        set(&err, "reason", &(*reason).into());
    }
    // Only the account and consent modules read authorization server answers; start never does.
    if let Some(s) = e.server_error().filter(|_| cfg!(any(feature = "account", feature = "consent"))) {
        server_fields(&err, s);
    }
    err
}

/// The server's own `error`, `errorDescription`, `errorUri`, `aadsts` and `status` on `err`: also
/// for an error the core derived from a server answer (a refused refresh is
/// `OAUTH_INTERACTION_REQUIRED`, with the AADSTS code that said why).
pub fn server_fields(err: &JsValue, s: &crate::core::error::ServerError) {
    set(err, "error", &s.error.as_str().into());
    if let Some(d) = &s.error_description {
        set(err, "errorDescription", &d.as_str().into());
    }
    if let Some(u) = &s.error_uri {
        set(err, "errorUri", &u.as_str().into());
    }
    if let Some(a) = s.aadsts {
        set(err, "aadsts", &a.into());
    }
    if s.status != 0 {
        set(err, "status", &s.status.into());
    }
}

/// The message joined by JS (`String.prototype.concat`, numbers in decimal): the same text as
/// `Display`, without `core::fmt` in the wasm.
fn message(e: &Error) -> js_sys::JsString {
    let mut text = js_sys::JsString::from("");
    for piece in e.detail() {
        text = match piece {
            Piece::Text("") => continue,
            Piece::Text(s) => text.concat(&JsValue::from_str(s)),
            Piece::Number(n) => text.concat(&JsValue::from_f64(n as f64)),
        };
    }
    text
}

/// An options argument: `undefined`/`null` mean "no options", anything else must be an object.
pub fn options(value: JsValue) -> JsResult<JsValue> {
    if value.is_undefined() || value.is_null() || value.is_object() {
        Ok(value)
    } else {
        Err(js_error(Error::InvalidOption { name: "options", reason: "must be an object" }))
    }
}

/// `source[name]` when it is an own property of `source`; `undefined` when absent, inherited,
/// or when `source` is not an object.
pub fn field_value(source: &JsValue, name: &str) -> JsValue {
    field(source, name)
}

fn field(source: &JsValue, name: &str) -> JsValue {
    own(source, &JsValue::from_str(name))
}

/// `source[key]` if `source` is an object with `key` as its own property, else `undefined`
/// (also when a proxy's trap throws).
fn own(source: &JsValue, key: &JsValue) -> JsValue {
    if !source.is_object() {
        return JsValue::UNDEFINED;
    }
    // `is_object` holds, so this is an object whatever its prototype (even none).
    match js_sys::Reflect::get_own_property_descriptor(source.unchecked_ref::<js_sys::Object>(), key) {
        Ok(d) if !d.is_undefined() => js_sys::Reflect::get(source, key).unwrap_or(JsValue::UNDEFINED),
        _ => JsValue::UNDEFINED,
    }
}

/// The elements of a real array, by index: `None` when `value` is not an array, has a hole
/// (which would read `Array.prototype`) or an element that is not a string. `limit` bounds the
/// length before anything is read.
fn own_strings(value: &JsValue, limit: Option<usize>) -> Result<Option<Vec<String>>, ()> {
    if !js_sys::Array::is_array(value) {
        return Ok(None);
    }
    let array = value.unchecked_ref::<js_sys::Array>();
    let len = array.length();
    if limit.is_some_and(|l| len as usize > l) {
        return Err(());
    }
    let mut out = Vec::with_capacity(len.min(1024) as usize);
    for i in 0..len {
        match own(value, &JsValue::from(i)).as_string() {
            Some(s) => out.push(s),
            None => return Ok(None),
        }
    }
    Ok(Some(out))
}

fn present(v: &JsValue) -> bool {
    !(v.is_undefined() || v.is_null())
}

fn wrong(name: &'static str, reason: &'static str) -> JsValue {
    js_error(Error::InvalidOption { name, reason })
}

/// `source[name]` as a string, if present.
pub fn opt_string(source: &JsValue, name: &'static str) -> JsResult<Option<String>> {
    let v = field(source, name);
    if !present(&v) {
        return Ok(None);
    }
    v.as_string().map(Some).ok_or_else(|| wrong(name, "must be a string"))
}

/// `source[name]` as a boolean, `false` when absent.
pub fn opt_bool(source: &JsValue, name: &'static str) -> JsResult<bool> {
    let v = field(source, name);
    if !present(&v) {
        return Ok(false);
    }
    v.as_bool().ok_or_else(|| wrong(name, "must be a boolean"))
}

/// `source[name]` as a non-negative whole number of seconds, if present.
pub fn opt_seconds(source: &JsValue, name: &'static str) -> JsResult<Option<u64>> {
    let v = field(source, name);
    if !present(&v) {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= 9.0e15 => Ok(Some(n as u64)),
        _ => Err(wrong(name, "must be a non-negative whole number")),
    }
}

/// `source[name]` as an array of strings, if present.
pub fn opt_strings(source: &JsValue, name: &'static str) -> JsResult<Option<Vec<String>>> {
    let v = field(source, name);
    if !present(&v) {
        return Ok(None);
    }
    match own_strings(&v, None) {
        Ok(Some(items)) => Ok(Some(items)),
        _ => Err(wrong(name, "must be an array of strings")),
    }
}

/// `value` itself as an array of strings (a bare argument), named `name` in the error.
pub fn scope_strings(value: &JsValue, name: &'static str) -> JsResult<Vec<String>> {
    match own_strings(value, None) {
        Ok(Some(items)) => Ok(items),
        _ => Err(wrong(name, "must be an array of strings")),
    }
}

/// `source[name]` if it is present (an object is expected).
pub fn opt_object(source: &JsValue, name: &'static str) -> JsResult<Option<JsValue>> {
    let v = field(source, name);
    if !present(&v) {
        return Ok(None);
    }
    if v.is_object() { Ok(Some(v)) } else { Err(wrong(name, "must be an object")) }
}

/// The string-valued own entries of `source[field]` (e.g. `extraParams`); absent means none.
pub fn string_entries(source: &JsValue, field: &str) -> JsResult<Vec<(String, String)>> {
    let bad = || js_error(Error::InvalidOption { name: "extraParams", reason: "must be an object of strings" });
    let value = own(source, &JsValue::from_str(field));
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    if !value.is_object() {
        return Err(bad());
    }
    // Own enumerable string-keyed entries only; a null-prototype object is fine.
    let entries = js_sys::Object::entries(value.unchecked_ref::<js_sys::Object>());
    let mut out = Vec::with_capacity(entries.length().min(64) as usize);
    for i in 0..entries.length() {
        // `Object.entries` gives `[key, value]` arrays: read each as it is (no `Array.from` copy).
        let pair = entries.get(i).unchecked_into::<js_sys::Array>();
        match (pair.get(0).as_string(), pair.get(1).as_string()) {
            (Some(k), Some(v)) => out.push((k, v)),
            _ => return Err(bad()),
        }
    }
    Ok(out)
}

/// A plain object from key/value pairs.
pub fn object(pairs: &[(&str, JsValue)]) -> JsResult<JsValue> {
    let o: JsValue = js_sys::Object::new().into();
    for (k, v) in pairs {
        set(&o, k, v);
    }
    Ok(o)
}

fn opt(v: &Option<String>) -> JsValue {
    v.as_deref().map(JsValue::from_str).unwrap_or(JsValue::UNDEFINED)
}

/// A JS array of strings.
pub fn strings(items: &[String]) -> JsValue {
    items.iter().map(|s| JsValue::from_str(s)).collect::<js_sys::Array>().into()
}

/// The sign-in result as a plain object. Tokens cross into JS here and can no longer be wiped.
#[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
pub fn sign_in_result(r: &SignInResult) -> JsResult<JsValue> {
    // The claims were validated from the ID token's payload; JS reads that same JSON text.
    let payload = r.claims.as_ref().and(r.id_token.as_ref()).and_then(|t| crate::core::text::split(t.secret(), b'.').nth(1)).and_then(base64url_decode);
    let claims = match payload.as_deref().map(core::str::from_utf8) {
        Some(Ok(text)) => js_sys::JSON::parse(text)?,
        _ => JsValue::UNDEFINED,
    };
    object(&[
        ("accessToken", r.access_token.secret().into()),
        ("tokenType", r.token_type.as_str().into()),
        ("expiresAt", r.expires_at.map(|e| JsValue::from_f64(e as f64)).unwrap_or(JsValue::UNDEFINED)),
        ("refreshToken", r.refresh_token.as_ref().map(|t| JsValue::from_str(t.secret())).unwrap_or(JsValue::UNDEFINED)),
        ("idToken", r.id_token.as_ref().map(|t| JsValue::from_str(t.secret())).unwrap_or(JsValue::UNDEFINED)),
        ("claims", claims),
        ("scopes", strings(&r.granted_scopes)),
        ("requestedScopes", strings(&r.requested_scopes)),
        ("missingScopes", strings(&r.missing_scopes)),
        ("issuer", r.issuer.as_str().into()),
    ])
}

/// What the client knows of its provider.
pub fn provider_metadata(p: &Provider) -> JsResult<JsValue> {
    object(&[
        ("issuer", p.issuer.as_str().into()),
        ("authorizationEndpoint", p.authorization_endpoint.as_str().into()),
        ("tokenEndpoint", p.token_endpoint.as_str().into()),
        ("endSessionEndpoint", opt(&p.end_session_endpoint)),
        ("jwksUri", opt(&p.jwks_uri)),
        ("revocationEndpoint", opt(&p.revocation_endpoint)),
        ("userinfoEndpoint", opt(&p.userinfo_endpoint)),
        ("issParameterSupported", p.iss_parameter_supported.into()),
    ])
}

// ---- scopes and catalog values ------------------------------------------------------------------

/// An array of scope tokens: anything else is `OAUTH_INVALID_OPTION` naming `name`; a token
/// that breaks RFC 6749 §3.3, or more than [`MAX_SCOPE_TOKENS`] of them, is `OAUTH_INVALID_SCOPE`.
pub fn scope_list(value: &JsValue, name: &'static str) -> JsResult<Vec<String>> {
    let out = match own_strings(value, Some(MAX_SCOPE_TOKENS)) {
        Ok(Some(items)) => items,
        Ok(None) => return Err(js_error(Error::InvalidOption { name, reason: "must be an array of strings" })),
        Err(()) => return Err(js_error(Error::InvalidScope { reason: "too many scope tokens" })),
    };
    for s in &out {
        check_scope_token(s).map_err(js_error)?;
    }
    Ok(out)
}

// The two array builders take `dyn` iterators: one copy of the loop each, not one per caller.
pub fn array(items: &mut dyn Iterator<Item = &str>) -> JsValue {
    let out = js_sys::Array::new();
    for s in items {
        out.push(&JsValue::from_str(s));
    }
    out.into()
}

pub fn objects(items: &mut dyn Iterator<Item = JsResult<JsValue>>) -> JsResult<JsValue> {
    let out = js_sys::Array::new();
    for o in items {
        out.push(&o?);
    }
    Ok(out.into())
}

pub fn opt_str(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::UNDEFINED, JsValue::from_str)
}

pub fn resource_name(r: Resource) -> &'static str {
    match r {
        Resource::Oidc => "oidc",
        Resource::MicrosoftGraph => "microsoft-graph",
        Resource::AzureDevOps => "azure-devops",
        Resource::Other => "other",
    }
}

pub fn status_name(s: ScopeStatus) -> &'static str {
    match s {
        ScopeStatus::Known(_) => "current",
        ScopeStatus::Retired { .. } => "retired",
        ScopeStatus::ManifestOnly(_) => "manifest-only",
        ScopeStatus::Unknown => "unknown",
    }
}

pub fn retired_note(s: ScopeStatus) -> JsValue {
    match s {
        ScopeStatus::Retired { note, .. } => note.into(),
        _ => JsValue::UNDEFINED,
    }
}
