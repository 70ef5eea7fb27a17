//! Consent check of an authorization request URL. Byte 0 picks the caller's expectations
//! (bit 5: the app declares a pull-request dashboard's Azure DevOps calls).
//! Invariants: never panics; deterministic; the verdict is the most severe finding (ok, warn
//! or block); every finding has a message; a request whose authority is not https is never ok;
//! an unexpected request object (`request`, `request_uri`) is always blocked.
#![no_main]

use browser_oauth::core::consent::{check_authorization_request, Expectations, Severity, Verdict};
use browser_oauth::core::encoding::form_parse;
use browser_oauth::core::url::Url;
use browser_oauth_fuzz::text;
use libfuzzer_sys::fuzz_target;

fn expectations(flags: u8) -> Expectations {
    Expectations {
        client_id: (flags & 1 != 0).then(|| "11111111-2222-3333-4444-555555555555".to_owned()),
        redirect_uri: (flags & 2 != 0).then(|| "https://app.example/callback".to_owned()),
        trusted_authority_hosts: if flags & 4 != 0 { vec!["accounts.example.com".to_owned()] } else { Vec::new() },
        dangerously_allow_http_loopback_authority: flags & 8 != 0,
        allow_request_object: flags & 16 != 0,
        operations: (flags & 32 != 0).then(|| {
            vec![
                "GET https://dev.azure.com/contoso/Website/_apis/git/repositories".to_owned(),
                "POST https://dev.azure.com/contoso/Website/_apis/git/repositories/web/pullRequests/7/threads".to_owned(),
            ]
        }),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    let Some(url) = text(rest) else { return };
    let exp = expectations(flags);
    let report = check_authorization_request(url, &exp);
    assert!(report == check_authorization_request(url, &exp), "not deterministic");
    let worst = report.findings.iter().map(|f| f.severity).max();
    let verdict = match worst {
        Some(Severity::Block) => Verdict::Block,
        Some(Severity::Warn) => Verdict::Warn,
        _ => Verdict::Ok,
    };
    assert_eq!(report.verdict, verdict, "verdict is not the most severe finding");
    assert!(report.findings.iter().all(|f| !f.message.is_empty() && !f.code.is_empty()));
    let parsed = Url::parse(url);
    if !parsed.as_ref().is_ok_and(Url::is_https) {
        assert_ne!(report.verdict, Verdict::Ok, "a non-https authority was judged ok");
    }
    if let Some(q) = parsed.as_ref().ok().and_then(Url::query) {
        let pairs = form_parse(q).unwrap_or_default();
        if !exp.allow_request_object && pairs.iter().any(|(n, _)| n == "request" || n == "request_uri") {
            assert_eq!(report.verdict, Verdict::Block, "an unexpected request object was not blocked");
        }
    }
    assert_eq!(report.needed_scopes.is_some(), exp.operations.is_some() && parsed.is_ok() && report.authority.is_some() && parsed.as_ref().is_ok_and(|u| u.query().is_some()) && report.findings.iter().all(|f| f.code != "QUERY_MALFORMED"));
    if parsed.is_err() {
        assert_eq!(report.verdict, Verdict::Block);
        assert!(report.authority.is_none());
    }
});
