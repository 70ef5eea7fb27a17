//! The Azure DevOps operation table: `required_scopes` on any method and URL, and
//! `minimal_scopes` on what they resolve to. Invariants: never panics; a resolved operation has
//! the method asked for; the answer does not depend on the query; the minimal set allows every
//! resolved call and is never larger than one scope per call.
#![no_main]

use browser_oauth::core::operations::{minimal_scopes, parse_call, required_scopes, Required};
use browser_oauth_fuzz::text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(input) = text(data) else { return };
    let mut ops = Vec::new();
    // One call per line, "METHOD URL" or a bare URL.
    for line in input.lines().take(64) {
        let (method, url) = parse_call(line);
        let Ok(found) = required_scopes(method, url) else { continue };
        if let Required::Operation(op) = found {
            assert!(op.method().eq_ignore_ascii_case(method), "{method} resolved to {}", op.method());
            ops.push(op);
        }
        if !url.contains(['?', '#']) {
            let with_query = format!("{url}?api-version=7.1");
            assert_eq!(required_scopes(method, &with_query).ok(), Some(found), "the query changed the answer");
        }
    }
    let m = minimal_scopes(&ops);
    assert!(m.scopes.len() <= ops.len());
    for op in &ops {
        if op.scopes().next().is_some() {
            assert!(m.scopes.iter().any(|s| op.granted_by(*s)), "{} {} is not allowed", op.method(), op.path());
        }
    }
});
