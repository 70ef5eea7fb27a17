//! A small, strict parser for the absolute `http(s)` URLs OAuth deals in (RFC 3986 §3).
//!
//! It keeps the original string (comparisons the specs make exact stay exact) and refuses what a
//! browser would silently "fix" and so could be read two ways: non-ASCII, spaces and control
//! characters, backslashes, an empty host, a bad port. It is not a general WHATWG URL parser, and
//! does not need to be: authorization servers, redirect URIs and `location.href` are all ASCII.

use super::encoding::decimal_into;
use super::text::{decimal, position, rposition};

/// Why a string is not a URL we accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlError {
    /// Not `scheme://authority…`, or a scheme other than http/https.
    NotAbsoluteHttp,
    /// Non-ASCII, whitespace, control character or backslash.
    BadCharacter,
    /// Empty host, bad IPv6 literal, or a character not allowed in a host.
    BadHost,
    /// A port that is not 1–65535 digits.
    BadPort,
    /// Longer than [`MAX_URL_LEN`].
    TooLong,
}

/// URLs longer than this are refused (browsers and servers cap far lower in practice).
pub const MAX_URL_LEN: usize = 16 * 1024;

/// A parsed absolute http(s) URL that keeps its original text.
#[derive(Clone, PartialEq, Eq)]
pub struct Url {
    raw: String,
    https: bool,
    has_userinfo: bool,
    host: String,
    port: Option<u16>,
    /// Byte offsets into `raw`.
    path_start: usize,
    query_start: Option<usize>,
    fragment_start: Option<usize>,
}

impl core::fmt::Debug for Url {
    // The query and fragment can carry codes and tokens: never print them.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Url({}{})", self.without_query_and_fragment(), if self.query_start.is_some() || self.fragment_start.is_some() { "?…" } else { "" })
    }
}

fn is_host_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'%' | b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=')
}

impl Url {
    /// Parses `text`; see the module doc for what is refused.
    pub fn parse(text: &str) -> Result<Url, UrlError> {
        if text.len() > MAX_URL_LEN {
            return Err(UrlError::TooLong);
        }
        if text.bytes().any(|b| !(0x21..=0x7e).contains(&b) || b == b'\\') {
            return Err(UrlError::BadCharacter);
        }
        let (https, rest_at) = if text.len() >= 8 && text[..8].eq_ignore_ascii_case("https://") {
            (true, 8)
        } else if text.len() >= 7 && text[..7].eq_ignore_ascii_case("http://") {
            (false, 7)
        } else {
            return Err(UrlError::NotAbsoluteHttp);
        };
        let rest = &text[rest_at..];
        let authority_len = rest.bytes().position(|b| matches!(b, b'/' | b'?' | b'#')).unwrap_or(rest.len());
        let authority = &rest[..authority_len];
        let (has_userinfo, hostport) = match rposition(authority, b'@') {
            Some(at) => (true, &authority[at + 1..]),
            None => (false, authority),
        };
        let (host, port_text) = if let Some(v6) = hostport.strip_prefix('[') {
            let close = position(v6, b']').ok_or(UrlError::BadHost)?;
            let inner = &v6[..close];
            if inner.is_empty() || !inner.bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.') {
                return Err(UrlError::BadHost);
            }
            let after = &v6[close + 1..];
            let port = match after.strip_prefix(':') {
                Some(p) => Some(p),
                None if after.is_empty() => None,
                None => return Err(UrlError::BadHost),
            };
            (&hostport[..close + 2], port)
        } else {
            match rposition(hostport, b':') {
                Some(c) => (&hostport[..c], Some(&hostport[c + 1..])),
                None => (hostport, None),
            }
        };
        if host.is_empty() || (!host.starts_with('[') && !host.bytes().all(is_host_char)) {
            return Err(UrlError::BadHost);
        }
        let port = match port_text {
            None => None,
            Some("") => None,
            Some(p) => {
                match decimal(p, 65535).filter(|_| p.len() <= 5).and_then(|n| u16::try_from(n).ok()) {
                    Some(0) | None => return Err(UrlError::BadPort),
                    Some(n) => Some(n),
                }
            }
        };
        let path_start = rest_at + authority_len;
        let fragment_start = position(&text[path_start..], b'#').map(|i| path_start + i);
        let before_fragment = fragment_start.unwrap_or(text.len());
        let query_start = position(&text[path_start..before_fragment], b'?').map(|i| path_start + i);
        Ok(Url {
            raw: text.to_owned(),
            https,
            has_userinfo,
            host: host.to_ascii_lowercase(),
            port,
            path_start,
            query_start,
            fragment_start,
        })
    }

    /// The original text, unchanged.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// `true` for `https:`.
    pub fn is_https(&self) -> bool {
        self.https
    }

    /// `true` when the authority holds `user[:password]@`.
    pub fn has_userinfo(&self) -> bool {
        self.has_userinfo
    }

    /// The host, lowercased; IPv6 literals keep their brackets.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The explicit port, if one was written.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// `localhost`, `127.0.0.0/8` or `[::1]`: the hosts that never leave the machine.
    pub fn is_loopback(&self) -> bool {
        let h = self.host.as_str();
        if h == "localhost" || h == "[::1]" {
            return true;
        }
        let (mut count, mut valid) = (0, h.starts_with("127."));
        for octet in super::text::split(h, b'.') {
            count += 1;
            valid &= octet.len() <= 3 && decimal(octet, 255).is_some();
        }
        valid && count == 4
    }

    /// The path as written (may be empty).
    pub fn path(&self) -> &str {
        let end = self.query_start.or(self.fragment_start).unwrap_or(self.raw.len());
        &self.raw[self.path_start..end]
    }

    /// The query without its `?`, if there is a `?`.
    pub fn query(&self) -> Option<&str> {
        let q = self.query_start?;
        let end = self.fragment_start.unwrap_or(self.raw.len());
        Some(&self.raw[q + 1..end])
    }

    /// The fragment without its `#`, if there is a `#`.
    pub fn fragment(&self) -> Option<&str> {
        self.fragment_start.map(|f| &self.raw[f + 1..])
    }

    /// Everything before the query and fragment: scheme, authority and path.
    pub fn without_query_and_fragment(&self) -> &str {
        let end = self.query_start.or(self.fragment_start).unwrap_or(self.raw.len());
        &self.raw[..end]
    }

    /// Everything before the fragment.
    pub fn without_fragment(&self) -> &str {
        &self.raw[..self.fragment_start.unwrap_or(self.raw.len())]
    }

    /// Whether `other` has the same [`Url::origin`], compared without building it.
    pub fn same_origin(&self, other: &Url) -> bool {
        self.https == other.https && self.host == other.host && self.port == other.port
    }

    /// `scheme://host[:port]`, lowercased scheme and host.
    pub fn origin(&self) -> String {
        let scheme = if self.https { "https://" } else { "http://" };
        let mut origin = String::with_capacity(scheme.len() + self.host.len() + 6);
        origin.push_str(scheme);
        origin.push_str(&self.host);
        if let Some(p) = self.port {
            origin.push(':');
            decimal_into(u64::from(p), &mut origin);
        }
        origin
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_components_and_keeps_the_original() {
        let u = Url::parse("https://Login.Example.com:8443/t/oauth2?a=1&b=2#frag").unwrap();
        assert_eq!(u.as_str(), "https://Login.Example.com:8443/t/oauth2?a=1&b=2#frag");
        assert!(u.is_https());
        assert_eq!(u.host(), "login.example.com");
        assert_eq!(u.port(), Some(8443));
        assert_eq!(u.path(), "/t/oauth2");
        assert_eq!(u.query(), Some("a=1&b=2"));
        assert_eq!(u.fragment(), Some("frag"));
        assert_eq!(u.without_query_and_fragment(), "https://Login.Example.com:8443/t/oauth2");
        assert_eq!(u.origin(), "https://login.example.com:8443");
    }

    #[test]
    fn question_mark_inside_the_fragment_is_not_a_query() {
        let u = Url::parse("http://127.0.0.1:9/cb#code=1?x").unwrap();
        assert_eq!(u.query(), None);
        assert_eq!(u.fragment(), Some("code=1?x"));
        assert_eq!(u.path(), "/cb");
    }

    #[test]
    fn userinfo_is_detected_and_the_real_host_is_after_the_last_at() {
        let u = Url::parse("https://login.microsoftonline.com@evil.example/x").unwrap();
        assert!(u.has_userinfo());
        assert_eq!(u.host(), "evil.example");
    }

    #[test]
    fn ipv6_and_loopback() {
        let u = Url::parse("http://[::1]:8080/cb").unwrap();
        assert_eq!(u.host(), "[::1]");
        assert!(u.is_loopback());
        assert!(Url::parse("http://127.4.5.6/").unwrap().is_loopback());
        assert!(Url::parse("http://LOCALHOST:3000").unwrap().is_loopback());
        assert!(!Url::parse("http://127.0.0.1.evil.example/").unwrap().is_loopback());
        assert!(!Url::parse("http://localhost.evil.example/").unwrap().is_loopback());
        assert!(!Url::parse("http://127.0.0.256/").unwrap().is_loopback());
    }

    #[test]
    fn origin_is_scheme_lowercased_host_and_port_as_written() {
        for (input, origin) in [
            ("https://Login.Example.com/t?q=1#f", "https://login.example.com"),
            ("http://127.0.0.1:8080/cb", "http://127.0.0.1:8080"),
            ("HTTPS://op.example:443/", "https://op.example:443"),
            ("http://localhost:1", "http://localhost:1"),
            ("https://op.example:65535/x", "https://op.example:65535"),
            ("https://op.example:08443/x", "https://op.example:8443"),
            ("http://[::1]/cb", "http://[::1]"),
            ("http://[::1]:9/cb", "http://[::1]:9"),
            ("https://[2001:DB8::1]:10443/", "https://[2001:db8::1]:10443"),
            ("https://user@op.example:8443/", "https://op.example:8443"),
        ] {
            let u = Url::parse(input).unwrap();
            assert_eq!(u.origin(), origin, "{input}");
            assert!(u.same_origin(&Url::parse(origin).unwrap()), "{input}");
            // The text the `format!` this replaced wrote.
            let scheme = if u.is_https() { "https" } else { "http" };
            let old = match u.port() {
                Some(p) => format!("{scheme}://{}:{p}", u.host()),
                None => format!("{scheme}://{}", u.host()),
            };
            assert_eq!(u.origin(), old, "{input}");
        }
    }

    #[test]
    fn refuses_what_could_be_read_two_ways() {
        let cases: &[(&str, UrlError)] = &[
            ("", UrlError::NotAbsoluteHttp),
            ("/relative", UrlError::NotAbsoluteHttp),
            ("javascript:alert(1)", UrlError::NotAbsoluteHttp),
            ("ftp://x/", UrlError::NotAbsoluteHttp),
            ("https:/x", UrlError::NotAbsoluteHttp),
            ("https://", UrlError::BadHost),
            ("https:///path", UrlError::BadHost),
            ("https://a b/", UrlError::BadCharacter),
            ("https://a\\b/", UrlError::BadCharacter),
            ("https://exämple.com/", UrlError::BadCharacter),
            ("https://a.example/\n", UrlError::BadCharacter),
            ("https://a.example:0/", UrlError::BadPort),
            ("https://a.example:65536/", UrlError::BadPort),
            ("https://a.example:8x/", UrlError::BadPort),
            ("https://a.example:-1/", UrlError::BadPort),
            ("https://[::1/", UrlError::BadHost),
            ("https://[zz]/", UrlError::BadHost),
            ("https://a<b/", UrlError::BadHost),
        ];
        for (text, want) in cases {
            assert_eq!(Url::parse(text).err(), Some(*want), "{text:?}");
        }
        assert_eq!(Url::parse(&format!("https://a/{}", "x".repeat(MAX_URL_LEN))).err(), Some(UrlError::TooLong));
    }

    #[test]
    fn debug_never_prints_query_or_fragment() {
        let u = Url::parse("https://a.example/cb?code=SECRET#access_token=SECRET").unwrap();
        let d = format!("{u:?}");
        assert!(!d.contains("SECRET"), "{d}");
    }
}
