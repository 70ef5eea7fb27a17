//! Scopes and consent checks for JavaScript: the set operations, the Entra helpers, the Azure
//! DevOps catalog, the consent check of an authorization request, and legacy Azure DevOps OAuth.
//! Each function converts, delegates to `core::scopes` or `core::consent`, and converts back.
//!
//! Scope arguments are arrays of strings; each string must be one RFC 6749 §3.3 scope token
//! and a list holds at most [`MAX_SCOPE_TOKENS`], so the quadratic operations stay cheap on
//! hostile input. Enum values cross as fixed lowercase strings (`'azure-devops'`, `'block'`).

use wasm_bindgen::prelude::*;

use super::convert::{js_error, object, opt_bool, opt_string, opt_strings, options, JsResult};
use crate::core::consent::{
    self, Authority, AuthorityKind, Expectations, Finding, Report, ScopeInfo, Severity, Verdict,
};
use crate::core::error::Error;
use crate::core::scopes::{
    self, check_scope_token, AdoScope, EntraAnalysis, EntraRule, Resource, ScopeStatus, MAX_SCOPE_TOKENS,
};

// ---- conversions ------------------------------------------------------------------------------

/// An array of scope tokens: anything else is `OAUTH_INVALID_OPTION` naming `name`; a token
/// that breaks RFC 6749 §3.3, or more than [`MAX_SCOPE_TOKENS`] of them, is `OAUTH_INVALID_SCOPE`.
fn scope_list(value: &JsValue, name: &'static str) -> JsResult<Vec<String>> {
    let bad = || js_error(Error::InvalidOption { name, reason: "must be an array of strings" });
    if !js_sys::Array::is_array(value) {
        return Err(bad());
    }
    let array = js_sys::Array::from(value);
    let len = array.length();
    if len as usize > MAX_SCOPE_TOKENS {
        return Err(js_error(Error::InvalidScope { reason: "too many scope tokens" }));
    }
    let mut out = Vec::with_capacity(len as usize);
    for i in 0..len {
        let s = array.get(i).as_string().ok_or_else(bad)?;
        check_scope_token(&s).map_err(js_error)?;
        out.push(s);
    }
    Ok(out)
}

fn strs(items: &[String]) -> Vec<&str> {
    items.iter().map(String::as_str).collect()
}

// The two array builders take `dyn` iterators: one copy of the loop each, not one per caller.
fn array(items: &mut dyn Iterator<Item = &str>) -> JsValue {
    let out = js_sys::Array::new();
    for s in items {
        out.push(&JsValue::from_str(s));
    }
    out.into()
}

fn objects(items: &mut dyn Iterator<Item = JsResult<JsValue>>) -> JsResult<JsValue> {
    let out = js_sys::Array::new();
    for o in items {
        out.push(&o?);
    }
    Ok(out.into())
}

fn opt_str(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::UNDEFINED, JsValue::from_str)
}

fn resource_name(r: Resource) -> &'static str {
    match r {
        Resource::Oidc => "oidc",
        Resource::MicrosoftGraph => "microsoft-graph",
        Resource::AzureDevOps => "azure-devops",
        Resource::Other => "other",
    }
}

fn status_name(s: ScopeStatus) -> &'static str {
    match s {
        ScopeStatus::Known(_) => "current",
        ScopeStatus::Retired { .. } => "retired",
        ScopeStatus::ManifestOnly(_) => "manifest-only",
        ScopeStatus::Unknown => "unknown",
    }
}

fn retired_note(s: ScopeStatus) -> JsValue {
    match s {
        ScopeStatus::Retired { note, .. } => note.into(),
        _ => JsValue::UNDEFINED,
    }
}

fn rule_name(r: EntraRule) -> &'static str {
    match r {
        EntraRule::UnprefixedAzureDevOps => "unprefixed-azure-devops",
        EntraRule::DefaultMixed => "default-mixed",
        EntraRule::MultipleResources => "multiple-resources",
    }
}

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

// ---- set operations ---------------------------------------------------------------------------

/// `true` when `granted` carries every scope of `required`, Azure DevOps inclusion honoured.
#[wasm_bindgen(js_name = scopeCovers)]
pub fn scope_covers(granted: JsValue, required: JsValue) -> JsResult<bool> {
    let (g, r) = (scope_list(&granted, "granted")?, scope_list(&required, "required")?);
    Ok(scopes::covers(&strs(&g), &strs(&r)))
}

/// The scopes of `required` that `granted` does not carry, in order, without duplicates.
#[wasm_bindgen(js_name = scopeMissing)]
pub fn scope_missing(granted: JsValue, required: JsValue) -> JsResult<JsValue> {
    let (g, r) = (scope_list(&granted, "granted")?, scope_list(&required, "required")?);
    Ok(array(&mut scopes::missing(&strs(&g), &strs(&r)).into_iter()))
}

/// The scopes without those another listed scope already includes, and without duplicates.
#[wasm_bindgen(js_name = scopeMinimize)]
pub fn scope_minimize(list: JsValue) -> JsResult<JsValue> {
    let s = scope_list(&list, "scopes")?;
    Ok(array(&mut scopes::minimize(&strs(&s)).into_iter()))
}

/// The scopes plus everything they include transitively, each in its writer's form.
#[wasm_bindgen(js_name = scopeExpand)]
pub fn scope_expand(list: JsValue) -> JsResult<JsValue> {
    let s = scope_list(&list, "scopes")?;
    Ok(array(&mut scopes::expand(&strs(&s)).iter().map(String::as_str)))
}

/// Granted versus requested (RFC 6749 §3.3, §5.1): `{ granted, missing, extra, asRequested }`.
/// `responseScope` is the token response's `scope`; absent means "as requested".
#[wasm_bindgen(js_name = compareGrantedScopes)]
pub fn compare_granted_scopes(requested: JsValue, response_scope: Option<String>) -> JsResult<JsValue> {
    let r = scope_list(&requested, "requested")?;
    let g = scopes::compare_granted(&strs(&r), response_scope.as_deref()).map_err(js_error)?;
    object(&[
        ("granted", array(&mut g.granted.iter().map(String::as_str))),
        ("missing", array(&mut g.missing.iter().map(String::as_str))),
        ("extra", array(&mut g.extra.iter().map(String::as_str))),
        ("asRequested", g.as_requested.into()),
    ])
}

// ---- Microsoft Entra --------------------------------------------------------------------------

/// `['vso.code', 'vso.work_write']` → the Entra request scopes
/// (`499b84ac-…/vso.code`, …), checked against the catalog and the Entra rules.
#[wasm_bindgen(js_name = toEntraScopes)]
pub fn to_entra_scopes(list: JsValue) -> JsResult<JsValue> {
    let s = scope_list(&list, "scopes")?;
    let entra = scopes::to_entra_scopes(&strs(&s)).map_err(js_error)?;
    Ok(array(&mut entra.iter().map(String::as_str)))
}

/// Throws `OAUTH_ENTRA_SCOPE_RULE` (or `OAUTH_INVALID_SCOPE`) when Entra would refuse the request.
#[wasm_bindgen(js_name = validateEntraScopes)]
pub fn validate_entra_scopes(list: JsValue) -> JsResult<()> {
    let s = scope_list(&list, "scopes")?;
    scopes::validate_entra_request(&strs(&s)).map_err(js_error)
}

fn analysis(a: &EntraAnalysis<'_>) -> JsResult<JsValue> {
    let classified = objects(&mut a.scopes.iter().map(|s| {
        object(&[
            ("scope", s.scope.into()),
            ("resource", resource_name(s.resource).into()),
            ("prefix", s.prefix.into()),
            ("value", s.value.into()),
        ])
    }))?;
    let violations = objects(&mut a.violations.iter().map(|v| {
        object(&[("rule", rule_name(v.rule).into()), ("message", v.rule.as_str().into()), ("scope", v.scope.into())])
    }))?;
    object(&[("scopes", classified), ("violations", violations), ("broad", array(&mut a.broad.iter().copied()))])
}

/// Classifies each scope as Entra reads it and lists the broken Entra rules, without throwing.
#[wasm_bindgen(js_name = analyzeEntraScopes)]
pub fn analyze_entra_scopes(list: JsValue) -> JsResult<JsValue> {
    let s = scope_list(&list, "scopes")?;
    analysis(&scopes::analyze_entra_request(&strs(&s)))
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

/// Reads `{ clientId?, redirectUri?, trustedAuthorityHosts?, dangerouslyAllowHttpLoopbackAuthority? }`.
fn expectations(value: JsValue) -> JsResult<Expectations> {
    let o = options(value)?;
    Ok(Expectations {
        client_id: opt_string(&o, "clientId")?,
        redirect_uri: opt_string(&o, "redirectUri")?,
        trusted_authority_hosts: opt_strings(&o, "trustedAuthorityHosts")?.unwrap_or_default(),
        dangerously_allow_http_loopback_authority: opt_bool(&o, "dangerouslyAllowHttpLoopbackAuthority")?,
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
    let list = match js_sys::Reflect::get(&o, &JsValue::from_str("scopes")) {
        Ok(v) if !(v.is_undefined() || v.is_null()) => scope_list(&v, "scopes")?,
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
