//! Scopes: the RFC 6749 §3.3 grammar, the Azure DevOps scope catalog and inclusion graph, the
//! Microsoft Entra scope rules, and set operations that honour inclusion.

mod catalog;
mod catalog_data;
mod entra;
mod ops;
mod set;
mod token;

pub use catalog::{manifest_only_scopes, retired_scopes, scope_status, AdoScope, ScopeStatus, CATALOG_LEN};
pub use entra::{
    analyze_entra_request, classify_entra_scope, split_azure_devops_prefix, to_entra_scopes, validate_entra_request,
    with_azure_devops_prefix, AdoForm, EntraAnalysis, EntraRule, EntraScope, EntraViolation, Resource,
    AZURE_DEVOPS_DEFAULT_SCOPE, AZURE_DEVOPS_RESOURCE_ID, AZURE_DEVOPS_RESOURCE_URI, MICROSOFT_GRAPH_RESOURCE_ID,
    MICROSOFT_GRAPH_RESOURCE_URI, OIDC_SCOPES,
};
pub use ops::{compare_granted, covers, expand, minimize, missing, GrantedScopes};
pub use set::{ScopeSet, MAX_SCOPE_TOKENS};
pub use token::{check_scope_token, Scope, MAX_SCOPE_TEXT_LEN};
