//! Set operations on scopes that honour the Azure DevOps inclusion graph (docs column
//! "Inherits From"): `vso.code_manage` covers `vso.code_write` and `vso.code`.
//!
//! Every function takes raw scope strings. Azure DevOps scopes match in any of their three forms
//! (bare, `499b84ac-…/` and `https://app.vssps.visualstudio.com/`); every other scope (`openid`,
//! Graph, `api://…`) matches by exact, case-sensitive string (RFC 6749 §3.3).

use super::catalog::{members, AdoScope};
use super::entra::{classify_entra_scope, split_azure_devops_prefix, with_azure_devops_prefix, OIDC_SCOPES};
use super::set::ScopeSet;
use crate::core::error::Result;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Key<'a> {
    Ado(AdoScope),
    Exact(&'a str),
}

fn key(scope: &str) -> Key<'_> {
    if !crate::core::ENTRA_RULES {
        return Key::Exact(scope);
    }
    AdoScope::find(scope).map_or(Key::Exact(scope), Key::Ado)
}

/// What a list of granted scopes allows: catalog scopes as a closed bitset, others verbatim.
struct Grants<'a> {
    ado: u128,
    exact: Vec<&'a str>,
}

impl<'a> Grants<'a> {
    fn new(granted: &[&'a str]) -> Grants<'a> {
        let mut g = Grants { ado: 0, exact: Vec::new() };
        for s in granted {
            match key(s) {
                Key::Ado(a) => g.ado |= a.closure(),
                Key::Exact(e) => g.exact.push(e),
            }
        }
        g
    }

    fn covers(&self, scope: &str) -> bool {
        match key(scope) {
            Key::Ado(a) => self.ado & a.bit() != 0,
            Key::Exact(e) => self.exact.contains(&e),
        }
    }
}

/// `true` when `granted` carries every scope in `required`, inclusion included.
pub fn covers(granted: &[&str], required: &[&str]) -> bool {
    let g = Grants::new(granted);
    required.iter().all(|r| g.covers(r))
}

/// The scopes of `required` that `granted` does not carry, in order, without duplicates.
pub fn missing<'a>(granted: &[&str], required: &[&'a str]) -> Vec<&'a str> {
    let g = Grants::new(granted);
    let mut out: Vec<&'a str> = Vec::new();
    for &r in required {
        if !g.covers(r) && !out.iter().any(|o| key(o) == key(r)) {
            out.push(r);
        }
    }
    out
}

/// Drops every scope that another listed scope already includes, and duplicates (the same scope
/// in any form), keeping the rest in order: the least a request needs to ask for.
pub fn minimize<'a>(scopes: &[&'a str]) -> Vec<&'a str> {
    let keys: Vec<Key<'a>> = scopes.iter().map(|s| key(s)).collect();
    let mut out = Vec::new();
    for (i, (&scope, &k)) in scopes.iter().zip(&keys).enumerate() {
        let repeated = keys.iter().take(i).any(|p| *p == k);
        let included = match k {
            Key::Ado(a) => keys.iter().any(|o| matches!(o, Key::Ado(b) if *b != a && b.covers(a))),
            Key::Exact(_) => false,
        };
        if !repeated && !included {
            out.push(scope);
        }
    }
    out
}

/// Adds every scope the listed ones include transitively. The listed scopes come first, as
/// written and de-duplicated; each added scope follows in catalog order, written in the form
/// (bare or prefixed) of the scope that brought it in.
pub fn expand(scopes: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut have = 0u128;
    let mut seen: Vec<&str> = Vec::new();
    for &s in scopes {
        let fresh = match key(s) {
            Key::Ado(a) => have & a.bit() == 0,
            Key::Exact(e) => !seen.contains(&e),
        };
        if let Key::Ado(a) = key(s) {
            have |= a.bit();
        }
        if fresh {
            seen.push(s);
            out.push(s.to_owned());
        }
    }
    for &s in scopes {
        if let Key::Ado(a) = key(s) {
            let form = split_azure_devops_prefix(s).0;
            for m in members(a.closure() & !have) {
                have |= m.bit();
                out.push(with_azure_devops_prefix(m.name(), form));
            }
        }
    }
    out
}

/// The scopes a token carries compared with those requested (RFC 6749 §3.3, §5.1).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GrantedScopes {
    /// What the token carries.
    pub granted: Vec<String>,
    /// Requested scopes the grant does not carry.
    pub missing: Vec<String>,
    /// Granted scopes beyond what was requested (and what it includes).
    pub extra: Vec<String>,
    /// `true` when the response had no `scope`: RFC 6749 §5.1 says the grant is then exactly
    /// the request.
    pub as_requested: bool,
}

/// Compares a token response's `scope` with the request (RFC 6749 §3.3, §5.1).
///
/// `None` (no `scope` member) means "as requested". A present value is parsed strictly. Two
/// Entra habits are allowed for. The OIDC scopes (`openid`, `profile`, `email`,
/// `offline_access`) ask for an ID token or refresh token, not access-token permissions, and
/// servers add them to or leave them out of `scope`, so they are never reported missing or
/// extra. A requested `.default` is satisfied by any granted scope of its resource, which is
/// then not extra.
pub fn compare_granted(requested: &[&str], response_scope: Option<&str>) -> Result<GrantedScopes> {
    let Some(text) = response_scope else {
        let granted = dedup_owned(requested);
        return Ok(GrantedScopes { granted, as_requested: true, ..Default::default() });
    };
    let set = ScopeSet::parse(text)?;
    let granted = set.as_strs();
    let g = Grants::new(&granted);
    let req = Grants::new(requested);
    let defaults: Vec<_> = requested.iter().map(|r| classify_entra_scope(r)).filter(|c| c.is_default()).collect();
    let missing = requested.iter().filter(|r| !OIDC_SCOPES.contains(r) && !g.covers(r)).filter(|r| {
        let c = classify_entra_scope(r);
        !(c.is_default() && granted.iter().any(|s| classify_entra_scope(s).same_resource(&c)))
    });
    let extra = granted.iter().filter(|s| !OIDC_SCOPES.contains(s) && !req.covers(s)).filter(|s| {
        let c = classify_entra_scope(s);
        !defaults.iter().any(|d| d.same_resource(&c))
    });
    Ok(GrantedScopes {
        missing: dedup_owned(&missing.copied().collect::<Vec<_>>()),
        extra: extra.map(|s| (*s).to_owned()).collect(),
        granted: crate::core::text::owned(&granted),
        as_requested: false,
    })
}

fn dedup_owned(scopes: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, s) in scopes.iter().enumerate() {
        if !scopes.iter().take(i).any(|p| key(p) == key(s)) {
            out.push((*s).to_owned());
        }
    }
    out
}
