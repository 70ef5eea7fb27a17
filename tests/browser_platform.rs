//! The platform layer in real headless Chromium (wasm-bindgen-test, `run_in_browser`):
//! randomness, sessionStorage, history, fetch, the redirect flow's storage handling, PKCE S256 and
//! the global allocator of the wasm build (memory is reused, not leaked, in a long session).
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

/// RFC 7636 Appendix B in the browser: the wasm build hashes with sha2's compact software
/// SHA-256 (Cargo.toml), so the vector is checked on the code that ships, not only natively.
#[wasm_bindgen_test]
fn pkce_s256_matches_rfc7636_appendix_b() {
    let octets = [
        116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191,
        240, 91, 88, 5, 88, 83, 132, 141, 121,
    ];
    let v = browser_oauth::core::pkce::verifier_from_random(&octets);
    assert_eq!(v.secret(), "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    assert_eq!(browser_oauth::core::pkce::s256_challenge(&v), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

/// The same SHA-256 on inputs of one, two and many blocks (FIPS 180-2 examples): the stored
/// session's fingerprints (platform/written.rs) hash values of several kilobytes.
#[wasm_bindgen_test]
fn sha256_matches_fips_180_2_examples() {
    use sha2::{Digest, Sha256};
    let hex = |d: &[u8]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
    assert_eq!(hex(&Sha256::digest(b"abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_eq!(
        hex(&Sha256::digest(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    );
    assert_eq!(hex(&Sha256::digest(vec![b'a'; 1_000_000])), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/// Bytes of the module's linear memory, which only ever grows: it is the allocator's high-water mark.
fn memory_bytes() -> u32 {
    use wasm_bindgen::JsCast;
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().dyn_into().unwrap();
    memory.buffer().dyn_into::<js_sys::ArrayBuffer>().unwrap().byte_length()
}

/// A small deterministic generator (xorshift), so that a failure replays the same sizes.
struct Sizes(u32);
impl Sizes {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }
}

/// A session lives for hours: freed memory must be reused. 100 rounds each allocate about 10 MB in
/// blocks from 16 B to 64 KB, check them, and free them in an interleaved order (so that neighbours
/// must coalesce); after the first rounds the memory no longer grows.
#[wasm_bindgen_test]
fn allocator_reuses_freed_memory_over_many_rounds() {
    let mut sizes = Sizes(0x9e37_79b9);
    let mut after_warm_up = 0;
    for round in 0..100u32 {
        let mut blocks: Vec<Vec<u8>> = Vec::new();
        let mut total = 0usize;
        while total < 10 << 20 {
            let len = match sizes.next() % 4 {
                0 => 16 + sizes.next() % 240,
                1 => 256 + sizes.next() % 3_840,
                _ => 4_096 + sizes.next() % 61_440,
            } as usize;
            let tag = (blocks.len() as u32 ^ round) as u8;
            blocks.push(vec![tag; len]);
            total += len;
        }
        for (i, b) in blocks.iter().enumerate() {
            let tag = (i as u32 ^ round) as u8;
            assert!(b.first() == Some(&tag) && b.last() == Some(&tag), "round {round}: block {i} overwritten");
        }
        // Odd blocks first, then the even ones: every second free meets two free neighbours.
        let mut i = 0;
        blocks.retain(|_| {
            i += 1;
            i % 2 == 0
        });
        drop(blocks);
        if round == 4 {
            after_warm_up = memory_bytes();
        }
    }
    assert!(after_warm_up > 10 << 20, "the rounds held 10 MB at once");
    assert_eq!(memory_bytes(), after_warm_up, "memory grew after the first rounds: freed blocks are not reused");
}

/// Many small blocks allocated, grown and freed in a random order (a fragmented heap): every block
/// keeps its own bytes, and repeating the workload does not grow the memory.
#[wasm_bindgen_test]
fn allocator_keeps_contents_through_fragmentation() {
    fn pattern(id: u32, i: usize) -> u8 {
        (id.wrapping_mul(31) as usize).wrapping_add(i) as u8
    }
    fn check(id: u32, b: &[u8]) {
        assert!(b.iter().enumerate().all(|(i, &x)| x == pattern(id, i)), "block {id} was overwritten");
    }
    let mut high_water = Vec::new();
    for _ in 0..5 {
        // The same sequence each time.
        let mut sizes = Sizes(0x2545_f491);
        let mut next_id = 0u32;
        let mut live: Vec<(u32, Vec<u8>)> = Vec::new();
        for _ in 0..40_000 {
            let r = sizes.next();
            if live.len() < 64 || r % 3 == 0 {
                let len = 1 + (sizes.next() % 300) as usize;
                live.push((next_id, (0..len).map(|i| pattern(next_id, i)).collect()));
                next_id += 1;
            } else {
                let at = (sizes.next() as usize) % live.len();
                if r % 2 == 0 {
                    let (id, b) = live.swap_remove(at);
                    check(id, &b);
                } else {
                    // Grow in place or move: realloc must carry the old bytes along.
                    let (id, b) = &mut live[at];
                    let old = b.len();
                    b.extend((old..old + 1 + (r % 200) as usize).map(|i| pattern(*id, i)));
                    check(*id, b);
                }
            }
        }
        for (id, b) in &live {
            check(*id, b);
        }
        drop(live);
        high_water.push(memory_bytes());
    }
    assert_eq!(high_water.get(1), high_water.last(), "memory grew while repeating the same workload: {high_water:?}");
}
