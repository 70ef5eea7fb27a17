//! Encryption at rest (`encrypt: true`) in headless Chromium: AES-GCM values in Web Storage or an
//! adapter, a non-extractable key in IndexedDB that survives a new page state, and every edited,
//! moved, plaintext or garbage entry refused as `StoredEntryInvalid` without a panic.
//! Run with `--test browser_encrypted_store` on wasm32.
#![cfg(target_arch = "wasm32")]

use browser_oauth::core::encoding::{base64url_decode, base64url_encode};
use browser_oauth::core::session::{stored, Account};
use browser_oauth::platform::encrypted_store::{self, forget_cached_keys};
use browser_oauth::platform::session::Session;
use browser_oauth::platform::store::Store;
use browser_oauth::platform::{clock, storage};
use browser_oauth::Error;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

mod support;

wasm_bindgen_test_configure!(run_in_browser);

const ACCESS_TOKEN: &str = "at-7Hq2xVb9Lm4pRz8sKd1wYc5Ne3Tg6Uj0";
const REFRESH_TOKEN: &str = "rt-Zk3mQ8vN1bX6cR4tY9wP2sL7dF5gH0aJ";
const PLAINTEXT: &str = r#"{"v":1,"refresh_token":"rt-Zk3mQ8vN1bX6cR4tY9wP2sL7dF5gH0aJ","tokens":[{"access_token":"at-7Hq2xVb9Lm4pRz8sKd1wYc5Ne3Tg6Uj0"}]}"#;

fn eval(js: &str) -> JsValue {
    js_sys::Function::new_no_args(js).call0(&JsValue::UNDEFINED).unwrap()
}

/// Runs `js` (a function body returning a promise) and awaits it; `Err` when it rejects.
async fn eval_async(js: &str) -> Result<JsValue, JsValue> {
    JsFuture::from(js_sys::Promise::from(eval(js))).await
}

/// JS that opens the key database and runs `body` with `key` bound to the stored value of `name`.
fn with_stored_key(name: &str, body: &str) -> String {
    format!(
        "return new Promise((resolve, reject) => {{
           const open = indexedDB.open('browser-oauth');
           open.onerror = () => reject(open.error);
           open.onsuccess = () => {{
             const db = open.result;
             const get = db.transaction('keys').objectStore('keys').get({name:?});
             get.onerror = () => {{ db.close(); reject(get.error); }};
             get.onsuccess = () => {{ db.close(); resolve(get.result); }};
           }};
         }}).then(async (key) => {{ {body} }});"
    )
}

fn encrypted_local() -> Store {
    Store::encrypted(Store::Local).unwrap()
}

fn raw(name: &str) -> Option<String> {
    storage::get(storage::Kind::Local, name).unwrap()
}

/// Reading `name` through `store` is refused as invalid, and the entry is gone from storage.
async fn assert_refused(store: &Store, name: &str, what: &str) {
    let result = store.get(name).await;
    assert!(matches!(result, Err(Error::StoredEntryInvalid { .. })), "{what}: {result:?}");
    assert_eq!(raw(name), None, "{what}: removed");
}

#[wasm_bindgen_test]
async fn local_round_trip_keeps_only_ciphertext_in_storage() {
    let name = "browser-oauth:session:enc-round-trip@https://op.example";
    let store = encrypted_local();
    store.set(name, PLAINTEXT).await.unwrap();
    assert_eq!(store.get(name).await.unwrap().as_deref(), Some(PLAINTEXT));

    let stored = raw(name).unwrap();
    assert_ne!(stored, PLAINTEXT);
    let body = stored.strip_prefix("bo-enc1.").expect("versioned prefix");
    for secret in [ACCESS_TOKEN, REFRESH_TOKEN, "at-7Hq2", "rt-Zk3m", "access_token", "refresh_token", "tokens"] {
        assert!(!stored.contains(secret), "{secret} is readable in storage");
    }
    let bytes = base64url_decode(body).unwrap();
    assert_eq!(bytes.len(), 12 + PLAINTEXT.len() + 16, "IV || ciphertext || tag");

    // A fresh IV on every write: the same value never gives the same ciphertext.
    store.set(name, PLAINTEXT).await.unwrap();
    assert_ne!(raw(name).unwrap(), stored);
    assert_eq!(store.get(name).await.unwrap().as_deref(), Some(PLAINTEXT));

    store.remove(name).await.unwrap();
    assert_eq!(raw(name), None);
    assert_eq!(store.get(name).await.unwrap(), None);
}

#[wasm_bindgen_test]
async fn session_storage_and_adapters_are_encrypted_too() {
    let name = "browser-oauth:session:enc-other-stores@https://op.example";
    let session = Store::encrypted(Store::Session).unwrap();
    session.set(name, PLAINTEXT).await.unwrap();
    assert!(storage::get(storage::Kind::Session, name).unwrap().unwrap().starts_with("bo-enc1."));
    assert_eq!(session.get(name).await.unwrap().as_deref(), Some(PLAINTEXT));
    session.remove(name).await.unwrap();

    let adapter = eval(
        "const m = new Map(); globalThis.__encAdapter = m;
         return { get: async (k) => m.get(k) ?? null, set: async (k, v) => { m.set(k, v); }, remove: async (k) => { m.delete(k); } };",
    );
    let custom = Store::encrypted(Store::Custom(adapter)).unwrap();
    custom.set(name, PLAINTEXT).await.unwrap();
    let held = eval(&format!("return globalThis.__encAdapter.get({name:?});")).as_string().unwrap();
    assert!(held.starts_with("bo-enc1.") && !held.contains(ACCESS_TOKEN));
    assert_eq!(custom.get(name).await.unwrap().as_deref(), Some(PLAINTEXT));
}

#[wasm_bindgen_test]
async fn memory_and_double_encryption_are_refused() {
    assert!(matches!(Store::encrypted(Store::Memory).err(), Some(Error::InvalidOption { name: "encrypt", .. })));
    assert!(matches!(Store::encrypted(encrypted_local()).err(), Some(Error::InvalidOption { name: "encrypt", .. })));
}

#[wasm_bindgen_test]
async fn the_key_is_a_non_extractable_aes_gcm_crypto_key_in_indexeddb() {
    let name = "browser-oauth:session:enc-key@https://op.example";
    encrypted_local().set(name, PLAINTEXT).await.unwrap();
    let summary = eval_async(&with_stored_key(
        name,
        "const exportRejects = async (format) => crypto.subtle.exportKey(format, key).then(() => false, () => true);
         return JSON.stringify({
           cryptoKey: key instanceof CryptoKey,
           extractable: key.extractable,
           algorithm: key.algorithm.name,
           length: key.algorithm.length,
           usages: [...key.usages].sort(),
           rawExportRejects: await exportRejects('raw'),
           jwkExportRejects: await exportRejects('jwk'),
         });",
    ))
    .await
    .unwrap();
    assert_eq!(
        summary.as_string().unwrap(),
        r#"{"cryptoKey":true,"extractable":false,"algorithm":"AES-GCM","length":256,"usages":["decrypt","encrypt"],"rawExportRejects":true,"jwkExportRejects":true}"#
    );
}

#[wasm_bindgen_test]
async fn the_format_is_iv_then_ciphertext_with_the_storage_key_as_additional_data() {
    // Decrypted independently in JS with the stored key: the layout the docs describe.
    let name = "browser-oauth:session:enc-format@https://op.example";
    encrypted_local().set(name, PLAINTEXT).await.unwrap();
    let body = raw(name).unwrap().strip_prefix("bo-enc1.").unwrap().to_owned();
    let decrypt = |aad: &str| {
        with_stored_key(
            name,
            &format!(
                "const b64 = {body:?}.replace(/-/g, '+').replace(/_/g, '/');
                 const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
                 const plain = await crypto.subtle.decrypt(
                   {{ name: 'AES-GCM', iv: bytes.slice(0, 12), additionalData: new TextEncoder().encode({aad:?}) }}, key, bytes.slice(12));
                 return new TextDecoder().decode(plain);"
            ),
        )
    };
    assert_eq!(eval_async(&decrypt(name)).await.unwrap().as_string().as_deref(), Some(PLAINTEXT));
    assert!(eval_async(&decrypt("browser-oauth:session:other@https://op.example")).await.is_err(), "other additional data");
}

#[wasm_bindgen_test]
async fn an_entry_moved_under_another_storage_key_fails() {
    let here = "browser-oauth:session:enc-moved-a@https://op.example";
    let there = "browser-oauth:session:enc-moved-b@https://op.example";
    let elsewhere = "browser-oauth:session:enc-moved-c@https://other.example";
    let store = encrypted_local();
    store.set(here, PLAINTEXT).await.unwrap();
    store.set(there, "{}").await.unwrap();
    let copied = raw(here).unwrap();
    for target in [there, elsewhere] {
        storage::set(storage::Kind::Local, target, &copied).unwrap();
        assert_refused(&store, target, target).await;
    }
    assert_eq!(store.get(here).await.unwrap().as_deref(), Some(PLAINTEXT), "the original still reads");
}

#[wasm_bindgen_test]
async fn a_flipped_bit_anywhere_fails() {
    let name = "browser-oauth:session:enc-flipped@https://op.example";
    let store = encrypted_local();
    store.set(name, PLAINTEXT).await.unwrap();
    let original = raw(name).unwrap();
    let bytes = base64url_decode(original.strip_prefix("bo-enc1.").unwrap()).unwrap();
    // Every byte: the IV, the ciphertext and the tag.
    for i in 0..bytes.len() {
        let mut edited = bytes.clone();
        edited[i] ^= 0x01;
        storage::set(storage::Kind::Local, name, &format!("bo-enc1.{}", base64url_encode(&edited))).unwrap();
        assert_refused(&store, name, &format!("byte {i}")).await;
    }
    // One character of the stored text, as someone editing the entry by hand would.
    let mut chars: Vec<char> = original.chars().collect();
    let middle = chars.len() / 2;
    chars[middle] = if chars[middle] == 'A' { 'B' } else { 'A' };
    storage::set(storage::Kind::Local, name, &chars.into_iter().collect::<String>()).unwrap();
    assert_refused(&store, name, "one character").await;
    // Truncated, or with a byte appended.
    let short = &bytes[..bytes.len() - 1];
    storage::set(storage::Kind::Local, name, &format!("bo-enc1.{}", base64url_encode(short))).unwrap();
    assert_refused(&store, name, "truncated").await;
    let mut long = bytes.clone();
    long.push(0);
    storage::set(storage::Kind::Local, name, &format!("bo-enc1.{}", base64url_encode(&long))).unwrap();
    assert_refused(&store, name, "extended").await;

    storage::set(storage::Kind::Local, name, &original).unwrap();
    assert_eq!(store.get(name).await.unwrap().as_deref(), Some(PLAINTEXT), "the untouched entry still reads");
}

#[wasm_bindgen_test]
async fn garbage_never_panics() {
    let name = "browser-oauth:session:enc-garbage@https://op.example";
    let store = encrypted_local();
    store.set(name, PLAINTEXT).await.unwrap();
    let valid = raw(name).unwrap();
    let body = valid.strip_prefix("bo-enc1.").unwrap();
    let long = "A".repeat(200_000);
    let cases = [
        String::new(),
        "bo-enc1".into(),
        "bo-enc1.".into(),
        "bo-enc1.=".into(),
        "bo-enc1.!!!!".into(),
        "bo-enc1.AAAA".into(),
        format!("bo-enc1.{}", "A".repeat(37)), // 27 bytes: one short of IV and tag
        format!("bo-enc1.{}", "A".repeat(38)), // 28 bytes: an empty ciphertext with a wrong tag
        format!("bo-enc1.{body}="),
        format!("bo-enc1.{}", body.replace('-', "+").replace('_', "/")),
        format!("bo-enc1. {body}"),
        format!("BO-ENC1.{body}"),
        format!("bo-enc2.{body}"),
        format!("bo-enc1.{body}.{body}"),
        format!("bo-enc1.{long}"),
        "bo-enc1.\u{0}\u{ffff}é🙂".into(),
        "null".into(),
        "{}".into(),
    ];
    for case in &cases {
        storage::set(storage::Kind::Local, name, case).unwrap();
        assert_refused(&store, name, case.get(..40).unwrap_or(case)).await;
    }
}

fn session(store: Store) -> Session {
    support::session("enc-app", store)
}

fn account(now: u64) -> Account {
    support::account("enc-app", ACCESS_TOKEN, now)
}

const SESSION_KEY: &str = "browser-oauth:session:enc-app@https://op.example";

#[wasm_bindgen_test]
async fn plaintext_where_ciphertext_is_expected_is_purged_by_the_session() {
    let s = session(encrypted_local());
    let json = stored::to_json(&account(clock::now()));
    s.store.set(SESSION_KEY, &json).await.unwrap();
    assert_eq!(s.get_token(vec!["api".into()]).await.unwrap().access_token.secret(), ACCESS_TOKEN);

    // A valid plaintext session, as written without encryption (or planted by hand).
    storage::set(storage::Kind::Local, SESSION_KEY, &json).unwrap();
    assert!(matches!(s.get_token(vec!["api".into()]).await, Err(Error::StoredEntryInvalid { .. })));
    assert_eq!(raw(SESSION_KEY), None, "purged");
    assert!(matches!(s.get_token(vec!["api".into()]).await, Err(Error::InteractionRequired { .. })));
}

#[wasm_bindgen_test]
async fn a_new_page_state_decrypts_with_the_key_kept_in_indexeddb() {
    let name = "browser-oauth:session:enc-reload@https://op.example";
    encrypted_local().set(name, PLAINTEXT).await.unwrap();
    // As after a reload: nothing cached, a new store; the key comes back from IndexedDB.
    forget_cached_keys();
    let next = encrypted_local();
    assert_eq!(next.get(name).await.unwrap().as_deref(), Some(PLAINTEXT));

    // Without its key (IndexedDB cleared on its own) the entry is invalid, never a crash, and
    // the next write works with a new key.
    eval_async(
        "return new Promise((resolve, reject) => {
           const open = indexedDB.open('browser-oauth');
           open.onsuccess = () => {
             const tx = open.result.transaction('keys', 'readwrite');
             tx.objectStore('keys').clear();
             tx.oncomplete = () => { open.result.close(); resolve(); };
             tx.onerror = () => reject(tx.error);
           };
           open.onerror = () => reject(open.error);
         });",
    )
    .await
    .unwrap();
    forget_cached_keys();
    assert_refused(&next, name, "key gone").await;
    next.set(name, PLAINTEXT).await.unwrap();
    forget_cached_keys();
    assert_eq!(encrypted_local().get(name).await.unwrap().as_deref(), Some(PLAINTEXT));
}

#[wasm_bindgen_test]
async fn pages_racing_on_first_use_agree_on_one_key() {
    let name = "browser-oauth:session:enc-race@https://op.example";
    forget_cached_keys();
    let sealing: Vec<js_sys::Promise> = ["one", "two", "three"]
        .into_iter()
        .map(|text| {
            wasm_bindgen_futures::future_to_promise(async move {
                encrypted_store::seal(name, text).await.map(JsValue::from).map_err(|_| JsValue::NULL)
            })
        })
        .collect();
    let mut sealed = Vec::new();
    for p in sealing {
        sealed.push(JsFuture::from(p).await.unwrap().as_string().unwrap());
    }
    forget_cached_keys();
    for (value, want) in sealed.iter().zip(["one", "two", "three"]) {
        assert_eq!(encrypted_store::open_entry(name, value).await.unwrap(), want);
    }
}

#[wasm_bindgen_test]
async fn without_indexeddb_encryption_is_unavailable() {
    eval(
        "globalThis.__idb = Object.getOwnPropertyDescriptor(globalThis, 'indexedDB');
         Object.defineProperty(globalThis, 'indexedDB', { value: undefined, configurable: true });",
    );
    let refused = Store::encrypted(Store::Local).err();
    eval("if (globalThis.__idb) Object.defineProperty(globalThis, 'indexedDB', globalThis.__idb); else delete globalThis.indexedDB;");
    assert_eq!(refused, Some(Error::PlatformUnavailable { what: "indexedDB" }));
    assert!(Store::encrypted(Store::Local).is_ok());
}
