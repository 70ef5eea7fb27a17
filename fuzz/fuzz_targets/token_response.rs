//! Token response reader. The first byte picks the HTTP status (low 3 bits) and whether DPoP
//! was asked (bit 3); the rest is the body.
//! Invariants: never panics; deterministic; only a 200 with a JSON object holding a non-empty
//! string `access_token` and a bearer `token_type` (`DPoP` when DPoP was asked, and then only
//! that) is accepted, and what it returns is what the body says.
#![no_main]

use browser_oauth::core::json::{self, Value};
use browser_oauth::core::token::parse_token_response;
use browser_oauth_fuzz::text;
use libfuzzer_sys::fuzz_target;

const STATUSES: [u16; 8] = [200, 200, 200, 400, 401, 403, 500, 302];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let Some(body) = text(rest) else { return };
    let status = STATUSES[usize::from(pick) % STATUSES.len()];
    let dpop = pick & 8 != 0;
    let wanted = if dpop { "dpop" } else { "bearer" };
    let first = parse_token_response(status, body, dpop);
    let again = parse_token_response(status, body, dpop);
    assert_eq!(first.as_ref().err(), again.as_ref().err(), "error is not stable");
    let Ok(r) = first else { return };
    assert_eq!(status, 200, "accepted a non-200 response");
    let doc = json::parse(body).expect("accepted a body that is not json");
    assert_eq!(doc.get("access_token").and_then(Value::as_str), Some(r.access_token.secret()));
    assert!(!r.access_token.secret().is_empty());
    assert_eq!(r.token_type, wanted);
    assert!(doc.get("token_type").and_then(Value::as_str).is_some_and(|t| t.eq_ignore_ascii_case(wanted)));
    assert!(doc.get("error").is_none_or(|e| e.as_str().is_none()), "accepted an error response");
    assert_eq!(doc.get("scope").and_then(Value::as_str), r.scope.as_deref());
    assert_eq!(doc.get("refresh_token").and_then(Value::as_str), r.refresh_token.as_ref().map(|t| t.secret()));
    assert_eq!(doc.get("id_token").and_then(Value::as_str), r.id_token.as_ref().map(|t| t.secret()));
    if let Some(n) = doc.get("expires_in").and_then(Value::as_f64) {
        assert!(n >= 0.0);
        assert_eq!(r.expires_in, Some(n.min(1.0e12) as u64));
    }
});
