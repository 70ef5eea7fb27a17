//! Fixtures shared by the wasm session tests (`browser_session.rs`, `browser_encrypted_store.rs`):
//! a session of `client_id` at https://op.example, and its signed-in account with one cached
//! token for scope `api`, valid for an hour.

use browser_oauth::core::authorize::Client;
use browser_oauth::core::provider::Provider;
use browser_oauth::core::secret::AccessToken;
use browser_oauth::core::session::{Account, CachedToken};
use browser_oauth::core::transaction::ResponseMode;
use browser_oauth::platform::session::Session;
use browser_oauth::platform::store::Store;

pub fn session(client_id: &str, store: Store) -> Session {
    let provider = Provider::explicit("https://op.example", "https://op.example/a", "https://op.example/t", false).unwrap();
    let client = Client::new(client_id, "https://app.example/cb", ResponseMode::Query, false).unwrap();
    Session { provider, client, store, skew: 60 }
}

pub fn account(client_id: &str, access_token: &str, now: u64) -> Account {
    Account {
        issuer: "https://op.example".into(),
        client_id: client_id.into(),
        sub: "alice".into(),
        identity: None,
        id_token: None,
        grant: vec!["api".into()],
        refresh_token: None,
        refresh_expires_at: None,
        tokens: vec![CachedToken {
            access_token: AccessToken::new(access_token.into()),
            token_type: "bearer".into(),
            scopes: vec!["api".into()],
            expires_at: Some(now + 3600),
            received_at: now,
        }],
        signed_in_at: now,
    }
}
