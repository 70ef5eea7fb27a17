//! ID token signatures checked with the browser's WebCrypto (`crypto.subtle`): the key is
//! imported from its JWK and the JWS verified (RFC 7515 §5.2, OpenID Connect Core §3.1.3.7
//! step 6). No crypto crate ships in the wasm.
//!
//! WebCrypto parameters per JWS algorithm (RFC 7518 §3): RS256 is RSASSA-PKCS1-v1_5 with
//! SHA-256; PS256 is RSA-PSS with SHA-256 and a 32-byte salt; ES256 is ECDSA on P-256 with
//! SHA-256, whose signature is the raw `r || s` that JWS uses too.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

use super::jwks_cache;
use crate::core::error::{Error, Result};
use crate::core::jwks::{self, Alg, Jwk, KeyMaterial};
use crate::core::provider::Provider;

const NO_SUBTLE: Error = Error::PlatformUnavailable { what: "crypto.subtle" };

/// `crypto.subtle` of whatever the global is (window or worker). It exists only in secure
/// contexts (HTTPS or loopback).
pub(crate) fn subtle() -> Result<SubtleCrypto> {
    let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto")).ok().filter(JsValue::is_object).ok_or(NO_SUBTLE)?;
    let subtle = Reflect::get(&crypto, &JsValue::from_str("subtle")).map_err(|_| NO_SUBTLE)?;
    if subtle.is_object() { Ok(subtle.unchecked_into()) } else { Err(NO_SUBTLE) }
}

fn object(members: &[(&str, &str)]) -> Result<Object> {
    let o = Object::new();
    for (name, value) in members {
        Reflect::set(&o, &JsValue::from_str(name), &JsValue::from_str(value))
            .map_err(|_| NO_SUBTLE)?;
    }
    Ok(o)
}

/// The import algorithm (`RsaHashedImportParams` or `EcKeyImportParams`).
fn import_params(alg: Alg) -> Result<Object> {
    match alg {
        Alg::Rs256 => object(&[("name", "RSASSA-PKCS1-v1_5"), ("hash", "SHA-256")]),
        Alg::Ps256 => object(&[("name", "RSA-PSS"), ("hash", "SHA-256")]),
        Alg::Es256 => object(&[("name", "ECDSA"), ("namedCurve", "P-256")]),
    }
}

/// The verify algorithm (`RsaPssParams` needs the salt length, `EcdsaParams` the hash).
fn verify_params(alg: Alg) -> Result<Object> {
    match alg {
        Alg::Rs256 => object(&[("name", "RSASSA-PKCS1-v1_5")]),
        Alg::Ps256 => {
            let o = object(&[("name", "RSA-PSS")])?;
            Reflect::set(&o, &JsValue::from_str("saltLength"), &JsValue::from_f64(32.0))
                .map_err(|_| NO_SUBTLE)?;
            Ok(o)
        }
        Alg::Es256 => object(&[("name", "ECDSA"), ("hash", "SHA-256")]),
    }
}

/// Only the public members go to `importKey`; `use`, `key_ops` and `alg` were checked by
/// [`jwks::select`].
fn public_jwk(key: &Jwk) -> Result<Object> {
    match &key.material {
        KeyMaterial::Rsa { n, e } => object(&[("kty", "RSA"), ("n", n), ("e", e)]),
        KeyMaterial::Ec { crv, x, y } => object(&[("kty", "EC"), ("crv", crv), ("x", x), ("y", y)]),
    }
}

/// `true` when `signature` over `signing_input` verifies with `key` under `alg`. A key that
/// WebCrypto will not import is an invalid ID token: the provider published it for this token.
pub async fn verify(alg: Alg, key: &Jwk, signing_input: &[u8], signature: &[u8]) -> Result<bool> {
    let subtle = subtle()?;
    let usages = Array::of1(&JsValue::from_str("verify"));
    let import = subtle
        .import_key_with_object("jwk", &public_jwk(key)?, &import_params(alg)?, false, &usages)
        .map_err(|_| NO_SUBTLE)?;
    let crypto_key: CryptoKey = JsFuture::from(import)
        .await
        .map_err(|_| Error::InvalidIdToken { reason: "the jwks key cannot be imported" })?
        .unchecked_into();
    // WebCrypto copies both buffers before `verify` returns its promise.
    let check = subtle
        .verify_with_object_and_u8_array_and_u8_array(&verify_params(alg)?, &crypto_key, signature, signing_input)
        .map_err(|_| Error::InvalidIdToken { reason: "the signature cannot be checked" })?;
    let valid = JsFuture::from(check).await.map_err(|_| Error::InvalidIdToken { reason: "the signature cannot be checked" })?;
    Ok(valid.as_bool() == Some(true))
}

/// Checks the signature of an ID token against the provider's JWK Set (`jwks_uri`), with `kid`
/// selection and one rate-limited refetch for an unknown `kid` (OpenID Connect Core §3.1.3.7
/// step 6, §10.1.1; checklist item 32). The `alg` allow-list, narrowed to what the provider
/// advertises, applies before any fetch or crypto.
/// Claims are not checked here: run it after `signin::complete`.
pub async fn verify_id_token_signature(provider: &Provider, jwt: &str) -> Result<()> {
    let token = jwks::signed_token(jwt)?;
    if !provider.advertises_id_token_alg(token.alg.name()) {
        return Err(Error::InvalidIdToken { reason: "alg not allowed" });
    }
    let jwks_uri = provider.jwks_uri.as_deref().ok_or(Error::InvalidMetadata { field: "jwks_uri" })?;
    let key = jwks_cache::key_for(jwks_uri, token.alg, token.kid.as_deref()).await?;
    if verify(token.alg, &key, token.signing_input, &token.signature).await? {
        Ok(())
    } else {
        Err(Error::InvalidIdToken { reason: "signature does not verify" })
    }
}
