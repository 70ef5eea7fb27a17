//! JWK Set reader and key selection. Invariants: never panics; at most MAX_KEYS keys; a selected
//! key fits the algorithm, carries the requested kid, and is strong enough.
#![no_main]

use browser_oauth::core::jwks::{parse_jwks, select, Alg, MAX_KEYS};
use browser_oauth_fuzz::text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(input) = text(data) else { return };
    let Ok(keys) = parse_jwks(input) else { return };
    assert!(keys.len() <= MAX_KEYS);
    let first_kid = keys.iter().find_map(|k| k.kid.clone());
    for alg in [Alg::Rs256, Alg::Ps256, Alg::Es256] {
        assert_eq!(Alg::from_name(alg.name()), Some(alg));
        for kid in [None, first_kid.as_deref(), Some("no-such-kid")] {
            let Ok(Some(key)) = select(&keys, alg, kid) else { continue };
            assert!(key.fits(alg), "selected a key that does not fit {}", alg.name());
            assert!(key.check_strength().is_ok(), "selected a weak key");
            if let Some(kid) = kid {
                assert_eq!(key.kid.as_deref(), Some(kid), "selected another kid");
            }
            let fitting = keys.iter().filter(|k| kid.is_none_or(|want| k.kid.as_deref() == Some(want)) && k.fits(alg)).count();
            assert_eq!(fitting, 1, "selected one key of several");
        }
    }
});
