//! The JSON reader is linear in its input: a hostile provider (or page script writing storage)
//! can send 1 MiB bodies of many members, and each must be read in milliseconds, not seconds.
//! Token, JWKS and discovery bodies share the 1 MiB limit, so each reader is timed on one.
//!
//! Timing tests are noisy by nature; the bound is generous (the quadratic reader took seconds
//! to minutes on these bodies), and every figure is printed (`cargo test -- --nocapture`).
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::time::{Duration, Instant};

use browser_oauth::core::json::{self, MAX_LEN};
use browser_oauth::core::jwks::parse_jwks;
use browser_oauth::core::provider::Provider;
use browser_oauth::core::token::parse_token_response;

/// A guard against quadratic time, not a benchmark: a quiet machine reads 1 MiB in about 30 ms
/// (release) or 150 ms (debug), and the figures are printed; the bound leaves room for a loaded
/// CI machine (tenfold and more) yet stays far below what the quadratic reader took on these
/// bodies (13 s in release on the padded token response, minutes in debug).
const BOUND: Duration = if cfg!(debug_assertions) { Duration::from_secs(8) } else { Duration::from_secs(2) };

/// `count` members `"m<i>":<i>` in one object, separated by commas, without braces.
fn members(prefix: &str, count: usize) -> String {
    let mut out = String::with_capacity(count * 16);
    for i in 0..count {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!("\"{prefix}{i}\":{i}"));
    }
    out
}

/// As many members as fit in `budget` bytes.
fn members_within(prefix: &str, budget: usize) -> String {
    let mut count = budget / 12;
    loop {
        let m = members(prefix, count);
        if m.len() <= budget {
            return m;
        }
        count -= count / 20 + 1;
    }
}

fn timed<T>(what: &str, body: &str, f: impl Fn(&str) -> T) -> T {
    // The fastest of three runs: the figure is the reader's, not the scheduler's.
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..3 {
        let start = Instant::now();
        let r = f(body);
        best = best.min(start.elapsed());
        out = Some(r);
    }
    println!("{what}: {} bytes in {:.2} ms", body.len(), best.as_secs_f64() * 1000.0);
    assert!(best < BOUND, "{what}: {best:?} for {} bytes (bound {BOUND:?})", body.len());
    out.unwrap()
}

#[test]
fn a_flat_object_of_tens_of_thousands_of_members_parses_in_linear_time() {
    let body = format!("{{{}}}", members_within("m", MAX_LEN - 2));
    assert!(body.len() > MAX_LEN * 9 / 10 && body.len() <= MAX_LEN);
    let v = timed("flat object", &body, json::parse).unwrap();
    let json::Value::Object(m) = &v else { panic!("not an object") };
    assert!(m.len() > 50_000, "{} members", m.len());
    // Lookups stay one pass each: the last member and a missing one.
    let last = format!("m{}", m.len() - 1);
    let start = Instant::now();
    assert!(v.get(&last).is_some() && v.get("absent").is_none());
    assert!(start.elapsed() < BOUND / 10);
}

#[test]
fn a_duplicate_among_tens_of_thousands_of_members_is_still_found_in_linear_time() {
    let flat = members_within("m", MAX_LEN - 16);
    // The duplicate is the very last member: every earlier one must be remembered.
    let body = format!("{{{flat},\"m7\":0}}");
    assert_eq!(timed("flat object with a duplicate", &body, json::parse), Err("duplicate member"));
}

#[test]
fn a_token_response_padded_with_a_nested_member_parses_in_linear_time() {
    let padding = members_within("p", MAX_LEN - 200);
    let body = format!(r#"{{"access_token":"at","token_type":"Bearer","expires_in":3600,"padding":{{{padding}}},"scope":"openid"}}"#);
    assert!(body.len() <= MAX_LEN);
    let t = timed("padded token response", &body, |b| parse_token_response(200, b, false)).unwrap();
    assert_eq!(t.access_token.secret(), "at");
    assert_eq!(t.scope.as_deref(), Some("openid"));
}

#[test]
fn a_long_array_of_small_objects_parses_in_linear_time() {
    let one = r#"{"kty":"oct","kid":"k","k":"AA"}"#;
    let count = (MAX_LEN - 16) / (one.len() + 1);
    let body = format!(r#"{{"keys":[{}]}}"#, vec![one; count].join(","));
    assert!(body.len() <= MAX_LEN);
    let v = timed("array of small objects", &body, json::parse).unwrap();
    assert_eq!(v.get("keys").and_then(json::Value::as_array).map(<[json::Value]>::len), Some(count));
    // The JWKS reader refuses the set (too many keys), after the same linear read.
    assert!(timed("jwks of many keys", &body, parse_jwks).is_err());
}

#[test]
fn discovery_and_jwks_documents_padded_with_many_members_parse_in_linear_time() {
    let padding = members_within("x", MAX_LEN - 400);
    let doc = format!(
        r#"{{"issuer":"https://op.example","authorization_endpoint":"https://op.example/a","token_endpoint":"https://op.example/t",{padding}}}"#
    );
    let p = timed("padded discovery document", &doc, |d| Provider::from_discovery("https://op.example", d, false)).unwrap();
    assert_eq!(p.token_endpoint, "https://op.example/t");
    let jwks = format!(r#"{{"keys":[{{"kty":"RSA","n":"AQAB","e":"AQAB",{}}}]}}"#, members_within("y", MAX_LEN - 100));
    assert_eq!(timed("jwks with one padded key", &jwks, parse_jwks).unwrap().len(), 1);
}

#[test]
fn members_sharing_long_prefixes_do_not_make_the_duplicate_check_slow() {
    // Names that differ only at the end make every name comparison read the whole name.
    let prefix = "n".repeat(1000);
    let body = format!("{{{}}}", members_within(&prefix, MAX_LEN - 2));
    assert!(timed("long shared-prefix names", &body, json::parse).is_ok());
}
