//! Scopes for JavaScript (sign-in module): the set operations and the Entra helpers. Each
//! function converts, delegates to `core::scopes`, and converts back. The catalog's texts and the
//! consent check are in the consent module (`consent.rs`).
//!
//! Scope arguments are arrays of strings; each string must be one RFC 6749 §3.3 scope token
//! and a list holds at most [`MAX_SCOPE_TOKENS`], so the quadratic operations stay cheap on
//! hostile input. Enum values cross as fixed lowercase strings (`'azure-devops'`, `'block'`).

use wasm_bindgen::prelude::*;

use super::convert::{array, js_error, object, objects, resource_name, scope_list, JsResult};
use crate::core::scopes::{self, EntraAnalysis, EntraRule};
use crate::core::text::as_strs;

fn rule_name(r: EntraRule) -> &'static str {
    match r {
        EntraRule::UnprefixedAzureDevOps => "unprefixed-azure-devops",
        EntraRule::DefaultMixed => "default-mixed",
        EntraRule::MultipleResources => "multiple-resources",
    }
}

// ---- set operations ---------------------------------------------------------------------------

/// `true` when `granted` carries every scope of `required`, Azure DevOps inclusion honoured.
#[wasm_bindgen(js_name = scopeCovers)]
pub fn scope_covers(granted: JsValue, required: JsValue) -> JsResult<bool> {
    let (g, r) = (scope_list(&granted, "granted")?, scope_list(&required, "required")?);
    Ok(scopes::covers(&as_strs(&g), &as_strs(&r)))
}

/// The scopes of `required` that `granted` does not carry, in order, without duplicates.
#[wasm_bindgen(js_name = scopeMissing)]
pub fn scope_missing(granted: JsValue, required: JsValue) -> JsResult<JsValue> {
    let (g, r) = (scope_list(&granted, "granted")?, scope_list(&required, "required")?);
    Ok(array(&mut scopes::missing(&as_strs(&g), &as_strs(&r)).into_iter()))
}

/// The scopes without those another listed scope already includes, and without duplicates.
#[wasm_bindgen(js_name = scopeMinimize)]
pub fn scope_minimize(list: JsValue) -> JsResult<JsValue> {
    let s = scope_list(&list, "scopes")?;
    Ok(array(&mut scopes::minimize(&as_strs(&s)).into_iter()))
}

/// The scopes plus everything they include transitively, each in its writer's form.
#[wasm_bindgen(js_name = scopeExpand)]
pub fn scope_expand(list: JsValue) -> JsResult<JsValue> {
    let s = scope_list(&list, "scopes")?;
    Ok(array(&mut scopes::expand(&as_strs(&s)).iter().map(String::as_str)))
}

/// Granted versus requested (RFC 6749 §3.3, §5.1): `{ granted, missing, extra, asRequested }`.
/// `responseScope` is the token response's `scope`; absent means "as requested".
#[wasm_bindgen(js_name = compareGrantedScopes)]
pub fn compare_granted_scopes(requested: JsValue, response_scope: Option<String>) -> JsResult<JsValue> {
    let r = scope_list(&requested, "requested")?;
    let g = scopes::compare_granted(&as_strs(&r), response_scope.as_deref()).map_err(js_error)?;
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
    let entra = scopes::to_entra_scopes(&as_strs(&s)).map_err(js_error)?;
    Ok(array(&mut entra.iter().map(String::as_str)))
}

/// Throws `OAUTH_ENTRA_SCOPE_RULE` (or `OAUTH_INVALID_SCOPE`) when Entra would refuse the request.
#[wasm_bindgen(js_name = validateEntraScopes)]
pub fn validate_entra_scopes(list: JsValue) -> JsResult<()> {
    let s = scope_list(&list, "scopes")?;
    scopes::validate_entra_request(&as_strs(&s)).map_err(js_error)
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
    analysis(&scopes::analyze_entra_request(&as_strs(&s)))
}

