//! ID token decoding and claim validation. Input byte 0 picks the provider and nonce; if the
//! rest holds two newlines it is `header JSON \n claims JSON \n signature` and is encoded into a
//! compact JWS (so mutations reach the claims), otherwise it is the JWS itself.
//! Invariants: never panics; accepted claims have the expected `iss`, `aud` (only the client),
//! an unexpired `exp`, the nonce, and an allowed `alg`. Each dot-separated part of the input
//! decodes as the base64 crate's `URL_SAFE_NO_PAD` decodes it (the crate is the oracle of the
//! written-out decoder).
#![no_main]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use browser_oauth::core::encoding::{base64url_decode, base64url_encode};
use browser_oauth::core::id_token::{decode, validate_claims, Expected, DEFAULT_ALGORITHMS, DEFAULT_SKEW_SECS};
use browser_oauth::core::json::Value;
use browser_oauth_fuzz::{entra_provider, provider, text, CLIENT_ID, NONCE, NOW};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    let Some(input) = text(rest) else { return };
    for part in input.split('.') {
        assert_eq!(base64url_decode(part), URL_SAFE_NO_PAD.decode(part.as_bytes()).ok(), "{part:?}");
    }
    let jwt = match input.splitn(3, '\n').collect::<Vec<_>>()[..] {
        [h, c, s] => format!("{}.{}.{}", base64url_encode(h.as_bytes()), base64url_encode(c.as_bytes()), s),
        _ => input.to_owned(),
    };
    let p = if flags & 1 == 0 { provider(false) } else { entra_provider() };
    let nonce = if flags & 2 == 0 { Some(NONCE) } else { None };
    let max_age = if flags & 4 == 0 { None } else { Some(3600) };
    let expected = Expected { provider: &p, client_id: CLIENT_ID, nonce, max_age, now: NOW, skew: DEFAULT_SKEW_SECS };

    let decoded = decode(&jwt);
    let Ok(claims) = validate_claims(&jwt, &expected, DEFAULT_ALGORITHMS) else { return };
    let decoded = decoded.expect("validated but does not decode");
    let alg = decoded.header.get("alg").and_then(Value::as_str).expect("validated without alg");
    assert!(DEFAULT_ALGORITHMS.contains(&alg), "alg {alg} accepted");
    let iss = claims.get("iss").and_then(Value::as_str).expect("validated without iss");
    let tid = claims.get("tid").and_then(Value::as_str);
    assert_eq!(Some(iss), p.resolve_issuer(tid).ok().as_deref(), "iss is not the issuer");
    match claims.get("aud") {
        Some(Value::String(a)) => assert_eq!(a, CLIENT_ID),
        Some(Value::Array(items)) => {
            assert!(!items.is_empty());
            assert!(items.iter().all(|a| a.as_str() == Some(CLIENT_ID)), "another audience accepted");
        }
        _ => panic!("validated without aud"),
    }
    let exp = claims.get("exp").and_then(Value::as_f64).expect("validated without exp");
    assert!(exp + DEFAULT_SKEW_SECS as f64 > NOW as f64, "expired token accepted");
    if let Some(n) = nonce {
        assert_eq!(claims.get("nonce").and_then(Value::as_str), Some(n), "nonce not checked");
    }
    assert!(claims.get("sub").and_then(Value::as_str).is_some_and(|s| !s.is_empty()));
});
