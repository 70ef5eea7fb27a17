//! The consent module's exports: the consent check of an authorization request, the Azure
//! DevOps catalog with its texts, and legacy Azure DevOps OAuth. Each function converts,
//! delegates to `core::consent` or `core::scopes`, and converts back. Enum values cross as fixed
//! lowercase strings (`'block'`, `'entra-global'`).

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::convert::{
    array, field_value, js_error, object, objects, opt_bool, opt_string, opt_strings, options, resource_name, retired_note, scope_list,
    status_name, JsResult,
};
use crate::core::consent::{self, AuthorityKind, Expectations, Report, Severity, Verdict};
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

/// A catalog entry as a plain object, built directly: through serde-wasm-bindgen it costs the
/// module 0.46 KB gzip more (measured), unlike the report below, whose shape pays for the derive.
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

fn to_js<T: Serialize>(value: &T) -> JsResult<JsValue> {
    serde_wasm_bindgen::to_value(value).map_err(JsValue::from)
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
/// allowRequestObject?, operations? }` (`operations`: `"METHOD URL"` strings, see js/consent.js).
fn expectations(value: JsValue) -> JsResult<Expectations> {
    let o = options(value)?;
    Ok(Expectations {
        client_id: opt_string(&o, "clientId")?,
        redirect_uri: opt_string(&o, "redirectUri")?,
        trusted_authority_hosts: opt_strings(&o, "trustedAuthorityHosts")?.unwrap_or_default(),
        dangerously_allow_http_loopback_authority: opt_bool(&o, "dangerouslyAllowHttpLoopbackAuthority")?,
        allow_request_object: opt_bool(&o, "allowRequestObject")?,
        operations: match opt_strings(&o, "operations")? {
            Some(list) if list.len() > crate::core::operations::MAX_CALLS => {
                return Err(js_error(Error::InvalidOption { name: "operations", reason: "at most 256 calls" }))
            }
            list => list,
        },
    })
}

// The report crosses as plain objects built by serde-wasm-bindgen from these views: one derive
// per shape instead of a hand-written conversion each. `None` becomes `undefined`, except the
// authority, which is `null` when the URL could not be parsed.

#[derive(Serialize)]
struct FindingView<'a> {
    code: &'static str,
    severity: &'static str,
    message: &'a str,
}

#[derive(Serialize)]
struct AuthorityView<'a> {
    host: &'a str,
    kind: &'static str,
    tenant: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ScopeView<'a> {
    scope: &'a str,
    known: bool,
    resource: &'static str,
    status: &'static str,
    note: Option<&'static str>,
    area: Option<&'static str>,
    title: Option<&'static str>,
    description: Option<&'static str>,
    high_privilege: bool,
    full_access: bool,
    broad: bool,
    examples: &'a [&'a str],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportView<'a> {
    verdict: &'static str,
    findings: Vec<FindingView<'a>>,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    authority: JsValue,
    client_id: Option<&'a str>,
    redirect_uri: Option<&'a str>,
    scopes: Vec<ScopeView<'a>>,
    // The same sequence type as `examples`: one serializer instance for both.
    needed_scopes: Option<&'a [&'a str]>,
}

fn note_of(s: ScopeStatus) -> Option<&'static str> {
    match s {
        ScopeStatus::Retired { note, .. } => Some(note),
        _ => None,
    }
}

fn report(r: &Report) -> JsResult<JsValue> {
    let needed: Option<Vec<&str>> = r.needed_scopes.as_ref().map(|n| n.iter().map(String::as_str).collect());
    let authority = match &r.authority {
        Some(a) => to_js(&AuthorityView { host: &a.host, kind: kind_name(a.kind), tenant: a.tenant.as_deref() })?,
        None => JsValue::NULL,
    };
    let view = ReportView {
        verdict: verdict_name(r.verdict),
        findings: r.findings.iter().map(|f| FindingView { code: f.code, severity: severity_name(f.severity), message: &f.message }).collect(),
        authority,
        client_id: r.client_id.as_deref(),
        redirect_uri: r.redirect_uri.as_deref(),
        scopes: r
            .scopes
            .iter()
            .map(|s| ScopeView {
                scope: &s.scope,
                known: matches!(s.status, ScopeStatus::Known(_)),
                resource: resource_name(s.resource),
                status: status_name(s.status),
                note: note_of(s.status),
                area: s.area,
                title: s.title,
                description: s.description,
                high_privilege: s.high_privilege,
                full_access: s.grants_full_access,
                broad: s.broad,
                examples: &s.examples,
            })
            .collect(),
        needed_scopes: needed.as_deref(),
    };
    to_js(&view)
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
    consent::legacy_authorization_url(&client_id, &redirect_uri, &crate::core::text::as_strs(&list), &state).map_err(js_error)
}

/// Validates the legacy callback and returns its authorization code for the app's server.
/// The code is a secret; once it is a JS string it can no longer be wiped.
#[wasm_bindgen(js_name = validateLegacyCallback)]
pub fn validate_legacy_callback(url: &str, expected_state: &str, expected_redirect_uri: &str) -> JsResult<String> {
    consent::validate_legacy_callback(url, expected_state, expected_redirect_uri)
        .map(|code| code.secret().to_owned())
        .map_err(js_error)
}
