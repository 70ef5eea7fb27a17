//! The Azure DevOps scope catalog: the 86 scopes of the docs table (area, title, description,
//! high-privilege flag, "Inherits From" graph) plus retired and manifest-only names.
//!
//! Source: MicrosoftDocs/azure-devops-docs `docs/integrate/includes/scopes.md` (ms.date
//! 07/16/2025), generated into `catalog_data.rs` by `scripts/gen-scope-catalog.py`. The inclusion
//! closure is computed at generation time, so a lookup is an index and a bit test.

use super::catalog_data as data;
use super::entra::split_azure_devops_prefix;

/// Number of scopes in the current Azure DevOps table.
pub const CATALOG_LEN: usize = data::LEN;

/// A scope of the Azure DevOps catalog: a small copyable handle into the static table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AdoScope(u8);

/// Every catalog scope whose bit is set in `set`, in catalog order.
pub(crate) fn members(set: u128) -> impl Iterator<Item = AdoScope> {
    AdoScope::all().filter(move |s| set & s.bit() != 0)
}

impl AdoScope {
    /// All catalog scopes, in docs order.
    pub fn all() -> impl Iterator<Item = AdoScope> {
        (0..data::LEN as u8).map(AdoScope)
    }

    /// The scope at `index` in docs order (`0..CATALOG_LEN`).
    pub fn from_index(index: usize) -> Option<AdoScope> {
        if index < data::LEN {
            u8::try_from(index).ok().map(AdoScope)
        } else {
            None
        }
    }

    /// The scope named exactly `name` (`vso.code`, `user_impersonation`), case-sensitive.
    pub fn lookup(name: &str) -> Option<AdoScope> {
        data::NAMES.iter().position(|n| *n == name).and_then(AdoScope::from_index)
    }

    /// The scope written bare (`vso.code`) or with either Entra resource prefix
    /// (`499b84ac-…/vso.code`, `https://app.vssps.visualstudio.com/vso.code`).
    pub fn find(scope: &str) -> Option<AdoScope> {
        AdoScope::lookup(split_azure_devops_prefix(scope).1)
    }

    /// Position in docs order.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    pub(crate) fn bit(self) -> u128 {
        1u128.checked_shl(u32::from(self.0)).unwrap_or(0)
    }

    /// The scope name as the docs spell it (`vso.code_write`).
    pub fn name(self) -> &'static str {
        data::NAMES.get(self.index()).copied().unwrap_or("")
    }

    /// The docs category (`Code`, `Work Items`, …).
    pub fn area(self) -> &'static str {
        let area = data::AREA_OF.get(self.index()).copied().unwrap_or(0);
        data::AREAS.get(usize::from(area)).copied().unwrap_or("")
    }

    /// A short plain-language title, ready for a consent screen.
    pub fn title(self) -> &'static str {
        data::TITLES.get(self.index()).copied().unwrap_or("")
    }

    /// A one-sentence plain-language description.
    pub fn description(self) -> &'static str {
        data::DESCRIPTIONS.get(self.index()).copied().unwrap_or("")
    }

    /// The docs' "High-privilege" column.
    pub fn is_high_privilege(self) -> bool {
        data::HIGH_PRIVILEGE & self.bit() != 0
    }

    /// `true` for `user_impersonation`: the docs describe blanket REST access and list no
    /// edges, so it is modelled as including every catalog scope.
    pub fn grants_full_access(self) -> bool {
        data::FULL_ACCESS & self.bit() != 0
    }

    /// The scopes this one includes directly (docs column "Inherits From").
    pub fn includes(self) -> impl Iterator<Item = AdoScope> {
        members(data::INCLUDES.get(self.index()).copied().unwrap_or(0))
    }

    /// Every scope this one includes, directly or transitively, itself excluded.
    pub fn includes_transitive(self) -> impl Iterator<Item = AdoScope> {
        members(self.closure() & !self.bit())
    }

    /// This scope and all it includes, as a bitset over catalog indices.
    pub(crate) fn closure(self) -> u128 {
        data::CLOSURE.get(self.index()).copied().unwrap_or(0)
    }

    /// `true` when a grant of `self` carries `other` (reflexive: every scope covers itself).
    pub fn covers(self, other: AdoScope) -> bool {
        self.closure() & other.bit() != 0
    }

    /// The Entra form with the resource application ID: `499b84ac-…/vso.code`.
    pub fn entra_scope(self) -> String {
        let mut s = String::with_capacity(data::RESOURCE_ID.len() + 1 + self.name().len());
        s.push_str(data::RESOURCE_ID);
        s.push('/');
        s.push_str(self.name());
        s
    }
}

/// Where a scope name stands against the Azure DevOps catalog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeStatus {
    /// In the current docs table.
    Known(AdoScope),
    /// Retired or renamed in older docs; `note` says what happened (`superseded by …`).
    Retired {
        /// The name as the older docs spelled it.
        name: &'static str,
        /// What happened to it, in a few words.
        note: &'static str,
    },
    /// Listed only in the extension-manifest schema (SchemaStore `vss-extension.json`), not in
    /// the OAuth table: known but undocumented for OAuth apps.
    ManifestOnly(&'static str),
    /// Not an Azure DevOps scope name this library knows.
    Unknown,
}

/// Looks `scope` up, bare or with an Azure DevOps resource prefix (see [`AdoScope::find`]).
pub fn scope_status(scope: &str) -> ScopeStatus {
    let name = split_azure_devops_prefix(scope).1;
    if let Some(s) = AdoScope::lookup(name) {
        return ScopeStatus::Known(s);
    }
    if let Some(&(name, note)) = data::RETIRED.iter().find(|(n, _)| *n == name) {
        return ScopeStatus::Retired { name, note };
    }
    match data::MANIFEST_ONLY.iter().find(|n| **n == name) {
        Some(&n) => ScopeStatus::ManifestOnly(n),
        None => ScopeStatus::Unknown,
    }
}

/// Names that older docs used and the current table dropped, with a note for each.
pub fn retired_scopes() -> &'static [(&'static str, &'static str)] {
    &data::RETIRED
}

/// Names seen only in the extension-manifest schema.
pub fn manifest_only_scopes() -> &'static [&'static str] {
    &data::MANIFEST_ONLY
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn closure_is_the_fixpoint_of_the_direct_edges() {
        for s in AdoScope::all() {
            let mut want = s.bit();
            loop {
                let next = members(want).fold(want, |acc, m| acc | data::INCLUDES[m.index()]);
                if next == want {
                    break;
                }
                want = next;
            }
            if s.grants_full_access() {
                want = AdoScope::all().fold(0, |acc, m| acc | m.bit());
            }
            assert_eq!(s.closure(), want, "{}", s.name());
        }
    }

    #[test]
    fn the_docs_example_holds() {
        let manage = AdoScope::lookup("vso.code_manage").unwrap();
        let write = AdoScope::lookup("vso.code_write").unwrap();
        assert!(manage.includes().any(|s| s == write));
        assert!(!write.covers(manage));
    }
}
