//! Validating the authorization response on the redirect (RFC 6749 §4.1.2, RFC 9207, RFC 9700
//! §4.7, OpenID Connect Core §3.1.2.5–6).
//!
//! Only a [`ValidatedCallback`] can be exchanged for tokens, and only this module makes one.
//! Checks run in an order that keeps an attacker's input from choosing the error: injected
//! tokens first, then the redirect target, state, `iss`, and only then the server's error.

use super::encoding::{constant_time_eq, form_parse};
use super::error::{Error, Result, ServerError};
use super::provider::{IssuerPolicy, Provider};
use super::secret::AuthorizationCode;
use super::transaction::{ResponseMode, Transaction};
use super::url::Url;

/// Parameters an authorization response may carry; each may appear at most once (RFC 6749 §3.1).
const RESPONSE_PARAMETERS: &[&str] = &[
    "code", "state", "iss", "error", "error_description", "error_uri", "session_state",
    "access_token", "id_token", "token_type", "expires_in", "refresh_token", "response", "client_info",
];

/// Token endpoint parameters (RFC 6749 §4.2.2, §5.1; OpenID Connect Core §3.3.2.5): in an
/// authorization response they mean the implicit or hybrid flow, or an injection.
const FRONT_CHANNEL_TOKEN_PARAMETERS: &[&str] = &["access_token", "id_token", "token_type", "expires_in", "refresh_token"];

/// Parameters stripped from the address bar after handling (checklist item 19).
const STRIPPED_PARAMETERS: &[&str] = &[
    "code", "state", "iss", "error", "error_description", "error_uri", "session_state", "client_info",
];

/// The OAuth parameters of one response, read from the part the request asked for.
#[derive(Default)]
pub struct ResponseParams {
    pairs: Vec<(String, String)>,
}

impl core::fmt::Debug for ResponseParams {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("ResponseParams([redacted])")
    }
}

impl ResponseParams {
    fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    /// The returned `state`, to find the stored transaction by. Compare it only through
    /// [`validate`], which compares in constant time.
    pub fn state(&self) -> Option<&str> {
        self.get("state")
    }
    /// `true` when the URL carries any authorization-response parameter.
    pub fn is_response(&self) -> bool {
        ["code", "state", "error", "access_token", "id_token", "response"].iter().any(|p| self.get(p).is_some())
    }
}

fn section(url: &Url, mode: ResponseMode) -> &str {
    match mode {
        ResponseMode::Query => url.query(),
        ResponseMode::Fragment => url.fragment(),
    }
    .unwrap_or("")
}

/// Reads the response parameters from the query or the fragment — only the one `mode` names,
/// never both (checklist item 12) — and refuses repeated OAuth parameters.
pub fn read_params(redirect_url: &str, mode: ResponseMode) -> Result<ResponseParams> {
    let url = Url::parse(redirect_url).map_err(|_| Error::InvalidUrl { what: "redirect url" })?;
    params_of(&url, mode)
}

fn params_of(url: &Url, mode: ResponseMode) -> Result<ResponseParams> {
    let pairs = form_parse(section(url, mode)).ok_or(Error::InvalidUrl { what: "redirect url" })?;
    for (i, (name, _)) in pairs.iter().enumerate() {
        if let Some(known) = RESPONSE_PARAMETERS.iter().find(|p| **p == name) {
            if pairs.iter().skip(i + 1).any(|(n, _)| n == name) {
                return Err(Error::DuplicateParameter { name: known });
            }
        }
    }
    Ok(ResponseParams { pairs })
}

/// A response that passed every check, holding the one thing it may be used for: the code,
/// with the transaction it belongs to.
#[derive(Debug)]
pub struct ValidatedCallback {
    pub code: AuthorizationCode,
    pub transaction: Transaction,
}

fn endpoint_path(u: &Url) -> &str {
    if u.path().is_empty() { "/" } else { u.path() }
}

fn same_endpoint(a: &Url, b: &Url) -> bool {
    a.same_origin(b) && endpoint_path(a) == endpoint_path(b)
}

/// Validates the redirect `redirect_url` against the `transaction` it claims to answer.
/// The transaction must already be removed from storage (single use, checklist item 18).
pub fn validate(redirect_url: &str, transaction: Transaction, provider: &Provider, now: u64) -> Result<ValidatedCallback> {
    // Issue 8: the code and verifier go only to this provider's token endpoint.
    transaction.check_provider(provider)?;
    let arrived = Url::parse(redirect_url).map_err(|_| Error::InvalidUrl { what: "redirect url" })?;
    let params = params_of(&arrived, transaction.response_mode)?;
    // Checklist item 1 and 17: tokens in the front channel mean implicit/hybrid or injection.
    if FRONT_CHANNEL_TOKEN_PARAMETERS.iter().any(|p| params.get(p).is_some()) {
        return Err(Error::ImplicitOrHybridResponse);
    }
    if params.get("response").is_some() {
        return Err(Error::JarmResponseUnsupported);
    }
    if !params.is_response() {
        return Err(Error::NoAuthorizationResponse);
    }
    // Checklist item 16: the response must arrive where this transaction asked it to.
    let expected = Url::parse(&transaction.redirect_uri).map_err(|_| Error::TransactionInvalid { reason: "malformed redirect_uri" })?;
    if !same_endpoint(&arrived, &expected) {
        return Err(Error::RedirectUriMismatch);
    }
    // Checklist item 13.
    match params.state() {
        None => return Err(Error::StateMissing),
        Some(s) if !constant_time_eq(s.as_bytes(), transaction.state.secret().as_bytes()) => return Err(Error::StateMismatch),
        Some(_) => {}
    }
    if transaction.is_expired(now) {
        return Err(Error::TransactionExpired);
    }
    // Checklist item 15 (RFC 9207 §2.4): simple string comparison, also on error responses.
    match params.get("iss") {
        Some(iss) => {
            let ok = match provider.issuer_policy {
                IssuerPolicy::Exact => iss == transaction.issuer,
                IssuerPolicy::EntraTenantTemplate => provider.issuer_matches(iss),
            };
            if !ok {
                return Err(Error::IssuerParameterMismatch);
            }
        }
        None if transaction.iss_parameter_supported => return Err(Error::IssuerParameterMissing),
        None => {}
    }
    // Checklist item 14: the server's error, only after state and iss passed.
    if let Some(error) = params.get("error") {
        return Err(Error::AuthorizationServer(ServerError::new(
            error.to_owned(),
            params.get("error_description").map(str::to_owned),
            params.get("error_uri").map(str::to_owned),
            0,
        )));
    }
    // RFC 6749 Appendix A.11: code = 1*VSCHAR (%x20-7E), after form decoding.
    match params.get("code") {
        Some(code) if !code.is_empty() && code.bytes().all(|b| (0x20..=0x7e).contains(&b)) => {
            Ok(ValidatedCallback { code: AuthorizationCode::new(code.to_owned()), transaction })
        }
        _ => Err(Error::CodeMissing),
    }
}

/// The same URL without the OAuth response parameters, for `history.replaceState` (checklist
/// item 19). The app's own parameters stay, in order and exactly as written; an emptied query or
/// fragment loses its `?` or `#`. `None` when nothing needs removing.
pub fn strip_response_params(redirect_url: &str, mode: ResponseMode) -> Option<String> {
    let url = Url::parse(redirect_url).ok()?;
    let part = section(&url, mode);
    let kept: Vec<&str> = super::text::split(part, b'&')
        .filter(|seg| {
            let raw_name = super::text::split(seg, b'=').next().unwrap_or("");
            let name = super::encoding::form_decode(raw_name);
            !seg.is_empty() && !name.is_some_and(|n| STRIPPED_PARAMETERS.contains(&n.as_str()))
        })
        .collect();
    let rebuilt = super::text::join(&kept, "&");
    if rebuilt == part {
        return None;
    }
    let mut out = url.without_query_and_fragment().to_owned();
    let (query, fragment) = match mode {
        ResponseMode::Query => (Some(rebuilt.as_str()), url.fragment()),
        ResponseMode::Fragment => (url.query(), Some(rebuilt.as_str())),
    };
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        out.push('?');
        out.push_str(q);
    }
    if let Some(f) = fragment.filter(|f| !f.is_empty()) {
        out.push('#');
        out.push_str(f);
    }
    Some(out)
}

#[cfg(test)]
mod tests;
