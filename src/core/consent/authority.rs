//! Is the authorization server genuine? An exact-host allowlist (Microsoft Entra clouds and
//! their MSAL.js aliases, legacy Azure DevOps OAuth, caller-trusted hosts), HTTPS, the default
//! port, no credentials, and the expected path; lookalikes get their own findings.
//!
//! Sources: Microsoft identity platform "National clouds" and authority docs, MSAL.js
//! `knownAuthorities`, Azure DevOps "Manage authorizations" (check the URL begins with
//! `https://app.vssps.visualstudio.com/`), RFC 9700 §4.1 on redirect and authority checks.

use super::expectations::Expectations;
use super::report::{Authority, AuthorityKind, Findings, Severity};
use crate::core::url::Url;

use AuthorityKind::*;
use Severity::{Block, Info, Warn};

/// Known hosts: (host, kind, documented by Microsoft rather than only seen in MSAL.js).
const KNOWN_HOSTS: [(&str, AuthorityKind, bool); 15] = [
    ("login.microsoftonline.com", EntraGlobal, true),
    ("login.windows.net", EntraGlobal, false),
    ("login.microsoft.com", EntraGlobal, false),
    ("sts.windows.net", EntraGlobal, false),
    // Personal Microsoft accounts: where consumer sign-ins are authorized (`oauth20_authorize.srf`).
    ("login.live.com", EntraGlobal, false),
    ("login.microsoftonline.us", EntraUsGovernment, true),
    ("login.usgovcloudapi.net", EntraUsGovernment, false),
    ("login-us.microsoftonline.com", EntraUsGovernment, false),
    ("login.partner.microsoftonline.cn", EntraChina, true),
    ("login.chinacloudapi.cn", EntraChina, false),
    ("login.sovcloud-identity.fr", EntraSovereign, false),
    ("login.sovcloud-identity.de", EntraSovereign, false),
    ("login.sovcloud-identity.sg", EntraSovereign, false),
    ("login.microsoftonline.de", EntraGermanyClosed, true),
    ("app.vssps.visualstudio.com", LegacyAzureDevOps, true),
];

/// Hosts recognised as genuine authorization servers, with their kind (Microsoft Entra clouds,
/// MSAL.js aliases, the closed German cloud and legacy Azure DevOps OAuth).
pub fn known_authority_hosts() -> impl Iterator<Item = (&'static str, AuthorityKind)> {
    KNOWN_HOSTS.iter().map(|&(h, k, _)| (h, k))
}

/// Fragments of Microsoft identity host names that have no business in another host.
const MARKERS: [&str; 9] = [
    "microsoftonline",
    "microsoft",
    "windows.net",
    "vssps",
    "visualstudio",
    "chinacloudapi",
    "usgovcloudapi",
    "sovcloud",
    "live.com",
];

/// Classifies the host of `url` and reports what is wrong with it.
pub(super) fn check_authority(url: &Url, exp: &Expectations, f: &mut Findings) -> Authority {
    let host = url.host();
    let dev_loopback = exp.dangerously_allow_http_loopback_authority && url.is_loopback();
    let known = KNOWN_HOSTS.iter().find(|(h, _, _)| *h == host);
    let kind = match known {
        Some(&(_, kind, _)) => kind,
        None if dev_loopback || exp.trusted_authority_hosts.iter().any(|t| t.eq_ignore_ascii_case(host)) => Trusted,
        None => Unknown,
    };
    if kind == Unknown {
        f.add(
            "AUTHORITY_UNKNOWN_HOST",
            Block,
            &["The sign-in page is on ", host, ", which is not a known Microsoft sign-in host."],
        );
        lookalike(url, f);
    }
    if dev_loopback {
        f.add(
            "AUTHORITY_DEV_LOOPBACK",
            Warn,
            &["A local development sign-in server (", host, ") is trusted; never allow this in production."],
        );
    }
    if url.has_userinfo() {
        f.add("AUTHORITY_USERINFO", Block, &["The address hides a user name before '@'; the real host is ", host, "."]);
    }
    if !url.is_https() && !dev_loopback {
        f.add("AUTHORITY_NOT_HTTPS", Block, &["The sign-in page is not served over HTTPS."]);
    }
    let default_port = url.port().is_none() || (url.is_https() && url.port() == Some(443));
    if !default_port && !dev_loopback {
        f.add("AUTHORITY_PORT", Block, &["The sign-in address uses a non-standard port."]);
    }
    match known {
        Some(&(_, EntraGermanyClosed, _)) => {
            f.add(
                "AUTHORITY_CLOSED_CLOUD",
                Block,
                &["Microsoft Cloud Germany (", host, ") closed in October 2021; no genuine sign-in uses it."],
            );
        }
        Some(&(_, _, false)) => {
            f.add(
                "AUTHORITY_ALIAS",
                Info,
                &[host, " is a sign-in host known from Microsoft's MSAL libraries, not from its documentation."],
            );
        }
        _ => {}
    }
    let tenant = match kind {
        k if k.is_entra() => entra_path(url.path(), f),
        LegacyAzureDevOps => {
            if !url.path().eq_ignore_ascii_case("/oauth2/authorize") {
                f.add(
                    "AUTHORITY_PATH_UNEXPECTED",
                    Warn,
                    &["The path is not the Azure DevOps authorize endpoint /oauth2/authorize."],
                );
            }
            None
        }
        _ => None,
    };
    Authority { host: host.to_owned(), kind, tenant }
}

/// Checks `/{tenant}/oauth2/v2.0/authorize` and returns the tenant segment.
fn entra_path(path: &str, f: &mut Findings) -> Option<String> {
    let (tenant, rest) = path.strip_prefix('/').and_then(|p| p.split_once('/')).unwrap_or(("", ""));
    let tenant_ok = !tenant.is_empty() && tenant.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'));
    if tenant_ok && rest.eq_ignore_ascii_case("oauth2/v2.0/authorize") {
        return Some(tenant.to_owned());
    }
    if tenant_ok && rest.eq_ignore_ascii_case("oauth2/authorize") {
        f.add(
            "ENTRA_V1_ENDPOINT",
            Warn,
            &["The request uses the older Entra v1 endpoint instead of /oauth2/v2.0/authorize."],
        );
        return Some(tenant.to_owned());
    }
    f.add(
        "AUTHORITY_PATH_UNEXPECTED",
        Warn,
        &["The path is not an Entra authorize endpoint /{tenant}/oauth2/v2.0/authorize."],
    );
    None
}

/// Explains why an unknown host looks like a Microsoft one, if it does.
fn lookalike(url: &Url, f: &mut Findings) {
    let host = url.host();
    if crate::core::text::split(host, b'.').any(|label| label.starts_with("xn--")) {
        f.add(
            "AUTHORITY_PUNYCODE",
            Block,
            &["The host ", host, " contains an internationalised (xn--) label, a common way to imitate a real name."],
        );
    }
    if host.ends_with('.') {
        f.add(
            "AUTHORITY_TRAILING_DOT",
            Block,
            &["The host ", host, " ends with a dot; genuine sign-in links never do."],
        );
    }
    if host.contains('%') {
        f.add(
            "AUTHORITY_ENCODED_HOST",
            Block,
            &["The host ", host, " is percent-encoded; genuine sign-in links never are."],
        );
    }
    let bare = host.trim_end_matches('.');
    let imitates = MARKERS.iter().any(|m| bare.contains(m))
        || KNOWN_HOSTS.iter().any(|(h, _, _)| within_edit_distance(bare.as_bytes(), h.as_bytes(), 2));
    if imitates {
        f.add("AUTHORITY_LOOKALIKE", Block, &["The host ", host, " imitates a Microsoft sign-in host but is not one."]);
    } else if KNOWN_HOSTS.iter().any(|(h, _, _)| crate::core::text::find(url.without_query_and_fragment(), h).is_some()) {
        // Only the address itself (`https://evil.example/login.microsoftonline.com/…`): a
        // Microsoft host in the query (a `redirect_uri`, a `state`) is another matter.
        f.add(
            "AUTHORITY_LOOKALIKE",
            Block,
            &["The address names a Microsoft sign-in host, but the real host is ", host, "."],
        );
    }
}

/// Levenshtein distance of `a` and `b` is at most `max` (catches `login.microsoftonIine.com`).
fn within_edit_distance(a: &[u8], b: &[u8], max: usize) -> bool {
    if a.len().abs_diff(b.len()) > max || a.len() > 255 {
        return false;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, &x) in a.iter().enumerate() {
        let mut row_min = i + 1;
        if let Some(c0) = cur.first_mut() {
            *c0 = i + 1;
        }
        for (j, &y) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(usize::MAX).saturating_add(usize::from(x != y));
            let del = prev.get(j + 1).copied().unwrap_or(usize::MAX).saturating_add(1);
            let ins = cur.get(j).copied().unwrap_or(usize::MAX).saturating_add(1);
            let v = sub.min(del).min(ins);
            if let Some(c) = cur.get_mut(j + 1) {
                *c = v;
            }
            row_min = row_min.min(v);
        }
        if row_min > max {
            return false;
        }
        core::mem::swap(&mut prev, &mut cur);
    }
    prev.last().is_some_and(|d| *d <= max)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_bound() {
        assert!(within_edit_distance(b"login.microsoftonIine.com", b"login.microsoftonline.com", 2));
        assert!(within_edit_distance(b"logn.micros0ftonline.com", b"login.microsoftonline.com", 2));
        assert!(!within_edit_distance(b"accounts.google.com", b"login.microsoftonline.com", 2));
        assert!(within_edit_distance(b"", b"ab", 2));
        assert!(!within_edit_distance(b"", b"abc", 2));
    }
}
