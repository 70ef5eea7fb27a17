//! `fetch` for the token and discovery endpoints, from a window or a worker.
//!
//! Credentials are omitted (no cookies ride along to the authorization server), redirects are
//! refused (a token endpoint that redirects is misconfigured or hijacked), and nothing is cached.

use crate::core::error::{Error, Result};
use crate::core::token::HttpRequest;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestCache, RequestCredentials, RequestInit, RequestRedirect, Response};

/// Largest response body read, in bytes.
pub const MAX_BODY: usize = 1024 * 1024;

async fn fetch(request: &Request) -> Result<Response> {
    let global = js_sys::global();
    let promise = if let Some(w) = global.dyn_ref::<web_sys::Window>() {
        w.fetch_with_request(request)
    } else if let Some(w) = global.dyn_ref::<web_sys::WorkerGlobalScope>() {
        w.fetch_with_request(request)
    } else {
        return Err(Error::PlatformUnavailable { what: "fetch" });
    };
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
