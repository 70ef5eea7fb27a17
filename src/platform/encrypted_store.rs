//! Authenticated storage for the persistent session stores (the default for session, local and
//! adapter storage): AES-GCM (NIST SP 800-38D) through WebCrypto, with a 256-bit key generated
//! non-extractable and kept in IndexedDB as the `CryptoKey` object itself (database
//! `browser-oauth`, object store `keys`, one key per storage key, that is per issuer and client).
//! The structured clone keeps it non-extractable.
//!
//! A stored value is `bo-enc1.` + base64url(12-byte random IV || ciphertext and tag), with the
//! storage key name as AES-GCM additional data, so an entry moved under another name fails.
//!
//! The key is read from IndexedDB at every use, never cached in the page: IndexedDB commits in
//! one order for every tab, so a key rotated in one tab (at sign-in and sign-out) is the key every
//! tab uses next. A page cache could decrypt an entry sealed with the old key (a replayed entry of
//! the user who signed out) or seal with a key the other tabs no longer have.
//!
//! What it stops: a forged entry (plaintext, or made up), an edited one, one moved under another
//! name, one copied from another profile (another key), and one from an earlier sign-in (rotated
//! key) are all refused. Only ciphertext is at rest. What it does not: script running in the
//! page (XSS) can ask the same key to seal or open, as this code does (the caveat of the IETF
//! draft "OAuth 2.0 for Browser-Based Applications"), and browsers keep IndexedDB unencrypted on
//! disk, so a copy of the whole profile carries the key too. Within one sign-in, an older entry
//! of the same session (say, before a refresh) still opens: replaying it only brings back a token
//! the same user was given, whose refresh token the provider may refuse as rotated.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::CryptoKey;

use super::{idb, random};
use super::webcrypto::subtle;
use crate::core::encoding::{base64url_decode, base64url_encode};
use crate::core::error::{Error, Result};

/// The versioned prefix of an encrypted value.
const PREFIX: &str = "bo-enc1.";
const IV_LEN: usize = 12;
const TAG_LEN: usize = 16;

const NO_SUBTLE: Error = Error::PlatformUnavailable { what: "crypto.subtle" };

fn invalid(reason: &'static str) -> Error {
    Error::StoredEntryInvalid { reason }
}

/// Fails early when WebCrypto or IndexedDB is missing (insecure context, some sandboxes).
pub fn available() -> Result<()> {
    subtle()?;
    idb::available()
}

/// Deletes the key of storage key `name`: every entry sealed with it becomes unreadable (it is
/// removed when next read), and the next seal generates a new key. Run at sign-in and sign-out,
/// so that an entry of an earlier sign-in (another user's, too) can never be replayed.
pub async fn rotate(name: &str) -> Result<()> {
    idb::open().await?.delete(idb::KEYS, name).await
}

/// `v` if it is one of ours: an AES-GCM `CryptoKey` that cannot be exported.
fn ours(v: &JsValue) -> Option<CryptoKey> {
    let key = v.dyn_ref::<CryptoKey>()?;
    let algorithm: JsValue = key.algorithm().ok()?.into();
    let name = Reflect::get(&algorithm, &JsValue::from_str("name")).ok()?.as_string();
    (!key.extractable() && name.as_deref() == Some("AES-GCM")).then(|| key.clone())
}

async fn generate() -> Result<CryptoKey> {
    let algorithm = Object::new();
    Reflect::set(&algorithm, &JsValue::from_str("name"), &JsValue::from_str("AES-GCM")).map_err(|_| NO_SUBTLE)?;
    Reflect::set(&algorithm, &JsValue::from_str("length"), &JsValue::from_f64(256.0)).map_err(|_| NO_SUBTLE)?;
    let usages = Array::of2(&JsValue::from_str("encrypt"), &JsValue::from_str("decrypt"));
    let p = subtle()?.generate_key_with_object(&algorithm, false, &usages).map_err(|_| NO_SUBTLE)?;
    JsFuture::from(p).await.map_err(|_| NO_SUBTLE)?.dyn_into().map_err(|_| NO_SUBTLE)
}

/// The current key for storage key `name`, from IndexedDB (generated and stored on first use).
async fn key_for(name: &str) -> Result<CryptoKey> {
    load_or_create(&idb::open().await?, name).await
}

/// Two tabs racing on first use agree: only one `add` succeeds and the other reads it back.
async fn load_or_create(db: &idb::Db, name: &str) -> Result<CryptoKey> {
    for first in [true, false] {
        let found = db.get(idb::KEYS, name).await?;
        if let Some(k) = ours(&found) {
            return Ok(k);
        }
        if first {
            // Anything else stored under this name is replaced.
            let fresh = generate().await?;
            if db.write(idb::KEYS, name, &fresh, !found.is_undefined()).await.is_ok() {
                return Ok(fresh);
            }
        }
    }
    Err(Error::StorageUnavailable)
}

// ---- AES-GCM ------------------------------------------------------------------------------------

fn gcm_params(iv: &[u8], name: &str) -> Result<Object> {
    let o = Object::new();
    let set = |k: &str, v: &JsValue| Reflect::set(&o, &JsValue::from_str(k), v).map(|_| ()).map_err(|_| NO_SUBTLE);
    set("name", &JsValue::from_str("AES-GCM"))?;
    set("iv", &Uint8Array::from(iv))?;
    set("additionalData", &Uint8Array::from(name.as_bytes()))?;
    Ok(o)
}

/// Copies an `ArrayBuffer` result into wasm and zeroes the JS copy.
fn take_bytes(buffer: &JsValue) -> Vec<u8> {
    let view = Uint8Array::new(buffer);
    let out = view.to_vec();
    view.fill(0, 0, view.length());
    out
}

/// Encrypts `plaintext` for storage under `name`.
pub async fn seal(name: &str, plaintext: &str) -> Result<String> {
    let key = key_for(name).await?;
    let mut iv = [0u8; IV_LEN];
    random::fill(&mut iv)?;
    // WebCrypto copies the data before `encrypt` returns its promise.
    let p = subtle()?.encrypt_with_object_and_u8_array(&gcm_params(&iv, name)?, &key, plaintext.as_bytes()).map_err(|_| NO_SUBTLE)?;
    let sealed = JsFuture::from(p).await.map_err(|_| NO_SUBTLE)?;
    let mut bytes = iv.to_vec();
    bytes.extend_from_slice(&take_bytes(&sealed));
    Ok([PREFIX, &base64url_encode(&bytes)].concat())
}

/// Decrypts the value stored under `name`. A missing prefix (a plaintext entry), bad encoding, a
/// moved or edited entry, or one sealed with another key is [`Error::StoredEntryInvalid`].
pub async fn open_entry(name: &str, stored: &str) -> Result<String> {
    let body = stored.strip_prefix(PREFIX).ok_or(invalid("not an encrypted entry"))?;
    let bytes = base64url_decode(body).ok_or(invalid("encrypted entry is not base64url"))?;
    if bytes.len() < IV_LEN + TAG_LEN {
        return Err(invalid("encrypted entry is too short"));
    }
    let (iv, sealed) = bytes.split_at_checked(IV_LEN).ok_or(invalid("encrypted entry is too short"))?;
    let key = key_for(name).await?;
    let p = subtle()?.decrypt_with_object_and_u8_array(&gcm_params(iv, name)?, &key, sealed).map_err(|_| NO_SUBTLE)?;
    let plain = JsFuture::from(p).await.map_err(|_| invalid("encrypted entry does not decrypt"))?;
    String::from_utf8(take_bytes(&plain)).map_err(|_| invalid("decrypted entry is not utf-8"))
}
