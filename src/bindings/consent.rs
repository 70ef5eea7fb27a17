//! The consent module's exports: the consent check of an authorization request, the Azure
//! DevOps catalog with its texts, and legacy Azure DevOps OAuth. Each function converts,
//! delegates to `core::consent` or `core::scopes`, and converts back. Enum values cross as fixed
//! lowercase strings (`'block'`, `'entra-global'`).

use wasm_bindgen::prelude::*;

use super::convert::{
    array, field_value, js_error, object, objects, opt_bool, opt_str, opt_string, opt_strings, options, resource_name, retired_note,
    scope_list, status_name, strs, JsResult,
};
use crate::core::consent::{self, Authority, AuthorityKind, Expectations, Finding, Report, ScopeInfo, Severity, Verdict};
use crate::core::error::Error;
use crate::core::scopes::{self, AdoScope, ScopeStatus};

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Warn => "warn",
        Severity::Block => "block",
    }
}

fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Ok => "ok",
        Verdict::Warn => "warn",
        Verdict::Block => "block",
    }
}

fn kind_name(k: AuthorityKind) -> &'static str {
    match k {
        AuthorityKind::EntraGlobal => "entra-global",
        AuthorityKind::EntraUsGovernment => "entra-us-government",
        AuthorityKind::EntraChina => "entra-china",
        AuthorityKind::EntraSovereign => "entra-sovereign",
        AuthorityKind::EntraGermanyClosed => "entra-germany-closed",
        AuthorityKind::LegacyAzureDevOps => "legacy-azure-devops",
        AuthorityKind::Trusted => "trusted",
        AuthorityKind::Unknown => "unknown",
    }
}

/// A catalog entry as a plain object.
fn catalog_entry(s: AdoScope) -> JsResult<JsValue> {
    object(&[
        ("name", s.name().into()),
        ("entraScope", s.entra_scope().into()),
        ("area", s.area().into()),
        ("title", s.title().into()),
        ("description", s.description().into()),
        ("highPrivilege", s.is_high_privilege().into()),
        ("fullAccess", s.grants_full_access().into()),
        ("includes", array(&mut s.includes().map(AdoScope::name))),
        ("status", "current".into()),
    ])
}

// ---- the Azure DevOps catalog -----------------------------------------------------------------

/// The catalog entry of `name` (bare or prefixed); `{ name, status, note? }` for a retired or
/// manifest-only name; `null` for a name the catalog does not know.
#[wasm_bindgen(js_name = describeScope)]
pub fn describe_scope(name: &str) -> JsResult<JsValue> {
    match scopes::scope_status(name) {
        ScopeStatus::Known(s) => catalog_entry(s),
        ScopeStatus::Unknown => Ok(JsValue::NULL),
        other => {
            let bare = scopes::split_azure_devops_prefix(name).1;
            object(&[("name", bare.into()), ("status", status_name(other).into()), ("note", retired_note(other))])
        }
    }
}

/// Every current Azure DevOps scope, in docs order.
#[wasm_bindgen(js_name = azureDevOpsScopes)]
pub fn azure_devops_scopes() -> JsResult<JsValue> {
    objects(&mut AdoScope::all().map(catalog_entry))
}

// ---- consent check ----------------------------------------------------------------------------

/// Reads `{ clientId?, redirectUri?, trustedAuthorityHosts?, dangerouslyAllowHttpLoopbackAuthority?,
/// allowRequestObject? }`.
fn expectations(value: JsValue) -> JsResult<Expectations> {
    let o = options(value)?;
    Ok(Expectations {
        client_id: opt_string(&o, "clientId")?,
        redirect_uri: opt_string(&o, "redirectUri")?,
        trusted_authority_hosts: opt_strings(&o, "trustedAuthorityHosts")?.unwrap_or_default(),
        dangerously_allow_http_loopback_authority: opt_bool(&o, "dangerouslyAllowHttpLoopbackAuthority")?,
        allow_request_object: opt_bool(&o, "allowRequestObject")?,
    })
}

fn finding(f: &Finding) -> JsResult<JsValue> {
    object(&[
        ("code", f.code.into()),
        ("severity", severity_name(f.severity).into()),
        ("message", f.message.as_str().into()),
    ])
}

fn authority(a: &Authority) -> JsResult<JsValue> {
    object(&[("host", a.host.as_str().into()), ("kind", kind_name(a.kind).into()), ("tenant", opt_str(a.tenant.as_deref()))])
}

fn scope_info(s: &ScopeInfo) -> JsResult<JsValue> {
    let known = matches!(s.status, ScopeStatus::Known(_));
    object(&[
        ("scope", s.scope.as_str().into()),
        ("known", known.into()),
        ("resource", resource_name(s.resource).into()),
        ("status", status_name(s.status).into()),
        ("note", retired_note(s.status)),
        ("area", opt_str(s.area)),
        ("title", opt_str(s.title)),
        ("description", opt_str(s.description)),
        ("highPrivilege", s.high_privilege.into()),
        ("fullAccess", s.grants_full_access.into()),
        ("broad", s.broad.into()),
    ])
}

fn report(r: &Report) -> JsResult<JsValue> {
    let findings = objects(&mut r.findings.iter().map(finding))?;
    let scopes = objects(&mut r.scopes.iter().map(scope_info))?;
    object(&[
        ("verdict", verdict_name(r.verdict).into()),
        ("findings", findings),
        ("authority", match &r.authority {
            Some(a) => authority(a)?,
            None => JsValue::NULL,
        }),
        ("clientId", opt_str(r.client_id.as_deref())),
        ("redirectUri", opt_str(r.redirect_uri.as_deref())),
        ("scopes", scopes),
    ])
}

/// Judges an authorization request URL before the user approves it (RFC 6749 §4.1.1,
/// RFC 7636 §4.3, RFC 9700 §2.1 and §4). Any string gives a report; only malformed
/// `expectations` throw.
#[wasm_bindgen(js_name = checkAuthorizationRequest)]
pub fn check_authorization_request(url: &str, expectations_value: JsValue) -> JsResult<JsValue> {
    let exp = expectations(expectations_value)?;
    report(&consent::check_authorization_request(url, &exp))
}

// ---- legacy Azure DevOps OAuth ----------------------------------------------------------------

/// `{ clientId, redirectUri, scopes, state }` → the legacy authorize URL (`response_type=Assertion`).
#[wasm_bindgen(js_name = legacyAuthorizationUrl)]
pub fn legacy_authorization_url(request: JsValue) -> JsResult<String> {
    let o = options(request)?;
    let required = |name: &'static str| opt_string(&o, name)?.ok_or_else(|| js_error(Error::MissingOption { name }));
    let (client_id, redirect_uri, state) = (required("clientId")?, required("redirectUri")?, required("state")?);
    let list = match field_value(&o, "scopes") {
        v if !(v.is_undefined() || v.is_null()) => scope_list(&v, "scopes")?,
        _ => return Err(js_error(Error::MissingOption { name: "scopes" })),
    };
    consent::legacy_authorization_url(&client_id, &redirect_uri, &strs(&list), &state).map_err(js_error)
}

/// Validates the legacy callback and returns its authorization code for the app's server.
/// The code is a secret; once it is a JS string it can no longer be wiped.
#[wasm_bindgen(js_name = validateLegacyCallback)]
pub fn validate_legacy_callback(url: &str, expected_state: &str, expected_redirect_uri: &str) -> JsResult<String> {
    consent::validate_legacy_callback(url, expected_state, expected_redirect_uri)
        .map(|code| code.secret().to_owned())
        .map_err(js_error)
}
