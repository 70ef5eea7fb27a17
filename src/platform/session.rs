//! The session, sequenced: load the account from the chosen store, decide with the core, refresh
//! under a cross-tab lock, save, sign out. Every stored entry is re-validated when read.

use std::cell::RefCell;
use std::rc::Rc;

use super::locks::locked;
use super::store::Store;
use super::{clock, flow, http, random, storage};
use crate::core::authorize::Client;
use crate::core::error::{Error, Result};
use crate::core::provider::Provider;
use crate::core::secret::{AccessToken, RefreshToken};
use crate::core::session::logout::{logout_request, revocation_request};
use crate::core::session::{refresh, stored, Account, Lookup};
use crate::core::signin::SignInResult;
use crate::core::token::{self, parse_token_response};
use crate::core::transaction::Transaction;

thread_local! {
    // The last stored entry that passed validation, with its exact text. A read that returns the
    // same text reuses it; any change, by anyone, is validated again in full. (Validation that
    // depends on the clock only refuses entries dated in the future, which cannot become true
    // later for the same text.)
    static VALIDATED: RefCell<Option<(String, String, Rc<Account>)>> = const { RefCell::new(None) };
}

fn forget_validated() {
    VALIDATED.with(|v| *v.borrow_mut() = None);
}

/// An access token handed to the app.
pub struct TokenView {
    pub access_token: AccessToken,
    pub token_type: String,
    pub scopes: Vec<String>,
    pub expires_at: Option<u64>,
    /// `true` when this call refreshed it.
    pub refreshed: bool,
}

/// Everything the session needs, cheap to clone into a locked section.
#[derive(Clone)]
pub struct Session {
    pub provider: Provider,
    pub client: Client,
    pub store: Store,
    /// Seconds before expiry at which a token is refreshed, and ID token time skew.
    pub skew: u64,
}

impl Session {
    fn key(&self) -> String {
        ["browser-oauth:session:", &self.client.client_id, "@", &self.provider.issuer].concat()
    }

    fn lock_name(&self) -> String {
        ["browser-oauth:refresh:", &self.client.client_id, "@", &self.provider.issuer].concat()
    }

    /// Saves the account a completed sign-in created (only called after every check passed),
    /// sealed with a new key: no entry of an earlier sign-in can be read again (issue 8). Under
    /// the refresh lock, so that no refresh in another tab seals with the key being replaced.
    pub async fn save_sign_in(&self, result: SignInResult) -> Result<()> {
        let mut account = Account::from_sign_in(result, &self.client.client_id, self.provider.is_entra(), clock::now())?;
        let this = self.clone();
        locked(&self.lock_name(), move || async move {
            this.store.rotate(&this.key()).await?;
            this.save(&mut account).await
        })
        .await
    }

    /// Removes the session and its key: it ended (sign-out, or the grant is gone).
    async fn end(&self) -> Result<()> {
        forget_validated();
        let key = self.key();
        self.store.remove(&key).await?;
        self.store.rotate(&key).await
    }

    /// Writes the account, within the size it can be read back at.
    async fn save(&self, account: &mut Account) -> Result<()> {
        forget_validated();
        self.store.set(&self.key(), &stored::to_json_capped(account, clock::now())).await
    }

    /// The stored account, validated, shared: re-validated only when its text changed.
    async fn load_shared(&self) -> Result<Option<Rc<Account>>> {
        let key = self.key();
        let Some(text) = self.store.get(&key).await? else {
            forget_validated();
            return Ok(None);
        };
        let hit = VALIDATED.with(|v| v.borrow().as_ref().filter(|(k, t, _)| *k == key && *t == text).map(|(_, _, a)| a.clone()));
        if let Some(account) = hit {
            return Ok(Some(account));
        }
        let account = Rc::new(self.validate(&key, &text).await?);
        VALIDATED.with(|v| *v.borrow_mut() = Some((key, text, account.clone())));
        Ok(Some(account))
    }

    async fn validate(&self, key: &str, text: &str) -> Result<Account> {
        match stored::from_json(text, &self.provider, &self.client.client_id, clock::now()) {
            Ok(a) => Ok(a),
            Err(e) => {
                self.store.remove(key).await?;
                Err(e)
            }
        }
    }

    /// The stored account, `None` when signed out. A corrupt, foreign or edited entry is removed
    /// and reported as [`Error::StoredEntryInvalid`] (checklist item 38).
    pub async fn load(&self) -> Result<Option<Account>> {
        let key = self.key();
        let Some(text) = self.store.get(&key).await? else { return Ok(None) };
        self.validate(&key, &text).await.map(Some)
    }

    /// [`Session::load`] for a read-modify-write under the lock: the entry as the last write from
    /// any tab left it, even where this tab's copy of the store lags ([`Store::get_latest`]).
    async fn load_latest(&self) -> Result<Option<Account>> {
        let key = self.key();
        let Some(text) = self.store.get_latest(&key).await? else { return Ok(None) };
        self.validate(&key, &text).await.map(Some)
    }

    /// An access token covering `scopes`: from the cache, or refreshed once across tabs.
    pub async fn get_token(&self, scopes: Vec<String>) -> Result<TokenView> {
        let account = self.load_shared().await?.ok_or(Error::InteractionRequired { reason: "not signed in" })?;
        let wanted: Vec<&str> = scopes.iter().map(String::as_str).collect();
        match account.lookup(&wanted, clock::now(), self.skew)? {
            Lookup::Hit(i) => view(&account, i, false),
            Lookup::Refresh(_) => {
                let this = self.clone();
                locked(&self.lock_name(), move || async move { this.refresh_locked(scopes).await }).await
            }
        }
    }

    async fn refresh_locked(&self, scopes: Vec<String>) -> Result<TokenView> {
        // Read again inside the lock: another tab may have refreshed (and rotated) meanwhile.
        let mut account = self.load_latest().await?.ok_or(Error::InteractionRequired { reason: "not signed in" })?;
        let wanted: Vec<&str> = scopes.iter().map(String::as_str).collect();
        let request = match account.lookup(&wanted, clock::now(), self.skew)? {
            Lookup::Hit(i) => return view(&account, i, false),
            Lookup::Refresh(request) => request,
        };
        let rt = account.refresh_token.as_ref().ok_or(Error::InteractionRequired { reason: "no refresh token" })?;
        let req = token::refresh_request(&self.provider.token_endpoint, &self.client.client_id, rt, Some(&request.join(" ")));
        let (status, body) = http::send(&req).await?;
        let response = match parse_token_response(status, &body) {
            Ok(r) => r,
            Err(e) => {
                let e = refresh::on_refresh_error(e);
                if matches!(e, Error::InteractionRequired { .. }) {
                    self.end().await?;
                }
                return Err(e);
            }
        };
        // A refreshed ID token is signed like the first (OpenID Connect Core §12.2 refers to
        // §3.1.3.7), checked before anything of the response is applied or saved.
        if let (Some(_), Some(jwt)) = (&self.provider.jwks_uri, &response.id_token) {
            super::webcrypto::verify_id_token_signature(&self.provider, jwt.secret()).await?;
        }
        let now = clock::now();
        refresh::apply(&mut account, response, &request, &self.provider, now, self.skew)?;
        self.save(&mut account).await?;
        match account.lookup(&wanted, now, 0)? {
            Lookup::Hit(i) => view(&account, i, true),
            Lookup::Refresh(_) => Err(Error::InvalidTokenResponse { reason: "refreshed token does not cover the scopes" }),
        }
    }

    /// Forgets the session here and, with `revoke`, revokes its tokens at the provider
    /// (RFC 7009, best effort). Returns the RP-initiated logout URL, if the provider has one.
    pub async fn sign_out(&self, post_logout_redirect_uri: Option<&str>, revoke: bool) -> Result<Option<String>> {
        // Under the refresh lock: a refresh in flight in another tab ends first, so the refresh
        // token revoked is the one it rotated to, and it cannot save the session after this
        // removal. The entry is read from the latest copy for the same reason.
        let this = self.clone();
        let account = locked(&self.lock_name(), move || async move {
            let account = this.load_latest().await.ok().flatten();
            this.end().await?;
            Ok(account)
        })
        .await?;
        self.forget_transactions()?;
        let Some(account) = account else {
            return self.logout_url(None, post_logout_redirect_uri);
        };
        if revoke {
            let refresh = account.refresh_token.as_ref().map(RefreshToken::secret);
            let tokens = account.tokens.iter().map(|t| (t.access_token.secret(), "access_token"));
            for (token, hint) in refresh.map(|t| (t, "refresh_token")).into_iter().chain(tokens) {
                if let Some(req) = revocation_request(&self.provider, &self.client.client_id, token, hint) {
                    // Best effort: the local session is already gone; a failed revocation must
                    // not keep the user signed in.
                    let _ = http::send(&req).await;
                }
            }
        }
        self.logout_url(Some(&account), post_logout_redirect_uri)
    }

    fn logout_url(&self, account: Option<&Account>, post_logout_redirect_uri: Option<&str>) -> Result<Option<String>> {
        let mut entropy = [0u8; 32];
        random::fill(&mut entropy)?;
        let req = logout_request(
            &self.provider,
            &self.client.client_id,
            account.and_then(|a| a.id_token.as_ref()),
            post_logout_redirect_uri,
            &entropy,
            self.client.allow_http_loopback,
        )?;
        Ok(req.map(|r| r.url))
    }

    /// Removes this client's pending sign-ins from sessionStorage.
    fn forget_transactions(&self) -> Result<()> {
        let Ok(keys) = storage::keys_with_prefix(flow::TX_PREFIX) else { return Ok(()) };
        for key in keys {
            let ours = storage::get(storage::Kind::Session, &key)?
                .is_some_and(|json| Transaction::from_json(&json, &self.provider.issuer, &self.client.client_id).is_ok());
            if ours {
                storage::remove(storage::Kind::Session, &key)?;
            }
        }
        Ok(())
    }

    /// Drops cached access tokens whose scopes equal `scopes` (all of them when empty), revoking
    /// each when asked; the account and refresh token stay. The entry is read and written back
    /// under the refresh lock, from the latest copy, so that a refresh in another tab is never
    /// undone by writing back the refresh token it replaced.
    pub async fn forget_tokens(&self, scopes: Vec<String>, revoke: bool) -> Result<usize> {
        let this = self.clone();
        let gone = locked(&self.lock_name(), move || async move {
            let Some(mut account) = this.load_latest().await? else { return Ok(Vec::new()) };
            let (gone, kept): (Vec<_>, Vec<_>) = account.tokens.drain(..).partition(|t| scopes.is_empty() || t.scopes == scopes);
            account.tokens = kept;
            this.save(&mut account).await?;
            Ok(gone)
        })
        .await?;
        if revoke {
            for t in &gone {
                if let Some(req) = revocation_request(&self.provider, &self.client.client_id, t.access_token.secret(), "access_token") {
                    let _ = http::send(&req).await;
                }
            }
        }
        Ok(gone.len())
    }
}

fn view(account: &Account, index: usize, refreshed: bool) -> Result<TokenView> {
    let t = account.tokens.get(index).ok_or(Error::InteractionRequired { reason: "no cached token" })?;
    Ok(TokenView {
        access_token: AccessToken::new(t.access_token.secret().to_owned()),
        token_type: t.token_type.clone(),
        scopes: t.scopes.clone(),
        expires_at: t.expires_at,
        refreshed,
    })
}
