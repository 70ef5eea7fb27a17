//! `minimal_scopes`: the fewest catalog scopes that allow every call of a list.
//!
//! Each call is allowed by any scope whose closure (the scope and all it includes) holds one of
//! the call's listed scopes. Choosing the fewest such scopes is set cover, NP-hard in general, so
//! the search is exact within a budget: a greedy answer first (the scope allowing the most calls
//! not yet allowed, repeatedly), then a branch-and-bound search that replaces it with any smaller
//! set, or any equally small set that grants less. Real apps call a few dozen operations over a
//! handful of areas and finish far inside the budget; past it the best set found is returned,
//! marked inexact, never worse than the greedy one. Scopes granting full access
//! (`user_impersonation`) are never chosen: they are never the least privilege.

use super::table::Operation;
use crate::core::scopes::AdoScope;

/// The most calls [`minimal_scopes`] takes; more are refused by the bindings, not truncated.
pub const MAX_CALLS: usize = 256;

/// Search nodes after which the best set so far is returned as inexact.
const BUDGET: u32 = 20_000;

/// The result of [`minimal_scopes`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Minimal {
    /// The chosen scopes, in catalog order.
    pub scopes: Vec<AdoScope>,
    /// `true` when the search finished: no smaller set exists, nor an equally small one that
    /// grants less. `false` when the budget ran out (a greedy-or-better approximation).
    pub exact: bool,
}

/// The fewest catalog scopes that together allow every operation of `ops`; among sets of that
/// size, the one granting the fewest scopes in all (closures counted). Operations without
/// scopes need none.
pub fn minimal_scopes(ops: &[Operation]) -> Minimal {
    let needs: Vec<u128> = ops.iter().map(|o| o.scope_bits()).filter(|b| *b != 0).collect();
    cover(&needs)
}

fn popcount(bits: u128) -> u32 {
    bits.count_ones()
}

/// The scopes (as a bitset) whose grant allows a call needing any of `need`.
fn allowing(need: u128, with_full_access: bool) -> u128 {
    AdoScope::all()
        .filter(|s| with_full_access || !s.grants_full_access())
        .filter(|s| s.closure() & need != 0)
        .fold(0, |acc, s| acc | s.bit())
}

struct Search {
    /// Per remaining call, the scopes allowing it.
    calls: Vec<u128>,
    best: Vec<AdoScope>,
    best_cost: (usize, u32),
    nodes: u32,
}

fn cost(chosen: &[AdoScope]) -> (usize, u32) {
    (chosen.len(), popcount(chosen.iter().fold(0, |acc, s| acc | s.closure())))
}

impl Search {
    fn run(&mut self, chosen: &mut Vec<AdoScope>, granted: u128) {
        self.nodes += 1;
        if self.nodes > BUDGET {
            return;
        }
        // The uncovered call with the fewest ways to allow it branches least.
        let open = self.calls.iter().filter(|c| **c & granted == 0).min_by_key(|c| popcount(**c));
        let Some(&call) = open else {
            let c = cost(chosen);
            if c < self.best_cost {
                self.best = chosen.clone();
                self.best_cost = c;
            }
            return;
        };
        if chosen.len() + 1 > self.best_cost.0 {
            return;
        }
        // Narrowest first (fewest scopes in its closure), without a sort: the catalog is small.
        let narrowest = (1..=128u32).flat_map(|n| AdoScope::all().filter(move |s| popcount(s.closure()) == n));
        for s in narrowest.filter(|s| call & s.bit() != 0) {
            chosen.push(s);
            self.run(chosen, granted | s.bit());
            chosen.pop();
        }
    }
}

/// `needs`: per call, the scopes listed for it (any one allows it).
fn cover(needs: &[u128]) -> Minimal {
    // Per call, the scopes allowing it (full access only for a call nothing else allows).
    let mut calls: Vec<u128> = Vec::new();
    for &n in needs {
        let a = match allowing(n, false) {
            0 => allowing(n, true),
            a => a,
        };
        if a != 0 && !calls.contains(&a) {
            calls.push(a);
        }
    }
    // A call allowed by every scope that allows another is covered whenever that one is.
    let kept: Vec<u128> = calls
        .iter()
        .enumerate()
        .filter(|&(i, &b)| !calls.iter().enumerate().any(|(j, &a)| j != i && a & b == a && (a != b || j < i)))
        .map(|(_, &b)| b)
        .collect();
    let greedy = greedy(&kept);
    let mut search = Search { best_cost: cost(&greedy), best: greedy, calls: kept, nodes: 0 };
    search.run(&mut Vec::new(), 0);
    let exact = search.nodes <= BUDGET;
    let chosen = search.best.iter().fold(0u128, |acc, s| acc | s.bit());
    Minimal { scopes: AdoScope::all().filter(|s| chosen & s.bit() != 0).collect(), exact }
}

/// Repeatedly the scope allowing the most calls still open (ties: the one granting least).
fn greedy(calls: &[u128]) -> Vec<AdoScope> {
    let mut granted = 0u128;
    let mut out = Vec::new();
    loop {
        let open: Vec<u128> = calls.iter().copied().filter(|c| c & granted == 0).collect();
        if open.is_empty() {
            return out;
        }
        let pick = AdoScope::all()
            .map(|s| (open.iter().filter(|c| **c & s.bit() != 0).count(), s))
            .filter(|(n, _)| *n > 0)
            .max_by(|(n, s), (m, t)| n.cmp(m).then(popcount(t.closure()).cmp(&popcount(s.closure()))).then(t.cmp(s)));
        let Some((_, s)) = pick else { return out };
        granted |= s.bit();
        out.push(s);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn bits(names: &[&str]) -> u128 {
        names.iter().map(|n| AdoScope::lookup(n).unwrap().bit()).fold(0, |a, b| a | b)
    }

    fn names(m: &Minimal) -> Vec<&'static str> {
        m.scopes.iter().map(|s| s.name()).collect()
    }

    #[test]
    fn inclusion_merges_reads_into_writes() {
        let m = cover(&[bits(&["vso.code"]), bits(&["vso.code_write"]), bits(&["vso.work"])]);
        assert_eq!(names(&m), ["vso.code_write", "vso.work"]);
        assert!(m.exact);
    }

    #[test]
    fn alternatives_pick_the_one_granting_least() {
        // Commit statuses: vso.code_write or vso.code_status; the latter grants less.
        let m = cover(&[bits(&["vso.code_write", "vso.code_status"])]);
        assert_eq!(names(&m), ["vso.code_status"]);
        // With a pull request to write as well, one scope does both.
        let m = cover(&[bits(&["vso.code_write", "vso.code_status"]), bits(&["vso.code_write"])]);
        assert_eq!(names(&m), ["vso.code_write"]);
    }

    #[test]
    fn nothing_needed_and_full_access_never_chosen() {
        assert_eq!(cover(&[]), Minimal { scopes: vec![], exact: true });
        let m = cover(&[bits(&["vso.code"]), bits(&["vso.work"]), bits(&["vso.build"]), bits(&["vso.release"])]);
        assert_eq!(names(&m), ["vso.build", "vso.code", "vso.release", "vso.work"]);
    }

    #[test]
    fn every_single_scope_need_is_itself() {
        for s in AdoScope::all().filter(|s| !s.grants_full_access()) {
            let m = cover(&[s.bit()]);
            assert_eq!(m.scopes, vec![s], "{}", s.name());
        }
    }
}
