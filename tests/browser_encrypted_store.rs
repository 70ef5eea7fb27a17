//! Encryption at rest (`encrypt: true`) in headless Chromium: AES-GCM values in Web Storage or an
//! adapter, a non-extractable key in IndexedDB that survives a new page state, and every edited,
//! moved, plaintext or garbage entry refused as `StoredEntryInvalid` without a panic.
//! Run with `--test browser_encrypted_store` on wasm32.
#![cfg(target_arch = "wasm32")]

use browser_oauth::core::encoding::{base64url_decode, base64url_encode};
use browser_oauth::core::session::{stored, Account};
use browser_oauth::platform::encrypted_store;
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
    assert_refused(&next, name, "key gone").await;
    next.set(name, PLAINTEXT).await.unwrap();
    assert_eq!(encrypted_local().get(name).await.unwrap().as_deref(), Some(PLAINTEXT));
}

#[wasm_bindgen_test]
async fn pages_racing_on_first_use_agree_on_one_key() {
    let name = "browser-oauth:session:enc-race@https://op.example";
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

/// An adapter over a JS `Map`, with the map itself to write to behind the library's back.
fn map_adapter() -> (Store, JsValue) {
    let pair = eval("const m = new Map(); return [m, { get: (k) => m.get(k), set: (k, v) => { m.set(k, v); }, remove: (k) => { m.delete(k); } }];");
    let pair: js_sys::Array = pair.into();
    (Store::Custom(pair.get(1)), pair.get(0))
}

/// Issue 8 finding 4: a session written by page script that no provider issued was served. Now
/// every persistent store is sealed unless the app opts out loudly, and a forged entry is purged.
#[wasm_bindgen_test]
async fn a_forged_session_is_refused_and_purged_in_every_persistent_store_by_default() {
    let forged = stored::to_json(&support::account("enc-app", "at-forged", clock::now()));
    let (adapter, map) = map_adapter();
    let raw_in = |area: &str| -> Option<String> {
        match area {
            "session" => storage::get(storage::Kind::Session, SESSION_KEY).unwrap(),
            "local" => storage::get(storage::Kind::Local, SESSION_KEY).unwrap(),
            _ => js_sys::Map::from(map.clone()).get(&SESSION_KEY.into()).as_string(),
        }
    };
    for (area, plain) in [("session", Store::Session), ("local", Store::Local), ("adapter", adapter)] {
        let s = session(Store::configured(plain.clone(), false, false).unwrap());
        assert!(matches!(s.store, Store::Encrypted(_)), "{area}: sealed by default");
        plain.set(SESSION_KEY, &forged).await.unwrap();
        let got = s.get_token(vec!["api".into()]).await;
        assert!(matches!(got, Err(Error::StoredEntryInvalid { .. })), "{area}: {:?}", got.map(|t| t.refreshed));
        assert_eq!(raw_in(area), None, "{area}: purged");

        // What the library itself wrote still reads; made-up ciphertext does not.
        s.store.set(SESSION_KEY, &forged).await.unwrap();
        assert_eq!(s.get_token(vec!["api".into()]).await.unwrap().access_token.secret(), "at-forged", "{area}");
        plain.set(SESSION_KEY, &format!("bo-enc1.{}", base64url_encode(&[7u8; 64]))).await.unwrap();
        assert!(matches!(s.load().await, Err(Error::StoredEntryInvalid { .. })), "{area}: made-up ciphertext");
        assert_eq!(raw_in(area), None, "{area}: purged");
    }
    // Memory stays as it is; the loud opt-out keeps plain storage; the two opposite asks clash.
    assert!(matches!(Store::configured(Store::Memory, false, false), Ok(Store::Memory)));
    assert!(matches!(Store::configured(Store::Local, false, true), Ok(Store::Local)));
    assert!(matches!(Store::configured(Store::Local, true, true).err(), Some(Error::InvalidOption { name: "storageIntegrity", .. })));
    assert!(matches!(Store::configured(Store::Memory, true, false).err(), Some(Error::InvalidOption { name: "encrypt", .. })));
}

/// Without WebCrypto a persistent store is a configuration error, never silently plain.
#[wasm_bindgen_test]
async fn without_webcrypto_a_persistent_store_is_refused_at_configuration() {
    eval(
        "globalThis.__subtle = Object.getOwnPropertyDescriptor(Crypto.prototype, 'subtle');
         Object.defineProperty(Crypto.prototype, 'subtle', { get: () => undefined, configurable: true });",
    );
    let refused = Store::configured(Store::Session, false, false).err();
    let memory = Store::configured(Store::Memory, false, false);
    eval("Object.defineProperty(Crypto.prototype, 'subtle', globalThis.__subtle);");
    assert_eq!(refused, Some(Error::PlatformUnavailable { what: "crypto.subtle" }));
    assert!(matches!(memory, Ok(Store::Memory)));
}

/// An entry copied from another browser profile was sealed with that profile's key: sealed
/// here in page script with a key of its own, in the library's exact format.
#[wasm_bindgen_test]
async fn an_entry_sealed_with_another_profiles_key_is_refused() {
    let name = "browser-oauth:session:enc-profile@https://op.example";
    let store = encrypted_local();
    store.set(name, PLAINTEXT).await.unwrap();
    let foreign = eval_async(&format!(
        "const key = await crypto.subtle.generateKey({{ name: 'AES-GCM', length: 256 }}, false, ['encrypt']);
         const iv = crypto.getRandomValues(new Uint8Array(12));
         const sealed = new Uint8Array(await crypto.subtle.encrypt(
           {{ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode({name:?}) }}, key, new TextEncoder().encode({PLAINTEXT:?})));
         const bytes = new Uint8Array([...iv, ...sealed]);
         return 'bo-enc1.' + btoa(String.fromCharCode(...bytes)).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');"
    ).replace("const key", "return (async () => { const key").replace("/=+$/, '');", "/=+$/, ''); })();"))
    .await
    .unwrap()
    .as_string()
    .unwrap();
    assert!(foreign.starts_with("bo-enc1."));
    storage::set(storage::Kind::Local, name, &foreign).unwrap();
    assert_refused(&store, name, "another profile's key").await;
}

/// Issue 8: an entry written for a user who then signed out cannot be replayed once someone
/// signs in again in the same profile: sign-out and sign-in each replace the key.
#[wasm_bindgen_test]
async fn an_entry_of_a_signed_out_user_is_refused_after_the_next_sign_in() {
    use browser_oauth::core::secret::AccessToken;
    use browser_oauth::core::signin::SignInResult;
    let s = session(encrypted_local());
    s.store.set(SESSION_KEY, &stored::to_json(&support::account("enc-app", "at-alice", clock::now()))).await.unwrap();
    let alices = raw(SESSION_KEY).unwrap();
    assert_eq!(s.sign_out(None, false).await.unwrap(), None);
    assert_eq!(raw(SESSION_KEY), None);

    let next = SignInResult { access_token: AccessToken::new("at-bob".into()), ..s_result() };
    s.save_sign_in(next).await.unwrap();
    let bobs = raw(SESSION_KEY).unwrap();
    assert_eq!(s.get_token(vec!["api".into()]).await.unwrap().access_token.secret(), "at-bob");

    // Alice's entry put back: refused and purged, not served.
    storage::set(storage::Kind::Local, SESSION_KEY, &alices).unwrap();
    assert!(matches!(s.get_token(vec!["api".into()]).await, Err(Error::StoredEntryInvalid { .. })));
    assert_eq!(raw(SESSION_KEY), None);

    // Even an entry of the same sign-in flow before the last sign-in: each sign-in has its key.
    storage::set(storage::Kind::Local, SESSION_KEY, &bobs).unwrap();
    assert_eq!(s.get_token(vec!["api".into()]).await.unwrap().access_token.secret(), "at-bob");
    let again = SignInResult { access_token: AccessToken::new("at-bob-2".into()), ..s_result() };
    s.save_sign_in(again).await.unwrap();
    storage::set(storage::Kind::Local, SESSION_KEY, &bobs).unwrap();
    assert!(matches!(s.load().await, Err(Error::StoredEntryInvalid { .. })), "the previous sign-in's entry");
    s.store.remove(SESSION_KEY).await.unwrap();
}

fn s_result() -> browser_oauth::core::signin::SignInResult {
    browser_oauth::core::signin::SignInResult {
        access_token: browser_oauth::core::secret::AccessToken::new(String::new()),
        token_type: "bearer".into(),
        expires_at: Some(clock::now() + 3600),
        refresh_token: None,
        id_token: None,
        claims: None,
        granted_scopes: vec!["api".into()],
        missing_scopes: Vec::new(),
        requested_scopes: vec!["api".into()],
        issuer: "https://op.example".into(),
    }
}

/// Another tab rotated the key and sealed a new entry: this page uses the new key at once (no
/// key is cached in the page, so none can be stale), and the entry sealed with the old key, put
/// back, is refused.
#[wasm_bindgen_test]
async fn a_key_rotated_in_another_tab_is_used_at_once_and_the_old_entry_refused() {
    let name = "browser-oauth:session:enc-other-tab@https://op.example";
    let store = encrypted_local();
    store.set(name, "before").await.unwrap();
    let before = raw(name).unwrap();
    assert_eq!(store.get(name).await.unwrap().as_deref(), Some("before"));
    // The other tab, through IndexedDB alone: a new key stored, an entry sealed with it.
    let other_tab = with_stored_key(
        name,
        &format!(
            "const fresh = await crypto.subtle.generateKey({{ name: 'AES-GCM', length: 256 }}, false, ['encrypt', 'decrypt']);
             await new Promise((resolve, reject) => {{
               const open = indexedDB.open('browser-oauth');
               open.onsuccess = () => {{
                 const tx = open.result.transaction('keys', 'readwrite');
                 tx.objectStore('keys').put(fresh, {name:?});
                 tx.oncomplete = () => {{ open.result.close(); resolve(); }};
                 tx.onerror = () => reject(tx.error);
               }};
               open.onerror = () => reject(open.error);
             }});
             const iv = crypto.getRandomValues(new Uint8Array(12));
             const sealed = new Uint8Array(await crypto.subtle.encrypt(
               {{ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode({name:?}) }}, fresh, new TextEncoder().encode('after')));
             const bytes = new Uint8Array([...iv, ...sealed]);
             return 'bo-enc1.' + btoa(String.fromCharCode(...bytes)).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');"
        ),
    );
    let after = eval_async(&other_tab).await.unwrap().as_string().unwrap();
    storage::set(storage::Kind::Local, name, &after).unwrap();
    assert_eq!(store.get(name).await.unwrap().as_deref(), Some("after"), "opened with the rotated key, not purged");
    storage::set(storage::Kind::Local, name, &before).unwrap();
    assert_refused(&store, name, "sealed with the key before the rotation").await;
}

/// A sign-in in another tab rotates the key and writes a new entry while this page is reading the
/// old one: the old entry fails to open, but by the time it would be removed the new entry is
/// there. The new entry is opened, never removed (removing it would sign every tab out).
#[wasm_bindgen_test]
async fn an_entry_replaced_while_the_old_one_failed_to_open_is_opened_not_removed() {
    let name = "browser-oauth:session:enc-race@https://op.example";
    // An adapter whose first read returns an entry sealed with a key that was since rotated, as a
    // read that raced the other tab's rotation and write would; later reads return the store.
    let pair: js_sys::Array = eval(
        "const m = new Map(); const removed = []; let stale = null;
         return [m, removed, (v) => { stale = v; }, {
           get: (k) => { if (stale !== null) { const v = stale; stale = null; return v; } return m.get(k); },
           set: (k, v) => { m.set(k, v); },
           remove: (k) => { removed.push(k); m.delete(k); },
         }];",
    )
    .into();
    let (removed, set_stale) = (pair.get(1), js_sys::Function::from(pair.get(2)));
    let store = Store::encrypted(Store::Custom(pair.get(3))).unwrap();
    store.set(name, "old session").await.unwrap();
    let old_sealed = store_raw(&pair.get(0), name);
    encrypted_store::rotate(name).await.unwrap();
    store.set(name, "new session").await.unwrap();
    set_stale.call1(&JsValue::UNDEFINED, &JsValue::from_str(&old_sealed)).unwrap();
    assert_eq!(store.get(name).await.unwrap().as_deref(), Some("new session"));
    assert_eq!(js_sys::Array::from(&removed).length(), 0, "nothing was removed");
    // Control: the same stale read with nothing newer stored is refused and removed.
    let current = store_raw(&pair.get(0), name);
    encrypted_store::rotate(name).await.unwrap();
    set_stale.call1(&JsValue::UNDEFINED, &JsValue::from_str(&current)).unwrap();
    assert!(matches!(store.get(name).await, Err(Error::StoredEntryInvalid { .. })));
    assert_eq!(js_sys::Array::from(&removed).length(), 1, "the entry that no longer opens is removed");
}

fn store_raw(map: &JsValue, name: &str) -> String {
    js_sys::Reflect::apply(
        &js_sys::Reflect::get(map, &JsValue::from_str("get")).unwrap().into(),
        map,
        &js_sys::Array::of1(&JsValue::from_str(name)),
    )
    .unwrap()
    .as_string()
    .unwrap()
}
