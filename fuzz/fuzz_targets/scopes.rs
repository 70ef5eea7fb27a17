//! Scope lists and operations. Invariants: never panics; parse → to-string → parse gives the
//! same set in the same order, and the string form is a fixpoint (normalisation idempotent);
//! minimize is idempotent and keeps coverage both ways; expand covers and is covered by its
//! input; missing is empty exactly when covers holds; a grant of exactly the request has
//! nothing missing or extra.
#![no_main]

use browser_oauth::core::scopes::{compare_granted, covers, expand, minimize, missing, ScopeSet, MAX_SCOPE_TOKENS};
use browser_oauth_fuzz::text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(input) = text(data) else { return };
    // Two lists: what is required, and (after a newline) what is granted.
    let (required_text, granted_text) = input.split_once('\n').unwrap_or((input, input));
    let Ok(set) = ScopeSet::parse(required_text) else {
        // A list that fails strictly may still hold tokens the ops meet from other callers.
        if let Ok(set) = ScopeSet::from_tokens(&required_text.split_whitespace().collect::<Vec<_>>()) {
            let _ = minimize(&set.as_strs());
        }
        return;
    };
    assert!(set.len() <= MAX_SCOPE_TOKENS && !set.is_empty());
    let normal = set.to_scope_string();
    let reparsed = ScopeSet::parse(&normal).expect("a normalised list parses");
    assert!(reparsed == set, "round trip changed the set");
    assert_eq!(reparsed.as_strs(), set.as_strs(), "round trip changed the order");
    assert_eq!(reparsed.to_scope_string(), normal, "normalisation is not idempotent");
    let from_tokens = ScopeSet::from_tokens(&set.as_strs()).expect("tokens of a set build a set");
    assert_eq!(from_tokens.as_strs(), set.as_strs());

    let scopes = set.as_strs();
    let min = minimize(&scopes);
    assert_eq!(minimize(&min), min, "minimize is not idempotent");
    assert!(covers(&min, &scopes), "minimize lost a scope");
    assert!(covers(&scopes, &min));
    let expanded = expand(&scopes);
    let expanded: Vec<&str> = expanded.iter().map(String::as_str).collect();
    assert!(covers(&expanded, &scopes) && covers(&scopes, &expanded), "expand changed what is covered");
    assert!(missing(&scopes, &scopes).is_empty());

    let exact = compare_granted(&scopes, Some(&normal)).expect("the request's own scope string parses");
    assert!(exact.missing.is_empty() && exact.extra.is_empty(), "a grant of exactly the request differs");
    assert!(!exact.as_requested);
    assert!(compare_granted(&scopes, None).is_ok_and(|g| g.as_requested && g.missing.is_empty()));

    if let Ok(granted) = ScopeSet::parse(granted_text) {
        let g = granted.as_strs();
        assert_eq!(missing(&g, &scopes).is_empty(), covers(&g, &scopes), "missing and covers disagree");
        let _ = compare_granted(&scopes, Some(granted_text));
    }
});
