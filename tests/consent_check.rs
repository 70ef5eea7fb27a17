//! Consent checks on the public API: authority allowlist and lookalikes, request parameters,
//! scope findings, legacy Azure DevOps OAuth, and garbage input that must never panic.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use browser_oauth::core::consent::*;
use browser_oauth::core::error::Error;
use browser_oauth::core::scopes::{ScopeStatus, AZURE_DEVOPS_DEFAULT_SCOPE};

const ID: &str = "499b84ac-1321-427f-aa17-267ca6975798";
const CLIENT: &str = "11111111-2222-3333-4444-555555555555";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const REDIRECT: &str = "https://app.example/callback";

/// A well-formed Entra request; `scope` is form-encoded by the caller (`+` for spaces).
fn entra_url(host: &str, scope: &str) -> String {
    format!(
        "https://{host}/organizations/oauth2/v2.0/authorize?client_id={CLIENT}&response_type=code\
         &redirect_uri=https%3A%2F%2Fapp.example%2Fcallback&scope={scope}&state=s1\
         &code_challenge={CHALLENGE}&code_challenge_method=S256"
    )
}

fn good(scope: &str) -> String {
    entra_url("login.microsoftonline.com", scope)
}

fn check(url: &str) -> Report {
    check_authorization_request(url, &Expectations::default())
}

fn codes(r: &Report) -> Vec<&'static str> {
    r.findings.iter().map(|f| f.code).collect()
}

fn severity(r: &Report, code: &str) -> Option<Severity> {
    r.finding(code).map(|f| f.severity)
}

// ---- a good request ----------------------------------------------------------------------------

#[test]
fn a_well_formed_entra_request_passes_and_is_described() {
    let exp =
        Expectations { client_id: Some(CLIENT.into()), redirect_uri: Some(REDIRECT.into()), ..Default::default() };
    let r = check_authorization_request(&good(&format!("openid+offline_access+{ID}%2Fvso.work")), &exp);
    assert_eq!(r.verdict, Verdict::Ok, "{:?}", r.findings);
    let a = r.authority.as_ref().unwrap();
    assert_eq!(
        (a.host.as_str(), a.kind, a.tenant.as_deref()),
        ("login.microsoftonline.com", AuthorityKind::EntraGlobal, Some("organizations"))
    );
    assert_eq!(r.client_id.as_deref(), Some(CLIENT));
    assert_eq!(r.redirect_uri.as_deref(), Some(REDIRECT));
    assert_eq!(r.scopes.len(), 3);
    let work = &r.scopes[2];
    assert_eq!((work.area, work.high_privilege), (Some("Work Items"), false));
    assert!(matches!(work.status, ScopeStatus::Known(_)));
    assert!(work.title.is_some() && work.description.is_some());
    assert!(r.findings.iter().all(|f| !f.message.is_empty()));
}

// ---- authority ---------------------------------------------------------------------------------

#[test]
fn every_legitimate_host_passes() {
    let mut n = 0;
    for (host, kind) in known_authority_hosts() {
        if kind == AuthorityKind::LegacyAzureDevOps || kind == AuthorityKind::EntraGermanyClosed {
            continue;
        }
        n += 1;
        let r = check(&entra_url(host, "openid+User.Read"));
        assert_ne!(r.verdict, Verdict::Block, "{host}: {:?}", r.findings);
        assert_eq!(r.authority.unwrap().kind, kind);
        // Hosts are case-insensitive.
        let r = check(&entra_url(&host.to_ascii_uppercase(), "openid"));
        assert_ne!(r.verdict, Verdict::Block, "{host}");
    }
    assert_eq!(n, 13);
    let r = check(&good("openid").replace("login.microsoftonline.com/", "login.microsoftonline.com:443/"));
    assert_ne!(r.verdict, Verdict::Block);
}

#[test]
fn the_closed_german_cloud_is_blocked() {
    let r = check(&entra_url("login.microsoftonline.de", "openid"));
    assert_eq!(r.verdict, Verdict::Block);
    assert!(r.has("AUTHORITY_CLOSED_CLOUD"));
}

#[test]
fn lookalike_authorities_are_blocked() {
    let path = "/common/oauth2/v2.0/authorize?client_id=x&response_type=code&state=s&code_challenge_method=S256&code_challenge=";
    let table: &[(&str, &str)] = &[
        ("https://login.microsoftonline.com.evil.example", "AUTHORITY_LOOKALIKE"),
        ("https://login.microsoftonline.com@evil.example", "AUTHORITY_USERINFO"),
        ("https://user:pw@login.microsoftonline.com", "AUTHORITY_USERINFO"),
        ("https://evil.example", "AUTHORITY_UNKNOWN_HOST"),
        ("https://xn--lgin-microsoftonline-9pc.com", "AUTHORITY_PUNYCODE"),
        ("https://login.xn--microsftonline-1kb.com", "AUTHORITY_PUNYCODE"),
        ("https://login.microsoftonline.com.", "AUTHORITY_TRAILING_DOT"),
        ("https://login.microsoftonline.com:8443", "AUTHORITY_PORT"),
        ("https://login.microsoftonline.com:80", "AUTHORITY_PORT"),
        ("http://login.microsoftonline.com", "AUTHORITY_NOT_HTTPS"),
        ("https://login.microsoftonIine.com", "AUTHORITY_LOOKALIKE"),
        ("https://login.micros0ftonline.com", "AUTHORITY_LOOKALIKE"),
        ("https://login-microsoftonline.com", "AUTHORITY_LOOKALIKE"),
        ("https://microsoftonline-login.example", "AUTHORITY_LOOKALIKE"),
        ("https://login.microsoftonline.co", "AUTHORITY_LOOKALIKE"),
        ("https://app.vssps.visualstudio.com.evil.example", "AUTHORITY_LOOKALIKE"),
        ("https://app-vssps.visualstudio.co", "AUTHORITY_LOOKALIKE"),
        ("https://login%2emicrosoftonline.com", "AUTHORITY_ENCODED_HOST"),
        ("https://evil.example/login.microsoftonline.com", "AUTHORITY_LOOKALIKE"),
        ("https://login.mіcrosoftonline.com", "AUTHORITY_NON_ASCII"),
        ("https://lоgin.microsoftonline.com", "AUTHORITY_NON_ASCII"),
        ("https://127.0.0.1", "AUTHORITY_UNKNOWN_HOST"),
        ("http://localhost:3000", "AUTHORITY_UNKNOWN_HOST"),
    ];
    for (origin, code) in table {
        let r = check(&format!("{origin}{path}{CHALLENGE}"));
        assert_eq!(r.verdict, Verdict::Block, "{origin}: {:?}", r.findings);
        assert_eq!(severity(&r, code), Some(Severity::Block), "{origin}: {:?}", codes(&r));
    }
}

#[test]
fn a_microsoft_host_named_only_in_the_query_is_no_lookalike_and_personal_accounts_pass() {
    // Another provider's request whose redirect_uri (or state) names a Microsoft host: unknown
    // to the check, not an imitation.
    let other = "https://accounts.example/authorize?client_id=x&response_type=code&code_challenge_method=S256\
                 &redirect_uri=https%3A%2F%2Fapp.example%2F%3Ffrom%3Dlogin.microsoftonline.com&state=login.microsoftonline.com";
    let r = check(other);
    assert!(r.has("AUTHORITY_UNKNOWN_HOST"));
    assert!(!r.has("AUTHORITY_LOOKALIKE"), "{:?}", codes(&r));
    // Microsoft's personal-account sign-in host is Microsoft's.
    let r = check(&entra_url("login.live.com", "openid"));
    assert!(!r.has("AUTHORITY_UNKNOWN_HOST") && !r.has("AUTHORITY_LOOKALIKE"), "{:?}", codes(&r));
}

#[test]
fn entra_path_shape_is_checked() {
    let r = check(&good("openid").replace("/oauth2/v2.0/authorize", "/oauth2/authorize"));
    assert!(r.has("ENTRA_V1_ENDPOINT"));
    let r = check(&good("openid").replace("/organizations/oauth2/v2.0/authorize", "/oauth2/v2.0/authorize"));
    assert_eq!(severity(&r, "AUTHORITY_PATH_UNEXPECTED"), Some(Severity::Warn));
    let r = check(&good("openid").replace("/organizations/", "/contoso.onmicrosoft.com/"));
    assert_eq!(r.authority.unwrap().tenant.as_deref(), Some("contoso.onmicrosoft.com"));
}

#[test]
fn trusted_hosts_and_the_loud_development_flag() {
    let url = format!("https://id.example.org/authorize?client_id=c&response_type=code&state=s&code_challenge={CHALLENGE}&code_challenge_method=S256&scope=openid");
    assert_eq!(check(&url).verdict, Verdict::Block);
    let exp = Expectations { trusted_authority_hosts: vec!["ID.example.org".into()], ..Default::default() };
    let r = check_authorization_request(&url, &exp);
    assert_eq!(r.verdict, Verdict::Ok, "{:?}", r.findings);
    assert_eq!(r.authority.unwrap().kind, AuthorityKind::Trusted);
    // Trusting a host does not relax HTTPS or the port.
    assert_eq!(check_authorization_request(&url.replace("https://", "http://"), &exp).verdict, Verdict::Block);
    assert_eq!(check_authorization_request(&url.replace(".org/", ".org:444/"), &exp).verdict, Verdict::Block);

    let local = url.replace("https://id.example.org", "http://localhost:8080");
    assert_eq!(check(&local).verdict, Verdict::Block);
    let dev = Expectations { dangerously_allow_http_loopback_authority: true, ..Default::default() };
    let r = check_authorization_request(&local, &dev);
    assert_eq!(r.verdict, Verdict::Warn, "{:?}", r.findings);
    assert!(r.has("AUTHORITY_DEV_LOOPBACK"));
    assert_eq!(
        check_authorization_request(&url.replace("https://id.example.org", "http://evil.example"), &dev).verdict,
        Verdict::Block
    );
}

// ---- request parameters ------------------------------------------------------------------------

#[test]
fn request_parameter_problems_are_reported() {
    let base = good("openid");
    let cases: &[(String, &str, Severity)] = &[
        (base.replace(&format!("&code_challenge={CHALLENGE}"), ""), "PKCE_MISSING", Severity::Block),
        (base.replace("code_challenge_method=S256", "code_challenge_method=plain"), "PKCE_NOT_S256", Severity::Block),
        (base.replace("&code_challenge_method=S256", ""), "PKCE_NOT_S256", Severity::Block),
        (base.replace(CHALLENGE, "short"), "PKCE_INVALID", Severity::Block),
        (base.replace("&state=s1", ""), "STATE_MISSING", Severity::Warn),
        (base.replace("response_type=code", "response_type=token"), "RESPONSE_TYPE_NOT_CODE", Severity::Block),
        (base.replace("response_type=code", "response_type=code+id_token"), "RESPONSE_TYPE_NOT_CODE", Severity::Block),
        (base.replace("response_type=code", "response_type=Assertion"), "RESPONSE_TYPE_NOT_CODE", Severity::Block),
        (base.replace("response_type=code&", ""), "RESPONSE_TYPE_MISSING", Severity::Block),
        (base.replace(&format!("client_id={CLIENT}&"), ""), "CLIENT_ID_MISSING", Severity::Block),
        (format!("{base}&state=s2"), "PARAM_DUPLICATED", Severity::Block),
        (format!("{base}&scope=openid"), "PARAM_DUPLICATED", Severity::Block),
        (format!("{base}&client_secret=x"), "SECRET_IN_URL", Severity::Block),
        (
            base.replace("https%3A%2F%2Fapp.example", "http%3A%2F%2Fapp.example"),
            "REDIRECT_URI_NOT_HTTPS",
            Severity::Block,
        ),
        (base.replace("&scope=openid", ""), "SCOPE_MISSING", Severity::Warn),
        (base.replace("scope=openid", "scope=openid++profile"), "SCOPE_MALFORMED", Severity::Block),
        (base.replace("scope=openid", "scope=%22x%22"), "SCOPE_MALFORMED", Severity::Block),
        (base.split('?').next().unwrap().to_owned(), "PARAMS_MISSING", Severity::Block),
        (format!("{base}&x=%zz"), "QUERY_MALFORMED", Severity::Block),
    ];
    for (url, code, sev) in cases {
        let r = check(url);
        assert_eq!(severity(&r, code), Some(*sev), "{url}: {:?}", codes(&r));
    }
    let r = check(&base.replace("&state=s1", "").replace(&format!("&code_challenge={CHALLENGE}"), ""));
    assert_eq!(severity(&r, "STATE_MISSING"), Some(Severity::Block), "no state and no PKCE");
}

#[test]
fn expectations_on_client_and_redirect_are_exact() {
    let exp =
        Expectations { client_id: Some(CLIENT.into()), redirect_uri: Some(REDIRECT.into()), ..Default::default() };
    let r = check_authorization_request(&good("openid").replace(CLIENT, "99999999-2222-3333-4444-555555555555"), &exp);
    assert!(r.has("CLIENT_ID_MISMATCH"));
    for other in [
        "https%3A%2F%2Fapp.example%2Fcallback%2F",
        "https%3A%2F%2FAPP.example%2Fcallback",
        "https%3A%2F%2Fevil.example%2Fcallback",
    ] {
        let r =
            check_authorization_request(&good("openid").replace("https%3A%2F%2Fapp.example%2Fcallback", other), &exp);
        assert_eq!(severity(&r, "REDIRECT_URI_MISMATCH"), Some(Severity::Block), "{other}");
    }
    let r = check_authorization_request(
        &good("openid").replace("&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback", ""),
        &exp,
    );
    assert!(r.has("REDIRECT_URI_MISMATCH"));
}

#[test]
fn a_request_object_or_request_uri_is_blocked_unless_expected() {
    let exp =
        Expectations { client_id: Some(CLIENT.into()), redirect_uri: Some(REDIRECT.into()), ..Default::default() };
    assert_eq!(check_authorization_request(&good("openid"), &exp).verdict, Verdict::Ok);
    // Everything the check reads looks right, but the server would take its parameters from here.
    for extra in [
        "&request=eyJhbGciOiJub25lIn0.eyJyZWRpcmVjdF91cmkiOiJodHRwczovL2V2aWwuZXhhbXBsZSJ9.",
        "&request_uri=https%3A%2F%2Fevil.example%2Freq%2F1",
        "&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Aabc",
        "&%72equest_uri=urn%3Ax",
        "&request=",
    ] {
        let url = format!("{}{extra}", good("openid"));
        let r = check_authorization_request(&url, &exp);
        assert_eq!(r.verdict, Verdict::Block, "{extra}");
        assert_eq!(severity(&r, "REQUEST_OBJECT"), Some(Severity::Block), "{extra}");
        assert!(r.finding("REQUEST_OBJECT").unwrap().message.contains("request"));

        let expected = Expectations { allow_request_object: true, ..exp.clone() };
        let r = check_authorization_request(&url, &expected);
        assert_eq!(r.verdict, Verdict::Ok, "{extra}: {:?}", codes(&r));
        assert_eq!(severity(&r, "REQUEST_OBJECT"), Some(Severity::Info), "{extra}");
    }
    // Both at once: one finding each, still blocked.
    let r = check_authorization_request(&format!("{}&request=a&request_uri=b", good("openid")), &exp);
    assert_eq!(codes(&r).iter().filter(|c| **c == "REQUEST_OBJECT").count(), 2);
    assert_eq!(r.verdict, Verdict::Block);
}

// ---- scopes ------------------------------------------------------------------------------------

#[test]
fn scope_findings_cover_catalog_status_privilege_and_redundancy() {
    let p = |s: &str| format!("{ID}%2F{s}");
    let scope =
        [p("vso.code_write"), p("vso.code"), p("vso.chat_write"), p("vso.base"), p("vso.connectedserver")].join("+");
    let r = check(&good(&scope));
    assert_eq!(severity(&r, "SCOPE_HIGH_PRIVILEGE"), Some(Severity::Warn));
    assert_eq!(severity(&r, "SCOPE_NOT_MINIMAL"), Some(Severity::Info));
    assert!(r.finding("SCOPE_NOT_MINIMAL").unwrap().message.contains("vso.code_write"));
    assert_eq!(severity(&r, "SCOPE_RETIRED"), Some(Severity::Warn));
    assert_eq!(severity(&r, "SCOPE_MANIFEST_ONLY"), Some(Severity::Warn));
    assert_eq!(severity(&r, "SCOPE_UNKNOWN"), Some(Severity::Warn));
    assert_eq!(r.verdict, Verdict::Warn);
    assert!(r.scopes[0].high_privilege);
    assert!(matches!(r.scopes[2].status, ScopeStatus::Retired { .. }));

    let r = check(&good(&p("user_impersonation")));
    assert!(r.has("SCOPE_FULL_ACCESS"));
    assert!(r.scopes[0].grants_full_access && r.scopes[0].broad);
    let r = check(&good(&AZURE_DEVOPS_DEFAULT_SCOPE.replace('/', "%2F")));
    assert!(r.has("SCOPE_BROAD_DEFAULT") && r.scopes[0].broad);
    let r = check(&good("openid+User.Read+api%3A%2F%2Fx%2FRead.All"));
    assert_eq!(severity(&r, "SCOPE_UNKNOWN"), Some(Severity::Info));
}

#[test]
fn entra_rules_become_findings() {
    let r = check(&good("openid+vso.code"));
    assert!(r.has("ENTRA_SCOPE_NOT_PREFIXED"), "{:?}", codes(&r));
    let r = check(&good(&format!("{ID}%2F.default+{ID}%2Fvso.code")));
    assert!(r.has("ENTRA_DEFAULT_MIXED"));
    let r = check(&good(&format!("User.Read+{ID}%2Fvso.code")));
    assert!(r.has("ENTRA_MULTIPLE_RESOURCES"));
    let r = check(&entra_url("login.microsoftonline.us", &format!("{ID}%2Fvso.code")));
    assert!(r.has("SCOPE_ADO_NON_GLOBAL_CLOUD"));
    let r = check(&good(&format!("{ID}%2Fvso.code")).replace("/organizations/", "/consumers/"));
    assert!(r.has("ADO_CONSUMERS_TENANT"));
    let r = check(&good(&format!("{ID}%2Fvso.code")));
    assert!(!r.has("SCOPE_ADO_NON_GLOBAL_CLOUD") && !r.has("ADO_CONSUMERS_TENANT"));
}

// ---- legacy Azure DevOps OAuth -----------------------------------------------------------------

#[test]
fn legacy_requests_warn_without_double_blocking() {
    let url = legacy_authorization_url(CLIENT, REDIRECT, &["vso.work", "vso.code"], "st").unwrap();
    // Legacy Azure DevOps OAuth has one resource: its scopes are Azure DevOps', not Graph's.
    let described = check(&url);
    assert!(described.scopes.iter().all(|s| s.resource == browser_oauth::core::scopes::Resource::AzureDevOps), "{:?}", described.scopes);
    assert!(url.starts_with("https://app.vssps.visualstudio.com/oauth2/authorize?client_id="));
    assert!(url.contains("response_type=Assertion") && url.contains("scope=vso.work+vso.code"));
    let r = check(&url);
    assert_eq!(r.verdict, Verdict::Warn, "{:?}", r.findings);
    assert_eq!(severity(&r, "LEGACY_ADO_OAUTH"), Some(Severity::Warn));
    assert_eq!(severity(&r, "PKCE_MISSING"), Some(Severity::Info));
    assert_eq!(r.authority.unwrap().kind, AuthorityKind::LegacyAzureDevOps);
    let r = check(&url.replace("scope=vso.work", "scope=User.Read"));
    assert!(r.has("LEGACY_SCOPE_INVALID"));
    let r = check(&url.replace("/oauth2/authorize", "/oauth2/authorize2"));
    assert!(r.has("AUTHORITY_PATH_UNEXPECTED"));
}

#[test]
fn legacy_builder_validates_its_inputs() {
    let e = |r: Result<String, Error>| r.unwrap_err();
    assert_eq!(
        e(legacy_authorization_url("", REDIRECT, &["vso.code"], "s")),
        Error::MissingOption { name: "client_id" }
    );
    assert!(matches!(e(legacy_authorization_url("abc", REDIRECT, &["vso.code"], "s")), Error::InvalidOption { .. }));
    assert_eq!(
        e(legacy_authorization_url(CLIENT, "http://app.example/cb", &["vso.code"], "s")),
        Error::InsecureUrl { what: "redirect_uri" }
    );
    assert!(matches!(
        e(legacy_authorization_url(CLIENT, "https://app.example/cb#x", &["vso.code"], "s")),
        Error::ForbiddenUrl { .. }
    ));
    assert_eq!(
        e(legacy_authorization_url(CLIENT, REDIRECT, &["vso.code"], "")),
        Error::MissingOption { name: "state" }
    );
    for bad in ["user_impersonation", "vso.chat_write", "vso.base", "openid", &format!("{ID}/vso.code")] {
        assert!(
            matches!(e(legacy_authorization_url(CLIENT, REDIRECT, &[bad], "s")), Error::InvalidScope { .. }),
            "{bad}"
        );
    }
    assert!(matches!(e(legacy_authorization_url(CLIENT, REDIRECT, &[], "s")), Error::InvalidScope { .. }));
}

#[test]
fn legacy_callback_is_validated() {
    let v = |url: &str| validate_legacy_callback(url, "st", REDIRECT).map(|code| code.secret().to_owned());
    assert_eq!(v("https://app.example/callback?code=abc&state=st").unwrap(), "abc");
    assert_eq!(v("https://app.example/callback?code=abc&state=sx"), Err(Error::StateMismatch));
    assert_eq!(v("https://app.example/callback?code=abc"), Err(Error::StateMissing));
    assert_eq!(v("https://app.example/callback?state=st"), Err(Error::CodeMissing));
    assert_eq!(v("https://app.example/callback?code=&state=st"), Err(Error::CodeMissing));
    assert_eq!(
        v("https://app.example/callback?code=a&code=b&state=st"),
        Err(Error::DuplicateParameter { name: "code" })
    );
    assert_eq!(
        v("https://app.example/callback?code=a&state=st&state=st"),
        Err(Error::DuplicateParameter { name: "state" })
    );
    assert_eq!(v("https://app.example/other?code=abc&state=st"), Err(Error::RedirectUriMismatch));
    assert_eq!(v("https://evil.example/callback?code=abc&state=st"), Err(Error::RedirectUriMismatch));
    assert_eq!(v("https://app.example/callback"), Err(Error::NoAuthorizationResponse));
    assert!(matches!(v("not a url"), Err(Error::InvalidUrl { .. })));
    assert_eq!(
        validate_legacy_callback("https://app.example/callback?code=a&state=", "", REDIRECT).err(),
        Some(Error::MissingOption { name: "state" })
    );
    let err = v("https://app.example/callback?error=access_denied&error_description=AADSTS65004%3A+declined&state=st")
        .unwrap_err();
    let server = err.server_error().unwrap();
    assert_eq!((server.error.as_str(), server.aadsts), ("access_denied", Some(65004)));
    // An error with the wrong state is a state mismatch first: it may be forged.
    assert_eq!(v("https://app.example/callback?error=access_denied&state=x"), Err(Error::StateMismatch));
}

// ---- garbage never panics ----------------------------------------------------------------------

#[test]
fn garbage_input_gives_a_block_verdict_and_never_panics() {
    let megabyte =
        format!("https://login.microsoftonline.com/common/oauth2/v2.0/authorize?scope={}", "a".repeat(1 << 20));
    let inputs = [
        "",
        " ",
        "not a url",
        "javascript:alert(1)",
        "https://",
        "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?%00=%00&scope=%00",
        "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?state=a&state=b",
        "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?é=é",
        "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?a=%",
        "https://[::1/",
        "https://a:99999/",
        "\u{0}\u{1}\u{ff}",
        "https://login.microsoftonline.com/%ff%fe/oauth2/v2.0/authorize?client_id=%ff",
        &megabyte,
    ];
    for input in inputs {
        let r = check(input);
        assert_eq!(r.verdict, Verdict::Block, "{:?}: {:?}", input.get(..80), codes(&r));
        assert!(!r.findings.is_empty());
    }
    assert!(check("").has("URL_MALFORMED"));
    assert!(check(&megabyte).has("URL_TOO_LONG"));
}

#[test]
fn pseudo_random_mutations_of_a_good_request_never_panic() {
    let base = good(&format!("openid+{ID}%2Fvso.code_manage+{ID}%2Fvso.code"));
    let alphabet = b"%&=?#@:/.+ \\\"'<>aZ09-_~\x00\x7f";
    let mut state = 0x1234_5678_9abc_def0u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..3000 {
        let mut bytes = base.clone().into_bytes();
        for _ in 0..1 + next() % 4 {
            let at = (next() as usize) % bytes.len();
            let b = alphabet[(next() as usize) % alphabet.len()];
            match next() % 3 {
                0 => bytes[at] = b,
                1 => bytes.insert(at, b),
                _ => {
                    bytes.remove(at);
                }
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        let r = check_authorization_request(
            &text,
            &Expectations { redirect_uri: Some(REDIRECT.into()), ..Default::default() },
        );
        assert_eq!(r.verdict == Verdict::Block, r.findings.iter().any(|f| f.severity == Severity::Block));
        let _ = validate_legacy_callback(&text, "st", REDIRECT);
    }
}

// ---- declared Azure DevOps calls ---------------------------------------------------------------

fn with_operations(scope: &str, calls: &[&str]) -> Report {
    let exp = Expectations { operations: Some(calls.iter().map(|c| (*c).to_owned()).collect()), ..Default::default() };
    check_authorization_request(&good(scope), &exp)
}

const PR_DASHBOARD: [&str; 4] = [
    "GET https://dev.azure.com/contoso/Website/_apis/git/repositories?api-version=7.1",
    "GET https://dev.azure.com/contoso/Website/_apis/git/pullrequests",
    "POST https://dev.azure.com/contoso/Website/_apis/git/repositories/web/pullRequests/7/threads",
    "https://dev.azure.com/contoso/_apis/projects",
];

#[test]
fn declared_calls_show_an_over_ask_with_the_smaller_set() {
    let r = with_operations(&format!("openid+{ID}%2Fvso.code_manage+{ID}%2Fvso.build"), &PR_DASHBOARD);
    assert_eq!(r.needed_scopes, Some(vec![format!("{ID}/vso.code_write")]));
    let broader = r.finding("SCOPE_BROADER_THAN_NEEDED").unwrap();
    assert_eq!(broader.message, format!("{ID}/vso.code_manage is broader than the calls it serves need; {ID}/vso.code_write is enough."));
    assert_eq!(r.finding("SCOPE_NOT_NEEDED").unwrap().message, format!("{ID}/vso.build is not needed by any declared call the other scopes do not already allow."));
    let summary = r.finding("SCOPE_OVER_ASK").unwrap();
    assert_eq!(summary.severity, Severity::Warn);
    assert!(summary.message.ends_with(&format!("enough: {ID}/vso.code_write.")), "{}", summary.message);
    assert_eq!(r.verdict, Verdict::Warn);
}

#[test]
fn declared_calls_asked_for_exactly_raise_nothing_and_missing_ones_are_named() {
    let r = with_operations(&format!("openid+{ID}%2Fvso.code_write"), &PR_DASHBOARD);
    let judged = ["SCOPE_NOT_NEEDED", "SCOPE_BROADER_THAN_NEEDED", "SCOPE_OVER_ASK", "OPERATION_NOT_COVERED"];
    assert!(!codes(&r).iter().any(|c| judged.contains(c)), "{:?}", r.findings);
    let r = with_operations(&format!("openid+{ID}%2Fvso.code"), &PR_DASHBOARD);
    let missing = r.finding("OPERATION_NOT_COVERED").unwrap();
    assert!(missing.message.contains("needs ") && missing.message.contains("vso.code_write or "), "{}", missing.message);
    assert!(!r.has("SCOPE_OVER_ASK"));
}

#[test]
fn broad_scopes_and_unknown_calls_with_declared_calls() {
    let r = with_operations(&format!("openid+{ID}%2F.default"), &PR_DASHBOARD);
    assert!(r.has("SCOPE_BROADER_THAN_NEEDED") && r.has("SCOPE_OVER_ASK"));
    assert!(!r.has("OPERATION_NOT_COVERED"));
    let r = with_operations(&format!("{ID}%2Fuser_impersonation"), &["GET https://dev.azure.com/contoso/_apis/nowhere", "GET https://example.com/x", "GE T x"]);
    assert!(r.has("OPERATION_UNKNOWN") && r.has("OPERATION_NOT_AZURE_DEVOPS") && r.has("OPERATION_INVALID"));
    assert_eq!(r.needed_scopes, Some(vec![]));
    assert!(r.finding("SCOPE_OVER_ASK").unwrap().message.contains("no Azure DevOps scope"));
}

#[test]
fn requested_scopes_carry_examples_from_the_operation_table() {
    let r = check(&good(&format!("openid+{ID}%2Fvso.code_manage+{ID}%2Fvso.build_execute")));
    assert!(r.scopes[0].examples.is_empty());
    assert!(r.scopes[1].examples.contains(&"delete repositories"), "{:?}", r.scopes[1].examples);
    assert!(r.scopes[2].examples.contains(&"queue builds"), "{:?}", r.scopes[2].examples);
}
