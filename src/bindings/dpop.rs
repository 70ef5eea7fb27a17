//! The `dpop` module (`dist/wasm-dpop/`): DPoP proofs (RFC 9449), loaded only by apps that set
//! `dpop: true` (js/dpop.js). The key pair stays in WebCrypto; this module validates its public
//! JWK, gives its thumbprint, writes each proof's signing input (with a fresh `jti` and the
//! clock's `iat`) and assembles the JWS from WebCrypto's signature.

use wasm_bindgen::prelude::*;

use super::convert::{js_error, opt_string, opt_strings, JsResult};
use crate::core::dpop::{self, Claims, PublicJwk};
use crate::core::error::Error;
use crate::core::json::Value;
use crate::platform::{clock, random};

/// A validated ES256 public key (the private half is WebCrypto's, non-extractable).
#[wasm_bindgen(js_name = DpopKey)]
pub struct DpopKey(PublicJwk);

#[wasm_bindgen(js_class = DpopKey)]
impl DpopKey {
    /// `jwk`: `crypto.subtle.exportKey('jwk', publicKey)` (own `kty`, `crv`, `x`, `y`; others ignored).
    #[wasm_bindgen(constructor)]
    pub fn new(jwk: JsValue) -> JsResult<DpopKey> {
        let member = |name| opt_string(&jwk, name).map(Option::unwrap_or_default);
        PublicJwk::new(&member("kty")?, &member("crv")?, &member("x")?, &member("y")?).map(DpopKey).map_err(js_error)
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
    let values = opt_strings(&metadata, "dpop_signing_alg_values_supported")
        .map_err(|_| js_error(Error::DpopUnsupported))?
        .map(|v| Value::Array(v.into_iter().map(Value::String).collect()));
    dpop::check_provider(values.as_ref()).map_err(js_error)
}
