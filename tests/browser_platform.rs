//! The platform layer in real headless Chromium (wasm-bindgen-test, `run_in_browser`):
//! randomness, sessionStorage, history, fetch, and the redirect flow's storage handling.
//! Run: `cargo test --target wasm32-unknown-unknown --test browser_platform`.
#![cfg(target_arch = "wasm32")]

use browser_oauth::core::authorize::{Client, Params};
use browser_oauth::core::provider::Provider;
use browser_oauth::core::transaction::ResponseMode;
use browser_oauth::platform::{flow, history, http, random, storage};
use browser_oauth::Error;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn window() -> web_sys::Window {
    web_sys::window().unwrap()
}

fn clear_transactions() {
    for k in storage::keys_with_prefix(flow::TX_PREFIX).unwrap() {
        storage::remove(storage::Kind::Session, &k).unwrap();
    }
}

/// Checklist item 4 and 5: CSPRNG output, fresh each time.
#[wasm_bindgen_test]
fn randomness_is_fresh_and_well_formed() {
    let mut seen = std::collections::HashSet::new();
    for _ in 0..1000 {
        let e = random::entropy().unwrap();
        let v = browser_oauth::core::pkce::verifier_from_random(&e.verifier);
        assert!(browser_oauth::core::pkce::is_valid_verifier_syntax(v.secret()));
        assert!(seen.insert(v.secret().to_owned()), "verifier repeated");
        assert_ne!(e.state, e.nonce);
    }
}

#[wasm_bindgen_test]
fn session_storage_take_reads_once() {
    storage::set(storage::Kind::Session, "browser-oauth:test", "v").unwrap();
    assert_eq!(storage::take("browser-oauth:test").unwrap().as_deref(), Some("v"));
    assert_eq!(storage::take("browser-oauth:test").unwrap(), None);
    storage::set(storage::Kind::Session, "browser-oauth:test:a", "1").unwrap();
    assert!(storage::keys_with_prefix("browser-oauth:test:").unwrap().contains(&"browser-oauth:test:a".to_owned()));
    storage::remove(storage::Kind::Session, "browser-oauth:test:a").unwrap();
}

/// Checklist item 19: replaceState rewrites the entry without adding one.
#[wasm_bindgen_test]
fn replace_url_keeps_history_length() {
    let before_len = window().history().unwrap().length().unwrap();
    let href = history::current_url().unwrap();
    let base = href.split(['?', '#']).next().unwrap().to_owned();
    history::replace_url(&format!("{base}?app=1&code=c&state=s")).unwrap();
    let dirty = history::current_url().unwrap();
    let clean = browser_oauth::core::callback::strip_response_params(&dirty, ResponseMode::Query).unwrap();
    history::replace_url(&clean).unwrap();
    assert_eq!(window().location().search().unwrap(), "?app=1");
    assert_eq!(window().history().unwrap().length().unwrap(), before_len);
    history::replace_url(&href).unwrap();
}

#[wasm_bindgen_test]
async fn fetch_reads_status_and_body() {
    let (status, body) = http::get_json("data:application/json,%7B%22a%22%3A1%7D").await.unwrap();
    assert_eq!(status, 200);
    assert_eq!(body, "{\"a\":1}");
}

#[wasm_bindgen_test]
async fn fetch_failure_is_a_typed_network_error() {
    // Port 9 on loopback: nothing listens, the connection is refused.
    assert_eq!(http::get_json("http://127.0.0.1:9/x").await.err(), Some(Error::NetworkError));
}

fn test_client() -> (Provider, Client) {
    let origin = window().location().origin().unwrap();
    let provider = Provider::explicit("https://op.example", "https://op.example/auth", "https://op.example/token", false).unwrap();
    let client = Client::new("app", &format!("{origin}/cb"), ResponseMode::Query, true).unwrap();
    (provider, client)
}

fn params() -> Params {
    Params { scopes: vec!["openid".into()], ..Params::default() }
}

fn state_of(url: &str) -> String {
    let q = url.split_once('?').unwrap().1;
    browser_oauth::core::encoding::form_parse(q).unwrap().into_iter().find(|(k, _)| k == "state").unwrap().1
}

/// Checklist items 13 and 18: a forged state while a sign-in is pending is a mismatch; a second
/// use of a consumed transaction finds nothing; the transaction is stored in sessionStorage only.
#[wasm_bindgen_test]
async fn flow_consumes_transactions_once_and_spots_forged_state() {
    clear_transactions();
    let (provider, client) = test_client();
    let url = flow::begin(&provider, &client, &params()).unwrap();
    assert!(url.starts_with("https://op.example/auth?response_type=code&"));
    let state = state_of(&url);
    assert_eq!(storage::keys_with_prefix(flow::TX_PREFIX).unwrap(), vec![format!("{}{state}", flow::TX_PREFIX)]);
    assert_eq!(window().local_storage().unwrap().unwrap().length().unwrap(), 0, "nothing in localStorage");

    let forged = format!("{}?code=c&state=forged", client.redirect_uri);
    assert_eq!(flow::complete(&provider, &client, Some(forged), 60).await.err(), Some(Error::StateMismatch));

    // The real response with an error: consumed, and typed after the state check.
    let denied = format!("{}?error=access_denied&state={state}", client.redirect_uri);
    match flow::complete(&provider, &client, Some(denied.clone()), 60).await {
        Err(Error::AuthorizationServer(e)) => assert_eq!(e.error, "access_denied"),
        other => panic!("{other:?}"),
    }
    assert_eq!(flow::complete(&provider, &client, Some(denied), 60).await.err(), Some(Error::TransactionNotFound));
    assert!(storage::keys_with_prefix(flow::TX_PREFIX).unwrap().is_empty());
}

/// Checklist item 38: a corrupt or edited stored transaction is refused and gone, never a panic.
#[wasm_bindgen_test]
async fn tampered_transactions_are_refused_and_purged() {
    clear_transactions();
    let (provider, client) = test_client();
    let url = flow::begin(&provider, &client, &params()).unwrap();
    let state = state_of(&url);
    let key = format!("{}{state}", flow::TX_PREFIX);
    let stored = storage::get(storage::Kind::Session, &key).unwrap().unwrap();
    storage::set(storage::Kind::Session, &key, &stored.replace("\"client_id\":\"app\"", "\"client_id\":\"evil\"")).unwrap();
    let response = format!("{}?code=c&state={state}", client.redirect_uri);
    assert!(matches!(flow::complete(&provider, &client, Some(response), 60).await, Err(Error::TransactionInvalid { .. })));
    assert_eq!(storage::get(storage::Kind::Session, &key).unwrap(), None);

    storage::set(storage::Kind::Session, &format!("{}junk", flow::TX_PREFIX), "{not json").unwrap();
    flow::begin(&provider, &client, &params()).unwrap();
    assert_eq!(storage::get(storage::Kind::Session, &format!("{}junk", flow::TX_PREFIX)).unwrap(), None, "begin purges corrupt entries");
    clear_transactions();
}

#[wasm_bindgen_test]
async fn a_url_without_a_response_is_not_an_error() {
    let (provider, client) = test_client();
    let plain = format!("{}?tab=1", client.redirect_uri);
    assert!(flow::complete(&provider, &client, Some(plain), 60).await.unwrap().is_none());
}
