//! Microsoft Entra ID (v2) scope rules, with Azure DevOps as the resource we know best.
//!
//! Source: Microsoft identity platform "Scopes and permissions" and "Azure DevOps: use Microsoft
//! Entra ID" docs. An Entra scope names its resource by a prefix (`{app id}/x`, `api://…/x`,
//! `https://host/x`); an unprefixed scope other than the OIDC ones belongs to Microsoft Graph.

use super::catalog::{scope_status, ScopeStatus};
use super::catalog_data as data;
use super::set::ScopeSet;
use super::token::check_scope_token;
use crate::core::provider::is_guid;
use crate::core::error::{Error, Result};

/// The Azure DevOps resource application ID.
pub const AZURE_DEVOPS_RESOURCE_ID: &str = data::RESOURCE_ID;
/// The Azure DevOps resource URI.
pub const AZURE_DEVOPS_RESOURCE_URI: &str = data::RESOURCE_URI;
/// The static-consent scope for Azure DevOps: every permission configured on the app registration.
pub const AZURE_DEVOPS_DEFAULT_SCOPE: &str = "499b84ac-1321-427f-aa17-267ca6975798/.default";
/// The Microsoft Graph resource application ID.
pub const MICROSOFT_GRAPH_RESOURCE_ID: &str = "00000003-0000-0000-c000-000000000000";
/// The Microsoft Graph resource URI.
pub const MICROSOFT_GRAPH_RESOURCE_URI: &str = "https://graph.microsoft.com";
/// The OpenID Connect scopes Entra accepts beside any one resource (OIDC Core §5.4, §11).
pub const OIDC_SCOPES: [&str; 4] = ["openid", "profile", "email", "offline_access"];

/// How an Azure DevOps scope is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdoForm {
    /// `vso.code`: legacy Azure DevOps OAuth, or a bug when sent to Entra.
    Bare,
    /// `499b84ac-1321-427f-aa17-267ca6975798/vso.code`.
    ResourceId,
    /// `https://app.vssps.visualstudio.com/vso.code`.
    ResourceUri,
}

/// Splits an Azure DevOps resource prefix off `scope`. The GUID and the URI's scheme and host
/// are case-insensitive; the scope name after the prefix is not. Anything else is `Bare`.
pub fn split_azure_devops_prefix(scope: &str) -> (AdoForm, &str) {
    for (prefix, form) in
        [(AZURE_DEVOPS_RESOURCE_ID, AdoForm::ResourceId), (AZURE_DEVOPS_RESOURCE_URI, AdoForm::ResourceUri)]
    {
        let head = scope.get(..prefix.len());
        if head.is_some_and(|h| h.eq_ignore_ascii_case(prefix)) {
            if let Some(rest) = scope.get(prefix.len()..).and_then(|r| r.strip_prefix('/')) {
                return (form, rest);
            }
        }
    }
    (AdoForm::Bare, scope)
}

/// Writes `name` in the given Azure DevOps form.
pub fn with_azure_devops_prefix(name: &str, form: AdoForm) -> String {
    let prefix = match form {
        AdoForm::Bare => return name.to_owned(),
        AdoForm::ResourceId => AZURE_DEVOPS_RESOURCE_ID,
        AdoForm::ResourceUri => AZURE_DEVOPS_RESOURCE_URI,
    };
    let mut s = String::with_capacity(prefix.len() + 1 + name.len());
    s.push_str(prefix);
    s.push('/');
    s.push_str(name);
    s
}

/// The resource a scope belongs to, as Entra reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resource {
    /// `openid`, `profile`, `email`, `offline_access`: allowed beside any resource.
    Oidc,
    /// Unprefixed, or prefixed with Graph's ID or URI.
    MicrosoftGraph,
    /// Prefixed with the Azure DevOps ID or URI.
    AzureDevOps,
    /// Any other prefix (`api://…`, `https://host`, `{guid}`).
    Other,
}

/// One scope split as Entra reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntraScope<'a> {
    /// The scope as written.
    pub scope: &'a str,
    /// Its resource.
    pub resource: Resource,
    /// The resource prefix as written, without the final `/`; empty when unprefixed.
    pub prefix: &'a str,
    /// The permission after the prefix (`vso.code`, `.default`, `User.Read`).
    pub value: &'a str,
}

impl EntraScope<'_> {
    /// `.default`: static consent to whatever the app registration lists.
    pub fn is_default(&self) -> bool {
        self.value == ".default"
    }

    /// `.default` or `user_impersonation`: broad access rather than one named permission.
    pub fn is_broad(&self) -> bool {
        self.is_default() || self.value == "user_impersonation"
    }

    /// An Azure DevOps name (`vso.*` or a catalog, retired or manifest-only name) sent without
    /// prefix, which Entra would read as a Microsoft Graph permission.
    pub fn is_unprefixed_azure_devops(&self) -> bool {
        self.prefix.is_empty()
            && self.resource == Resource::MicrosoftGraph
            && (self.value.starts_with("vso.") || scope_status(self.value) != ScopeStatus::Unknown)
    }

    pub(crate) fn same_resource(&self, other: &EntraScope<'_>) -> bool {
        self.resource == other.resource
            && (self.resource != Resource::Other || self.prefix.eq_ignore_ascii_case(other.prefix))
    }
}

/// Splits `scope` into resource and permission the way Entra does.
pub fn classify_entra_scope(scope: &str) -> EntraScope<'_> {
    if !crate::core::ENTRA_RULES || OIDC_SCOPES.contains(&scope) {
        return EntraScope { scope, resource: Resource::Oidc, prefix: "", value: scope };
    }
    // A URI prefix ends at the last `/` after `scheme://`; a GUID prefix is the first 36 bytes.
    let split = match crate::core::text::find(scope, "://") {
        Some(at) => scope.get(at + 3..).and_then(|r| r.rfind('/')).map(|i| at + 3 + i),
        None => scope.get(..36).filter(|g| is_guid(g) && scope.as_bytes().get(36) == Some(&b'/')).map(|_| 36),
    };
    let Some((prefix, value)) = split.and_then(|i| Some((scope.get(..i)?, scope.get(i + 1..)?))) else {
        return EntraScope { scope, resource: Resource::MicrosoftGraph, prefix: "", value: scope };
    };
    let is = |a: &str, b: &str| prefix.eq_ignore_ascii_case(a) || prefix.eq_ignore_ascii_case(b);
    let resource = if is(AZURE_DEVOPS_RESOURCE_ID, AZURE_DEVOPS_RESOURCE_URI) {
        Resource::AzureDevOps
    } else if is(MICROSOFT_GRAPH_RESOURCE_ID, MICROSOFT_GRAPH_RESOURCE_URI) {
        Resource::MicrosoftGraph
    } else {
        Resource::Other
    };
    EntraScope { scope, resource, prefix, value }
}

/// A Microsoft Entra scope rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntraRule {
    /// A bare `vso.*` scope: Entra assumes Microsoft Graph when the resource is missing.
    UnprefixedAzureDevOps,
    /// `.default` listed with explicit scopes of the same resource.
    DefaultMixed,
    /// Scopes of more than one resource (besides the OIDC scopes) in one request (AADSTS700022).
    MultipleResources,
}

impl EntraRule {
    /// The fixed lowercase text carried by [`Error::EntraScopeRule`].
    pub fn as_str(self) -> &'static str {
        match self {
            EntraRule::UnprefixedAzureDevOps => "azure devops scopes need the resource prefix",
            EntraRule::DefaultMixed => ".default cannot be combined with other scopes of its resource",
            EntraRule::MultipleResources => "scopes must come from a single resource",
        }
    }
}

/// A broken rule and the scope that broke it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntraViolation<'a> {
    /// The rule.
    pub rule: EntraRule,
    /// The first scope found breaking it.
    pub scope: &'a str,
}

/// What [`analyze_entra_request`] found; it never fails.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntraAnalysis<'a> {
    /// Each scope, classified, in request order.
    pub scopes: Vec<EntraScope<'a>>,
    /// Broken rules, at most one per rule and scope.
    pub violations: Vec<EntraViolation<'a>>,
    /// `.default` and `user_impersonation` scopes: broad access.
    pub broad: Vec<&'a str>,
}

/// Checks a scope request against the Entra rules without failing (Microsoft identity platform,
/// "Scopes and permissions": `.default` alone per resource, one resource per request).
pub fn analyze_entra_request<'a>(scopes: &[&'a str]) -> EntraAnalysis<'a> {
    let mut out =
        EntraAnalysis { scopes: scopes.iter().map(|s| classify_entra_scope(s)).collect(), ..Default::default() };
    let mut first: Option<EntraScope<'a>> = None;
    let mut multi = false;
    for s in out.scopes.iter().filter(|s| s.resource != Resource::Oidc) {
        if s.is_unprefixed_azure_devops() {
            out.violations.push(EntraViolation { rule: EntraRule::UnprefixedAzureDevOps, scope: s.scope });
        }
        if s.is_broad() {
            out.broad.push(s.scope);
        }
        match first {
            None => first = Some(*s),
            Some(f) if !multi && !f.same_resource(s) => {
                multi = true;
                out.violations.push(EntraViolation { rule: EntraRule::MultipleResources, scope: s.scope });
            }
            Some(_) => {}
        }
        let mixed = s.is_default()
            && out.scopes.iter().any(|o| o.resource != Resource::Oidc && !o.is_default() && o.same_resource(s));
        if mixed {
            out.violations.push(EntraViolation { rule: EntraRule::DefaultMixed, scope: s.scope });
        }
    }
    out
}

/// Validates a scope request for Entra: RFC 6749 §3.3 grammar, then the rules of
/// [`analyze_entra_request`]; the first broken rule becomes [`Error::EntraScopeRule`].
pub fn validate_entra_request(scopes: &[&str]) -> Result<()> {
    ScopeSet::from_tokens(scopes)?;
    match analyze_entra_request(scopes).violations.first() {
        Some(v) => Err(Error::EntraScopeRule { rule: v.rule.as_str() }),
        None => Ok(()),
    }
}

/// Turns Azure DevOps scope names into the Entra form: `vso.code` →
/// `499b84ac-1321-427f-aa17-267ca6975798/vso.code`. Each must be a current catalog scope (or
/// `.default`); already-prefixed forms are normalised, OIDC scopes pass through unchanged,
/// duplicates are dropped, and the result must pass [`validate_entra_request`].
pub fn to_entra_scopes(scopes: &[&str]) -> Result<Vec<String>> {
    let mut out = ScopeSet::new();
    for &scope in scopes {
        check_scope_token(scope)?;
        if OIDC_SCOPES.contains(&scope) {
            out.insert(scope)?;
            continue;
        }
        if split_azure_devops_prefix(scope).1 == ".default" {
            out.insert(AZURE_DEVOPS_DEFAULT_SCOPE)?;
            continue;
        }
        let reason = match scope_status(scope) {
            ScopeStatus::Known(s) => {
                out.insert(&s.entra_scope())?;
                continue;
            }
            ScopeStatus::Retired { .. } => "retired azure devops scope",
            ScopeStatus::ManifestOnly(_) => "azure devops scope not offered to oauth apps",
            ScopeStatus::Unknown => "not an azure devops scope",
        };
        return Err(Error::InvalidScope { reason });
    }
    validate_entra_request(&out.as_strs())?;
    Ok(out.iter().map(str::to_owned).collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn default_scope_constant_matches_the_resource_id() {
        assert_eq!(AZURE_DEVOPS_DEFAULT_SCOPE, with_azure_devops_prefix(".default", AdoForm::ResourceId));
    }

    #[test]
    fn classifies_prefixes() {
        let c = classify_entra_scope("api://x/Read.All");
        assert_eq!((c.resource, c.prefix, c.value), (Resource::Other, "api://x", "Read.All"));
        let c = classify_entra_scope("https://graph.microsoft.com/User.Read");
        assert_eq!((c.resource, c.value), (Resource::MicrosoftGraph, "User.Read"));
        let c = classify_entra_scope("499B84AC-1321-427F-AA17-267CA6975798/vso.code");
        assert_eq!((c.resource, c.value), (Resource::AzureDevOps, "vso.code"));
        let c = classify_entra_scope("User.Read");
        assert_eq!((c.resource, c.prefix), (Resource::MicrosoftGraph, ""));
        let c = classify_entra_scope("offline_access");
        assert_eq!(c.resource, Resource::Oidc);
        let c = classify_entra_scope("api:/");
        assert_eq!(c.resource, Resource::MicrosoftGraph);
    }
}
