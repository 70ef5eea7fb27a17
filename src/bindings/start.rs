//! The `start` module (`dist/wasm-start/`, and `dist/wasm-start-entra/` with the Microsoft Entra
//! rules): what a signed-out page needs to begin a sign-in, and nothing else. Every export is
//! synchronous; the JS package fetches the discovery document, keeps the transaction in
//! sessionStorage and navigates. The redirect and everything after it are the account module's.

use wasm_bindgen::prelude::*;

use super::config::{request_params, Configured};
use super::convert::{js_error, object, provider_metadata, JsResult};
use crate::core::authorize;
use crate::platform::{clock, random};

// Two functions rather than a class: a sign-in begins once or twice per page, so the
// configuration and the discovery document are read and checked again at each begin, and the
// module carries no finalizer or borrow checks (measured in docs/weight-plan.md §8: −0.65 KB).

/// `{ issuer, sessionKey, metadata }`: validates `config` with the discovery document JS
/// fetched (`status` and `document` are the answer to [`super::config::discovery_url`]; `0`
/// and `undefined` when there was nothing to fetch). `sessionKey` is the session's storage key
/// and cross-tab lock name.
#[wasm_bindgen(js_name = startInfo)]
pub fn start_info(config: JsValue, status: u16, document: Option<String>) -> JsResult<JsValue> {
    let c = Configured::read(config, status, document)?;
    object(&[
        ("issuer", c.provider.issuer.as_str().into()),
        ("sessionKey", c.session_key().into()),
        ("metadata", provider_metadata(&c.provider)?),
    ])
}

/// `{ url, state, transaction }`: the authorization URL for `request` and the transaction to keep
/// (it holds the verifier) under `browser-oauth:tx:<state>` until the redirect returns. The
/// configuration and document are checked as by [`start_info`].
#[wasm_bindgen(js_name = beginSignIn)]
pub fn begin_sign_in(config: JsValue, status: u16, document: Option<String>, request: JsValue) -> JsResult<JsValue> {
    let c = Configured::read(config, status, document)?;
    let params = request_params(request, &c.scopes)?;
    let entropy = random::entropy().map_err(js_error)?;
    let (url, t) = authorize::build(&c.provider, &c.client, &params, &entropy, clock::now()).map_err(js_error)?;
    object(&[("url", url.into()), ("state", t.state.secret().into()), ("transaction", t.to_json().into())])
}
