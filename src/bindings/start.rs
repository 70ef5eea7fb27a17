//! The `start` module (`dist/wasm-start/`, and `dist/wasm-start-entra/` with the Microsoft Entra
//! rules): what a signed-out page needs to begin a sign-in, and nothing else. Its one export is
//! synchronous; the JS package fetches the discovery document, keeps the transaction in
//! sessionStorage and navigates. The redirect and everything after it are the account module's.

use wasm_bindgen::prelude::*;

use super::config::{request_params, Configured, ProviderOptions};
use super::convert::{js_error, object, options, provider_metadata, JsResult};
use crate::core::authorize;
use crate::platform::{clock, random};

// One function rather than a class or one per step: a sign-in begins once or twice per page, so
// the configuration and the discovery document are read and checked again at each call, and the
// module carries no finalizer, borrow checks or second argument shim (docs/weight-plan.md §8, §9).

/// What the start of a sign-in needs, for `config` and the discovery document JS fetched
/// (`status` and `document`: its HTTP status and text):
/// - `begin` false: `{ issuer, sessionKey, metadata }` once both are checked (`sessionKey` is the
///   session's storage key and cross-tab lock name); called with `0` and no document first,
///   `{ discover }` instead when `config` needs a document: the URL to fetch.
/// - `begin` true: `{ url, state, transaction }`, the authorization URL for `request` and the
///   transaction to keep (it holds the verifier) under `browser-oauth:tx:<state>` until the
///   redirect returns.
#[wasm_bindgen(js_name = startSignIn)]
pub fn start_sign_in(config: JsValue, status: u16, document: Option<String>, begin: bool, request: JsValue) -> JsResult<JsValue> {
    if !begin && status == 0 && document.is_none() {
        if let Some(url) = ProviderOptions::read(&options(config.clone())?)?.discovery_url().map_err(js_error)? {
            return object(&[("discover", url.into())]);
        }
    }
    let c = Configured::read(config, status, document)?;
    if !begin {
        return object(&[
            ("issuer", c.provider.issuer.as_str().into()),
            ("sessionKey", c.session_key().into()),
            ("metadata", provider_metadata(&c.provider)?),
        ]);
    }
    let params = request_params(request, &c.scopes)?;
    let entropy = random::entropy().map_err(js_error)?;
    let (url, t) = authorize::build(&c.provider, &c.client, &params, &entropy, clock::now()).map_err(js_error)?;
    object(&[("url", url.into()), ("state", t.state.secret().into()), ("transaction", t.to_json().into())])
}
