//! One operation of the generated table, read through a small copyable handle.

use super::data;
use crate::core::scopes::AdoScope;

/// Number of operations in the table (1,005 in the 7.1 specs).
pub const OPERATION_COUNT: usize = data::LEN;

/// No template has more segments than this (20 in the 7.1 specs; the generator checks).
pub(super) const MAX_SEGMENTS: usize = 24;

/// A path template as segment indices: the table stores each one as the segments it shares with
/// the previous operation's plus its own, so templates are read in order.
#[derive(Clone, Copy)]
pub(super) struct Template {
    segments: [u16; MAX_SEGMENTS],
    len: usize,
}

impl Template {
    pub(super) fn indices(&self) -> &[u16] {
        self.segments.get(..self.len).unwrap_or(&[])
    }

    /// The template of the operation after the one `self` holds.
    fn next(mut self, index: usize) -> Template {
        let shared = usize::from(data::SHARED.get(index).copied().unwrap_or(0)).min(self.len);
        let start = usize::from(data::PATH_START.get(index).copied().unwrap_or(0));
        let end = usize::from(data::PATH_START.get(index + 1).copied().unwrap_or(0));
        self.len = shared;
        for &i in data::PATH.get(start..end).unwrap_or(&[]) {
            if let Some(slot) = self.segments.get_mut(self.len) {
                *slot = i;
                self.len += 1;
            }
        }
        self
    }
}

/// Every operation with its template, in table order.
pub(super) fn templates() -> impl Iterator<Item = (Operation, Template)> {
    let empty = Template { segments: [0; MAX_SEGMENTS], len: 0 };
    Operation::all().scan(empty, |t, op| {
        *t = t.next(op.index());
        Some((op, *t))
    })
}

/// An operation of the Azure DevOps REST table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Operation(u16);

impl Operation {
    /// The operation at `index` (`0..OPERATION_COUNT`), in the table's order.
    pub fn from_index(index: usize) -> Option<Operation> {
        if index < data::LEN {
            u16::try_from(index).ok().map(Operation)
        } else {
            None
        }
    }

    /// Every operation, in the table's order.
    pub fn all() -> impl Iterator<Item = Operation> {
        (0..data::LEN).filter_map(Operation::from_index)
    }

    /// Position in the table.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    fn method_host(self) -> u8 {
        data::METHOD_HOST.get(self.index()).copied().unwrap_or(0)
    }

    /// The HTTP method, upper case (`GET`).
    pub fn method(self) -> &'static str {
        data::METHODS.get(usize::from(self.method_host() >> 4)).copied().unwrap_or("")
    }

    pub(super) fn host_index(self) -> usize {
        usize::from(self.method_host() & 0x0f)
    }

    /// The service host as the specs write it (`dev.azure.com`, `vsrm.dev.azure.com`,
    /// `{service}dev.azure.com` for one served by every service host).
    pub fn host(self) -> &'static str {
        data::HOSTS.get(self.host_index()).copied().unwrap_or("")
    }

    /// The path template's segments (`{organization}`, `_apis`, `git`, …). Reads the table up
    /// to this operation: for display, not for matching (which reads it once, in order).
    pub fn segments(self) -> impl Iterator<Item = &'static str> {
        let template = templates().nth(self.index()).map(|(_, t)| t);
        let len = template.map_or(0, |t| t.len);
        (0..len).filter_map(move |i| template.and_then(|t| t.indices().get(i).copied())).map(|i| segment(usize::from(i)))
    }

    /// The path template (`/{organization}/{project}/_apis/git/repositories`).
    pub fn path(self) -> String {
        let mut out = String::new();
        for s in self.segments() {
            out.push('/');
            out.push_str(s);
        }
        out
    }

    /// The scopes any one of which grants this operation, in the specs' order; empty when the
    /// specs declare no OAuth scope for it.
    pub fn scopes(self) -> impl Iterator<Item = AdoScope> {
        let set = data::SCOPES_OF.get(self.index()).copied().unwrap_or(0);
        let list = data::SCOPE_SETS.get(usize::from(set)).copied().unwrap_or([data::NONE; 3]);
        list.into_iter().filter(|&i| i != data::NONE).filter_map(|i| AdoScope::from_index(usize::from(i)))
    }

    /// The scopes as a bitset over catalog indices.
    pub(crate) fn scope_bits(self) -> u128 {
        self.scopes().fold(0, |acc, s| acc | s.bit())
    }

    /// `true` when a grant of `scope` allows this operation: it is listed, or it includes one
    /// that is. An operation without scopes is allowed by none.
    pub fn granted_by(self, scope: AdoScope) -> bool {
        scope.closure() & self.scope_bits() != 0
    }
}

/// The interned path segment at `index`.
pub(super) fn segment(index: usize) -> &'static str {
    let start = index.checked_sub(1).and_then(|i| data::SEGMENT_END.get(i)).copied().unwrap_or(0);
    let end = data::SEGMENT_END.get(index).copied().unwrap_or(start);
    data::SEGMENT_TEXT.get(usize::from(start)..usize::from(end)).unwrap_or("")
}

/// A few plain-language examples of what `scope` unlocks ("delete repositories", "queue
/// builds"), derived from the method and path of the operations that list it (or, when none
/// does, of the scopes it includes). None for the scopes no REST operation lists.
pub fn examples(scope: AdoScope) -> impl Iterator<Item = &'static str> {
    data::EXAMPLES.get(scope.index()).copied().unwrap_or("").split('|').filter(|e| !e.is_empty())
}
