use super::*;
use crate::core::secret::State;
use crate::core::transaction::tests::sample;

const STATE: &str = "s-123";

fn provider(iss_supported: bool) -> Provider {
    let mut p = Provider::explicit("https://op.example", "https://op.example/auth", "https://op.example/token", false).unwrap();
    p.iss_parameter_supported = iss_supported;
    p
}

fn tx(mode: ResponseMode, iss_supported: bool, created_at: u64) -> Transaction {
    Transaction {
        state: State::new(STATE.into()),
        scopes: vec!["openid".into()],
        response_mode: mode,
        iss_parameter_supported: iss_supported,
        max_age: None,
        ..sample(created_at)
    }
}

fn check(url: &str) -> Result<ValidatedCallback> {
    validate(url, tx(ResponseMode::Query, true, 1000), &provider(true), 1000)
}

#[test]
fn a_good_response_yields_the_code() {
    let cb = check("https://app.example/cb?code=c0de&state=s-123&iss=https%3A%2F%2Fop.example").unwrap();
    assert_eq!(cb.code.secret(), "c0de");
    assert_eq!(cb.transaction.client_id, "app");
}

/// Checklist item 12.
#[test]
fn repeated_parameters_are_refused() {
    for url in [
        "https://app.example/cb?code=a&state=s-123&state=s-123&iss=https%3A%2F%2Fop.example",
        "https://app.example/cb?code=a&code=b&state=s-123&iss=https%3A%2F%2Fop.example",
        "https://app.example/cb?code=a&state=s-123&iss=https%3A%2F%2Fop.example&iss=https%3A%2F%2Fop.example",
        "https://app.example/cb?code=a&st%61te=s-123&state=s-123",
    ] {
        assert!(matches!(check(url), Err(Error::DuplicateParameter { .. })), "{url}");
    }
    // The app's own parameters may repeat.
    assert!(check("https://app.example/cb?tab=1&tab=2&code=a&state=s-123&iss=https%3A%2F%2Fop.example").is_ok());
}

/// Checklist item 12: only the part the request asked for is read.
#[test]
fn only_the_requested_part_is_read() {
    let frag = "https://app.example/cb#code=c&state=s-123&iss=https%3A%2F%2Fop.example";
    assert_eq!(check(frag).err(), Some(Error::NoAuthorizationResponse));
    let ok = validate(frag, tx(ResponseMode::Fragment, true, 1000), &provider(true), 1000);
    assert!(ok.is_ok());
    let query = "https://app.example/cb?code=c&state=s-123&iss=https%3A%2F%2Fop.example";
    assert_eq!(validate(query, tx(ResponseMode::Fragment, true, 1000), &provider(true), 1000).err(), Some(Error::NoAuthorizationResponse));
}

/// Checklist item 13.
#[test]
fn state_missing_or_wrong_is_refused() {
    assert_eq!(check("https://app.example/cb?code=a&iss=https%3A%2F%2Fop.example").err(), Some(Error::StateMissing));
    assert_eq!(check("https://app.example/cb?code=a&state=s-124&iss=https%3A%2F%2Fop.example").err(), Some(Error::StateMismatch));
    assert_eq!(check("https://app.example/cb?code=a&state=&iss=https%3A%2F%2Fop.example").err(), Some(Error::StateMismatch));
    assert_eq!(check("https://app.example/cb?code=a&state=S-123&iss=https%3A%2F%2Fop.example").err(), Some(Error::StateMismatch));
    // Percent-encoded forms compare after decoding (MSAL's encoded-casing case).
    assert!(check("https://app.example/cb?code=a&state=s%2D123&iss=https%3a%2f%2fop.example").is_ok());
}

/// Checklist item 15: RFC 9207.
#[test]
fn iss_is_compared_exactly_and_required_when_advertised() {
    for bad in ["https%3A%2F%2Fop.example%2F", "https%3A%2F%2FOP.example", "https%3A%2F%2Fevil.example", ""] {
        let url = format!("https://app.example/cb?code=a&state=s-123&iss={bad}");
        assert_eq!(check(&url).err(), Some(Error::IssuerParameterMismatch), "{bad}");
    }
    assert_eq!(check("https://app.example/cb?code=a&state=s-123").err(), Some(Error::IssuerParameterMissing));
    // Checked on error responses too, before the server's error is believed.
    assert_eq!(check("https://app.example/cb?error=access_denied&state=s-123").err(), Some(Error::IssuerParameterMissing));
    // Not advertised: absent is fine, present must still match.
    let lax = |url: &str| validate(url, tx(ResponseMode::Query, false, 1000), &provider(false), 1000);
    assert!(lax("https://app.example/cb?code=a&state=s-123").is_ok());
    assert_eq!(lax("https://app.example/cb?code=a&state=s-123&iss=https%3A%2F%2Fevil.example").err(), Some(Error::IssuerParameterMismatch));
}

#[test]
fn entra_template_iss_matches_any_tenant_guid_only() {
    let p = Provider::entra("organizations", None).unwrap();
    let mut t = tx(ResponseMode::Query, false, 1000);
    t.issuer = p.issuer.clone();
    t.authorization_endpoint = p.authorization_endpoint.clone();
    t.token_endpoint = p.token_endpoint.clone();
    let ok = "https://app.example/cb?code=a&state=s-123&iss=https%3A%2F%2Flogin.microsoftonline.com%2F72f988bf-86f1-41af-91ab-2d7cd011db47%2Fv2.0";
    assert!(validate(ok, t, &p, 1000).is_ok());
    let mut t = tx(ResponseMode::Query, false, 1000);
    t.issuer = p.issuer.clone();
    t.authorization_endpoint = p.authorization_endpoint.clone();
    t.token_endpoint = p.token_endpoint.clone();
    let bad = "https://app.example/cb?code=a&state=s-123&iss=https%3A%2F%2Flogin.microsoftonline.com%2Fevil%2Fv2.0";
    assert_eq!(validate(bad, t, &p, 1000).err(), Some(Error::IssuerParameterMismatch));
}

/// Issue 8 finding 4: the transaction is compared with the provider before anything else, so
/// an edited one cannot send the code anywhere.
#[test]
fn a_transaction_edited_to_another_token_endpoint_is_refused_before_use() {
    let t = Transaction { token_endpoint: "https://evil.example/steal".into(), ..tx(ResponseMode::Query, true, 1000) };
    let url = "https://app.example/cb?code=c0de&state=s-123&iss=https%3A%2F%2Fop.example";
    assert_eq!(validate(url, t, &provider(true), 1000).err(), Some(Error::TransactionInvalid { reason: "not bound to this provider" }));
    let lax = tx(ResponseMode::Query, false, 1000);
    assert_eq!(
        validate("https://app.example/cb?code=c0de&state=s-123", lax, &provider(true), 1000).err(),
        Some(Error::TransactionInvalid { reason: "not bound to this provider" }),
        "iss_supported edited to false"
    );
}

/// Finding 6: a domain tenant resolved through discovery has one exact issuer; another
/// tenant's `iss` is refused (the template accepted any tenant GUID).
#[test]
fn another_tenants_iss_is_refused_for_a_domain_tenant() {
    let contoso = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    let doc = format!(
        r#"{{"issuer":"https://login.microsoftonline.com/{contoso}/v2.0","authorization_endpoint":"https://login.microsoftonline.com/{contoso}/oauth2/v2.0/authorize","token_endpoint":"https://login.microsoftonline.com/{contoso}/oauth2/v2.0/token"}}"#
    );
    let p = Provider::entra_from_discovery("contoso.com", None, &doc).unwrap();
    let run = |tid: &str| {
        let mut t = tx(ResponseMode::Query, false, 1000);
        t.issuer = p.issuer.clone();
        t.authorization_endpoint = p.authorization_endpoint.clone();
        t.token_endpoint = p.token_endpoint.clone();
        let url = format!("https://app.example/cb?code=a&state=s-123&iss=https%3A%2F%2Flogin.microsoftonline.com%2F{tid}%2Fv2.0");
        validate(&url, t, &p, 1000)
    };
    assert!(run(contoso).is_ok());
    assert_eq!(run("00000000-1111-2222-3333-444444444444").err(), Some(Error::IssuerParameterMismatch));
}

/// Checklist item 1 and 17.
#[test]
fn implicit_hybrid_and_jarm_responses_are_refused() {
    for p in ["access_token=x", "id_token=x", "token_type=bearer", "expires_in=3600", "refresh_token=x"] {
        let url = format!("https://app.example/cb?code=a&state=s-123&iss=https%3A%2F%2Fop.example&{p}");
        assert_eq!(check(&url).err(), Some(Error::ImplicitOrHybridResponse), "{p}");
    }
    assert_eq!(check("https://app.example/cb?response=eyJ").err(), Some(Error::JarmResponseUnsupported));
    // Alone, without a code, they are still refused, never ignored.
    for p in ["access_token=x", "id_token=x", "token_type=bearer", "expires_in=3600", "refresh_token=x"] {
        let url = format!("https://app.example/cb?state=s-123&iss=https%3A%2F%2Fop.example&{p}");
        assert_eq!(check(&url).err(), Some(Error::ImplicitOrHybridResponse), "{p}");
    }
    assert_eq!(check("https://app.example/cb?state=s-123&iss=https%3A%2F%2Fop.example").err(), Some(Error::CodeMissing));
    assert_eq!(check("https://app.example/cb?code=&state=s-123&iss=https%3A%2F%2Fop.example").err(), Some(Error::CodeMissing));
}

/// RFC 6749 Appendix A.11: `code = 1*VSCHAR`. Control characters, DEL and non-ASCII (after
/// form decoding) are refused, so the code sent to the token endpoint is what the grammar allows.
#[test]
fn an_authorization_code_outside_vschar_is_refused() {
    for code in ["%00", "a%0Ab", "a%09b", "%7F", "%C3%A9", "a%0D%0Ab", "%E2%80%8B"] {
        let url = format!("https://app.example/cb?code={code}&state=s-123&iss=https%3A%2F%2Fop.example");
        assert_eq!(check(&url).err(), Some(Error::CodeMissing), "{code}");
    }
    for code in ["a+b", "%20", "~!%22%23$%25%26'()*%2B,-./:;%3C%3D%3E?@%5B%5C%5D^_%60%7B%7C%7D", "M.R3_BAY.c0de-1"] {
        let url = format!("https://app.example/cb?code={code}&state=s-123&iss=https%3A%2F%2Fop.example");
        assert!(check(&url).is_ok(), "{code}");
    }
}

/// Checklist item 14.
#[test]
fn server_errors_are_typed_after_the_state_check() {
    let url = "https://app.example/cb?error=access_denied&error_description=AADSTS65004%3A+User+declined&error_uri=https%3A%2F%2Fop.example%2Fe&state=s-123&iss=https%3A%2F%2Fop.example";
    match check(url) {
        Err(Error::AuthorizationServer(e)) => {
            assert_eq!(e.error, "access_denied");
            assert_eq!(e.error_description.as_deref(), Some("AADSTS65004: User declined"));
            assert_eq!(e.error_uri.as_deref(), Some("https://op.example/e"));
            assert_eq!(e.aadsts, Some(65004));
        }
        other => panic!("{other:?}"),
    }
    // An error with the wrong state is a CSRF attempt, not the server's word.
    assert_eq!(check("https://app.example/cb?error=access_denied&state=zzz&iss=https%3A%2F%2Fop.example").err(), Some(Error::StateMismatch));
    for code in ["login_required", "interaction_required", "consent_required", "some_future_code"] {
        let url = format!("https://app.example/cb?error={code}&state=s-123&iss=https%3A%2F%2Fop.example");
        assert!(matches!(check(&url), Err(Error::AuthorizationServer(e)) if e.error == code));
    }
}

/// Checklist item 16 and 20.
#[test]
fn wrong_redirect_target_and_expired_transactions_are_refused() {
    assert_eq!(check("https://app.example/other?code=a&state=s-123&iss=https%3A%2F%2Fop.example").err(), Some(Error::RedirectUriMismatch));
    assert_eq!(check("https://evil.example/cb?code=a&state=s-123&iss=https%3A%2F%2Fop.example").err(), Some(Error::RedirectUriMismatch));
    assert!(check("https://APP.example/cb?code=a&state=s-123&iss=https%3A%2F%2Fop.example").is_ok(), "host case is not significant");
    let late = validate("https://app.example/cb?code=a&state=s-123&iss=https%3A%2F%2Fop.example", tx(ResponseMode::Query, true, 1000), &provider(true), 1601);
    assert_eq!(late.err(), Some(Error::TransactionExpired));
}

#[test]
fn garbage_never_panics() {
    let huge = format!("https://app.example/cb?code={}", "a".repeat(100_000));
    let many = format!("https://app.example/cb?{}", "x=1&".repeat(1000));
    for url in [
        "", "not a url", "https://app.example/cb?code=%zz&state=s-123", "https://app.example/cb?%", "https://app.example/cb?code=%C3",
        "https://app.example/cb?code=\u{e9}", &huge, &many, "https://app.example/cb?&&&=&=", "https://app.example/cb?state",
        "https://app.example/cb#", "https://app.example/cb?",
    ] {
        assert!(check(url).is_err(), "{:?}", url.get(..60));
        let _ = strip_response_params(url, ResponseMode::Query);
        let _ = strip_response_params(url, ResponseMode::Fragment);
    }
}

/// Checklist item 19: what remains for `history.replaceState`.
#[test]
fn stripping_keeps_the_apps_own_parameters() {
    let s = |u: &str, m| strip_response_params(u, m);
    assert_eq!(s("https://a.example/cb?code=x&state=y&iss=z", ResponseMode::Query).as_deref(), Some("https://a.example/cb"));
    assert_eq!(s("https://a.example/cb?tab=2&code=x&state=y&q=a+b#top", ResponseMode::Query).as_deref(), Some("https://a.example/cb?tab=2&q=a+b#top"));
    assert_eq!(s("https://a.example/cb?tab=2#code=x&state=y&session_state=z", ResponseMode::Fragment).as_deref(), Some("https://a.example/cb?tab=2"));
    assert_eq!(s("https://a.example/cb?error=access_denied&error_description=no&state=y", ResponseMode::Query).as_deref(), Some("https://a.example/cb"));
    assert_eq!(s("https://a.example/cb?tab=2", ResponseMode::Query), None);
    assert_eq!(s("https://a.example/cb?c%6Fde=x", ResponseMode::Query).as_deref(), Some("https://a.example/cb"));
}
