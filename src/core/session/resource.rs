//! Which URLs may receive the access token (RFC 9700 §4.9, checklist item 40): only those whose
//! origin is exactly one the app allow-listed. Origins compare after parsing (scheme and host
//! lowercased, explicit default ports kept distinct), so `https://api.example.com.evil.example`,
//! `https://api.example.com@evil.example` and `http://api.example.com` never match
//! `https://api.example.com`.

use crate::core::url::Url;

/// `true` when `url` is on one of the `allowed` origins.
pub fn origin_allowed<S: AsRef<str>>(url: &str, allowed: &[S]) -> bool {
    let Ok(target) = Url::parse(url) else { return false };
    if target.has_userinfo() {
        return false;
    }
    let origin = target.origin();
    allowed.iter().any(|a| Url::parse(a.as_ref()).is_ok_and(|u| !u.has_userinfo() && u.origin() == origin))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_exact_origins_receive_the_token() {
        let allowed = vec!["https://api.example.com".to_owned(), "http://127.0.0.1:8080".to_owned()];
        for ok in ["https://api.example.com/v1/items?x=1", "https://API.example.com/", "http://127.0.0.1:8080/x"] {
            assert!(origin_allowed(ok, &allowed), "{ok}");
        }
        for bad in [
            "https://api.example.com.evil.example/",
            "https://api.example.com@evil.example/",
            "https://user@api.example.com/",
            "http://api.example.com/",
            "https://api.example.com:444/",
            "https://evil.example/https://api.example.com",
            "http://127.0.0.1:8081/",
            "//api.example.com/",
            "javascript:alert(1)",
            "",
        ] {
            assert!(!origin_allowed(bad, &allowed), "{bad}");
        }
        assert!(!origin_allowed::<&str>("https://api.example.com/", &[]));
    }
}
