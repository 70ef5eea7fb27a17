//! One sort for the whole crate: heapsort over indices with a comparison behind `&dyn`. The
//! standard library's sorts are generic, so each caller's element type got its own copy (2 to
//! 3 KB of wasm each in the account module); this one is compiled once. O(n log n) comparisons,
//! no recursion, no allocation beyond the index vector, and never a panic: a comparison that is
//! not a total order gives some order, not a crash.

/// The indices `0..n` ordered by `less` (`less(a, b)`: item `a` goes before item `b`). Equal
/// items keep no particular order: callers that need a stable order compare the indices last.
pub fn sorted_indices(n: usize, less: &dyn Fn(usize, usize) -> bool) -> Vec<usize> {
    let mut v: Vec<usize> = (0..n).collect();
    // Build a max-heap, then move the largest to the end, one at a time.
    for start in (0..n / 2).rev() {
        sift_down(&mut v, start, n, less);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift_down(&mut v, 0, end, less);
    }
    v
}

fn sift_down(v: &mut [usize], mut root: usize, end: usize, less: &dyn Fn(usize, usize) -> bool) {
    let at = |v: &[usize], i: usize| v.get(i).copied().unwrap_or(0);
    loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && less(at(v, child), at(v, child + 1)) {
            child += 1;
        }
        if !less(at(v, root), at(v, child)) {
            return;
        }
        v.swap(root, child);
        root = child;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_like_the_standard_sort_for_every_small_input_and_some_large_ones() {
        let mut seed = 0x2545_f491_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % 50
        };
        for n in (0..40).chain([257, 1000]) {
            let items: Vec<u64> = (0..n).map(|_| next()).collect();
            let order = sorted_indices(items.len(), &|a, b| (items[a], a) < (items[b], b));
            let mut expected: Vec<usize> = (0..items.len()).collect();
            expected.sort_by_key(|&i| items[i]);
            assert_eq!(order, expected, "stable when the index breaks ties, n = {n}");
        }
        assert!(sorted_indices(0, &|_, _| true).is_empty());
        // Not a total order: some permutation, no panic.
        let mut perm = sorted_indices(9, &|_, _| true);
        perm.sort_unstable();
        assert_eq!(perm, (0..9).collect::<Vec<_>>());
    }
}
