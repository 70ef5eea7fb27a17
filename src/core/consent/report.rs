//! What a consent check returns: a verdict, findings with stable codes, and what the request
//! asks for in plain words.

use crate::core::scopes::{Resource, ScopeStatus};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth showing; nothing wrong.
    Info,
    /// Unusual or risky; the user should look closely before approving.
    Warn,
    /// Unsafe or not a genuine request; do not approve.
    Block,
}

/// The overall outcome: the most severe finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// Nothing above `Info`.
    Ok,
    /// At least one `Warn`, no `Block`.
    Warn,
    /// At least one `Block`.
    Block,
}

/// One observation about the request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Stable machine code (`AUTHORITY_LOOKALIKE`, `PKCE_MISSING`, …), never renamed once released.
    pub code: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// One short plain-language line, ready to render as text (never as HTML: it may quote
    /// parts of the URL).
    pub message: String,
}

/// Which authorization server a request goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuthorityKind {
    /// Microsoft Entra, global cloud (`login.microsoftonline.com` and its MSAL aliases).
    EntraGlobal,
    /// Microsoft Entra, US Government cloud.
    EntraUsGovernment,
    /// Microsoft Entra operated by 21Vianet in China.
    EntraChina,
    /// Newer sovereign clouds seen only in MSAL.js (`login.sovcloud-identity.*`).
    EntraSovereign,
    /// Microsoft Cloud Germany, closed on 29 October 2021.
    EntraGermanyClosed,
    /// Legacy Azure DevOps OAuth at `app.vssps.visualstudio.com`.
    LegacyAzureDevOps,
    /// A host the caller listed in [`super::Expectations::trusted_authority_hosts`], or a
    /// loopback host allowed by the development flag.
    Trusted,
    /// Anything else.
    Unknown,
}

impl AuthorityKind {
    /// `true` for every Microsoft Entra cloud, open or closed.
    pub fn is_entra(self) -> bool {
        matches!(
            self,
            AuthorityKind::EntraGlobal
                | AuthorityKind::EntraUsGovernment
                | AuthorityKind::EntraChina
                | AuthorityKind::EntraSovereign
                | AuthorityKind::EntraGermanyClosed
        )
    }
}

/// The authorization server of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authority {
    /// The host, lowercased.
    pub host: String,
    /// What the host is.
    pub kind: AuthorityKind,
    /// The Entra tenant segment of the path (`common`, `organizations`, a GUID or domain).
    pub tenant: Option<String>,
}

/// One requested scope, described.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScopeInfo {
    /// The scope as requested.
    pub scope: String,
    /// Its resource, as Microsoft Entra reads it.
    pub resource: Resource,
    /// Its standing in the Azure DevOps catalog.
    pub status: ScopeStatus,
    /// The Azure DevOps area (`Code`), for known scopes.
    pub area: Option<&'static str>,
    /// A short title, for known scopes.
    pub title: Option<&'static str>,
    /// A one-sentence description, for known scopes.
    pub description: Option<&'static str>,
    /// The docs' high-privilege flag.
    pub high_privilege: bool,
    /// `user_impersonation`: acts as the user across the resource.
    pub grants_full_access: bool,
    /// `.default` or `user_impersonation`: broad rather than named access.
    pub broad: bool,
    /// What a catalog scope unlocks, in a few words from the REST operations it grants
    /// ("delete repositories"); empty for other scopes.
    pub examples: Vec<&'static str>,
}

/// The result of [`super::check_authorization_request`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// The most severe finding, as a verdict.
    pub verdict: Verdict,
    /// Every finding, in the order checked (authority, parameters, scopes).
    pub findings: Vec<Finding>,
    /// The authorization server, when the URL could be parsed.
    pub authority: Option<Authority>,
    /// `client_id` as sent.
    pub client_id: Option<String>,
    /// `redirect_uri` as sent.
    pub redirect_uri: Option<String>,
    /// The requested scopes, described.
    pub scopes: Vec<ScopeInfo>,
    /// With [`super::Expectations::operations`]: the fewest catalog scopes the declared calls
    /// need (Entra-prefixed for an Entra authority).
    pub needed_scopes: Option<Vec<String>>,
}

impl Report {
    /// The first finding with `code`.
    pub fn finding(&self, code: &str) -> Option<&Finding> {
        self.findings.iter().find(|f| f.code == code)
    }

    /// `true` when a finding with `code` is present.
    pub fn has(&self, code: &str) -> bool {
        self.finding(code).is_some()
    }
}

/// Collects findings; messages are joined from parts to keep `core::fmt` out of this path.
#[derive(Default)]
pub(super) struct Findings(pub(super) Vec<Finding>);

impl Findings {
    pub(super) fn add(&mut self, code: &'static str, severity: Severity, parts: &[&str]) {
        self.0.push(Finding { code, severity, message: crate::core::text::concat(parts) });
    }

    pub(super) fn verdict(&self) -> Verdict {
        match self.0.iter().map(|f| f.severity).max() {
            Some(Severity::Block) => Verdict::Block,
            Some(Severity::Warn) => Verdict::Warn,
            _ => Verdict::Ok,
        }
    }
}
