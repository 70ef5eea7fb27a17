//! Stored session reader (storage is attacker input). Byte 0 picks the provider.
//! Invariants: never panics; an accepted entry belongs to this issuer and client, is not dated in
//! the future, and writing it back gives a text that reads back to the same text (fixpoint).
#![no_main]

use browser_oauth::core::session::stored::{from_json, to_json};
use browser_oauth_fuzz::{entra_provider, provider, text, CLIENT_ID, NOW};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    let Some(input) = text(rest) else { return };
    let p = if flags & 1 == 0 { provider(false) } else { entra_provider() };
    let Ok(account) = from_json(input, &p, CLIENT_ID, NOW) else { return };
    assert!(p.issuer_matches(&account.issuer), "another issuer accepted");
    assert_eq!(account.client_id, CLIENT_ID, "another client accepted");
    assert!(account.signed_in_at <= NOW + 300, "dated in the future");
    assert!(account.tokens.iter().all(|t| !t.access_token.secret().is_empty() && t.received_at <= NOW + 300));
    let written = to_json(&account);
    let reread = from_json(&written, &p, CLIENT_ID, NOW).expect("what the crate writes, it reads back");
    assert_eq!(to_json(&reread), written, "stored form is not a fixpoint");
});
