//! `check_authorization_request`: judge an authorization request URL before the user approves.

use super::authority::check_authority;
use super::expectations::Expectations;
use super::report::{AuthorityKind, Findings, Report, Severity, Verdict};
#[cfg(any(feature = "consent", not(target_arch = "wasm32")))]
use super::operation_findings::check_operations;
use super::scope_findings::check_scopes;
use crate::core::encoding::form_parse;
use crate::core::url::{Url, UrlError};

use Severity::{Block, Info, Warn};

/// Parameters that must never travel in a browser URL.
const SECRET_PARAMS: [&str; 4] = ["client_secret", "client_assertion", "code_verifier", "password"];

/// Parameters that carry a whole request by value or by reference (RFC 9101 §5): the server
/// reads the parameters from there, so what this check sees in the URL may not be what is asked.
const REQUEST_OBJECT_PARAMS: [&str; 2] = ["request", "request_uri"];

/// Checks an authorization request URL (RFC 6749 §4.1.1, RFC 7636 §4.3, RFC 9700 §2.1 and §4)
/// against the Microsoft Entra and Azure DevOps rules and the caller's `expectations`.
///
/// Total: any string gives a [`Report`], never a panic or an error; input that cannot be read
/// is a `Block` verdict with a finding (`URL_MALFORMED`, `AUTHORITY_NON_ASCII`, …).
pub fn check_authorization_request(url: &str, expectations: &Expectations) -> Report {
    let mut f = Findings::default();
    let mut report = Report {
        verdict: Verdict::Block,
        findings: Vec::new(),
        authority: None,
        client_id: None,
        redirect_uri: None,
        scopes: Vec::new(),
        needed_scopes: None,
    };
    match Url::parse(url) {
        Ok(parsed) => check_parsed(&parsed, expectations, &mut f, &mut report),
        Err(e) => unreadable(url, e, &mut f),
    }
    report.verdict = f.verdict();
    report.findings = f.0;
    report
}

fn unreadable(url: &str, e: UrlError, f: &mut Findings) {
    // The authority is what the user must judge; say so when it is what broke the parse.
    let authority = crate::core::text::split_once(url, "://").map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(rest));
    if e == UrlError::BadCharacter && authority.is_some_and(|a| !a.is_ascii()) {
        f.add(
            "AUTHORITY_NON_ASCII",
            Block,
            &["The host contains non-ASCII characters, a common way to imitate a real name."],
        );
        return;
    }
    let why = match e {
        UrlError::NotAbsoluteHttp => "it is not an http or https address",
        UrlError::BadCharacter => "it contains spaces, control or non-ASCII characters",
        UrlError::BadHost => "its host is malformed",
        UrlError::BadPort => "its port is malformed",
        UrlError::TooLong => "it is too long",
    };
    let code = if e == UrlError::TooLong { "URL_TOO_LONG" } else { "URL_MALFORMED" };
    f.add(code, Block, &["The sign-in address cannot be read: ", why, "."]);
}

fn check_parsed(url: &Url, exp: &Expectations, f: &mut Findings, report: &mut Report) {
    let authority = check_authority(url, exp, f);
    let legacy = authority.kind == AuthorityKind::LegacyAzureDevOps;
    let Some(query) = url.query() else {
        f.add("PARAMS_MISSING", Block, &["The address carries no authorization request parameters."]);
        report.authority = Some(authority);
        return;
    };
    let Some(params) = form_parse(query) else {
        f.add("QUERY_MALFORMED", Block, &["The request parameters are malformed or too many."]);
        report.authority = Some(authority);
        return;
    };
    let get = |name: &str| params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    for (i, (name, _)) in params.iter().enumerate() {
        let first = params.iter().position(|(n, _)| n == name) == Some(i);
        let repeated = params.iter().skip(i + 1).any(|(n, _)| n == name);
        if first && repeated {
            f.add(
                "PARAM_DUPLICATED",
                Block,
                &["The parameter ", name, " appears more than once, so servers may read it differently."],
            );
        }
    }
    for name in SECRET_PARAMS {
        if get(name).is_some() {
            f.add(
                "SECRET_IN_URL",
                Block,
                &["The address carries ", name, ", a secret that must never appear in a browser."],
            );
        }
    }
    for name in REQUEST_OBJECT_PARAMS {
        if get(name).is_some() {
            request_object(name, exp, f);
        }
    }
    response_type(get("response_type"), legacy, f);
    client_id(get("client_id"), exp, f);
    redirect_uri(get("redirect_uri"), exp, f);
    let pkce = pkce(get("code_challenge"), get("code_challenge_method"), legacy, f);
    if get("state").is_none_or(str::is_empty) {
        // RFC 9700 §2.1: PKCE also stops CSRF, so a missing state is only fatal without it.
        let severity = if pkce { Warn } else { Block };
        f.add("STATE_MISSING", severity, &["The request has no state value to tie the answer to this sign-in."]);
    }
    report.scopes = check_scopes(get("scope"), &authority, f);
    // The operation table is only in the consent module (src/core/mod.rs).
    #[cfg(any(feature = "consent", not(target_arch = "wasm32")))]
    if let Some(calls) = &exp.operations {
        let requested: Vec<&str> = report.scopes.iter().map(|s| s.scope.as_str()).collect();
        report.needed_scopes = Some(check_operations(calls, &requested, authority.kind.is_entra(), f));
    }
    report.client_id = get("client_id").map(str::to_owned);
    report.redirect_uri = get("redirect_uri").map(str::to_owned);
    report.authority = Some(authority);
}

fn request_object(name: &str, exp: &Expectations, f: &mut Findings) {
    if exp.allow_request_object {
        f.add(
            "REQUEST_OBJECT",
            Info,
            &["The request carries ", name, "; the parameters inside it are not checked here."],
        );
    } else {
        f.add(
            "REQUEST_OBJECT",
            Block,
            &["The request carries ", name, ", which can replace every parameter shown here, so what you approve may differ."],
        );
    }
}

fn response_type(value: Option<&str>, legacy: bool, f: &mut Findings) {
    if legacy {
        f.add("LEGACY_ADO_OAUTH", Warn, &["This is legacy Azure DevOps OAuth: it retires in 2026 and needs a server holding a client secret to finish sign-in."]);
        if value != Some("Assertion") {
            f.add("RESPONSE_TYPE_UNEXPECTED", Warn, &["Legacy Azure DevOps OAuth expects response_type=Assertion."]);
        }
        return;
    }
    match value {
        Some("code") => {}
        None | Some("") => f.add("RESPONSE_TYPE_MISSING", Block, &["The request has no response_type."]),
        Some(other) => f.add(
            "RESPONSE_TYPE_NOT_CODE",
            Block,
            &[
                "The request asks for response_type=",
                other,
                " instead of an authorization code; tokens could leak through the address bar.",
            ],
        ),
    }
}

fn client_id(value: Option<&str>, exp: &Expectations, f: &mut Findings) {
    match (value, exp.client_id.as_deref()) {
        (None | Some(""), _) => f.add("CLIENT_ID_MISSING", Block, &["The request names no application (client_id)."]),
        (Some(got), Some(want)) if got != want => {
            f.add("CLIENT_ID_MISMATCH", Block, &["The request is for another application (client_id ", got, ")."]);
        }
        _ => {}
    }
}

fn redirect_uri(value: Option<&str>, exp: &Expectations, f: &mut Findings) {
    if let Some(want) = exp.redirect_uri.as_deref() {
        if value != Some(want) {
            f.add(
                "REDIRECT_URI_MISMATCH",
                Block,
                &["The answer would be sent to ", value.unwrap_or("an unspecified address"), " instead of ", want, "."],
            );
            return;
        }
    }
    let Some(value) = value else { return };
    match Url::parse(value) {
        Ok(u) if !u.is_https() && !u.is_loopback() => {
            f.add("REDIRECT_URI_NOT_HTTPS", Block, &["The answer would be sent over plain HTTP to ", value, "."]);
        }
        Ok(u) if u.has_userinfo() || u.fragment().is_some() => {
            f.add("REDIRECT_URI_INVALID", Block, &["The redirect address has credentials or a fragment: ", value, "."]);
        }
        Ok(_) => {}
        Err(_) => f.add("REDIRECT_URI_INVALID", Block, &["The redirect address is not a valid https address."]),
    }
}

/// RFC 7636 §4.2: `code-challenge = 43*128unreserved`. Returns whether PKCE protects the request.
fn pkce(challenge: Option<&str>, method: Option<&str>, legacy: bool, f: &mut Findings) -> bool {
    let Some(challenge) = challenge else {
        // Legacy Azure DevOps OAuth has no PKCE at all; LEGACY_ADO_OAUTH already warns.
        let severity = if legacy { Info } else { Block };
        f.add(
            "PKCE_MISSING",
            severity,
            &["The request has no PKCE code_challenge, so a stolen code could be used by someone else."],
        );
        return false;
    };
    let grammar = (43..=128).contains(&challenge.len())
        && challenge.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    if !grammar {
        f.add("PKCE_INVALID", Block, &["The PKCE code_challenge is not 43 to 128 unreserved characters."]);
    }
    if method != Some("S256") {
        f.add("PKCE_NOT_S256", Block, &["The PKCE method is not S256; the plain method does not protect the code."]);
    }
    grammar && method == Some("S256")
}
