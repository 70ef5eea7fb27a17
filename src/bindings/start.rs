//! The `start` module (`dist/wasm-start/`, and `dist/wasm-start-entra/` with the Microsoft Entra
//! rules): what a signed-out page needs to begin a sign-in, and nothing else. Every export is
//! synchronous; the JS package fetches the discovery document, keeps the transaction in
//! sessionStorage and navigates. The redirect and everything after it are the account module's.

use wasm_bindgen::prelude::*;

use super::config::{request_params, Configured, ProviderOptions};
use super::convert::{js_error, object, provider_metadata, JsResult};
use crate::core::authorize;
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

    /// The session's storage key and cross-tab lock name.
    #[wasm_bindgen(getter, js_name = sessionKey)]
    pub fn session_key(&self) -> String {
        self.0.session_key()
    }
}

/// Low-level step: checks the provider `config` names against the fetched discovery document
/// (`status`/`document` as for `discoveryUrl`) as `StartClient` does; the plain module refuses a
/// Microsoft Entra provider with `OAUTH_ENTRA_BUILD_REQUIRED`.
#[wasm_bindgen(js_name = checkProvider)]
pub fn check_provider(config: JsValue, status: u16, document: Option<String>) -> JsResult<()> {
    let o = super::convert::options(config)?;
    ProviderOptions::read(&o)?.provider(status, document.as_deref()).map(drop).map_err(js_error)
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
