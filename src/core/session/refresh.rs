//! Applying a refresh-token response (RFC 6749 §6, OpenID Connect Core §12.2).
//!
//! A new refresh token replaces the old one, which is dropped (and wiped) at once: Entra does not
//! revoke the old one server-side, so the client must never send it again (checklist item 35).
//! A new ID token must name the same user, issuer, audience, `azp` and `auth_time`.

use super::account::{Account, CachedToken, IdentityClaims};
use crate::core::error::{Error, Result};
use crate::core::id_token::{self, Expected, DEFAULT_ALGORITHMS};
use crate::core::provider::Provider;
use crate::core::scopes::compare_granted;
use crate::core::token::TokenResponse;

/// What the caller must do after a refresh error. `beyond_grant`: the refresh asked for scopes
/// the sign-in did not grant (another resource, Microsoft Entra): a refusal for missing consent
/// or a policy then concerns those scopes only, and the session stays.
pub fn on_refresh_error(e: Error, beyond_grant: bool) -> Error {
    match &e {
        Error::TokenServer(s)
            if s.aadsts == Some(65001)
                || s.error == "consent_required"
                || (beyond_grant && s.error == "interaction_required") =>
        {
            Error::InteractionRequired { reason: "consent is required for the requested scopes" }
        }
        // The grant is gone (revoked, expired, rotated elsewhere): forget it, sign in again.
        Error::TokenServer(s) if s.error == "invalid_grant" || s.error == "interaction_required" => {
            Error::InteractionRequired { reason: "the refresh token was refused" }
        }
        _ => e,
    }
}

/// Checks a refreshed ID token against the first one (OpenID Connect Core §12.2).
fn check_refreshed_identity(old: &IdentityClaims, new: &IdentityClaims) -> Result<()> {
    let bad = |reason| Err(Error::InvalidIdToken { reason });
    if new.iss != old.iss {
        return bad("refreshed id token has another iss");
    }
    if new.sub != old.sub {
        return bad("refreshed id token has another sub");
    }
    if new.aud != old.aud {
        return bad("refreshed id token has another aud");
    }
    if new.azp.is_some() && new.azp != old.azp {
        return bad("refreshed id token has another azp");
    }
    if new.auth_time.is_some() && new.auth_time != old.auth_time {
        return bad("refreshed id token has another auth_time");
    }
    if new.nonce.is_some() && new.nonce != old.nonce {
        return bad("refreshed id token has another nonce");
    }
    if new.iat < old.iat {
        return bad("refreshed id token is older than the first");
    }
    Ok(())
}

/// Applies a successful refresh `response` for `requested` scopes to `account`. Nothing in the
/// account changes unless every check passed.
pub fn apply(account: &mut Account, response: TokenResponse, requested: &[String], provider: &Provider, now: u64, skew: u64) -> Result<()> {
    let requested: Vec<&str> = crate::core::text::as_strs(requested);
    let grant = compare_granted(&requested, response.scope.as_deref())
        .map_err(|_| Error::InvalidTokenResponse { reason: "scope is not an rfc 6749 scope list" })?;
    let new_identity = match &response.id_token {
        Some(jwt) => {
            let expected = Expected { provider, client_id: &account.client_id, nonce: None, max_age: None, now, skew };
            let claims = id_token::validate_claims(jwt.secret(), &expected, DEFAULT_ALGORITHMS)?;
            let identity = IdentityClaims::from_claims(&claims)?;
            if let Some(old) = &account.identity {
                check_refreshed_identity(old, &identity)?;
            }
            Some(identity)
        }
        None => None,
    };
    if let Some(identity) = new_identity {
        account.identity = Some(identity);
        account.id_token = response.id_token;
    }
    if let Some(rt) = response.refresh_token {
        // The old token is dropped here, and wiped by its Drop.
        account.refresh_token = Some(rt);
    }
    account.put_token(CachedToken {
        access_token: response.access_token,
        token_type: response.token_type,
        scopes: grant.granted,
        expires_at: response.expires_in.map(|e| now.saturating_add(e)),
        received_at: now,
    });
    Ok(())
}
