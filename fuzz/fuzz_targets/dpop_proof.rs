//! DPoP proof writer (RFC 9449). The input is eight fields split at newlines: a JWK's `kty`, `crv`,
//! `x`, `y`, then `htm`, `htu`, the server's nonce and the access token (empty: none).
//! Invariants: never panics; deterministic; a key is accepted only as EC P-256 with two 32-byte
//! coordinates; a proof written is two base64url JSON objects whose members are exactly what was
//! asked, `htu` without query or fragment and `ath` the token's hash; the JWS takes only a
//! 64-byte signature.
#![no_main]

use browser_oauth::core::dpop::{ath, jws, jti, signing_input, Claims, PublicJwk};
use browser_oauth::core::encoding::base64url_decode;
use browser_oauth::core::json::{self, Value};
use browser_oauth_fuzz::{text, NOW};
use libfuzzer_sys::fuzz_target;

fn decoded(part: &str) -> Value {
    let bytes = base64url_decode(part).expect("a part that is not base64url");
    json::parse(core::str::from_utf8(&bytes).expect("a part that is not utf-8")).expect("a part that is not json")
}

fuzz_target!(|data: &[u8]| {
    let Some(input) = text(data) else { return };
    let f: Vec<&str> = input.splitn(8, '\n').collect();
    let [kty, crv, x, y, htm, htu, nonce, token] = f[..] else { return };
    let Ok(key) = PublicJwk::new(kty, crv, x, y) else { return };
    assert_eq!((kty, crv), ("EC", "P-256"));
    assert_eq!(base64url_decode(x).map(|b| b.len()), Some(32));
    assert_eq!(base64url_decode(y).map(|b| b.len()), Some(32));
    let id = jti(&[7; 16]);
    let claims = Claims {
        jti: &id,
        htm,
        htu,
        iat: NOW,
        nonce: (!nonce.is_empty()).then_some(nonce),
        access_token: (!token.is_empty()).then_some(token),
    };
    let first = signing_input(&key, &claims);
    assert_eq!(first, signing_input(&key, &claims), "not deterministic");
    let Ok(out) = first else { return };
    let (header, payload) = out.split_once('.').expect("no dot");
    let h = decoded(header);
    assert_eq!(h.get("jwk").and_then(|k| k.get("x")).and_then(Value::as_str), Some(x));
    let p = decoded(payload);
    assert_eq!(p.get("htm").and_then(Value::as_str), Some(htm));
    let sent = p.get("htu").and_then(Value::as_str).expect("no htu");
    assert!(htu.starts_with(sent) && !sent.contains(['?', '#']), "htu {sent:?} of {htu:?}");
    assert_eq!(p.get("nonce").and_then(Value::as_str), claims.nonce);
    assert_eq!(p.get("ath").and_then(Value::as_str).map(str::to_owned), claims.access_token.map(ath));
    assert!(jws(&out, &[0; 63]).is_err());
    assert!(jws(&out, &[0; 64]).is_ok_and(|j| j.starts_with(&out)));
});
