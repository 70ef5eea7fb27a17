use super::*;
use crate::core::encoding::base64url_encode;

const NOW: u64 = 1_700_000_000;

fn jwt(header: &str, claims: &str) -> String {
    format!("{}.{}.{}", base64url_encode(header.as_bytes()), base64url_encode(claims.as_bytes()), base64url_encode(b"sig"))
}

fn good_claims() -> String {
    format!(r#"{{"iss":"https://op.example","sub":"alice","aud":"app","exp":{},"iat":{},"nonce":"n-1","auth_time":{}}}"#, NOW + 300, NOW - 5, NOW - 100)
}

fn provider() -> Provider {
    Provider::explicit("https://op.example", "https://op.example/a", "https://op.example/t", false).unwrap()
}

fn check_with(p: &Provider, token: &str, max_age: Option<u64>) -> Result<Value> {
    let e = Expected { provider: p, client_id: "app", nonce: Some("n-1"), max_age, now: NOW, skew: DEFAULT_SKEW_SECS };
    validate_claims(token, &e, DEFAULT_ALGORITHMS)
}

fn check(claims: &str) -> Result<Value> {
    check_with(&provider(), &jwt(r#"{"alg":"RS256"}"#, claims), Some(600))
}

fn edit(from: &str, to: &str) -> String {
    let c = good_claims();
    assert!(c.contains(from), "{from}");
    c.replacen(from, to, 1)
}

#[test]
fn good_claims_pass() {
    let c = check(&good_claims()).unwrap();
    assert_eq!(c.get("sub").and_then(Value::as_str), Some("alice"));
}

/// Checklist item 31 (OIDF RP test names in comments).
#[test]
fn each_claim_rule_is_enforced() {
    let cases: Vec<(String, &str)> = vec![
        (edit(r#""iss":"https://op.example","#, ""), "invalid-missing-iss"),
        (edit("https://op.example", "https://op.example/"), "invalid-iss"),
        (edit("https://op.example", "https://OP.example"), "invalid-iss"),
        (edit(r#""aud":"app","#, ""), "missing-aud"),
        (edit(r#""aud":"app""#, r#""aud":"other""#), "invalid-aud"),
        (edit(r#""aud":"app""#, r#""aud":["app","other"]"#), "invalid-secondary-aud"),
        (edit(r#""aud":"app""#, r#""aud":["app",5]"#), "malformed aud"),
        (edit(r#""sub":"alice","#, ""), "missing-sub"),
        (edit(r#""sub":"alice""#, r#""sub":"""#), "empty sub"),
        (edit(&format!(r#""exp":{}"#, NOW + 300), &format!(r#""exp":{}"#, NOW - 61)), "invalid-expired-exp"),
        (edit(&format!(r#""exp":{},"#, NOW + 300), ""), "invalid-missing-exp"),
        (edit(&format!(r#""exp":{}"#, NOW + 300), r#""exp":"soon""#), "malformed exp"),
        (edit(&format!(r#""iat":{},"#, NOW - 5), ""), "missing-iat"),
        (edit(&format!(r#""iat":{}"#, NOW - 5), &format!(r#""iat":{}"#, NOW + 3600)), "iat in the future"),
        (edit(r#""nonce":"n-1","#, ""), "invalid-missing-nonce"),
        (edit(r#""nonce":"n-1""#, r#""nonce":"n-2""#), "nonce-invalid"),
        (edit(r#""nonce":"n-1""#, r#""nonce":1"#), "nonce not a string"),
        (edit(&format!(r#""auth_time":{}"#, NOW - 100), &format!(r#""auth_time":{}"#, NOW - 10_000)), "max_age transpired"),
        (edit(&format!(r#","auth_time":{}"#, NOW - 100), ""), "auth_time not found"),
        (edit(r#""sub":"alice""#, r#""sub":"alice","azp":"other""#), "azp mismatch"),
        (edit(r#""sub":"alice""#, &format!(r#""sub":"alice","nbf":{}"#, NOW + 3600)), "nbf in the future"),
    ];
    for (claims, name) in cases {
        assert!(matches!(check(&claims), Err(Error::InvalidIdToken { .. })), "{name}: {claims}");
    }
    // valid-aud-as-array and a matching azp.
    assert!(check(&edit(r#""aud":"app""#, r#""aud":["app"],"azp":"app""#)).is_ok());
    // Within the skew.
    assert!(check(&edit(&format!(r#""exp":{}"#, NOW + 300), &format!(r#""exp":{}"#, NOW - 30))).is_ok());
}

/// Checklist item 30.
#[test]
fn algorithms_outside_the_allow_list_are_refused() {
    for header in [r#"{"alg":"none"}"#, r#"{"alg":"HS256"}"#, r#"{"alg":"RS384"}"#, r#"{}"#, r#"{"alg":5}"#] {
        let r = check_with(&provider(), &jwt(header, &good_claims()), None);
        assert!(matches!(r, Err(Error::InvalidIdToken { .. })), "{header}");
    }
}

#[test]
fn entra_multi_tenant_issuer_is_resolved_from_tid() {
    let p = Provider::entra("organizations", None).unwrap();
    let tid = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    let claims = good_claims().replacen("https://op.example", &format!("https://login.microsoftonline.com/{tid}/v2.0"), 1);
    let with_tid = claims.replacen(r#""sub""#, &format!(r#""tid":"{tid}","sub""#), 1);
    assert!(check_with(&p, &jwt(r#"{"alg":"RS256"}"#, &with_tid), None).is_ok());
    // Missing tid, or a tid that does not match the iss: refused, never "check off".
    assert!(check_with(&p, &jwt(r#"{"alg":"RS256"}"#, &claims), None).is_err());
    let other = with_tid.replacen(&format!(r#""tid":"{tid}""#), r#""tid":"00000000-0000-0000-0000-000000000000""#, 1);
    assert!(check_with(&p, &jwt(r#"{"alg":"RS256"}"#, &other), None).is_err());
}

#[test]
fn malformed_tokens_never_panic() {
    let big = "a".repeat(70_000);
    for t in ["", ".", "..", "a.b.c", "a.b.c.d", "e30.e30", "e30.e30.", "W10.e30.", "e30.W10.", "e30.e30.!!", &big, "\u{e9}.\u{e9}.\u{e9}"] {
        assert!(check_with(&provider(), t, None).is_err(), "{:?}", t.get(..20));
    }
}

/// Claims the library reads or keeps must have their JSON type even when no rule would look at
/// them (no `max_age`, no nonce expected, as for a refreshed ID token).
#[test]
fn claims_of_the_wrong_json_type_are_refused_even_when_not_otherwise_checked() {
    let p = provider();
    let lenient = Expected { provider: &p, client_id: "app", nonce: None, max_age: None, now: NOW, skew: DEFAULT_SKEW_SECS };
    let run = |claims: &str| validate_claims(&jwt(r#"{"alg":"RS256"}"#, claims), &lenient, DEFAULT_ALGORITHMS);
    assert!(run(&good_claims()).is_ok());
    let wrong = [
        r#""auth_time":"yesterday""#, r#""auth_time":-1"#, r#""auth_time":null"#, r#""nbf":"now""#, r#""nbf":[1]"#,
        r#""nonce":5"#, r#""nonce":null"#, r#""tid":5"#, r#""azp":["app"]"#, r#""name":{"first":"a"}"#,
        r#""preferred_username":7"#, r#""email":false"#,
    ];
    for member in wrong {
        let name = member.split(':').next().unwrap_or_default();
        // Replace the member when the good claims have it, add it otherwise.
        let claims = match good_claims().find(&format!("{name}:")) {
            Some(at) => {
                let c = good_claims();
                let end = c[at..].find([',', '}']).map_or(c.len(), |e| at + e);
                format!("{}{member}{}", &c[..at], &c[end..])
            }
            None => good_claims().replacen('{', &format!("{{{member},"), 1),
        };
        assert!(matches!(run(&claims), Err(Error::InvalidIdToken { .. })), "{claims}");
    }
    for member in [r#""iss":5"#, r#""sub":["alice"]"#, r#""exp":"later""#, r#""iat":null"#, r#""aud":{"app":1}"#] {
        let name = member.split(':').next().unwrap_or_default();
        let c = good_claims();
        let at = c.find(&format!("{name}:")).unwrap();
        let end = c[at..].find([',', '}']).map_or(c.len(), |e| at + e);
        let claims = format!("{}{member}{}", &c[..at], &c[end..]);
        assert!(matches!(run(&claims), Err(Error::InvalidIdToken { .. })), "{claims}");
    }
}

/// Discovery §3: an `alg` the provider does not advertise is refused even inside the allow-list,
/// and advertising `HS256` or `none` never lets them in.
#[test]
fn an_id_token_alg_the_provider_does_not_advertise_is_refused() {
    let mut p = provider();
    p.id_token_signing_alg_values_supported = Some(vec!["RS256".into(), "HS256".into(), "none".into()]);
    assert!(check_with(&p, &jwt(r#"{"alg":"RS256"}"#, &good_claims()), None).is_ok());
    for alg in ["ES256", "PS256", "HS256", "none"] {
        let r = check_with(&p, &jwt(&format!(r#"{{"alg":"{alg}"}}"#), &good_claims()), None);
        assert_eq!(r.err(), Some(Error::InvalidIdToken { reason: "alg not allowed" }), "{alg}");
    }
    p.id_token_signing_alg_values_supported = None;
    assert!(check_with(&p, &jwt(r#"{"alg":"ES256"}"#, &good_claims()), None).is_ok(), "nothing advertised: the allow-list decides");
    p.id_token_signing_alg_values_supported = Some(vec![]);
    assert!(check_with(&p, &jwt(r#"{"alg":"RS256"}"#, &good_claims()), None).is_err());
}

/// Finding 6: a domain tenant is one tenant. Another tenant's token, with its own `tid`, is
/// refused; the template issuer would have let it pass.
#[test]
fn another_tenants_id_token_is_refused_for_a_domain_tenant() {
    let contoso = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    let other = "00000000-1111-2222-3333-444444444444";
    let issuer = |tid: &str| format!("https://login.microsoftonline.com/{tid}/v2.0");
    let doc = format!(
        r#"{{"issuer":"{}","authorization_endpoint":"https://login.microsoftonline.com/{contoso}/oauth2/v2.0/authorize",
        "token_endpoint":"https://login.microsoftonline.com/{contoso}/oauth2/v2.0/token","id_token_signing_alg_values_supported":["RS256"]}}"#,
        issuer(contoso)
    );
    let p = Provider::entra_from_discovery("contoso.com", None, &doc).unwrap();
    let token_of = |tid: &str| {
        let claims = good_claims().replacen("https://op.example", &issuer(tid), 1).replacen(r#""sub""#, &format!(r#""tid":"{tid}","sub""#), 1);
        jwt(r#"{"alg":"RS256"}"#, &claims)
    };
    assert!(check_with(&p, &token_of(contoso), None).is_ok());
    assert_eq!(check_with(&p, &token_of(other), None).err(), Some(Error::InvalidIdToken { reason: "iss does not match the issuer" }));
}
