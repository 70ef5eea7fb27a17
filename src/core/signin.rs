//! The last step of a sign-in: a token response for a validated callback becomes a result only
//! after every check passed (RFC 9700 §4.5.3.2, checklist item 29). Nothing is stored before.

use super::callback::ValidatedCallback;
use super::error::{Error, Result};
use super::id_token::{self, Expected, DEFAULT_ALGORITHMS};
use super::json::Value;
use super::provider::Provider;
use super::scopes::compare_granted;
use super::secret::{AccessToken, IdToken, RefreshToken};
use super::token::TokenResponse;

/// A completed sign-in.
#[derive(Debug)]
pub struct SignInResult {
    pub access_token: AccessToken,
    pub token_type: String,
    /// Unix seconds, from `expires_in` at receipt (a wrong local clock shifts both ends alike).
    pub expires_at: Option<u64>,
    pub refresh_token: Option<RefreshToken>,
    pub id_token: Option<IdToken>,
    /// Validated ID token claims.
    pub claims: Option<Value>,
    /// What the server granted: its `scope`, or the request when it sent none (RFC 6749 §3.3).
    pub granted_scopes: Vec<String>,
    /// Requested scopes the grant does not cover (Azure DevOps inclusion honoured).
    pub missing_scopes: Vec<String>,
    pub requested_scopes: Vec<String>,
    /// The concrete issuer (the Entra template resolved from `tid`).
    pub issuer: String,
}

/// Checks `response` against the `callback` it answers: an ID token is required when `openid`
/// was requested (OpenID Connect Core §3.1.3.3) and its claims must pass [`id_token::validate_claims`].
pub fn complete(callback: ValidatedCallback, response: TokenResponse, provider: &Provider, now: u64, skew: u64) -> Result<SignInResult> {
    let t = &callback.transaction;
    let wants_openid = t.scopes.iter().any(|s| s == "openid");
    let claims = match (&response.id_token, wants_openid) {
        (Some(jwt), _) => {
            let expected = Expected {
                provider,
                client_id: &t.client_id,
                nonce: t.nonce.as_ref().map(|n| n.secret()),
                max_age: t.max_age,
                now,
                skew,
            };
            Some(id_token::validate_claims(jwt.secret(), &expected, DEFAULT_ALGORITHMS)?)
        }
        (None, true) => return Err(Error::InvalidTokenResponse { reason: "id_token missing for an openid request" }),
        (None, false) => None,
    };
    let tid = claims.as_ref().and_then(|c| c.get("tid")).and_then(Value::as_str);
    let issuer = match &claims {
        Some(_) => provider.resolve_issuer(tid)?,
        None => t.issuer.clone(),
    };
    let requested: Vec<&str> = crate::core::text::as_strs(&t.scopes);
    let grant = compare_granted(&requested, response.scope.as_deref())
        .map_err(|_| Error::InvalidTokenResponse { reason: "scope is not an rfc 6749 scope list" })?;
    Ok(SignInResult {
        expires_at: response.expires_in.map(|e| now.saturating_add(e)),
        access_token: response.access_token,
        token_type: response.token_type,
        refresh_token: response.refresh_token,
        id_token: response.id_token,
        claims,
        granted_scopes: grant.granted,
        missing_scopes: grant.missing,
        requested_scopes: callback.transaction.scopes.clone(),
        issuer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::encoding::base64url_encode;
    use crate::core::secret::AuthorizationCode;
    use crate::core::token::parse_token_response;
    use crate::core::transaction::tests::sample;
    use crate::core::transaction::{ResponseMode, Transaction};

    fn callback(scopes: &[&str]) -> ValidatedCallback {
        ValidatedCallback {
            code: AuthorizationCode::new("c".into()),
            transaction: Transaction {
                scopes: crate::core::text::owned(scopes),
                response_mode: ResponseMode::Query,
                iss_parameter_supported: false,
                max_age: None,
                ..sample(0)
            },
        }
    }

    fn provider() -> Provider {
        Provider::explicit("https://op.example", "https://op.example/a", "https://op.example/t", false).unwrap()
    }

    fn id_token(nonce: &str) -> String {
        let claims = format!(r#"{{"iss":"https://op.example","sub":"alice","aud":"app","exp":2000,"iat":900,"nonce":"{nonce}"}}"#);
        format!("{}.{}.c2ln", base64url_encode(br#"{"alg":"RS256"}"#), base64url_encode(claims.as_bytes()))
    }

    #[test]
    fn completes_with_claims_expiry_and_granted_scopes() {
        let body = format!(r#"{{"access_token":"at","token_type":"Bearer","expires_in":3600,"id_token":"{}","scope":"openid profile"}}"#, id_token("n"));
        let r = complete(callback(&["openid", "profile", "email"]), parse_token_response(200, &body, false).unwrap(), &provider(), 1000, 60).unwrap();
        assert_eq!(r.expires_at, Some(4600));
        assert_eq!(r.granted_scopes, ["openid", "profile"]);
        assert!(r.missing_scopes.is_empty(), "email is an OIDC scope servers may drop");
        assert_eq!(r.requested_scopes, ["openid", "profile", "email"]);
        assert_eq!(r.claims.as_ref().and_then(|c| c.get("sub")).and_then(Value::as_str), Some("alice"));
    }

    /// Checklist items 28 and 29.
    #[test]
    fn absent_scope_means_as_requested_and_a_bad_id_token_fails_the_whole_sign_in() {
        let body = r#"{"access_token":"at","token_type":"bearer"}"#;
        let r = complete(callback(&["api"]), parse_token_response(200, body, false).unwrap(), &provider(), 1000, 60).unwrap();
        assert_eq!(r.granted_scopes, ["api"]);
        assert!(r.claims.is_none());
        let missing = complete(callback(&["openid"]), parse_token_response(200, body, false).unwrap(), &provider(), 1000, 60);
        assert!(matches!(missing, Err(Error::InvalidTokenResponse { .. })));
        let body = format!(r#"{{"access_token":"at","token_type":"bearer","id_token":"{}"}}"#, id_token("other"));
        let wrong_nonce = complete(callback(&["openid"]), parse_token_response(200, &body, false).unwrap(), &provider(), 1000, 60);
        assert!(matches!(wrong_nonce, Err(Error::InvalidIdToken { .. })));
        let body = r#"{"access_token":"at","token_type":"bearer","scope":"vso.code_manage"}"#;
        let r = complete(callback(&["vso.code_write", "vso.build"]), parse_token_response(200, body, false).unwrap(), &provider(), 1000, 60).unwrap();
        assert_eq!(r.missing_scopes, ["vso.build"], "vso.code_manage covers vso.code_write");
        let body = r#"{"access_token":"at","token_type":"bearer","scope":"a  b"}"#;
        assert!(complete(callback(&["api"]), parse_token_response(200, body, false).unwrap(), &provider(), 1000, 60).is_err());
    }
}
