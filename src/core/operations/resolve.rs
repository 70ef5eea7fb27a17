//! `required_scopes`: the operation a method and URL call, and so the scopes that allow it.
//!
//! The URL is read once: its host names the service (and, in the legacy forms, the
//! organization), its path is split into percent-decoded segments; `api-version` and the rest of
//! the query, the fragment, one trailing slash and the case of literal segments do not matter.
//! Each template then costs at most a few comparisons per segment, so the work is linear in the
//! URL's length (which [`Url::parse`] caps).

use super::data;
use super::host::{classify, Host};
use super::table::{segment, templates, Operation, MAX_SEGMENTS};
use crate::core::error::{Error, Result};
use crate::core::url::Url;

/// What the table says about a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Required {
    /// A known operation: any one of [`Operation::scopes`] (or a scope including one) allows it.
    /// Its list is empty when the specs declare no OAuth scope for it.
    Operation(Operation),
    /// An Azure DevOps host, but no operation of the table has this method and path: the scopes
    /// it needs are not known, and no guess is made.
    Unknown,
    /// Not an Azure DevOps REST host (or not over HTTPS on the default port).
    NotAzureDevOps,
}

/// The operation `method` on `url` calls (Azure DevOps REST API 7.1).
///
/// Errors: [`Error::InvalidUrl`] when `url` is not an absolute http(s) URL this library reads,
/// [`Error::InvalidOption`] when `method` is not an HTTP method token (RFC 9110 §9.1).
pub fn required_scopes(method: &str, url: &str) -> Result<Required> {
    let valid = !method.is_empty()
        && method.len() <= 16
        && method.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if !valid {
        return Err(Error::InvalidOption { name: "method", reason: "must be an http method" });
    }
    let url = Url::parse(url).map_err(|_| Error::InvalidUrl { what: "url" })?;
    let host = classify(url.host());
    let default_port = url.port().is_none_or(|p| p == 443);
    if host == Host::Foreign || !url.is_https() || !default_port || url.has_userinfo() {
        return Ok(Required::NotAzureDevOps);
    }
    let Host::Service { organization, .. } = host else { return Ok(Required::Unknown) };
    let Some(method) = data::METHODS.iter().position(|m| m.eq_ignore_ascii_case(method)) else {
        return Ok(Required::Unknown);
    };
    let Some(segments) = segments(url.path(), organization) else { return Ok(Required::Unknown) };
    let mut best: Option<(Operation, Score)> = None;
    for (op, template) in templates() {
        if usize::from(data::METHOD_HOST.get(op.index()).copied().unwrap_or(0) >> 4) != method
            || !host.serves(op.host_index())
        {
            continue;
        }
        if let Some(score) = score(template.indices(), &segments) {
            if best.is_none_or(|(_, b)| score > b) {
                best = Some((op, score));
            }
        }
    }
    Ok(best.map_or(Required::Unknown, |(op, _)| Required::Operation(op)))
}

/// The path's segments, percent-decoded, with the organization first: from the host in the
/// legacy forms (where a leading `DefaultCollection` is dropped). `None` for a path no template
/// can match: an empty segment inside it, a bad escape, too many segments.
fn segments(path: &str, organization: Option<&str>) -> Option<Vec<Vec<u8>>> {
    let path = path.strip_prefix('/').unwrap_or(path);
    let path = path.strip_suffix('/').unwrap_or(path);
    let mut out: Vec<Vec<u8>> = Vec::new();
    if let Some(org) = organization {
        out.push(org.as_bytes().to_vec());
    }
    if path.is_empty() {
        return Some(out);
    }
    for (i, raw) in path.split('/').enumerate() {
        if out.len() == MAX_SEGMENTS || raw.is_empty() {
            return None;
        }
        let decoded = percent_decode(raw)?;
        if i == 0 && organization.is_some() && decoded.eq_ignore_ascii_case(b"DefaultCollection") {
            continue;
        }
        out.push(decoded);
    }
    Some(out)
}

fn percent_decode(raw: &str) -> Option<Vec<u8>> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = |j: usize| bytes.get(j).and_then(|c| char::from(*c).to_digit(16));
            let byte = hex(i + 1)? * 16 + hex(i + 2)?;
            out.push(u8::try_from(byte).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    Some(out)
}

/// How well a template fits: more literal segments matched first, then fewer optional segments
/// left out. Compared as a tuple (`skipped` is stored negated).
type Score = (usize, i8);

/// The best way `template` matches `segments`, if any. `{project}` and `{team}` may be left out
/// (the REST reference marks them optional); they never take a segment starting with `_`
/// (`_apis`), which no project or team name does. Parameters take one non-empty segment;
/// `${type}` and `@{scope}` one that starts with that character.
fn score(template: &[u16], segments: &[Vec<u8>]) -> Option<Score> {
    let (Some(&i), rest) = (template.first(), template.get(1..).unwrap_or(&[])) else {
        return segments.is_empty().then_some((0, 0));
    };
    let t = segment(usize::from(i));
    let optional = t == "{project}" || t == "{team}";
    let skipped = if optional { score(rest, segments).map(|(l, s)| (l, s.saturating_sub(1))) } else { None };
    let Some((seg, tail)) = segments.split_first() else { return skipped };
    let (fits, literal) = match t.as_bytes() {
        [b'{', ..] => (!(optional && seg.first() == Some(&b'_')), false),
        [p @ (b'$' | b'@'), b'{', ..] => (seg.len() > 1 && seg.first() == Some(p), false),
        lit => (seg.eq_ignore_ascii_case(lit), true),
    };
    let taken = if fits { score(rest, tail).map(|(l, s)| (l + usize::from(literal), s)) } else { None };
    match (taken, skipped) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// Reads a call written as `"GET https://…"` (the method, one space, the URL) or as a bare URL
/// (a `GET`). The method is returned as written.
pub fn parse_call(text: &str) -> (&str, &str) {
    match text.split_once(' ') {
        Some((method, url)) => (method, url.trim_start()),
        None => ("GET", text),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn segs(list: &[&str]) -> Vec<Vec<u8>> {
        list.iter().map(|s| s.as_bytes().to_vec()).collect()
    }

    /// The segment indices of a template written out (its segments are all in the table).
    fn t(list: &[&str]) -> Vec<u16> {
        let index = |s: &str| (0..u16::MAX).find(|&i| segment(usize::from(i)) == s).unwrap();
        list.iter().map(|s| index(s)).collect()
    }

    #[test]
    fn optional_segments_and_literals() {
        let r = t(&["{organization}", "{project}", "_apis", "git", "repositories"]);
        assert_eq!(score(&r, &segs(&["o", "p", "_apis", "git", "repositories"])), Some((3, 0)));
        assert_eq!(score(&r, &segs(&["o", "_apis", "GIT", "Repositories"])), Some((3, -1)));
        assert_eq!(score(&r, &segs(&["o", "p", "_apis", "git"])), None);
        let w = t(&["{organization}", "{project}", "_apis", "wit", "workitems", "${type}"]);
        assert!(score(&w, &segs(&["o", "p", "_apis", "wit", "workitems", "$Task"])).is_some());
        assert!(score(&w, &segs(&["o", "p", "_apis", "wit", "workitems", "Task"])).is_none());
    }

    #[test]
    fn decoding_and_shape() {
        assert_eq!(percent_decode("a%20b%2Fc").unwrap(), b"a b/c");
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%4"), None);
        assert_eq!(segments("/o//x", None), None);
        assert_eq!(segments("/o/x/", None).unwrap().len(), 2);
        assert_eq!(segments("/DefaultCollection/p", Some("o")).unwrap(), segs(&["o", "p"]));
        assert_eq!(segments(&"/a".repeat(30), None), None);
    }

    #[test]
    fn calls_as_text() {
        assert_eq!(parse_call("DELETE https://x/y"), ("DELETE", "https://x/y"));
        assert_eq!(parse_call("https://x/y"), ("GET", "https://x/y"));
    }
}
