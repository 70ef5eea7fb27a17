//! The session methods of `WasmClient`: getToken, account, signOut, forgetTokens, and the
//! origin allow-list check of the authenticated fetch helper.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::convert::{field_value, js_error, object, opt_bool, opt_string, opt_strings, options, strings, JsResult};
use super::signin::WasmClient;
use crate::core::error::Error;
use crate::core::session::resource::origin_allowed;
use crate::core::session::Account;
use crate::platform::session::{Session, TokenView};
use crate::platform::store::Store;

/// Reads the `storage` option: `'memory'` (default), `'session'`, `'local'`, or an adapter
/// object with `get`, `set` and `remove`. Every persistent store is sealed (authenticated and
/// encrypted with a non-extractable key, issue 8) unless `storageIntegrity: 'none-unsafe'`;
/// `encrypt: true` asks for the same sealing explicitly (an error with memory).
pub fn store_option(o: &JsValue) -> JsResult<Store> {
    let wrong = || js_error(Error::InvalidOption { name: "storage", reason: "must be memory, session, local or an adapter" });
    let v = field_value(o, "storage");
    let store = match v.as_string().as_deref() {
        _ if v.is_undefined() || v.is_null() => Store::Memory,
        Some("memory") => Store::Memory,
        Some("session") => Store::Session,
        Some("local") => Store::Local,
        Some(_) => return Err(wrong()),
        None if v.is_object() => Store::custom(v).map_err(js_error)?,
        None => return Err(wrong()),
    };
    let unauthenticated = match opt_string(o, "storageIntegrity")?.as_deref() {
        None => false,
        Some("none-unsafe") => true,
        Some(_) => return Err(js_error(Error::InvalidOption { name: "storageIntegrity", reason: "can only be none-unsafe" })),
    };
    Store::configured(store, opt_bool(o, "encrypt")?, unauthenticated).map_err(js_error)
}

fn optional_u64(v: Option<u64>) -> JsValue {
    v.map(|n| JsValue::from_f64(n as f64)).unwrap_or(JsValue::UNDEFINED)
}

fn token_view(t: &TokenView) -> JsResult<JsValue> {
    object(&[
        ("accessToken", t.access_token.secret().into()),
        ("tokenType", t.token_type.as_str().into()),
        ("scopes", strings(&t.scopes)),
        ("expiresAt", optional_u64(t.expires_at)),
        ("refreshed", t.refreshed.into()),
    ])
}

/// What the app holds, without any token value: for a "manage authorizations" page.
fn account_view(a: &Account) -> JsResult<JsValue> {
    let tokens: js_sys::Array = a
        .tokens
        .iter()
        .map(|t| object(&[("scopes", strings(&t.scopes)), ("expiresAt", optional_u64(t.expires_at)), ("receivedAt", optional_u64(Some(t.received_at)))]))
        .collect::<JsResult<_>>()?;
    let id = a.identity.as_ref();
    let text = |v: Option<&String>| v.map(|s| JsValue::from_str(s)).unwrap_or(JsValue::UNDEFINED);
    object(&[
        ("issuer", a.issuer.as_str().into()),
        ("sub", a.sub.as_str().into()),
        ("name", text(id.and_then(|i| i.name.as_ref()))),
        ("username", text(id.and_then(|i| i.username.as_ref()))),
        ("tenantId", text(id.and_then(|i| i.tid.as_ref()))),
        ("grantedScopes", strings(&a.grant)),
        ("hasRefreshToken", a.refresh_token.is_some().into()),
        ("refreshExpiresAt", optional_u64(a.refresh_expires_at)),
        ("signedInAt", optional_u64(Some(a.signed_in_at))),
        ("tokens", tokens.into()),
    ])
}

#[wasm_bindgen(js_class = WasmClient)]
impl WasmClient {
    pub(super) fn session(&self) -> Session {
        Session { provider: self.provider.clone(), client: self.client.clone(), store: self.store.clone(), skew: self.skew }
    }

    /// An access token covering `scopes` (the client's default scopes when omitted): cached, or
    /// refreshed once across tabs.
    #[wasm_bindgen(js_name = getToken)]
    pub fn get_token(&self, scopes: JsValue) -> js_sys::Promise {
        let session = self.session();
        let scopes = opt_strings(&object_of("scopes", scopes), "scopes").map(|s| s.unwrap_or_else(|| self.scopes.clone()));
        future_to_promise(async move {
            let t = session.get_token(scopes?).await.map_err(js_error)?;
            token_view(&t)
        })
    }

    /// The signed-in account (no token values), or `null`.
    pub fn account(&self) -> js_sys::Promise {
        let session = self.session();
        future_to_promise(async move {
            match session.load().await.map_err(js_error)? {
                Some(a) => account_view(&a),
                None => Ok(JsValue::NULL),
            }
        })
    }

    /// Signs out here (and, with `revoke`, at the provider); resolves to the provider's logout URL
    /// or `null`. Options: `{ postLogoutRedirectUri?, revoke? }`.
    #[wasm_bindgen(js_name = signOut)]
    pub fn sign_out(&self, opts: JsValue) -> js_sys::Promise {
        let session = self.session();
        let read = options(opts).and_then(|o| Ok((opt_string(&o, "postLogoutRedirectUri")?, opt_bool(&o, "revoke")?)));
        future_to_promise(async move {
            let (uri, revoke) = read?;
            let url = session.sign_out(uri.as_deref(), revoke).await.map_err(js_error)?;
            Ok(url.map(JsValue::from).unwrap_or(JsValue::NULL))
        })
    }

    /// Drops cached access tokens with exactly these scopes (all when omitted), revoking them at
    /// the provider when `revoke`; resolves to how many were dropped.
    #[wasm_bindgen(js_name = forgetTokens)]
    pub fn forget_tokens(&self, scopes: JsValue, revoke: bool) -> js_sys::Promise {
        let session = self.session();
        let scopes = opt_strings(&object_of("scopes", scopes), "scopes");
        future_to_promise(async move {
            let n = session.forget_tokens(scopes?.unwrap_or_default(), revoke).await.map_err(js_error)?;
            Ok(JsValue::from_f64(n as f64))
        })
    }
}

/// `{ [name]: value }`, so a bare argument can be read with the option readers.
fn object_of(name: &str, value: JsValue) -> JsValue {
    let o: JsValue = js_sys::Object::new().into();
    let _ = js_sys::Reflect::set(&o, &JsValue::from_str(name), &value);
    o
}

/// `true` when `url` is on one of the allow-listed `origins` (RFC 9700 §4.9).
#[wasm_bindgen(js_name = isAllowedOrigin)]
pub fn is_allowed_origin(url: &str, origins: Vec<String>) -> bool {
    origin_allowed(url, &origins)
}

/// A sign-in started with `beginSignIn`: it holds the transaction (verifier, state, nonce) inside
/// wasm, so none of it becomes a JS string. It can be completed once.
#[wasm_bindgen(js_name = WasmPendingSignIn)]
pub struct WasmPendingSignIn {
    url: String,
    transaction: Option<crate::core::transaction::Transaction>,
}

#[wasm_bindgen(js_class = WasmPendingSignIn)]
impl WasmPendingSignIn {
    /// The authorization URL to open.
    #[wasm_bindgen(getter)]
    pub fn url(&self) -> String {
        self.url.clone()
    }
}

#[wasm_bindgen(js_class = WasmClient)]
impl WasmClient {
    /// Builds an authorization request whose transaction stays in memory (no sessionStorage, no
    /// window): for `launchWebAuthFlow` and service workers, where the redirect comes back to the
    /// same caller.
    #[wasm_bindgen(js_name = beginSignIn)]
    pub fn begin_sign_in(&self, request: JsValue) -> JsResult<WasmPendingSignIn> {
        let params = super::signin::request_params(request, &self.scopes)?;
        let (url, transaction) = crate::platform::flow::begin_in_memory(&self.provider, &self.client, &params).map_err(js_error)?;
        Ok(WasmPendingSignIn { url, transaction: Some(transaction) })
    }

    /// Completes a `beginSignIn` with the URL the browser was redirected to: the same checks as a
    /// page redirect, then the code exchange; the session is kept in the client's store.
    #[wasm_bindgen(js_name = completeSignIn)]
    pub fn complete_sign_in(&self, pending: &mut WasmPendingSignIn, url: String) -> js_sys::Promise {
        let session = self.session();
        let transaction = pending.transaction.take();
        future_to_promise(async move {
            let transaction = transaction.ok_or_else(|| js_error(Error::TransactionNotFound))?;
            let now = crate::platform::clock::now();
            let result = crate::platform::flow::finish(&url, transaction, &session.provider, now, session.skew).await.map_err(js_error)?;
            let out = super::convert::sign_in_result(&result)?;
            session.save_sign_in(result).await.map_err(js_error)?;
            Ok(out)
        })
    }
}
