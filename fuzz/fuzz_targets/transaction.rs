//! Stored transaction reader (sessionStorage is attacker input). Invariants: never panics; an
//! accepted transaction is bound to the expected issuer and client, has a non-empty state, and
//! its stored form reads back to the same stored form (fixpoint).
#![no_main]

use browser_oauth::core::transaction::Transaction;
use browser_oauth_fuzz::{text, CLIENT_ID, ISSUER};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(input) = text(data) else { return };
    let Ok(t) = Transaction::from_json(input, ISSUER, CLIENT_ID) else { return };
    assert_eq!((t.issuer.as_str(), t.client_id.as_str()), (ISSUER, CLIENT_ID), "bound to another issuer or client");
    assert!(!t.state.secret().is_empty());
    let written = t.to_json();
    let reread = Transaction::from_json(&written, ISSUER, CLIENT_ID).expect("what the crate writes, it reads back");
    assert_eq!(reread.to_json(), written, "stored form is not a fixpoint");
});
