//! The `start` module (`dist/wasm-start/`, and `dist/wasm-start-entra/` with the Microsoft Entra
//! rules): what a signed-out page needs to begin a sign-in, and nothing else. Every export is
//! synchronous; the JS package fetches the discovery document, keeps the transaction in
//! sessionStorage and navigates. The redirect and everything after it are the account module's.

use wasm_bindgen::prelude::*;

use super::config::{request_params, Configured, ProviderOptions};
use super::convert::{js_error, object, options, provider_metadata, JsResult};
use crate::core::authorize;
use crate::platform::{clock, random};

// Two functions rather than a class: a sign-in begins once or twice per page, so the
// configuration and the discovery document are read and checked again at each begin, and the
// module carries no finalizer or borrow checks (measured in docs/weight-plan.md §8: −0.65 KB).

/// `{ issuer, sessionKey, metadata }`: validates `config` with the discovery document JS
/// fetched (`status` and `document`: its HTTP status and text). Called with `0` and no document
/// first: `{ discover }` is then the URL of the document to fetch when `config` needs one.
/// `sessionKey` is the session's storage key and cross-tab lock name.
#[wasm_bindgen(js_name = startInfo)]
pub fn start_info(config: JsValue, status: u16, document: Option<String>) -> JsResult<JsValue> {
    if status == 0 && document.is_none() {
        if let Some(url) = ProviderOptions::read(&options(config.clone())?)?.discovery_url().map_err(js_error)? {
            return object(&[("discover", url.into())]);
        }
    }
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
