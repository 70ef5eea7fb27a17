//! What only a redirect page needs, added to the `account` module and left out of the `session`
//! module (feature `session`): the code exchange ([`Exchange`]), the redirect's own
//! `AccountClient` methods (which response this is, the address bar, validation, the session a
//! sign-in starts) and the low-level steps' provider handle and PKCE pair (the steps' `init()`
//! loads this module with the start module: a signed-out page, which loads only the start module,
//! does not carry them).

use wasm_bindgen::prelude::*;

use super::account::{key_for, request, to_verify, verdict, AccountClient, USED};
use super::config::{Configured, ProviderOptions};
use super::convert::{js_error, object, options, provider_metadata, sign_in_result, JsResult};
use crate::core::callback::{self, ValidatedCallback};
use crate::core::error::Error;
use crate::core::id_token::DEFAULT_SKEW_SECS;
use crate::core::pkce;
use crate::core::provider::Provider;
use crate::core::session::Account;
use crate::core::signin::{self, SignInResult};
use crate::core::token;
use crate::core::transaction::Transaction;
use crate::platform::{clock, history, random};

// ---- the code exchange --------------------------------------------------------------------------

/// A response that passed every check, then its token response: used once, in order.
#[wasm_bindgen(js_name = Exchange)]
pub struct Exchange {
    provider: Provider,
    skew: u64,
    validated: Option<ValidatedCallback>,
    sent: Option<ValidatedCallback>,
    checked: Option<SignInResult>,
    needs_signature: bool,
    committed: Option<SignInResult>,
    /// The request carried a DPoP proof: the token must come back `DPoP` (RFC 9449 §5).
    dpop: bool,
}

impl Exchange {
    fn new(provider: Provider, skew: u64, validated: ValidatedCallback, dpop: bool) -> Exchange {
        Exchange { provider, skew, validated: Some(validated), sent: None, checked: None, needs_signature: false, committed: None, dpop }
    }
}

#[wasm_bindgen(js_class = Exchange)]
impl Exchange {
    /// The token request (RFC 6749 §4.1.3, RFC 7636 §4.5) to the token endpoint stored with the
    /// transaction. Once: a code is sent at most one time.
    pub fn request(&mut self) -> JsResult<JsValue> {
        let validated = self.validated.take().ok_or_else(|| js_error(USED))?;
        let out = request(&token::authorization_code_request(&validated));
        self.sent = Some(validated);
        out
    }

    /// Checks the token endpoint's answer and the ID token's claims. Returns the ID token whose
    /// signature JS must check next (see [`Exchange::key_for`]), or `undefined` when none is due.
    pub fn finish(&mut self, status: u16, body: &str) -> JsResult<Option<String>> {
        let validated = self.sent.take().ok_or_else(|| js_error(USED))?;
        let response = token::parse_token_response(status, body, self.dpop).map_err(js_error)?;
        let result = signin::complete(validated, response, &self.provider, clock::now(), self.skew).map_err(js_error)?;
        let jwt = to_verify(&self.provider, result.id_token.as_ref());
        self.needs_signature = jwt.is_some();
        self.checked = Some(result);
        Ok(jwt)
    }

    /// The key that verifies `jwt`, or the JWK Set to fetch first.
    #[wasm_bindgen(js_name = keyFor)]
    pub fn key_for(&self, jwt: &str) -> JsResult<JsValue> {
        key_for(&self.provider, jwt)
    }

    /// Completes the sign-in with JS's verdict on the signature (ignored when none was due):
    /// the result for the app. Nothing before this point may be stored (checklist item 29).
    pub fn commit(&mut self, verdict_code: u32) -> JsResult<JsValue> {
        let result = self.checked.take().ok_or_else(|| js_error(USED))?;
        if self.needs_signature {
            verdict(verdict_code).map_err(js_error)?;
        }
        let out = sign_in_result(&result)?;
        self.committed = Some(result);
        Ok(out)
    }
}

/// Low-level steps: the provider `config` names, checked once (`status`/`document` as for
/// `discoveryUrl`), for the redirects validated against it.
#[wasm_bindgen(js_name = ProviderHandle)]
pub struct ProviderHandle(Provider);

#[wasm_bindgen(js_class = ProviderHandle)]
impl ProviderHandle {
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue, status: u16, document: Option<String>) -> JsResult<ProviderHandle> {
        ProviderOptions::read(&options(config)?)?.provider(status, document.as_deref()).map(ProviderHandle).map_err(js_error)
    }

    #[wasm_bindgen(getter)]
    pub fn metadata(&self) -> JsResult<JsValue> {
        provider_metadata(&self.0)
    }

    /// Validates a redirect URL against its transaction (RFC 6749 §4.1.2, RFC 9207), keeping
    /// nothing: `validateAuthorizationResponse`, which may run many times per response.
    pub fn check(&self, client_id: &str, url: &str, transaction: &str) -> JsResult<()> {
        self.validated(client_id, url, transaction).map(drop)
    }

    /// The same checks, then the code exchange of the response: `exchangeCode`, once.
    pub fn validate(&self, client_id: &str, url: &str, transaction: &str) -> JsResult<Exchange> {
        let validated = self.validated(client_id, url, transaction)?;
        Ok(Exchange::new(self.0.clone(), DEFAULT_SKEW_SECS, validated, false))
    }
}

impl ProviderHandle {
    fn validated(&self, client_id: &str, url: &str, transaction: &str) -> JsResult<ValidatedCallback> {
        let t = Transaction::from_json(transaction, &self.0.issuer, client_id).map_err(js_error)?;
        callback::validate(url, t, &self.0, clock::now()).map_err(js_error)
    }
}

#[wasm_bindgen(js_class = AccountClient)]
impl AccountClient {
    /// A stored transaction: 0 this client's and pending, 1 this client's and expired, 2 another
    /// client's, 3 corrupt. Expired and corrupt ones are for removal.
    #[wasm_bindgen(js_name = transactionStatus)]
    pub fn transaction_status(&self, text: &str) -> u32 {
        transaction_status(&self.c, text, clock::now())
    }

    /// The response's `state` (`""` when none usable), or `undefined` when `url` carries none.
    #[wasm_bindgen(js_name = responseState)]
    pub fn response_state(&self, url: &str) -> JsResult<Option<String>> {
        response_state(&self.c, url)
    }

    /// Removes the OAuth response parameters from the address bar when `url` is the current
    /// address, with `history.replaceState`: no new history entry (checklist item 19).
    #[wasm_bindgen(js_name = cleanAddressBar)]
    pub fn clean_address_bar(&self, url: &str) -> JsResult<()> {
        if history::current_url().ok().as_deref() != Some(url) {
            return Ok(());
        }
        match callback::strip_response_params(url, self.c.client.response_mode) {
            Some(clean) => history::replace_url(&clean).map_err(js_error),
            None => Ok(()),
        }
    }

    /// The error for a response whose transaction is not stored, as precisely as is safe: a
    /// missing or different state while a sign-in of this client is `pending` is a forged or
    /// swapped response; with none pending, a replay, a reload or another tab's sign-in.
    #[wasm_bindgen(js_name = noTransaction)]
    pub fn no_transaction(&self, url: &str, pending: bool) -> JsValue {
        let state = callback::read_params(url, self.c.client.response_mode).ok().and_then(|p| p.state().map(|_| ()));
        js_error(match (state, pending) {
            (None, true) => Error::StateMissing,
            (Some(_), true) => Error::StateMismatch,
            _ => Error::TransactionNotFound,
        })
    }

    /// Validates the response at `url` against the stored `transaction` (RFC 6749 §4.1.2,
    /// RFC 9207, checklist items 13–20): the exchange to run next.
    pub fn validate(&self, url: &str, transaction: &str) -> JsResult<Exchange> {
        let c = &self.c;
        let t = Transaction::from_json(transaction, &c.provider.issuer, &c.client.client_id).map_err(js_error)?;
        t.check_client(&c.client).map_err(js_error)?;
        let validated = callback::validate(url, t, &c.provider, clock::now()).map_err(js_error)?;
        Ok(Exchange::new(c.provider.clone(), c.skew, validated, c.dpop))
    }

    /// The session text a committed sign-in starts (sealed by JS when the store is persistent).
    /// `stored`, the session stored before it, if any: with Microsoft Entra a sign-in for more
    /// scopes joins it (same user only, `OAUTH_ACCOUNT_MISMATCH` otherwise); elsewhere, and for
    /// an entry that does not read back, the new sign-in replaces it.
    #[wasm_bindgen(js_name = sessionFrom)]
    pub fn session_from(&self, exchange: &mut Exchange, stored: Option<String>) -> JsResult<String> {
        let result = exchange.committed.take().ok_or_else(|| js_error(USED))?;
        let now = clock::now();
        let mut account = Account::from_sign_in(result, &self.c.client.client_id, crate::core::ENTRA_RULES && self.c.provider.is_entra(), now).map_err(js_error)?;
        if let Some(old) = stored.filter(|_| self.multi_resource()).and_then(|t| self.owned(&t).ok()) {
            account = account.absorb(old, now).map_err(js_error)?;
        }
        Ok(self.stored_text(&mut account))
    }
}

/// `url` without the OAuth response parameters for `responseMode`, or `undefined`.
#[wasm_bindgen(js_name = stripResponseParams)]
pub fn strip_response_params(url: &str, response_mode: Option<String>) -> JsResult<Option<String>> {
    let mode = crate::core::transaction::ResponseMode::parse(response_mode.as_deref().unwrap_or("query")).map_err(js_error)?;
    Ok(callback::strip_response_params(url, mode))
}

/// What a stored transaction is to this client (sessionStorage is shared by every client of
/// the origin, and anyone can write to it).
fn transaction_status(c: &Configured, text: &str, now: u64) -> u32 {
    match Transaction::from_json(text, &c.provider.issuer, &c.client.client_id) {
        Ok(t) if t.is_expired(now) => 1,
        Ok(_) => 0,
        // Another client's entry is not ours to judge; a corrupt one is.
        Err(Error::TransactionInvalid { reason: "bound to another issuer or client" }) => 2,
        Err(_) => 3,
    }
}

/// The `state` of the authorization response `url` carries, as the key its transaction is
/// stored under (`""` when it has none usable: missing, empty, or longer than any we issue), or
/// `undefined` when the URL carries no response at all.
fn response_state(c: &Configured, url: &str) -> JsResult<Option<String>> {
    let params = callback::read_params(url, c.client.response_mode).map_err(js_error)?;
    if !params.is_response() {
        return Ok(None);
    }
    Ok(Some(params.state().filter(|s| !s.is_empty() && s.len() <= 512).unwrap_or("").to_owned()))
}

// ---- the low-level steps' PKCE --------------------------------------------------------------------

/// A fresh PKCE pair from the CSPRNG (RFC 7636 §4.1–4.2).
#[wasm_bindgen(js_name = generatePkce)]
pub fn generate_pkce() -> JsResult<JsValue> {
    let mut octets = [0u8; 32];
    random::fill(&mut octets).map_err(js_error)?;
    let verifier = pkce::verifier_from_random(&octets);
    object(&[
        ("codeVerifier", verifier.secret().into()),
        ("codeChallenge", pkce::s256_challenge(&verifier).into()),
        ("codeChallengeMethod", pkce::CODE_CHALLENGE_METHOD.into()),
    ])
}

/// The S256 challenge of a caller-supplied verifier, which is validated first (RFC 7636 §4.1).
#[wasm_bindgen(js_name = pkceChallenge)]
pub fn pkce_challenge(code_verifier: &str) -> JsResult<String> {
    let v = pkce::verifier_from_str(code_verifier).map_err(js_error)?;
    Ok(pkce::s256_challenge(&v))
}
