use super::logout::{logout_request, revocation_request};
use super::refresh::{apply, on_refresh_error};
use super::stored::{from_json, to_json};
use super::*;
use crate::core::encoding::{base64url_encode, form_parse};
use crate::core::error::{Error, ServerError};
use crate::core::json;
use crate::core::provider::Provider;
use crate::core::secret::{AccessToken, IdToken, RefreshToken};
use crate::core::token::parse_token_response;

const NOW: u64 = 1_700_000_000;

fn provider() -> Provider {
    let mut p = Provider::explicit("https://op.example", "https://op.example/a", "https://op.example/t", false).unwrap();
    p.end_session_endpoint = Some("https://op.example/logout".into());
    p.revocation_endpoint = Some("https://op.example/revoke".into());
    p
}

fn jwt(claims: &str) -> String {
    format!("{}.{}.c2ln", base64url_encode(br#"{"alg":"RS256"}"#), base64url_encode(claims.as_bytes()))
}

fn claims(extra: &str) -> String {
    format!(r#"{{"iss":"https://op.example","sub":"alice","aud":"app","exp":{},"iat":{},"auth_time":{}{extra}}}"#, NOW + 3600, NOW, NOW - 10)
}

fn identity() -> IdentityClaims {
    IdentityClaims::from_claims(&json::parse(&claims(r#","nonce":"n1","name":"Alice""#)).unwrap()).unwrap()
}

fn account(scopes: &[&str], expires_at: Option<u64>, refresh: bool) -> Account {
    let scopes: Vec<String> = scopes.iter().map(|s| (*s).to_owned()).collect();
    Account {
        issuer: "https://op.example".into(),
        client_id: "app".into(),
        sub: "alice".into(),
        identity: Some(identity()),
        id_token: Some(IdToken::new(jwt(&claims("")))),
        grant: scopes.clone(),
        refresh_token: refresh.then(|| RefreshToken::new("rt-1".into())),
        refresh_expires_at: None,
        tokens: vec![CachedToken { access_token: AccessToken::new("at-1".into()), token_type: "bearer".into(), scopes, expires_at, received_at: NOW }],
        signed_in_at: NOW,
    }
}

#[test]
fn lookup_serves_fresh_covering_tokens_and_refreshes_near_expiry() {
    let a = account(&["openid", "vso.code_manage"], Some(NOW + 3600), true);
    assert_eq!(a.lookup(&["vso.code"], NOW, 60, false).unwrap(), Lookup::Hit(0), "vso.code_manage covers vso.code");
    assert_eq!(a.lookup(&["openid"], NOW, 60, false).unwrap(), Lookup::Hit(0));
    assert_eq!(a.lookup(&["vso.code"], NOW + 3550, 60, false).unwrap(), Lookup::Refresh(vec!["vso.code".into()]));
    assert_eq!(a.lookup(&["vso.build"], NOW, 60, false).err(), Some(Error::ScopeNotGranted), "checklist item 36");
}

#[test]
fn without_a_usable_refresh_token_interaction_is_required() {
    let a = account(&["api"], Some(NOW - 1), false);
    assert!(matches!(a.lookup(&["api"], NOW, 60, false), Err(Error::InteractionRequired { .. })));
    let mut a = account(&["api"], Some(NOW - 1), true);
    a.refresh_expires_at = Some(NOW + ENTRA_SPA_REFRESH_LIFETIME_SECS);
    assert!(matches!(a.lookup(&["api"], NOW, 60, false), Ok(Lookup::Refresh(_))));
    assert!(matches!(a.lookup(&["api"], NOW + ENTRA_SPA_REFRESH_LIFETIME_SECS, 60, false), Err(Error::InteractionRequired { .. })));
}

#[test]
fn a_token_without_expires_in_counts_as_an_hour() {
    let a = account(&["api"], None, true);
    assert_eq!(a.lookup(&["api"], NOW + 3000, 60, false).unwrap(), Lookup::Hit(0));
    assert!(matches!(a.lookup(&["api"], NOW + 3600, 60, false).unwrap(), Lookup::Refresh(_)));
}

/// Checklist item 35: rotation replaces and erases the old refresh token.
#[test]
fn refresh_rotates_the_refresh_token_and_replaces_the_access_token() {
    let mut a = account(&["openid", "api"], Some(NOW - 1), true);
    let body = format!(r#"{{"access_token":"at-2","token_type":"Bearer","expires_in":600,"refresh_token":"rt-2","scope":"openid api","id_token":"{}"}}"#, jwt(&claims(r#","nonce":"n1""#)));
    apply(&mut a, parse_token_response(200, &body, false).unwrap(), &["openid".into(), "api".into()], &provider(), NOW + 10, 60).unwrap();
    assert_eq!(a.refresh_token.as_ref().map(RefreshToken::secret), Some("rt-2"));
    assert_eq!(a.tokens.len(), 1, "same scopes: replaced, not added");
    assert_eq!(a.tokens[0].access_token.secret(), "at-2");
    assert_eq!(a.tokens[0].expires_at, Some(NOW + 610));
    // No new refresh token: the old one stays.
    let body = r#"{"access_token":"at-3","token_type":"bearer","scope":"api"}"#;
    apply(&mut a, parse_token_response(200, body, false).unwrap(), &["api".into()], &provider(), NOW + 20, 60).unwrap();
    assert_eq!(a.refresh_token.as_ref().map(RefreshToken::secret), Some("rt-2"));
    assert_eq!(a.tokens.len(), 2);
}

/// Checklist item 33: OpenID Connect Core §12.2.
#[test]
fn a_refreshed_id_token_must_name_the_same_user() {
    let cases = [
        claims(r#","nonce":"n1""#).replace(r#""sub":"alice""#, r#""sub":"mallory""#),
        claims(r#","nonce":"n1""#).replace(r#""aud":"app""#, r#""aud":["app","other"]"#),
        claims(r#","nonce":"n1","azp":"other""#),
        claims(r#","nonce":"n2""#),
        claims(r#","nonce":"n1""#).replace(&format!(r#""auth_time":{}"#, NOW - 10), &format!(r#""auth_time":{}"#, NOW - 5)),
        claims(r#","nonce":"n1""#).replace(&format!(r#""iat":{}"#, NOW), &format!(r#""iat":{}"#, NOW - 100)),
    ];
    for c in cases {
        let mut a = account(&["openid"], Some(NOW - 1), true);
        let body = format!(r#"{{"access_token":"at-2","token_type":"bearer","refresh_token":"rt-2","id_token":"{}"}}"#, jwt(&c));
        let r = apply(&mut a, parse_token_response(200, &body, false).unwrap(), &["openid".into()], &provider(), NOW + 10, 60);
        assert!(matches!(r, Err(Error::InvalidIdToken { .. })), "{c}");
        assert_eq!(a.refresh_token.as_ref().map(RefreshToken::secret), Some("rt-1"), "nothing changed on failure");
        assert_eq!(a.tokens[0].access_token.secret(), "at-1");
    }
}

/// Checklist item 27: `invalid_grant` at refresh means interaction.
#[test]
fn invalid_grant_becomes_interaction_required() {
    let e = Error::TokenServer(ServerError::new("invalid_grant".into(), Some("AADSTS700084".into()), None, 400));
    assert!(matches!(on_refresh_error(e, false), Error::InteractionRequired { .. }));
    let other = Error::TokenServer(ServerError::new("temporarily_unavailable".into(), None, None, 503));
    assert!(matches!(on_refresh_error(other, false), Error::TokenServer(_)));
}

#[test]
fn stored_accounts_round_trip() {
    let mut a = account(&["openid", "api"], Some(NOW + 60), true);
    a.refresh_expires_at = Some(NOW + 100);
    let text = to_json(&a);
    let b = from_json(&text, &provider(), "app", NOW).unwrap();
    assert_eq!(to_json(&b), text);
    assert_eq!(b.identity, a.identity);
    assert_eq!(b.refresh_token.as_ref().map(RefreshToken::secret), Some("rt-1"));
}

/// Checklist item 38.
#[test]
fn foreign_corrupt_or_edited_stored_accounts_are_refused() {
    let text = to_json(&account(&["api"], Some(NOW + 60), true));
    assert!(from_json(&text, &provider(), "other-app", NOW).is_err());
    let other = Provider::explicit("https://other.example", "https://other.example/a", "https://other.example/t", false).unwrap();
    assert!(from_json(&text, &other, "app", NOW).is_err());
    let edits = [
        text.replace(r#""v":1"#, r#""v":2"#),
        text.replace(&format!(r#""received_at":{NOW}"#), &format!(r#""received_at":{}"#, NOW + 86_400)),
        text.replace(&format!(r#""expires_at":{}"#, NOW + 60), r#""expires_at":"never""#),
        text.replace(r#""access_token":"at-1""#, r#""access_token":"""#),
        text.replace(r#""sub":"alice","identity""#, r#""sub":"mallory","identity""#),
        text.replace(r#""grant":["api"]"#, r#""grant":"api""#),
        text.replace(r#""refresh_token":"rt-1""#, r#""refresh_token":5"#),
        text[..text.len() - 1].to_owned(),
        String::new(),
        "[]".into(),
        "x".repeat(9_000_000),
    ];
    for e in edits {
        assert!(matches!(from_json(&e, &provider(), "app", NOW), Err(Error::StoredEntryInvalid { .. })), "{}", e.get(..80).unwrap_or(&e));
    }
}

#[test]
fn a_large_cache_is_written_within_what_is_read_back() {
    let mut a = account(&["api"], Some(NOW + 60), true);
    let big = "x".repeat(1200);
    for k in 0..8000u64 {
        a.tokens.push(CachedToken {
            access_token: AccessToken::new(format!("{big}{k}")),
            token_type: "bearer".into(),
            scopes: vec![format!("api.{k}")],
            expires_at: Some(NOW + 3600),
            received_at: NOW - 8000 + k,
        });
    }
    a.tokens.push(CachedToken { access_token: AccessToken::new("old".into()), token_type: "bearer".into(), scopes: vec!["x".into()], expires_at: Some(NOW - 1), received_at: NOW - 9000 });
    let json = stored::to_json_capped(&mut a, NOW);
    assert!(json.len() <= stored::MAX_STORED_LEN, "{}", json.len());
    assert!(a.tokens.len() < 8001 && a.tokens.len() > 5000, "{}", a.tokens.len());
    assert!(a.tokens.iter().all(|t| t.access_token.secret() != "old"), "expired tokens go first");
    assert!(a.tokens.iter().any(|t| t.scopes == ["api.7999"]), "the newest stay");
    assert!(from_json(&json, &provider(), "app", NOW).is_ok(), "what is written is read back");
    // 10,000 small tokens fit without dropping any.
    let mut b = account(&["api"], Some(NOW + 60), true);
    for k in 0..10_000u64 {
        b.tokens.push(CachedToken { access_token: AccessToken::new(format!("t{k}")), token_type: "bearer".into(), scopes: vec![format!("api.{k}")], expires_at: Some(NOW + 3600), received_at: NOW });
    }
    let json = stored::to_json_capped(&mut b, NOW);
    assert_eq!(b.tokens.len(), 10_001);
    assert_eq!(from_json(&json, &provider(), "app", NOW).map(|x| x.tokens.len()).ok(), Some(10_001));
}

#[test]
fn account_debug_shows_no_secret() {
    let d = format!("{:?}", account(&["api"], Some(NOW), true));
    for secret in ["at-1", "rt-1", "c2ln"] {
        assert!(!d.contains(secret), "{secret} in {d}");
    }
}

/// Checklist item 43: RP-initiated logout.
#[test]
fn logout_url_has_hint_exact_redirect_and_its_own_state() {
    let t = IdToken::new("the.id.token".into());
    let r = logout_request(&provider(), "app", Some(&t), Some("https://app.example/bye"), &[7; 32], false).unwrap().unwrap();
    let q = form_parse(r.url.split_once('?').unwrap().1).unwrap();
    let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert!(r.url.starts_with("https://op.example/logout?"));
    assert_eq!(get("id_token_hint"), Some("the.id.token"));
    assert_eq!(get("client_id"), Some("app"));
    assert_eq!(get("post_logout_redirect_uri"), Some("https://app.example/bye"));
    assert_eq!(get("state"), Some(r.state.secret()));
    assert_eq!(r.state.secret().len(), 43);
    assert!(logout_request(&provider(), "app", None, Some("http://app.example/bye"), &[7; 32], false).is_err());
    assert!(logout_request(&provider(), "app", None, Some("https://app.example/bye#x"), &[7; 32], false).is_err());
    let mut p = provider();
    p.end_session_endpoint = None;
    assert!(logout_request(&p, "app", None, None, &[7; 32], false).unwrap().is_none());
    assert!(logout_request(&p, "app", None, Some("http://app.example/bye"), &[7; 32], false).is_err(), "checked even without an endpoint");
}

/// RFC 7009 §2.1.
#[test]
fn revocation_request_is_a_public_client_form_post() {
    let r = revocation_request(&provider(), "app", "rt-1", "refresh_token").unwrap();
    assert_eq!(r.url, "https://op.example/revoke");
    assert_eq!(form_parse(&r.body).unwrap(), vec![
        ("token".to_owned(), "rt-1".to_owned()),
        ("token_type_hint".to_owned(), "refresh_token".to_owned()),
        ("client_id".to_owned(), "app".to_owned()),
    ]);
    assert!(!format!("{r:?}").contains("rt-1"));
    let mut p = provider();
    p.revocation_endpoint = None;
    assert!(revocation_request(&p, "app", "x", "refresh_token").is_none());
}

// ---- one refresh token, many resources (Microsoft Entra, shared/facts §2.3a) ----------------

const ADO: &str = "499b84ac-1321-427f-aa17-267ca6975798";

#[test]
fn with_entra_another_resource_is_a_refresh_for_it_not_a_refusal() {
    let a = account(&["openid", "User.Read", "offline_access"], Some(NOW + 3600), true);
    let ado = format!("{ADO}/vso.code");
    assert_eq!(a.lookup(&[ado.as_str()], NOW, 60, false).err(), Some(Error::ScopeNotGranted), "RFC 6749 §6 elsewhere");
    assert!(a.beyond_grant(&[ado.as_str()]));
    assert_eq!(
        a.lookup(&[ado.as_str()], NOW, 60, true).unwrap(),
        Lookup::Refresh(vec![ado.clone(), "offline_access".into()]),
        "the refresh names the other resource and keeps offline_access"
    );
    // The grant's own scopes still hit, and refresh without offline_access added twice.
    assert_eq!(a.lookup(&["User.Read"], NOW, 60, true).unwrap(), Lookup::Hit(0));
    assert_eq!(a.lookup(&["User.Read"], NOW + 3590, 60, true).unwrap(), Lookup::Refresh(vec!["User.Read".into()]));
    // Once a token for the other resource is cached, it is served.
    let mut a = a;
    a.put_token(CachedToken { access_token: AccessToken::new("at-ado".into()), token_type: "bearer".into(), scopes: vec![ado.clone()], expires_at: Some(NOW + 3600), received_at: NOW });
    assert_eq!(a.lookup(&[ado.as_str()], NOW, 60, true).unwrap(), Lookup::Hit(1));
}

#[test]
fn missing_consent_for_another_resource_asks_for_interaction_and_keeps_the_session() {
    let consent = |error: &str, description: &str, beyond| {
        on_refresh_error(Error::TokenServer(ServerError::new(error.into(), Some(description.into()), None, 400)), beyond)
    };
    let kept = Error::InteractionRequired { reason: "consent is required for the requested scopes" };
    let over = Error::InteractionRequired { reason: "the refresh token was refused" };
    assert_eq!(consent("invalid_grant", "AADSTS65001: The user or administrator has not consented", true), kept);
    assert_eq!(consent("invalid_grant", "AADSTS65001: The user or administrator has not consented", false), kept);
    assert_eq!(consent("consent_required", "x", true), kept);
    assert_eq!(consent("interaction_required", "AADSTS50076: MFA for this resource", true), kept, "a policy of the other resource");
    assert_eq!(consent("interaction_required", "AADSTS50076", false), over, "the grant's own resource: the session is over");
    assert_eq!(consent("invalid_grant", "AADSTS700084: The refresh token has expired", true), over, "an expired refresh token ends it anywhere");
}

#[test]
fn a_sign_in_for_more_scopes_joins_the_same_users_session_and_refuses_another_user() {
    let mut old = account(&["openid", "User.Read", "offline_access"], Some(NOW + 3600), true);
    old.refresh_expires_at = Some(NOW + ENTRA_SPA_REFRESH_LIFETIME_SECS);
    let ado = format!("{ADO}/vso.code");
    let mut new = account(&["openid", ado.as_str(), "offline_access"], Some(NOW + 3600), true);
    new.refresh_token = Some(RefreshToken::new("rt-2".into()));
    let joined = new.absorb(old, NOW + 5).unwrap();
    assert_eq!(joined.refresh_token.as_ref().map(RefreshToken::secret), Some("rt-2"), "the new refresh token");
    assert_eq!(joined.tokens.len(), 2, "both resources' tokens");
    assert!(joined.grant.contains(&"User.Read".to_owned()) && joined.grant.contains(&ado));

    let mut other = account(&["openid", ado.as_str()], Some(NOW + 3600), true);
    other.sub = "mallory".into();
    let mut live = account(&["openid", "User.Read"], Some(NOW + 3600), true);
    live.refresh_expires_at = Some(NOW + 100);
    assert_eq!(other.absorb(live, NOW).err(), Some(Error::AccountMismatch), "never swaps the user under the app");

    // A session that can no longer refresh is replaced, whoever signs in.
    let mut other = account(&["openid", ado.as_str()], Some(NOW + 3600), true);
    other.sub = "mallory".into();
    let mut dead = account(&["openid", "User.Read"], Some(NOW + 3600), true);
    dead.refresh_expires_at = Some(NOW);
    assert_eq!(other.absorb(dead, NOW).unwrap().sub, "mallory");
}
