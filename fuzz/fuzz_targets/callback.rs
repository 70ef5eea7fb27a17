//! Redirect validation. The first byte picks the response mode, whether the provider supports
//! `iss`, and the Entra template provider; the rest is the redirect URL. Invariants: never
//! panics; a validated callback has a non-empty code, arrived at the redirect URI with the
//! transaction's state; stripping is idempotent, keeps a valid URL, and leaves no OAuth
//! response parameter in the part the mode names.
#![no_main]

use browser_oauth::core::callback::{read_params, strip_response_params, validate};
use browser_oauth::core::encoding::form_parse;
use browser_oauth::core::transaction::ResponseMode;
use browser_oauth::core::url::Url;
use browser_oauth_fuzz::{entra_provider, provider, text, transaction, NOW, REDIRECT, STATE};
use libfuzzer_sys::fuzz_target;

/// The parameters the crate strips after handling (src/core/callback.rs).
const STRIPPED: &[&str] = &["code", "state", "iss", "error", "error_description", "error_uri", "session_state", "client_info"];

fn section(u: &Url, mode: ResponseMode) -> &str {
    match mode {
        ResponseMode::Query => u.query(),
        ResponseMode::Fragment => u.fragment(),
    }
    .unwrap_or("")
}

/// The part the mode does not name (empty counts as absent).
fn other(u: &Url, mode: ResponseMode) -> Option<&str> {
    match mode {
        ResponseMode::Query => u.fragment(),
        ResponseMode::Fragment => u.query(),
    }
    .filter(|p| !p.is_empty())
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    let Some(url) = text(rest) else { return };
    let mode = if flags & 1 == 0 { ResponseMode::Query } else { ResponseMode::Fragment };
    let iss_supported = flags & 2 != 0;
    let p = if flags & 4 == 0 { provider(iss_supported) } else { entra_provider() };

    let params = read_params(url, mode);
    if let Ok(ok) = validate(url, transaction(mode, iss_supported), &p, NOW) {
        assert!(!ok.code.secret().is_empty(), "empty code accepted");
        let params = params.as_ref().expect("validated but its parameters do not read");
        assert_eq!(params.state(), Some(STATE), "validated with another state");
        let (arrived, expected) = (Url::parse(url).expect("validated URL parses"), Url::parse(REDIRECT).expect("fixture"));
        assert_eq!(arrived.origin(), expected.origin(), "validated at another origin");
        let pairs = form_parse(section(&arrived, mode)).expect("validated section parses");
        for token in ["access_token", "id_token", "token_type", "response"] {
            assert!(pairs.iter().all(|(n, _)| n != token), "validated with {token} in the front channel");
        }
    }

    let stripped = strip_response_params(url, mode);
    if let Some(s) = &stripped {
        assert!(Url::parse(url).is_ok(), "stripped a URL that does not parse");
        assert_ne!(s, url, "Some means something was removed");
    }
    let once = stripped.unwrap_or_else(|| url.to_owned());
    let Ok(u) = Url::parse(&once) else { return };
    assert_eq!(strip_response_params(&once, mode), None, "stripping is not idempotent");
    for part in section(&u, mode).split('&') {
        let name = part.split('=').next().unwrap_or("");
        if let Some(name) = browser_oauth::core::encoding::form_decode(name) {
            assert!(!STRIPPED.contains(&name.as_str()), "{name} left after stripping");
        }
    }
    if let Ok(after) = read_params(&once, mode) {
        assert_eq!(after.state(), None, "state left after stripping");
    }
    // The other part is never touched.
    let original = Url::parse(url).expect("parsed above");
    assert_eq!(other(&u, mode), other(&original, mode), "stripping changed the other part");
    assert_eq!(u.without_query_and_fragment(), original.without_query_and_fragment());
});
