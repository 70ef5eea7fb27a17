//! What stays in wasm, in real headless Chromium (wasm-bindgen-test, `run_in_browser`):
//! randomness, PKCE S256 and SHA-256, and the global allocator of the wasm build (memory is
//! reused, not leaked, in a long session). Storage, fetch, the redirect's transactions and the
//! address bar are tested through the JS package in `tests/e2e/platform.test.mjs`.
//! Run: `cargo test --target wasm32-unknown-unknown --test browser_platform`.
#![cfg(target_arch = "wasm32")]

use browser_oauth::platform::random;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);


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
