//! Conversions across the boundary: options in (serde-wasm-bindgen), results and errors out.

use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

use crate::core::error::Error;
use crate::core::json;
use crate::core::provider::Provider;
use crate::core::signin::SignInResult;

pub type JsResult<T> = Result<T, JsValue>;

fn set(target: &JsValue, key: &str, value: &JsValue) {
    // Reflect.set on a fresh plain object cannot fail.
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), value);
}

/// A JS `Error` with `.code`, and the server's fields for server errors. Messages are the
/// fixed ones of [`Error`]'s `Display`: no secret ever reaches them.
pub fn js_error(e: Error) -> JsValue {
    let err: JsValue = js_sys::Error::new(&e.to_string()).into();
    set(&err, "code", &e.code().into());
    if let Some(s) = e.server_error() {
        set(&err, "error", &s.error.as_str().into());
        if let Some(d) = &s.error_description {
            set(&err, "errorDescription", &d.as_str().into());
        }
        if let Some(u) = &s.error_uri {
            set(&err, "errorUri", &u.as_str().into());
        }
        if let Some(a) = s.aadsts {
            set(&err, "aadsts", &a.into());
        }
        if s.status != 0 {
            set(&err, "status", &s.status.into());
        }
    }
    err
}

/// Reads an options object; `undefined`/`null` mean "no options". A wrong type anywhere is an
/// `OAUTH_INVALID_OPTION` error.
pub fn options<T: DeserializeOwned + Default>(value: JsValue) -> JsResult<T> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    if !value.is_object() {
        return Err(js_error(Error::InvalidOption { name: "options", reason: "must be an object" }));
    }
    serde_wasm_bindgen::from_value(value)
        .map_err(|_| js_error(Error::InvalidOption { name: "options", reason: "a field has the wrong type" }))
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

fn strings(items: &[String]) -> JsValue {
    items.iter().map(|s| JsValue::from_str(s)).collect::<js_sys::Array>().into()
}

/// The sign-in result as a plain object. Tokens cross into JS here and can no longer be wiped.
pub fn sign_in_result(r: &SignInResult) -> JsResult<JsValue> {
    let claims = match &r.claims {
        Some(c) => js_sys::JSON::parse(&json::to_string(c))?,
        None => JsValue::UNDEFINED,
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
