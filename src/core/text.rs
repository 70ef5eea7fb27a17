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

/// The byte offset of the first ASCII `byte` in `hay`: `hay.find(char)` without the char
/// searcher, which is generic over UTF-8 and costs about 1 KB of wasm per module.
pub fn position(hay: &str, byte: u8) -> Option<usize> {
    hay.bytes().position(|b| b == byte)
}

/// The byte offset of the last ASCII `byte` in `hay` (`hay.rfind(char)`).
pub fn rposition(hay: &str, byte: u8) -> Option<usize> {
    hay.bytes().rposition(|b| b == byte)
}

/// The parts of `hay` between its ASCII `byte`s (`hay.split(char)`, without the char searcher).
pub fn split(hay: &str, byte: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(hay);
    core::iter::from_fn(move || {
        let r = rest?;
        match position(r, byte) {
            Some(at) => {
                rest = r.get(at + 1..);
                r.get(..at)
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// The decimal value of `digits`, ASCII digits only, when it fits `max`; `None` for an empty or
/// non-digit text. (`str::parse` for unsigned integers, without the radix machinery.)
pub fn decimal(digits: &str, max: u32) -> Option<u32> {
    if digits.is_empty() || digits.len() > 10 {
        return None;
    }
    let mut n: u64 = 0;
    for b in digits.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u64::from(b - b'0');
    }
    u32::try_from(n).ok().filter(|n| *n <= max)
}

/// `items` joined by `sep` (`[T]::join`, one loop instead of the standard library's generic
/// copy for each item type).
pub fn join<S: AsRef<str>>(items: &[S], sep: &str) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(item.as_ref());
    }
    out
}

/// The strings of `items`, borrowed (one loop for every caller, where `iter().map().collect()`
/// makes the compiler write a new one each time).
pub fn as_strs(items: &[String]) -> Vec<&str> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(item.as_str());
    }
    out
}

/// Owned copies of `items`.
pub fn owned(items: &[&str]) -> Vec<String> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push((*item).to_owned());
    }
    out
}

/// `parts` one after the other (`[&str]::concat`).
pub fn concat(parts: &[&str]) -> String {
    join(parts, "")
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

    #[test]
    fn byte_positions_decimals_and_joins_match_the_standard_library() {
        for hay in ["", "a", "a@b@c", "é@é", "@", "[::1]:443"] {
            for (b, c) in [(b'@', '@'), (b':', ':'), (b']', ']')] {
                assert_eq!(position(hay, b), hay.find(c), "{hay} {c}");
                assert_eq!(rposition(hay, b), hay.rfind(c), "{hay} {c}");
            }
        }
        for digits in ["", "0", "7", "65535", "65536", "4294967295", "4294967296", "99999999999", "1a", "+1", "-1", " 1", "٣"] {
            assert_eq!(decimal(digits, u32::MAX), digits.parse::<u32>().ok().filter(|_| !digits.starts_with('+')), "{digits}");
            assert_eq!(decimal(digits, 65535), digits.parse::<u16>().ok().filter(|_| !digits.starts_with('+')).map(u32::from), "{digits}");
            assert_eq!(decimal(digits, 255), digits.parse::<u8>().ok().filter(|_| !digits.starts_with('+')).map(u32::from), "{digits}");
        }
        for hay in ["", ".", "a", "a.b", ".a.", "a..b", "é.é", "..."] {
            assert_eq!(split(hay, b'.').collect::<Vec<_>>(), hay.split('.').collect::<Vec<_>>(), "{hay}");
        }
        for items in [&[][..], &["a"][..], &["a", "", "b"][..]] {
            assert_eq!(join(items, " "), items.join(" "));
            assert_eq!(join(items, ","), items.join(","));
            assert_eq!(concat(items), items.concat());
            assert_eq!(as_strs(&owned(items)), items);
        }
    }
}
