//! The session's platform pieces in headless Chromium: stores (memory, Web Storage, custom
//! adapters with and without promises), the cross-tab lock and its in-page fallback, and the
//! session's load / purge / sign-out. Run with `--test browser_session` on wasm32.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use browser_oauth::core::session::{stored, Account};
use browser_oauth::platform::locks::locked;
use browser_oauth::platform::session::Session;
use browser_oauth::platform::store::Store;
use browser_oauth::platform::{clock, storage};
use browser_oauth::Error;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

mod support;

wasm_bindgen_test_configure!(run_in_browser);

fn eval(js: &str) -> JsValue {
    js_sys::Function::new_no_args(js).call0(&JsValue::UNDEFINED).unwrap()
}

async fn sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
    });
    JsFuture::from(p).await.unwrap();
}

fn session(store: Store) -> Session {
    support::session("app", store)
}

fn account(now: u64) -> Account {
    support::account("app", "at-1", now)
}

const KEY: &str = "browser-oauth:session:app@https://op.example";

async fn round_trip(store: Store) {
    store.set("browser-oauth:t", "v1").await.unwrap();
    assert_eq!(store.get("browser-oauth:t").await.unwrap().as_deref(), Some("v1"));
    store.set("browser-oauth:t", "v2").await.unwrap();
    assert_eq!(store.get("browser-oauth:t").await.unwrap().as_deref(), Some("v2"));
    store.remove("browser-oauth:t").await.unwrap();
    assert_eq!(store.get("browser-oauth:t").await.unwrap(), None);
}

#[wasm_bindgen_test]
async fn every_store_reads_back_what_it_wrote() {
    round_trip(Store::Memory).await;
    round_trip(Store::Session).await;
    round_trip(Store::Local).await;
    let sync_adapter = eval("const m = new Map(); return { get: (k) => m.get(k), set: (k, v) => { m.set(k, v); }, remove: (k) => { m.delete(k); } };");
    round_trip(Store::Custom(sync_adapter)).await;
    let async_adapter = eval(
        "const m = new Map(); const later = (f) => new Promise((r) => setTimeout(() => r(f()), 1));
         return { get: (k) => later(() => m.get(k) ?? null), set: (k, v) => later(() => { m.set(k, v); }), remove: (k) => later(() => { m.delete(k); }) };",
    );
    round_trip(Store::Custom(async_adapter)).await;
}

#[wasm_bindgen_test]
async fn broken_adapters_are_typed_errors() {
    let no_methods = eval("return {};");
    assert!(matches!(Store::Custom(no_methods).get("k").await, Err(Error::InvalidOption { .. })));
    let throwing = eval("return { get() { throw new Error('boom'); }, set() { return Promise.reject(new Error('no')); }, remove() {} };");
    assert_eq!(Store::Custom(throwing.clone()).get("k").await.err(), Some(Error::StorageUnavailable));
    assert_eq!(Store::Custom(throwing).set("k", "v").await.err(), Some(Error::StorageUnavailable));
    let wrong_type = eval("return { get: () => 42, set() {}, remove() {} };");
    assert!(matches!(Store::Custom(wrong_type).get("k").await, Err(Error::StoredEntryInvalid { .. })));
}

type Log = Rc<RefCell<Vec<&'static str>>>;

/// Starts three sections at once (each records start/end around a sleep) and returns the log.
/// `lock` false runs them without the lock: the control showing the check can fail.
async fn three_concurrent_sections(lock: bool) -> Vec<&'static str> {
    let log: Log = Rc::new(RefCell::new(Vec::new()));
    let mut started = Vec::new();
    for ms in [30, 5, 1] {
        let log = log.clone();
        let body = move || async move {
            log.borrow_mut().push("start");
            sleep(ms).await;
            log.borrow_mut().push("end");
            Ok::<_, Error>(ms)
        };
        // future_to_promise starts each section now, so all three run concurrently.
        started.push(wasm_bindgen_futures::future_to_promise(async move {
            let n = if lock { locked("browser-oauth:test-lock", body).await } else { body().await };
            n.map(JsValue::from).map_err(|_| JsValue::NULL)
        }));
    }
    for (p, want) in started.into_iter().zip([30, 5, 1]) {
        assert_eq!(JsFuture::from(p).await.unwrap().as_f64(), Some(f64::from(want)));
    }
    let out = log.borrow().clone();
    out
}

async fn overlapping_sections_are_serialised() {
    assert_eq!(three_concurrent_sections(false).await, ["start", "start", "start", "end", "end", "end"], "control: unlocked sections overlap");
    assert_eq!(three_concurrent_sections(true).await, ["start", "end", "start", "end", "start", "end"]);
}

#[wasm_bindgen_test]
async fn web_locks_serialise_refreshes() {
    assert!(browser_oauth::platform::locks::cross_tab());
    overlapping_sections_are_serialised().await;
}

#[wasm_bindgen_test]
async fn without_web_locks_the_in_page_queue_serialises() {
    eval("Object.defineProperty(navigator, 'locks', { value: undefined, configurable: true });");
    assert!(!browser_oauth::platform::locks::cross_tab());
    overlapping_sections_are_serialised().await;
    // An error inside a section is returned, and the queue moves on.
    let failed = locked("browser-oauth:test-lock", || async { Err::<u8, _>(Error::NetworkError) }).await;
    assert_eq!(failed.err(), Some(Error::NetworkError));
    assert_eq!(locked("browser-oauth:test-lock", || async { Ok::<_, Error>(7) }).await.unwrap(), 7);
    eval("delete navigator.locks;");
    assert!(browser_oauth::platform::locks::cross_tab());
}

#[wasm_bindgen_test]
async fn a_cached_token_is_served_and_a_tampered_entry_is_purged() {
    let s = session(Store::Local);
    let now = clock::now();
    s.store.set(KEY, &stored::to_json(&account(now))).await.unwrap();
    let t = s.get_token(vec!["api".into()]).await.unwrap();
    assert_eq!(t.access_token.secret(), "at-1");
    assert!(!t.refreshed);
    assert_eq!(s.get_token(vec!["other".into()]).await.err(), Some(Error::ScopeNotGranted));

    let edited = stored::to_json(&account(now)).replace("\"client_id\":\"app\"", "\"client_id\":\"evil\"");
    s.store.set(KEY, &edited).await.unwrap();
    assert!(matches!(s.get_token(vec!["api".into()]).await, Err(Error::StoredEntryInvalid { .. })));
    assert_eq!(storage::get(storage::Kind::Local, KEY).unwrap(), None, "purged");
    assert!(matches!(s.get_token(vec!["api".into()]).await, Err(Error::InteractionRequired { .. })));
}

#[wasm_bindgen_test]
async fn sign_out_forgets_the_session_and_pending_sign_ins() {
    let s = session(Store::Session);
    s.store.set(KEY, &stored::to_json(&account(clock::now()))).await.unwrap();
    // A pending sign-in of this client, and one of another client that must stay.
    let (provider, client) = (s.provider.clone(), s.client.clone());
    let params = browser_oauth::core::authorize::Params { scopes: vec!["api".into()], ..Default::default() };
    browser_oauth::platform::flow::begin(&provider, &client, &params).unwrap();
    storage::set(storage::Kind::Session, "browser-oauth:tx:someone-else", "{\"v\":1,\"issuer\":\"https://x.example\"}").unwrap();
    let url = s.sign_out(None, false).await.unwrap();
    assert_eq!(url, None, "no end_session_endpoint: local sign-out only");
    assert!(s.load().await.unwrap().is_none());
    let left = storage::keys_with_prefix(browser_oauth::platform::flow::TX_PREFIX).unwrap();
    assert_eq!(left, vec!["browser-oauth:tx:someone-else".to_owned()]);
    storage::remove(storage::Kind::Session, "browser-oauth:tx:someone-else").unwrap();
    let _ = web_sys::window().unwrap().dyn_into::<web_sys::Window>();
}

/// Sets localStorage `key` to `value` after `ms`, as another renderer's write arriving late.
fn arrive_later(key: &str, value: &str, ms: u32) {
    eval(&format!("setTimeout(() => localStorage.setItem({key:?}, {value:?}), {ms});"));
}

#[wasm_bindgen_test]
async fn a_lagging_local_storage_copy_is_waited_for_and_never_taken_for_the_latest() {
    let key = "browser-oauth:lag-test";
    for store in [Store::Local, Store::encrypted(Store::Local).unwrap()] {
        let store = &store;
        store.set(key, "written-by-the-refreshing-tab").await.unwrap();
        let latest = storage::get(storage::Kind::Local, key).unwrap().unwrap();
        // This tab's copy still shows the value from before (written without the library).
        let stale = match store {
            Store::Local => "the-old-value".to_owned(),
            _ => browser_oauth::platform::encrypted_store::seal(key, "the-old-value").await.unwrap(),
        };
        storage::set(storage::Kind::Local, key, &stale).unwrap();
        arrive_later(key, &latest, 150);

        assert_ne!(store.get(key).await.unwrap().as_deref(), Some("written-by-the-refreshing-tab"), "get reads the stale copy");
        let started = js_sys::Date::now();
        assert_eq!(store.get_latest(key).await.unwrap().as_deref(), Some("written-by-the-refreshing-tab"));
        let waited = js_sys::Date::now() - started;
        assert!((100.0..1_900.0).contains(&waited), "waited {waited} ms for the recorded value");

        // A value that never catches up: given up after the bound, and returned as read.
        storage::set(storage::Kind::Local, key, &stale).unwrap();
        let started = js_sys::Date::now();
        let read = store.get_latest(key).await.unwrap();
        assert!(js_sys::Date::now() - started >= 1_900.0);
        assert_ne!(read.as_deref(), Some("written-by-the-refreshing-tab"));

        // After a removal nothing is recorded: whatever is there is read at once.
        store.remove(key).await.unwrap();
        assert_eq!(store.get_latest(key).await.unwrap(), None);
        storage::set(storage::Kind::Local, key, &stale).unwrap();
        let started = js_sys::Date::now();
        assert!(store.get_latest(key).await.unwrap().is_some());
        assert!(js_sys::Date::now() - started < 500.0);
        storage::remove(storage::Kind::Local, key).unwrap();
    }
}

/// This tab's lagging copy still shows the entry sealed before another tab rotated the key (a
/// sign-out and a new sign-in there): it is not purged (that would remove the new entry in every
/// tab) but waited for, like any lagging value.
#[wasm_bindgen_test]
async fn a_lagging_copy_sealed_with_a_rotated_key_is_waited_for_not_purged() {
    let key = "browser-oauth:lag-rotated";
    let store = Store::encrypted(Store::Local).unwrap();
    store.set(key, "before-the-rotation").await.unwrap();
    let stale = storage::get(storage::Kind::Local, key).unwrap().unwrap();
    store.rotate(key).await.unwrap();
    store.set(key, "after-the-rotation").await.unwrap();
    let latest = storage::get(storage::Kind::Local, key).unwrap().unwrap();
    storage::set(storage::Kind::Local, key, &stale).unwrap();
    arrive_later(key, &latest, 150);

    assert_eq!(store.get(key).await.unwrap().as_deref(), Some("after-the-rotation"));
    assert_eq!(storage::get(storage::Kind::Local, key).unwrap().as_deref(), Some(latest.as_str()), "not removed");
    store.remove(key).await.unwrap();
}

#[wasm_bindgen_test]
async fn stores_whose_copies_do_not_lag_read_at_once() {
    for store in [Store::Memory, Store::Session] {
        store.set("browser-oauth:lag-test", "v").await.unwrap();
        let started = js_sys::Date::now();
        assert_eq!(store.get_latest("browser-oauth:lag-test").await.unwrap().as_deref(), Some("v"));
        assert!(js_sys::Date::now() - started < 100.0);
        store.remove("browser-oauth:lag-test").await.unwrap();
    }
}

#[wasm_bindgen_test]
async fn forgetting_tokens_never_writes_back_a_refresh_token_another_tab_replaced() {
    use browser_oauth::core::secret::RefreshToken;
    let s = session(Store::Local);
    let now = clock::now();
    let with_refresh_token = |rt: &str| Account { refresh_token: Some(RefreshToken::new(rt.into())), ..account(now) };
    // Another tab rotated the refresh token to rt-2 (recorded); this tab's copy still shows rt-1.
    s.store.set(KEY, &stored::to_json(&with_refresh_token("rt-2"))).await.unwrap();
    let latest = storage::get(storage::Kind::Local, KEY).unwrap().unwrap();
    storage::set(storage::Kind::Local, KEY, &stored::to_json(&with_refresh_token("rt-1"))).unwrap();
    arrive_later(KEY, &latest, 150);

    assert_eq!(s.forget_tokens(Vec::new(), false).await.unwrap(), 1);
    let kept = s.load().await.unwrap().unwrap();
    assert_eq!(kept.refresh_token.as_ref().map(RefreshToken::secret), Some("rt-2"), "the rotated token survives");
    assert!(kept.tokens.is_empty());
    s.store.remove(KEY).await.unwrap();
}

#[wasm_bindgen_test]
async fn sign_out_revokes_the_refresh_token_another_tab_rotated_to() {
    use browser_oauth::core::secret::RefreshToken;
    let mut s = session(Store::Local);
    s.provider.revocation_endpoint = Some("https://op.example/revoke".into());
    let now = clock::now();
    let with_refresh_token = |rt: &str| Account { refresh_token: Some(RefreshToken::new(rt.into())), tokens: Vec::new(), ..account(now) };
    s.store.set(KEY, &stored::to_json(&with_refresh_token("rt-2"))).await.unwrap();
    let latest = storage::get(storage::Kind::Local, KEY).unwrap().unwrap();
    storage::set(storage::Kind::Local, KEY, &stored::to_json(&with_refresh_token("rt-1"))).unwrap();
    arrive_later(KEY, &latest, 150);

    // The revocation requests, as the global fetch sees them.
    eval(
        "globalThis.__realFetch = globalThis.fetch; globalThis.__revoked = [];
         globalThis.fetch = async (request) => {
           globalThis.__revoked.push(await request.text());
           return new Response('', { status: 200 });
         };",
    );
    let out = s.sign_out(None, true).await;
    let revoked = eval("const r = globalThis.__revoked; globalThis.fetch = globalThis.__realFetch; return r.join('\\n');");
    out.unwrap();
    let revoked = revoked.as_string().unwrap();
    assert!(revoked.contains("token=rt-2"), "{revoked}");
    assert!(!revoked.contains("token=rt-1"), "{revoked}");
    assert_eq!(s.store.get_latest(KEY).await.unwrap(), None);
}

/// A provider in page script for one refresh: `fetch` answers the JWKS (a fresh RSA key) and the
/// token endpoint, whose ID token (sub alice, name Mallory) is signed with that key, its
/// signature garbled when `bad`. Leaves `globalThis.__requests` (the URLs fetched).
async fn fake_provider_for_one_refresh(bad: bool, jwks_uri: &str) {
    let now = clock::now();
    let script = format!(
        "const b64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
         const text = (value) => b64(new TextEncoder().encode(JSON.stringify(value)));
         const alg = {{ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }};
         return crypto.subtle.generateKey(alg, true, ['sign', 'verify']).then(async (pair) => {{
           const jwk = {{ ...(await crypto.subtle.exportKey('jwk', pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }};
           delete jwk.key_ops; delete jwk.ext;
           const input = text({{ alg: 'RS256', kid: 'k1' }}) + '.' + text({{ iss: 'https://op.example', aud: 'app', sub: 'alice', name: 'Mallory', iat: {now}, exp: {now} + 600 }});
           const signature = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', pair.privateKey, new TextEncoder().encode(input)));
           if ({bad}) signature[100] ^= 1;
           const idToken = input + '.' + b64(signature);
           globalThis.__realFetch ??= globalThis.fetch;
           globalThis.__requests = [];
           globalThis.fetch = async (request) => {{
             globalThis.__requests.push(request.url);
             const json = (body) => new Response(JSON.stringify(body), {{ status: 200, headers: {{ 'content-type': 'application/json' }} }});
             if (request.url === {jwks_uri:?}) return json({{ keys: [jwk] }});
             return json({{ access_token: 'at-refreshed', token_type: 'Bearer', expires_in: 3600, refresh_token: 'rt-new', id_token: idToken }});
           }};
         }});"
    );
    JsFuture::from(js_sys::Promise::from(eval(&script))).await.unwrap();
}

fn restore_fetch() -> String {
    let requests = eval("globalThis.fetch = globalThis.__realFetch; return globalThis.__requests.join(' ');");
    requests.as_string().unwrap()
}

/// Issue 8 finding 5: a refreshed ID token is signature-checked like the first, before anything
/// is applied or saved.
#[wasm_bindgen_test]
async fn a_refreshed_id_token_with_a_bad_signature_is_refused_and_the_account_is_unchanged() {
    use browser_oauth::core::secret::RefreshToken;
    let jwks_uri = "https://op.example/jwks-bad-refresh";
    let mut s = session(Store::Local);
    s.provider.jwks_uri = Some(jwks_uri.into());
    let due = Account { refresh_token: Some(RefreshToken::new("rt-old".into())), tokens: Vec::new(), ..account(clock::now()) };
    s.store.set(KEY, &stored::to_json(&due)).await.unwrap();

    fake_provider_for_one_refresh(true, jwks_uri).await;
    let refused = s.get_token(vec!["api".into()]).await;
    let requests = restore_fetch();
    assert_eq!(refused.err(), Some(Error::InvalidIdToken { reason: "signature does not verify" }));
    assert!(requests.contains("https://op.example/t") && requests.contains(jwks_uri), "{requests}");
    let kept = s.load().await.unwrap().unwrap();
    assert!(kept.identity.is_none(), "no name taken from the unverified token");
    assert_eq!(kept.refresh_token.as_ref().map(RefreshToken::secret), Some("rt-old"));
    assert!(kept.tokens.is_empty() && kept.id_token.is_none());

    // Control: the same refresh, correctly signed, is applied (a fresh JWKS URI: the key is new).
    s.provider.jwks_uri = Some("https://op.example/jwks-good-refresh".into());
    fake_provider_for_one_refresh(false, "https://op.example/jwks-good-refresh").await;
    let ok = s.get_token(vec!["api".into()]).await;
    restore_fetch();
    assert_eq!(ok.unwrap().access_token.secret(), "at-refreshed");
    let now = s.load().await.unwrap().unwrap();
    assert_eq!(now.identity.and_then(|i| i.name).as_deref(), Some("Mallory"));
    s.store.remove(KEY).await.unwrap();
}
