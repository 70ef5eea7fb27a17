//! The `start` module (`dist/wasm-start/`, and `dist/wasm-start-entra/` with the Microsoft Entra
//! rules): what a signed-out page needs to begin a sign-in, and nothing else. Every export is
//! synchronous; the JS package fetches the discovery document, keeps the transaction in
//! sessionStorage and navigates. The redirect and everything after it are the account module's.

use wasm_bindgen::prelude::*;

use super::config::{request_params, Configured};
use super::convert::{js_error, object, provider_metadata, JsResult};
use crate::core::authorize;
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
