//! Provider metadata (discovery). Byte 0 picks the configured issuer and the loopback flag.
//! Invariants: never panics; an accepted document names exactly the configured issuer and
//! https endpoints (or loopback http when allowed).
#![no_main]

use browser_oauth::core::provider::{check_https_url, IssuerPolicy, Provider};
use browser_oauth_fuzz::{text, ISSUER};
use libfuzzer_sys::fuzz_target;

const ISSUERS: [&str; 3] = [ISSUER, "https://login.microsoftonline.com/{tenantid}/v2.0", "http://127.0.0.1:4000"];

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    let Some(doc) = text(rest) else { return };
    let configured = ISSUERS[usize::from(flags & 3) % ISSUERS.len()];
    let loopback = flags & 4 != 0;
    let Ok(p) = Provider::from_discovery(configured, doc, loopback) else { return };
    assert_eq!(p.issuer, configured, "another issuer accepted");
    if p.issuer_policy == IssuerPolicy::Exact {
        assert!(check_https_url(&p.issuer, "issuer", loopback).is_ok());
    }
    assert!(check_https_url(&p.authorization_endpoint, "authorization_endpoint", loopback).is_ok());
    assert!(check_https_url(&p.token_endpoint, "token_endpoint", loopback).is_ok());
    for e in [&p.end_session_endpoint, &p.jwks_uri, &p.revocation_endpoint, &p.userinfo_endpoint].into_iter().flatten() {
        assert!(check_https_url(e, "endpoint", loopback).is_ok(), "an endpoint is not https");
    }
});
