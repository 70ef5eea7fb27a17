//! `fetch` for the token and discovery endpoints, from a window or a worker.
//!
//! Credentials are omitted (no cookies ride along to the authorization server), redirects are
//! refused (a token endpoint that redirects is misconfigured or hijacked), and nothing is cached.

use crate::core::error::{Error, Result};
use crate::core::token::HttpRequest;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestCache, RequestCredentials, RequestInit, RequestRedirect, Response};

// The global `fetch`, whatever the global is: a window, a dedicated or service worker, or a
// non-browser runtime that has one. (An `extern` import, not an export: the one place outside
// `bindings` that names wasm_bindgen, because web-sys only offers fetch per global type.)
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(request: &Request) -> core::result::Result<js_sys::Promise, JsValue>;
}

/// Largest response body read, in bytes.
pub const MAX_BODY: usize = 1024 * 1024;

async fn fetch(request: &Request) -> Result<Response> {
    let promise = global_fetch(request).map_err(|_| Error::PlatformUnavailable { what: "fetch" })?;
    let value = JsFuture::from(promise).await.map_err(|_| Error::NetworkError)?;
    value.dyn_into::<Response>().map_err(|_| Error::NetworkError)
}

async fn read(response: Response) -> Result<(u16, String)> {
    let status = response.status();
    let text = JsFuture::from(response.text().map_err(|_| Error::NetworkError)?).await.map_err(|_| Error::NetworkError)?;
    let text = text.as_string().unwrap_or_default();
    if text.len() > MAX_BODY {
        return Err(Error::InputTooLarge { what: "http response", limit: MAX_BODY });
    }
    Ok((status, text))
}

fn init(method: &str) -> RequestInit {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::Omit);
    init.set_redirect(RequestRedirect::Error);
    init.set_cache(RequestCache::NoStore);
    init
}

/// Sends a request built by the core; returns status and body text.
pub async fn send(req: &HttpRequest) -> Result<(u16, String)> {
    let init = init(req.method);
    init.set_body(&JsValue::from_str(&req.body));
    let request = Request::new_with_str_and_init(&req.url, &init).map_err(|_| Error::InvalidUrl { what: "request url" })?;
    for (name, value) in &req.headers {
        request.headers().set(name, value).map_err(|_| Error::NetworkError)?;
    }
    read(fetch(&request).await?).await
}

/// `GET url` with `Accept: application/json`.
pub async fn get_json(url: &str) -> Result<(u16, String)> {
    let request = Request::new_with_str_and_init(url, &init("GET")).map_err(|_| Error::InvalidUrl { what: "request url" })?;
    request.headers().set("accept", "application/json").map_err(|_| Error::NetworkError)?;
    read(fetch(&request).await?).await
}
