//! The Azure DevOps operation table for JavaScript (consent module): which scopes a call needs,
//! the fewest scopes a list of calls needs, and the check `client.fetch` makes before a request
//! to Azure DevOps leaves. Each function converts, delegates to `core::operations`, and converts
//! back. Calls cross as strings, `"METHOD URL"` (js/consent.js turns `{ method, url }` into that).

use wasm_bindgen::prelude::*;

use super::convert::{array, js_error, object, scope_strings, JsResult};
use crate::core::error::Error;
use crate::core::operations::{self, parse_call, Operation, Required, MAX_CALLS};
use crate::core::scopes::{split_azure_devops_prefix, with_azure_devops_prefix, AdoForm, AdoScope};

fn names(scopes: &mut dyn Iterator<Item = AdoScope>, form: AdoForm) -> JsValue {
    let list: Vec<String> = scopes.map(|s| with_azure_devops_prefix(s.name(), form)).collect();
    array(&mut list.iter().map(String::as_str))
}

fn operation(op: Operation, form: AdoForm) -> JsResult<JsValue> {
    object(&[
        ("kind", "operation".into()),
        ("scopes", names(&mut op.scopes(), form)),
        ("method", op.method().into()),
        ("host", op.host().into()),
        ("path", op.path().into()),
    ])
}

fn required(method: &str, url: &str) -> JsResult<Required> {
    operations::required_scopes(method, url).map_err(js_error)
}

fn kind_only(kind: &str) -> JsResult<JsValue> {
    object(&[("kind", kind.into())])
}

/// `{ kind: 'operation', scopes, method, host, path }` (any one of `scopes` allows the call; an
/// empty list: the specs declare none), `{ kind: 'unknown' }` or `{ kind: 'not-azure-devops' }`.
#[wasm_bindgen(js_name = requiredScopes)]
pub fn required_scopes(method: &str, url: &str) -> JsResult<JsValue> {
    match required(method, url)? {
        Required::Operation(op) => operation(op, AdoForm::Bare),
        Required::Unknown => kind_only("unknown"),
        Required::NotAzureDevOps => kind_only("not-azure-devops"),
    }
}

/// `calls` (`"METHOD URL"` strings) → `{ scopes, exact, unknown }`: the fewest catalog scopes
/// allowing every known call (Entra-prefixed when `entra`), whether the search was exact, and the
/// calls the table does not know or that are not to Azure DevOps.
#[wasm_bindgen(js_name = minimalScopes)]
pub fn minimal_scopes(calls: JsValue, entra: bool) -> JsResult<JsValue> {
    let calls = scope_strings(&calls, "calls")?;
    if calls.len() > MAX_CALLS {
        return Err(js_error(Error::InvalidOption { name: "calls", reason: "at most 256 calls" }));
    }
    let mut ops = Vec::new();
    let mut unknown = Vec::new();
    for call in &calls {
        let (method, url) = parse_call(call);
        match required(method, url)? {
            Required::Operation(op) => ops.push(op),
            _ => unknown.push(call.as_str()),
        }
    }
    let m = operations::minimal_scopes(&ops);
    let form = if entra { AdoForm::ResourceId } else { AdoForm::Bare };
    object(&[
        ("scopes", names(&mut m.scopes.into_iter(), form)),
        ("exact", m.exact.into()),
        ("unknown", array(&mut unknown.into_iter())),
    ])
}

/// For `client.fetch`: `{ kind, covered, scopes }`. `covered` says whether the token's scopes
/// allow the call (always for an unknown call, which is sent as it is); `scopes` are the ones
/// that would, written as the token writes Azure DevOps scopes (prefixed when one of its own is,
/// or when `entra`), for `getToken`.
#[wasm_bindgen(js_name = azureDevOpsFetchCheck)]
pub fn azure_devops_fetch_check(method: &str, url: &str, token_scopes: JsValue, entra: bool) -> JsResult<JsValue> {
    let granted = scope_strings(&token_scopes, "scopes")?;
    let op = match required(method, url)? {
        Required::Operation(op) => op,
        Required::Unknown => return object(&[("kind", "unknown".into()), ("covered", true.into())]),
        Required::NotAzureDevOps => return kind_only("not-azure-devops"),
    };
    let closure = granted.iter().filter_map(|s| AdoScope::find(s)).fold(0u128, |acc, s| acc | s.closure());
    let covered = op.scope_bits() == 0 || op.scope_bits() & closure != 0;
    let form = granted
        .iter()
        .filter(|s| AdoScope::find(s).is_some())
        .map(|s| split_azure_devops_prefix(s).0)
        .find(|f| *f != AdoForm::Bare)
        .unwrap_or(if entra { AdoForm::ResourceId } else { AdoForm::Bare });
    object(&[("kind", "operation".into()), ("covered", covered.into()), ("scopes", names(&mut op.scopes(), form))])
}
