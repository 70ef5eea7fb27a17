//! The redirect sign-in, sequenced: the core decides, this file does the I/O in between.
//!
//! Transactions live in sessionStorage under `browser-oauth:tx:<state>`; a transaction is
//! removed before its code is exchanged, so a reloaded or replayed callback finds nothing.

use super::{clock, history, http, random, storage};
use crate::core::authorize::{self, Client, Params};
use crate::core::callback;
use crate::core::error::{Error, Result};
use crate::core::provider::{discovery_url, Provider};
use crate::core::signin::{self, SignInResult};
use crate::core::token;
use crate::core::transaction::Transaction;

/// Prefix of the transaction keys in sessionStorage.
pub const TX_PREFIX: &str = "browser-oauth:tx:";

/// Fetches and checks the issuer's discovery document.
pub async fn discover(issuer: &str, allow_http_loopback: bool) -> Result<Provider> {
    let url = discovery_url(issuer, allow_http_loopback)?;
    let (status, body) = http::get_json(&url).await?;
    if status != 200 {
        return Err(Error::HttpStatus { status });
    }
    Provider::from_discovery(issuer, &body, allow_http_loopback)
}

/// The Microsoft Entra preset for `tenant`. A domain tenant is first resolved to its tenant id
/// through its discovery document; it never gets the multi-tenant `{tenantid}` template.
pub async fn entra(tenant: &str, host: Option<&str>) -> Result<Provider> {
    let Some(url) = Provider::entra_discovery_url(tenant, host)? else {
        return Provider::entra(tenant, host);
    };
    let (status, body) = http::get_json(&url).await?;
    if status != 200 {
        return Err(Error::HttpStatus { status });
    }
    Provider::entra_from_discovery(tenant, host, &body)
}

/// Drops this client's transactions that have expired, and any that no longer parse
/// (checklist item 20, 38).
fn purge_stale(provider: &Provider, client: &Client, now: u64) -> Result<()> {
    for key in storage::keys_with_prefix(TX_PREFIX)? {
        let stale = match storage::get(storage::Kind::Session, &key)? {
            Some(json) => match Transaction::from_json(&json, &provider.issuer, &client.client_id) {
                Ok(t) => t.is_expired(now),
                // Another client's entry is not ours to judge; a corrupt one is.
                Err(Error::TransactionInvalid { reason: "bound to another issuer or client" }) => false,
                Err(_) => true,
            },
            None => false,
        };
        if stale {
            storage::remove(storage::Kind::Session, &key)?;
        }
    }
    Ok(())
}

/// Builds the authorization URL and stores its transaction. The caller navigates.
pub fn begin(provider: &Provider, client: &Client, params: &Params) -> Result<String> {
    if history::in_iframe() {
        return Err(Error::InteractionInProgress);
    }
    let now = clock::now();
    purge_stale(provider, client, now)?;
    let (url, transaction) = authorize::build(provider, client, params, &random::entropy()?, now)?;
    storage::set(storage::Kind::Session, &[TX_PREFIX, transaction.state.secret()].concat(), &transaction.to_json())?;
    Ok(url)
}

fn has_pending(provider: &Provider, client: &Client, now: u64) -> Result<bool> {
    for key in storage::keys_with_prefix(TX_PREFIX)? {
        if let Some(json) = storage::get(storage::Kind::Session, &key)? {
            if Transaction::from_json(&json, &provider.issuer, &client.client_id).is_ok_and(|t| !t.is_expired(now)) {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// Handles the redirect at `url` (the current address when `None`). `Ok(None)` when the URL
/// carries no authorization response. On every outcome the OAuth parameters are first removed
/// from the address bar; on success the result is returned, and nothing is stored.
pub async fn complete(provider: &Provider, client: &Client, url: Option<String>, skew: u64) -> Result<Option<SignInResult>> {
    let current = history::current_url().ok();
    let url = match url {
        Some(u) => u,
        None => current.clone().ok_or(Error::PlatformUnavailable { what: "location" })?,
    };
    let params = callback::read_params(&url, client.response_mode)?;
    if !params.is_response() {
        return Ok(None);
    }
    if current.as_deref() == Some(url.as_str()) {
        if let Some(clean) = callback::strip_response_params(&url, client.response_mode) {
            history::replace_url(&clean)?;
        }
    }
    let now = clock::now();
    let stored = match params.state() {
        Some(state) if !state.is_empty() && state.len() <= 512 => storage::take(&[TX_PREFIX, state].concat())?,
        _ => None,
    };
    let Some(stored) = stored else {
        // Without our transaction the response cannot be checked. Say why as precisely as is
        // safe: a different state while a sign-in is pending is a forged or swapped response;
        // with none pending it is a replay, a reload, or a sign-in from another tab.
        return Err(match (params.state(), has_pending(provider, client, now)?) {
            (None, true) => Error::StateMissing,
            (Some(_), true) => Error::StateMismatch,
            _ => Error::TransactionNotFound,
        });
    };
    let transaction = Transaction::from_json(&stored, &provider.issuer, &client.client_id)?;
    transaction.check_client(client)?;
    finish(&url, transaction, provider, now, skew).await.map(Some)
}

/// Validates the response at `url` against its `transaction`, exchanges the code, and checks
/// the token response and ID token (claims, then signature against the JWKS when the provider
/// publishes one: OpenID Connect Core §3.1.3.7 step 6).
pub async fn finish(url: &str, transaction: Transaction, provider: &Provider, now: u64, skew: u64) -> Result<SignInResult> {
    let validated = callback::validate(url, transaction, provider, now)?;
    exchange(validated, provider, skew).await
}

/// Exchanges a validated response's code and checks what comes back.
pub async fn exchange(validated: callback::ValidatedCallback, provider: &Provider, skew: u64) -> Result<SignInResult> {
    let (status, body) = http::send(&token::authorization_code_request(&validated)).await?;
    let response = token::parse_token_response(status, &body)?;
    let result = signin::complete(validated, response, provider, clock::now(), skew)?;
    if let (Some(_), Some(jwt)) = (&provider.jwks_uri, &result.id_token) {
        super::webcrypto::verify_id_token_signature(provider, jwt.secret()).await?;
    }
    Ok(result)
}

/// A sign-in whose transaction never leaves memory, for flows that get the redirect back in the
/// same call (`chrome.identity.launchWebAuthFlow`, a popup the caller drives): builds the request
/// without touching sessionStorage. The caller keeps the transaction and hands it to [`finish`].
pub fn begin_in_memory(provider: &Provider, client: &Client, params: &Params) -> Result<(String, Transaction)> {
    authorize::build(provider, client, params, &random::entropy()?, clock::now())
}
