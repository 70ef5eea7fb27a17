//! Signing out: OpenID Connect RP-Initiated Logout 1.0 and OAuth 2.0 Token Revocation (RFC 7009).

use crate::core::encoding::{base64url_encode, form_encode_into, form_serialize};
use crate::core::error::{Error, Result};
use crate::core::provider::{check_https_url, Provider};
use crate::core::secret::{IdToken, State};
use crate::core::token::HttpRequest;

/// The logout request: the URL to navigate to and the `state` it carries, which the app checks
/// when the provider sends the browser back to `post_logout_redirect_uri`.
pub struct LogoutRequest {
    pub url: String,
    pub state: State,
}

impl core::fmt::Debug for LogoutRequest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("LogoutRequest([redacted])")
    }
}

fn push(url: &mut String, name: &str, value: &str) {
    url.push(if url.contains('?') { '&' } else { '?' });
    url.push_str(name);
    url.push('=');
    form_encode_into(value, url);
}

/// Builds the RP-initiated logout URL (RP-Initiated Logout 1.0 §2): `id_token_hint`, `client_id`,
/// the exact `post_logout_redirect_uri` (validated like a redirect URI) and a fresh `state`.
/// `None` when the provider has no `end_session_endpoint`: then only local sign-out is possible.
pub fn logout_request(
    provider: &Provider,
    client_id: &str,
    id_token: Option<&IdToken>,
    post_logout_redirect_uri: Option<&str>,
    state_entropy: &[u8; 32],
    allow_http_loopback: bool,
) -> Result<Option<LogoutRequest>> {
    // A bad redirect URI is a configuration error whether or not this provider can log out.
    if let Some(uri) = post_logout_redirect_uri {
        check_https_url(uri, "post_logout_redirect_uri", allow_http_loopback)?;
        if uri.contains('*') {
            return Err(Error::ForbiddenUrl { what: "post_logout_redirect_uri", reason: "wildcard" });
        }
    }
    let Some(endpoint) = &provider.end_session_endpoint else { return Ok(None) };
    let mut url = endpoint.clone();
    if let Some(t) = id_token {
        push(&mut url, "id_token_hint", t.secret());
    }
    push(&mut url, "client_id", client_id);
    if let Some(uri) = post_logout_redirect_uri {
        push(&mut url, "post_logout_redirect_uri", uri);
    }
    let state = State::new(base64url_encode(state_entropy));
    push(&mut url, "state", state.secret());
    Ok(Some(LogoutRequest { url, state }))
}

/// RFC 7009 §2.1 revocation of one token by a public client: `token`, `token_type_hint`,
/// `client_id`. `None` when the provider has no `revocation_endpoint`.
pub fn revocation_request(provider: &Provider, client_id: &str, token: &str, hint: &'static str) -> Option<HttpRequest> {
    let url = provider.revocation_endpoint.clone()?;
    Some(HttpRequest {
        url,
        method: "POST",
        headers: vec![("content-type", "application/x-www-form-urlencoded")],
        body: form_serialize([("token", token), ("token_type_hint", hint), ("client_id", client_id)]),
    })
}
