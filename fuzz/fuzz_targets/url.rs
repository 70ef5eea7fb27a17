//! URL parser: never panics; parse → as_str → parse is the identity; the parts put back together
//! give the original text; origin, without_fragment and without_query_and_fragment are URLs
//! again, with the same host, port and scheme; origin is the text `format!` would write.
#![no_main]

use browser_oauth::core::url::{Url, MAX_URL_LEN};
use browser_oauth_fuzz::text;
use libfuzzer_sys::fuzz_target;

fn same_authority(a: &Url, b: &Url) {
    assert_eq!(a.host(), b.host());
    assert_eq!(a.port(), b.port());
    assert_eq!(a.is_https(), b.is_https());
    assert_eq!(a.origin(), b.origin());
    assert_eq!(a.is_loopback(), b.is_loopback());
}

fuzz_target!(|data: &[u8]| {
    let Some(input) = text(data) else { return };
    let Ok(u) = Url::parse(input) else { return };
    assert!(input.len() <= MAX_URL_LEN);
    assert_eq!(u.as_str(), input, "the original text is kept");
    let again = Url::parse(u.as_str()).expect("a parsed URL parses again");
    assert!(again == u, "parse is not idempotent");
    assert_eq!(u.host(), u.host().to_ascii_lowercase());
    assert!(!u.host().is_empty());
    assert!(u.path().is_empty() || u.path().starts_with('/'));

    let mut rebuilt = u.without_query_and_fragment().to_owned();
    if let Some(q) = u.query() {
        rebuilt.push('?');
        rebuilt.push_str(q);
    }
    if let Some(f) = u.fragment() {
        rebuilt.push('#');
        rebuilt.push_str(f);
    }
    assert_eq!(rebuilt, input, "the parts do not give the original back");
    assert!(u.query().is_none_or(|q| !q.contains('#')));

    // origin() is put together by hand (no core::fmt in the wasm): the text format! would write.
    let scheme = if u.is_https() { "https" } else { "http" };
    let formatted = match u.port() {
        Some(p) => format!("{scheme}://{}:{p}", u.host()),
        None => format!("{scheme}://{}", u.host()),
    };
    assert_eq!(u.origin(), formatted);
    let origin = Url::parse(&u.origin()).expect("the origin is a URL");
    same_authority(&u, &origin);
    assert_eq!(origin.origin(), u.origin(), "origin is not idempotent");
    assert_eq!((origin.path(), origin.query(), origin.fragment()), ("", None, None));

    let base = Url::parse(u.without_query_and_fragment()).expect("the base is a URL");
    same_authority(&u, &base);
    assert_eq!(base.path(), u.path());
    assert_eq!((base.query(), base.fragment()), (None, None));

    let no_fragment = Url::parse(u.without_fragment()).expect("the URL without fragment is a URL");
    same_authority(&u, &no_fragment);
    assert_eq!((no_fragment.path(), no_fragment.query(), no_fragment.fragment()), (u.path(), u.query(), None));
});
