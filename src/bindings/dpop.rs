//! The `dpop` module (`dist/wasm-dpop/`): DPoP proofs (RFC 9449), loaded only by apps that set
//! `dpop: true` (js/dpop.js). The key pair stays in WebCrypto; this module validates its public
//! JWK, gives its thumbprint, writes each proof's signing input (with a fresh `jti` and the
//! clock's `iat`) and assembles the JWS from WebCrypto's signature.

use wasm_bindgen::prelude::*;

use super::convert::{field_value, JsResult};
use crate::core::dpop::{self, Claims, PublicJwk};
use crate::core::encoding::decimal;
use crate::core::error::Error;
use crate::core::json::Value;
use crate::platform::{clock, random};

/// A JS `Error` with `.code`, for the few errors this module raises. Not `convert::js_error` nor
/// its option readers: they carry every variant's code and message (about 3 KB gzip here).
fn js_error(e: Error) -> JsValue {
    let (code, text, reason) = dpop::error_parts(&e);
    let err: JsValue = js_sys::Error::new(&crate::core::text::concat(&[text, reason])).into();
    let _ = js_sys::Reflect::set(&err, &"code".into(), &code.into());
    err
}

/// `source[name]` when it is an own string property, else `""` (refused by the checks after).
fn own_string(source: &JsValue, name: &str) -> String {
    field_value(source, name).as_string().unwrap_or_default()
}

/// A validated ES256 public key (the private half is WebCrypto's, non-extractable).
#[wasm_bindgen(js_name = DpopKey)]
pub struct DpopKey(PublicJwk);

#[wasm_bindgen(js_class = DpopKey)]
impl DpopKey {
    /// `jwk`: `crypto.subtle.exportKey('jwk', publicKey)` (own `kty`, `crv`, `x`, `y`; others ignored).
    #[wasm_bindgen(constructor)]
    pub fn new(jwk: JsValue) -> JsResult<DpopKey> {
        let member = |name| own_string(&jwk, name);
        PublicJwk::new(&member("kty"), &member("crv"), &member("x"), &member("y")).map(DpopKey).map_err(js_error)
    }

    /// The RFC 7638 thumbprint: `dpop_jkt` (RFC 9449 §10).
    #[wasm_bindgen(getter)]
    pub fn thumbprint(&self) -> String {
        self.0.thumbprint()
    }

    /// The signing input of a proof for `htm` `url` (RFC 9449 §4.2), with the server's `nonce`
    /// and, for a resource request, the `accessToken` it carries (`ath`).
    #[wasm_bindgen(js_name = proofInput)]
    pub fn proof_input(&self, htm: &str, url: &str, nonce: Option<String>, access_token: Option<String>) -> JsResult<String> {
        let mut octets = [0u8; 16];
        random::fill(&mut octets).map_err(js_error)?;
        let jti = dpop::jti(&octets);
        let claims = Claims { jti: &jti, htm, htu: url, iat: clock::now(), nonce: nonce.as_deref(), access_token: access_token.as_deref() };
        dpop::signing_input(&self.0, &claims).map_err(js_error)
    }

    /// The compact JWS from the signing input and WebCrypto's 64-byte ECDSA signature.
    pub fn jws(&self, input: &str, signature: &[u8]) -> JsResult<String> {
        dpop::jws(input, signature).map_err(js_error)
    }
}

/// Checks the parsed discovery document lists ES256 in `dpop_signing_alg_values_supported`
/// (RFC 9449 §5.1); `OAUTH_DPOP_UNSUPPORTED` otherwise.
#[wasm_bindgen(js_name = checkDpopProvider)]
pub fn check_dpop_provider(metadata: JsValue) -> JsResult<()> {
    let list = field_value(&metadata, "dpop_signing_alg_values_supported");
    // Own elements only (a hole would read `Array.prototype`); anything but a string is `null`.
    let values = js_sys::Array::is_array(&list).then(|| {
        let n = list.unchecked_ref::<js_sys::Array>().length().min(64);
        Value::Array((0..n).map(|i| field_value(&list, &decimal(u64::from(i))).as_string().map_or(Value::Null, Value::String)).collect())
    });
    dpop::check_provider(values.as_ref()).map_err(js_error)
}
