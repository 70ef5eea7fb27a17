//! Legacy Azure DevOps OAuth (`app.vssps.visualstudio.com`, `response_type=Assertion`): build
//! the authorize URL and validate the callback, for apps still on it until it retires in 2026.
//!
//! Source: Azure DevOps "Use Azure DevOps OAuth 2.0" docs. The code exchange needs the app's
//! client secret, so it belongs on a server; this library never performs it.

use crate::core::provider::is_guid;
use crate::core::secret::AuthorizationCode;
use crate::core::encoding::{constant_time_eq, form_parse, form_serialize};
use crate::core::error::{Error, Result, ServerError};
use crate::core::scopes::{scope_status, ScopeSet, ScopeStatus};
use crate::core::url::Url;

/// The legacy authorize endpoint.
pub const LEGACY_AUTHORIZE_URL: &str = "https://app.vssps.visualstudio.com/oauth2/authorize";

fn https_redirect_uri(redirect_uri: &str) -> Result<Url> {
    let url = Url::parse(redirect_uri).map_err(|_| Error::InvalidUrl { what: "redirect_uri" })?;
    if !url.is_https() {
        return Err(Error::InsecureUrl { what: "redirect_uri" });
    }
    if url.has_userinfo() {
        return Err(Error::ForbiddenUrl { what: "redirect_uri", reason: "credentials in the url" });
    }
    if url.fragment().is_some() {
        return Err(Error::ForbiddenUrl { what: "redirect_uri", reason: "fragment" });
    }
    Ok(url)
}

/// Builds `https://app.vssps.visualstudio.com/oauth2/authorize?client_id=…&response_type=Assertion&state=…&scope=…&redirect_uri=…`.
///
/// `client_id` is the app's GUID; `redirect_uri` must be https and is sent exactly as given (it
/// must equal the registered one); `scopes` must be current `vso.*` catalog scopes (checked,
/// de-duplicated); `state` must not be empty.
pub fn legacy_authorization_url(client_id: &str, redirect_uri: &str, scopes: &[&str], state: &str) -> Result<String> {
    if client_id.is_empty() {
        return Err(Error::MissingOption { name: "client_id" });
    }
    if !is_guid(client_id) {
        return Err(Error::InvalidOption { name: "client_id", reason: "must be the app's guid" });
    }
    https_redirect_uri(redirect_uri)?;
    if state.is_empty() {
        return Err(Error::MissingOption { name: "state" });
    }
    let set = ScopeSet::from_tokens(scopes)?;
    for s in set.iter() {
        let reason = match scope_status(s) {
            ScopeStatus::Known(_) if s.starts_with("vso.") => continue,
            ScopeStatus::Known(_) => "legacy azure devops oauth accepts only bare vso.* scopes",
            ScopeStatus::Retired { .. } => "retired azure devops scope",
            ScopeStatus::ManifestOnly(_) => "azure devops scope not offered to oauth apps",
            ScopeStatus::Unknown => "not an azure devops scope",
        };
        return Err(Error::InvalidScope { reason });
    }
    let scope = set.to_scope_string();
    let query = form_serialize([
        ("client_id", client_id),
        ("response_type", "Assertion"),
        ("state", state),
        ("scope", scope.as_str()),
        ("redirect_uri", redirect_uri),
    ]);
    let mut url = String::with_capacity(LEGACY_AUTHORIZE_URL.len() + 1 + query.len());
    url.push_str(LEGACY_AUTHORIZE_URL);
    url.push('?');
    url.push_str(&query);
    Ok(url)
}

/// The response parameters read from the callback; each may appear once (RFC 6749 §3.1).
const RESPONSE_PARAMS: [&str; 5] = ["code", "state", "error", "error_description", "error_uri"];

/// Validates the legacy callback `url` and returns the authorization code.
///
/// Checks, in order: the callback is on `expected_redirect_uri` (scheme, host, port and path,
/// exactly); no response parameter is repeated; `state` is present and equal (constant time,
/// RFC 6749 §10.12); an `error` becomes [`Error::AuthorizationServer`]; a `code` is present.
pub fn validate_legacy_callback(url: &str, expected_state: &str, expected_redirect_uri: &str) -> Result<AuthorizationCode> {
    if expected_state.is_empty() {
        return Err(Error::MissingOption { name: "state" });
    }
    let expected = Url::parse(expected_redirect_uri).map_err(|_| Error::InvalidUrl { what: "redirect_uri" })?;
    let callback = Url::parse(url).map_err(|_| Error::InvalidUrl { what: "callback" })?;
    if callback.without_query_and_fragment() != expected.without_query_and_fragment() {
        return Err(Error::RedirectUriMismatch);
    }
    let query = callback.query().ok_or(Error::NoAuthorizationResponse)?;
    let params = form_parse(query).ok_or(Error::InvalidUrl { what: "callback" })?;
    for name in RESPONSE_PARAMS {
        if params.iter().filter(|(n, _)| n == name).count() > 1 {
            return Err(Error::DuplicateParameter { name });
        }
    }
    let get = |name: &str| params.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    if get("code").is_none() && get("error").is_none() && get("state").is_none() {
        return Err(Error::NoAuthorizationResponse);
    }
    let state = get("state").ok_or(Error::StateMissing)?;
    if !constant_time_eq(state.as_bytes(), expected_state.as_bytes()) {
        return Err(Error::StateMismatch);
    }
    if let Some(error) = get("error") {
        return Err(Error::AuthorizationServer(ServerError::new(error, get("error_description"), get("error_uri"), 0)));
    }
    match get("code") {
        Some(code) if !code.is_empty() => Ok(AuthorizationCode::new(code)),
        _ => Err(Error::CodeMissing),
    }
}
