//! The scopes of an authorization request, described and judged: Azure DevOps catalog entries
//! with their area, title and privilege, unknown, retired and manifest-only names, redundant
//! scopes, broad access, and the Microsoft Entra rules.

use super::report::{Authority, AuthorityKind, Findings, ScopeInfo, Severity};
use crate::core::error::Error;
#[cfg(any(feature = "consent", not(target_arch = "wasm32")))]
use crate::core::operations::examples;
use crate::core::scopes::{
    analyze_entra_request, check_scope_token, classify_entra_scope, minimize, scope_status, AdoScope, EntraRule,
    Resource, ScopeSet, ScopeStatus, MAX_SCOPE_TOKENS,
};

use Severity::{Block, Info, Warn};

/// The Microsoft consumer tenant GUID, an alias of `consumers`.
const CONSUMERS_TENANT_ID: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

/// Checks the `scope` parameter and describes each scope.
pub(super) fn check_scopes(scope: Option<&str>, authority: &Authority, f: &mut Findings) -> Vec<ScopeInfo> {
    let kind = authority.kind;
    let Some(text) = scope else {
        let severity = if kind.is_entra() { Warn } else { Info };
        f.add("SCOPE_MISSING", severity, &["The request names no scopes."]);
        return Vec::new();
    };
    let tokens: Vec<&str> = match ScopeSet::parse(text) {
        Ok(_) => crate::core::text::split(text, b' ').collect(),
        Err(e) => {
            let reason = match e {
                Error::InvalidScope { reason } => reason,
                _ => "malformed",
            };
            f.add("SCOPE_MALFORMED", Block, &["The scope list is malformed: ", reason, "."]);
            // Still describe what can be read, so the user sees what was asked for.
            text.split([' ', '\t', '\n', '\r'])
                .filter(|t| check_scope_token(t).is_ok())
                .take(MAX_SCOPE_TOKENS)
                .collect()
        }
    };
    let mut unique: Vec<&str> = Vec::with_capacity(tokens.len());
    for t in tokens {
        if !unique.contains(&t) {
            unique.push(t);
        }
    }
    let mut infos: Vec<ScopeInfo> = unique.iter().map(|s| describe(s, f)).collect();
    // Entra reads an unprefixed scope as Microsoft Graph's; legacy Azure DevOps OAuth has no
    // other resource.
    if kind == AuthorityKind::LegacyAzureDevOps {
        for i in infos.iter_mut().filter(|i| i.resource == Resource::MicrosoftGraph) {
            i.resource = Resource::AzureDevOps;
        }
    }
    redundancy(&unique, f);
    let uses_ado =
        infos.iter().any(|i| i.resource == Resource::AzureDevOps || matches!(i.status, ScopeStatus::Known(_)));
    if kind.is_entra() {
        for v in analyze_entra_request(&unique).violations {
            let (code, text) = match v.rule {
                EntraRule::UnprefixedAzureDevOps => (
                    "ENTRA_SCOPE_NOT_PREFIXED",
                    " has no resource prefix, so Microsoft Entra reads it as a Microsoft Graph permission.",
                ),
                EntraRule::DefaultMixed => (
                    "ENTRA_DEFAULT_MIXED",
                    " is combined with other scopes of the same resource, which Microsoft Entra refuses.",
                ),
                EntraRule::MultipleResources => (
                    "ENTRA_MULTIPLE_RESOURCES",
                    " belongs to a second resource; Microsoft Entra issues a token for one resource at a time.",
                ),
            };
            f.add(code, Warn, &[v.scope, text]);
        }
        if uses_ado && kind != AuthorityKind::EntraGlobal {
            f.add(
                "SCOPE_ADO_NON_GLOBAL_CLOUD",
                Warn,
                &[
                    "Azure DevOps scopes are requested from ",
                    &authority.host,
                    ", which is not the global Microsoft cloud; this is unusual.",
                ],
            );
        }
        let consumers = authority
            .tenant
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case("consumers") || t.eq_ignore_ascii_case(CONSUMERS_TENANT_ID));
        if uses_ado && consumers {
            f.add("ADO_CONSUMERS_TENANT", Warn, &["Azure DevOps scopes are requested for personal Microsoft accounts, which Entra apps cannot use with Azure DevOps."]);
        }
    }
    if kind == AuthorityKind::LegacyAzureDevOps {
        for s in &unique {
            let bare_vso = s.starts_with("vso.") && matches!(scope_status(s), ScopeStatus::Known(_));
            if !bare_vso {
                f.add(
                    "LEGACY_SCOPE_INVALID",
                    Warn,
                    &[s, " is not a vso.* scope; legacy Azure DevOps OAuth accepts only those."],
                );
            }
        }
    }
    infos
}

fn describe(scope: &str, f: &mut Findings) -> ScopeInfo {
    let entra = classify_entra_scope(scope);
    let status = scope_status(scope);
    let known = match status {
        ScopeStatus::Known(a) => Some(a),
        _ => None,
    };
    let info = ScopeInfo {
        scope: scope.to_owned(),
        resource: entra.resource,
        status,
        area: known.map(AdoScope::area),
        title: known.map(AdoScope::title),
        description: known.map(AdoScope::description),
        high_privilege: known.is_some_and(AdoScope::is_high_privilege),
        grants_full_access: known.is_some_and(AdoScope::grants_full_access) || entra.value == "user_impersonation",
        broad: entra.is_broad(),
        #[cfg(any(feature = "consent", not(target_arch = "wasm32")))]
        examples: known.map_or_else(Vec::new, |a| examples(a).collect()),
        #[cfg(not(any(feature = "consent", not(target_arch = "wasm32"))))]
        examples: Vec::new(),
    };
    match status {
        ScopeStatus::Known(a) if a.grants_full_access() => {
            f.add("SCOPE_FULL_ACCESS", Warn, &[scope, ": full access to Azure DevOps as you, across every area."]);
        }
        ScopeStatus::Known(a) if a.is_high_privilege() => {
            f.add("SCOPE_HIGH_PRIVILEGE", Warn, &[scope, ": ", a.title(), " (high privilege)."]);
        }
        ScopeStatus::Known(_) => {}
        ScopeStatus::Retired { note, .. } => {
            f.add("SCOPE_RETIRED", Warn, &[scope, " is an Azure DevOps scope that is no longer offered: ", note, "."]);
        }
        ScopeStatus::ManifestOnly(_) => {
            f.add(
                "SCOPE_MANIFEST_ONLY",
                Warn,
                &[scope, " appears only in extension manifests, not in the Azure DevOps OAuth scope list."],
            );
        }
        ScopeStatus::Unknown if entra.is_default() => {
            f.add(
                "SCOPE_BROAD_DEFAULT",
                Warn,
                &[scope, " asks for every permission the app registration lists, without naming them."],
            );
        }
        ScopeStatus::Unknown if info.grants_full_access => {
            f.add("SCOPE_FULL_ACCESS", Warn, &[scope, ": full access as you to ", entra.prefix, "."]);
        }
        ScopeStatus::Unknown if entra.resource == Resource::AzureDevOps || entra.value.starts_with("vso.") => {
            f.add("SCOPE_UNKNOWN", Warn, &[scope, " is not an Azure DevOps scope; it may be misspelt."]);
        }
        ScopeStatus::Unknown if entra.resource != Resource::Oidc => {
            f.add("SCOPE_UNKNOWN", Info, &[scope, " is not described by this library."]);
        }
        ScopeStatus::Unknown => {}
    }
    info
}

/// Reports scopes another requested scope already includes (the docs ask for the fewest scopes).
fn redundancy(scopes: &[&str], f: &mut Findings) {
    let kept = minimize(scopes);
    for s in scopes.iter().filter(|s| !kept.contains(s)) {
        let Some(a) = AdoScope::find(s) else { continue };
        let by = kept.iter().find(|k| AdoScope::find(k).is_some_and(|b| b != a && b.covers(a)));
        match by {
            Some(by) => f.add("SCOPE_NOT_MINIMAL", Info, &[s, " is already included in ", by, "."]),
            None => f.add("SCOPE_NOT_MINIMAL", Info, &[s, " is requested twice in different forms."]),
        }
    }
}
