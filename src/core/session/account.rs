//! The signed-in account and its tokens: what the cache holds and how `getToken` decides between
//! a cached token, a refresh and an interactive sign-in.
//!
//! Expiry is computed from `expires_in` at receipt ([`crate::core::signin`]), so a client clock
//! that is wrong by hours still measures an hour-long token as an hour long.

use crate::core::error::{Error, Result};
use crate::core::json::Value;
use crate::core::scopes::{covers, OIDC_SCOPES};
use crate::core::secret::{AccessToken, IdToken, RefreshToken};
use crate::core::signin::SignInResult;

/// Microsoft Entra gives refresh tokens issued to single-page apps a fixed 24-hour life, not
/// extended by refreshing (shared/facts §2.3, AADSTS700084).
pub const ENTRA_SPA_REFRESH_LIFETIME_SECS: u64 = 24 * 3600;

/// How close to expiry a cached access token is refreshed instead of returned.
pub const DEFAULT_REFRESH_SKEW_SECS: u64 = 60;

/// One access token and what it may be used for.
#[derive(Debug)]
pub struct CachedToken {
    pub access_token: AccessToken,
    pub token_type: String,
    /// The granted scopes of this token.
    pub scopes: Vec<String>,
    /// Unix seconds; `None` when the server sent no `expires_in`.
    pub expires_at: Option<u64>,
    pub received_at: u64,
}

impl CachedToken {
    /// `true` when the token is usable for `skew` more seconds. A token without expiry is
    /// treated as valid for one hour after receipt, the common default.
    pub fn is_fresh(&self, now: u64, skew: u64) -> bool {
        let expires_at = self.expires_at.unwrap_or(self.received_at.saturating_add(3600));
        now.saturating_add(skew) < expires_at
    }
}

/// The ID token claims a refreshed ID token must repeat (OpenID Connect Core §12.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityClaims {
    pub iss: String,
    pub sub: String,
    pub aud: Vec<String>,
    pub azp: Option<String>,
    pub auth_time: Option<u64>,
    pub iat: u64,
    pub tid: Option<String>,
    /// The sign-in's nonce, already used: a refreshed ID token may only repeat it.
    pub nonce: Option<String>,
    pub name: Option<String>,
    pub username: Option<String>,
}

impl IdentityClaims {
    /// Reads the claims an ID token that already passed validation carries.
    pub fn from_claims(c: &Value) -> Result<IdentityClaims> {
        let bad = |reason| Error::InvalidIdToken { reason };
        let text = |k: &str| c.get(k).and_then(Value::as_str).map(str::to_owned);
        let num = |k: &str| c.get(k).and_then(Value::as_f64).filter(|n| *n >= 0.0).map(|n| n as u64);
        let aud = match c.get("aud") {
            Some(Value::String(a)) => vec![a.clone()],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
            _ => return Err(bad("aud missing")),
        };
        Ok(IdentityClaims {
            iss: text("iss").ok_or(bad("iss missing"))?,
            sub: text("sub").ok_or(bad("sub missing"))?,
            aud,
            azp: text("azp"),
            auth_time: num("auth_time"),
            iat: num("iat").ok_or(bad("iat missing"))?,
            tid: text("tid"),
            nonce: text("nonce"),
            name: text("name"),
            username: text("preferred_username").or_else(|| text("email")),
        })
    }
}

/// A signed-in account at one issuer for one client: the key of the cache.
#[derive(Debug)]
pub struct Account {
    /// The concrete issuer (Entra's template resolved).
    pub issuer: String,
    pub client_id: String,
    /// The ID token's `sub`, or empty for a sign-in without `openid`.
    pub sub: String,
    pub identity: Option<IdentityClaims>,
    pub id_token: Option<IdToken>,
    /// Every scope the original grant carried; refreshes may not ask beyond it (RFC 6749 §6).
    pub grant: Vec<String>,
    pub refresh_token: Option<RefreshToken>,
    /// Fixed hard expiry of the refresh token (Entra SPA), if known.
    pub refresh_expires_at: Option<u64>,
    pub tokens: Vec<CachedToken>,
    pub signed_in_at: u64,
}

/// What `getToken` should do for a request.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    /// A cached token covers the scopes and is fresh: its index in `tokens`.
    Hit(usize),
    /// Refresh with these scopes.
    Refresh(Vec<String>),
}

impl Account {
    /// The account a completed sign-in creates.
    pub fn from_sign_in(result: SignInResult, client_id: &str, entra: bool, now: u64) -> Result<Account> {
        let identity = result.claims.as_ref().map(IdentityClaims::from_claims).transpose()?;
        let refresh_expires_at = (entra && result.refresh_token.is_some()).then(|| now.saturating_add(ENTRA_SPA_REFRESH_LIFETIME_SECS));
        Ok(Account {
            sub: identity.as_ref().map(|i| i.sub.clone()).unwrap_or_default(),
            issuer: result.issuer,
            client_id: client_id.to_owned(),
            identity,
            id_token: result.id_token,
            grant: result.granted_scopes.clone(),
            refresh_token: result.refresh_token,
            refresh_expires_at,
            tokens: vec![CachedToken {
                access_token: result.access_token,
                token_type: result.token_type,
                scopes: result.granted_scopes,
                expires_at: result.expires_at,
                received_at: now,
            }],
            signed_in_at: now,
        })
    }

    /// `true` when `scopes` ask for more than the original grant carried.
    pub fn beyond_grant(&self, scopes: &[&str]) -> bool {
        let wanted: Vec<&str> = scopes.iter().copied().filter(|s| !OIDC_SCOPES.contains(s)).collect();
        let grant: Vec<&str> = crate::core::text::as_strs(&self.grant);
        !covers(&grant, &wanted)
    }

    /// Decides how to serve `scopes` (RFC 6749 §6 for the refresh, Azure DevOps inclusion honoured
    /// when matching). Scopes beyond the original grant are refused, except where one refresh
    /// token serves every resource the user consented to (`multi_resource`: Microsoft Entra,
    /// shared/facts §2.3a): then the refresh asks for them and the server decides. With no usable
    /// refresh token the user must sign in again.
    pub fn lookup(&self, scopes: &[&str], now: u64, skew: u64, multi_resource: bool) -> Result<Lookup> {
        let wanted: Vec<&str> = scopes.iter().copied().filter(|s| !OIDC_SCOPES.contains(s)).collect();
        let beyond = self.beyond_grant(scopes);
        if beyond && !multi_resource {
            return Err(Error::ScopeNotGranted);
        }
        for (i, t) in self.tokens.iter().enumerate() {
            let have: Vec<&str> = crate::core::text::as_strs(&t.scopes);
            if t.is_fresh(now, skew) && covers(&have, &wanted) {
                return Ok(Lookup::Hit(i));
            }
        }
        if self.refresh_token.is_none() {
            return Err(Error::InteractionRequired { reason: "no refresh token" });
        }
        if self.refresh_expires_at.is_some_and(|t| now >= t) {
            return Err(Error::InteractionRequired { reason: "the refresh token reached its fixed lifetime" });
        }
        let mut request: Vec<String> = if wanted.is_empty() { self.grant.clone() } else { crate::core::text::owned(scopes) };
        // Another resource's token: a refresh token keeps coming only when `offline_access` is
        // asked for again (Entra), as it was at sign-in.
        if beyond && self.grant.iter().any(|g| g == "offline_access") && !request.iter().any(|r| r == "offline_access") {
            request.push("offline_access".to_owned());
        }
        Ok(Lookup::Refresh(request))
    }

    /// The account after an interactive sign-in for more scopes with the same provider
    /// (incremental consent, Microsoft Entra): `self` is the new sign-in, `old` the stored
    /// account. The user must be the same (`iss`, `sub`, and `tid` where there is one); a still
    /// usable session of another user is refused, so that signing in for more scopes never
    /// swaps the account under the app (sign out first). The old tokens for other scopes stay,
    /// the grants are joined, the new refresh token replaces the old one.
    pub fn absorb(mut self, old: Account, now: u64) -> Result<Account> {
        let live = old.refresh_token.is_some() && old.refresh_expires_at.is_none_or(|t| now < t);
        let same = old.issuer == self.issuer
            && old.sub == self.sub
            && old.identity.as_ref().map(|i| &i.tid) == self.identity.as_ref().map(|i| &i.tid);
        if !same {
            return if live { Err(Error::AccountMismatch) } else { Ok(self) };
        }
        for g in old.grant {
            if !self.grant.contains(&g) {
                self.grant.push(g);
            }
        }
        let fresh: Vec<CachedToken> = old.tokens.into_iter().filter(|t| t.is_fresh(now, 0)).collect();
        for t in fresh {
            if !self.tokens.iter().any(|n| n.scopes == t.scopes) {
                self.tokens.push(t);
            }
        }
        Ok(self)
    }

    /// Adds a token, replacing any cached token with the same scopes.
    pub fn put_token(&mut self, token: CachedToken) {
        self.tokens.retain(|t| t.scopes != token.scopes);
        self.tokens.push(token);
    }

    /// Drops expired tokens (keeping the cache small; checklist item 38's "expiring correctly").
    pub fn prune(&mut self, now: u64) {
        self.tokens.retain(|t| t.is_fresh(now, 0));
    }
}
