//! The `start` module (`dist/wasm-start/`): what a signed-out page needs to begin a sign-in, and
//! to tell whether the page it is on carries an authorization response. Every export is
//! synchronous; the JS package fetches the discovery document, keeps the transaction in
//! sessionStorage and navigates.

use wasm_bindgen::prelude::*;

use super::config::{request_params, response_state, transaction_status, Configured};
use super::convert::{js_error, object, provider_metadata, JsResult};
use crate::core::authorize;
use crate::core::callback;
use crate::core::pkce;
use crate::platform::{clock, random};

/// A configured client for starting sign-ins.
#[wasm_bindgen(js_name = StartClient)]
pub struct StartClient(Configured);

#[wasm_bindgen(js_class = StartClient)]
impl StartClient {
    /// Validates `config`; `status` and `document` are the answer to [`super::config::discovery_url`]
    /// (`0` and `undefined` when there was nothing to fetch).
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue, status: u16, document: Option<String>) -> JsResult<StartClient> {
        Configured::read(config, status, document).map(StartClient)
    }

    #[wasm_bindgen(getter)]
    pub fn issuer(&self) -> String {
        self.0.provider.issuer.clone()
    }

    #[wasm_bindgen(getter)]
    pub fn metadata(&self) -> JsResult<JsValue> {
        provider_metadata(&self.0.provider)
    }

    /// `{ url, state, transaction }`: the authorization URL and the transaction to keep (it holds
    /// the verifier) under `browser-oauth:tx:<state>` until the redirect returns.
    pub fn begin(&self, request: JsValue) -> JsResult<JsValue> {
        let c = &self.0;
        let params = request_params(request, &c.scopes)?;
        let entropy = random::entropy().map_err(js_error)?;
        let (url, t) = authorize::build(&c.provider, &c.client, &params, &entropy, clock::now()).map_err(js_error)?;
        object(&[("url", url.into()), ("state", t.state.secret().into()), ("transaction", t.to_json().into())])
    }

    /// A stored transaction: 0 this client's and pending, 1 this client's and expired, 2 another
    /// client's, 3 corrupt. Expired and corrupt ones are for removal.
    #[wasm_bindgen(js_name = transactionStatus)]
    pub fn transaction_status(&self, text: &str) -> u32 {
        transaction_status(&self.0, text, clock::now())
    }

    /// The response's `state` (`""` when none usable), or `undefined` when `url` carries none.
    #[wasm_bindgen(js_name = responseState)]
    pub fn response_state(&self, url: &str) -> JsResult<Option<String>> {
        response_state(&self.0, url)
    }

    /// The session's storage key and cross-tab lock name.
    #[wasm_bindgen(getter, js_name = sessionKey)]
    pub fn session_key(&self) -> String {
        self.0.session_key()
    }
}

/// Low-level step: the provider `config` names, validated (`status`/`document` as for
/// `discoveryUrl`), as metadata.
#[wasm_bindgen(js_name = providerMetadata)]
pub fn provider_metadata_of(config: JsValue, status: u16, document: Option<String>) -> JsResult<JsValue> {
    let o = super::convert::options(config)?;
    let p = super::config::ProviderOptions::read(&o)?.provider(status, document.as_deref()).map_err(js_error)?;
    provider_metadata(&p)
}

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

/// `url` without the OAuth response parameters for `responseMode`, or `undefined`.
#[wasm_bindgen(js_name = stripResponseParams)]
pub fn strip_response_params(url: &str, response_mode: Option<String>) -> JsResult<Option<String>> {
    let mode = crate::core::transaction::ResponseMode::parse(response_mode.as_deref().unwrap_or("query")).map_err(js_error)?;
    Ok(callback::strip_response_params(url, mode))
}
