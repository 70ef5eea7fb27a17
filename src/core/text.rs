//! Substring search without `core::str::pattern`: the standard `find(&str)` and friends bring the
//! Two-Way searcher (about 1.5 KB of wasm) into every module that uses them, for needles of a
//! few bytes. Linear in the haystack for the fixed short needles the crate looks for.

/// The byte offset of the first `needle` in `hay`.
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return Some(0);
    }
    h.windows(n.len()).position(|w| w == n)
}

/// `hay` split around its first `needle`.
pub fn split_once<'a>(hay: &'a str, needle: &str) -> Option<(&'a str, &'a str)> {
    let at = find(hay, needle)?;
    Some((hay.get(..at)?, hay.get(at + needle.len()..)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_like_the_standard_library() {
        for (hay, needle) in [("abc", ""), ("", "a"), ("aaab", "ab"), ("x://y://z", "://"), ("é{tenantid}é", "{tenantid}"), ("abc", "abcd")] {
            assert_eq!(find(hay, needle), hay.find(needle), "{hay} {needle}");
            assert_eq!(split_once(hay, needle), hay.split_once(needle), "{hay} {needle}");
        }
    }
}
