//! The scopes a request asks for, judged against the calls the app declares it makes
//! ([`super::Expectations::operations`]): which requested scope no call needs, which is broader
//! than its calls need and what the smaller set is, and which call no requested scope allows.

use super::report::{Findings, Severity};
use crate::core::operations::{minimal_scopes, parse_call, required_scopes, Operation, Required};
use crate::core::scopes::{classify_entra_scope, AdoScope, Resource};

use Severity::{Info, Warn};

fn names(scopes: &[AdoScope], entra: bool) -> Vec<String> {
    scopes.iter().map(|s| if entra { s.entra_scope() } else { s.name().to_owned() }).collect()
}

/// `scopes` joined by `sep` (a loop rather than `join`, which costs the module a generic copy).
fn joined(scopes: &[String], sep: &str) -> String {
    let mut out = String::new();
    for (i, s) in scopes.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(s);
    }
    out
}

fn listed(scopes: &[String]) -> String {
    if scopes.is_empty() {
        return "no Azure DevOps scope".to_owned();
    }
    joined(scopes, ", ")
}

/// Adds the findings and returns the scopes the declared calls need (Entra-prefixed when
/// `entra`), the least the request should ask for.
pub(super) fn check_operations(calls: &[String], requested: &[&str], entra: bool, f: &mut Findings) -> Vec<String> {
    let mut ops: Vec<(Operation, &str)> = Vec::new();
    for call in calls {
        let (method, url) = parse_call(call);
        match required_scopes(method, url) {
            Ok(Required::Operation(op)) => ops.push((op, call)),
            Ok(Required::Unknown) => f.add(
                "OPERATION_UNKNOWN",
                Info,
                &["The declared call ", call, " is not an Azure DevOps operation this library knows; its scopes are not checked."],
            ),
            Ok(Required::NotAzureDevOps) => {
                f.add("OPERATION_NOT_AZURE_DEVOPS", Info, &["The declared call ", call, " is not to Azure DevOps."]);
            }
            Err(_) => f.add("OPERATION_INVALID", Warn, &["The declared call ", call, " cannot be read."]),
        }
    }
    let just_ops: Vec<Operation> = ops.iter().map(|(o, _)| *o).collect();
    let needed = names(&minimal_scopes(&just_ops).scopes, entra);
    let mut over = false;
    let mut broad_default = false;
    let known: Vec<(&str, AdoScope)> = requested.iter().filter_map(|r| AdoScope::find(r).map(|a| (*r, a))).collect();
    let granted = known.iter().fold(0u128, |acc, (_, a)| acc | a.closure());
    for &r in requested {
        let entra_scope = classify_entra_scope(r);
        if entra_scope.resource == Resource::AzureDevOps && entra_scope.is_default() {
            broad_default = true;
            over = true;
            f.add(
                "SCOPE_BROADER_THAN_NEEDED",
                Warn,
                &[r, " asks for every permission the app registration lists; the declared calls need only ", &listed(&needed), "."],
            );
        }
    }
    for &(r, a) in &known {
        if a.grants_full_access() {
            over = true;
            f.add(
                "SCOPE_BROADER_THAN_NEEDED",
                Warn,
                &[r, " grants full access; the declared calls need only ", &listed(&needed), "."],
            );
            continue;
        }
        // The calls only this scope allows among those requested: without them it is not needed.
        let others = known.iter().filter(|(_, b)| *b != a).fold(0u128, |acc, (_, b)| acc | b.closure());
        let only: Vec<Operation> =
            just_ops.iter().copied().filter(|o| o.granted_by(a) && o.scope_bits() & others == 0).collect();
        if only.is_empty() {
            over = true;
            f.add("SCOPE_NOT_NEEDED", Warn, &[r, " is not needed by any declared call the other scopes do not already allow."]);
            continue;
        }
        let enough = minimal_scopes(&only).scopes;
        if !enough.contains(&a) {
            over = true;
            f.add(
                "SCOPE_BROADER_THAN_NEEDED",
                Warn,
                &[r, " is broader than the calls it serves need; ", &listed(&names(&enough, entra)), " is enough."],
            );
        }
    }
    if !broad_default {
        for (op, call) in &ops {
            if op.scope_bits() != 0 && op.scope_bits() & granted == 0 {
                let any: Vec<String> = names(&op.scopes().collect::<Vec<_>>(), entra);
                f.add(
                    "OPERATION_NOT_COVERED",
                    Warn,
                    &["The declared call ", call, " needs ", &joined(&any, " or "), ", which the request does not ask for."],
                );
            }
        }
    }
    if over {
        f.add(
            "SCOPE_OVER_ASK",
            Warn,
            &["The request asks for more than the declared calls need; enough: ", &listed(&needed), "."],
        );
    }
    needed
}
