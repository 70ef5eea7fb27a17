//! The authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3, OpenID Connect Core §3.1.2.1).
//!
//! Only `response_type=code` exists here, PKCE S256 is always on, `state` always sent, `nonce`
//! whenever `openid` is asked for. The caller's extra parameters cannot replace any of them.

use super::encoding::{base64url_encode, decimal, form_encode_into};
use super::error::{Error, Result};
use super::pkce::{s256_challenge, verifier_from_random, CODE_CHALLENGE_METHOD};
use super::provider::{check_https_url, Provider};
use super::scopes::{validate_entra_request, ScopeSet};
use super::secret::{Nonce, State};
use super::text;
use super::transaction::{ResponseMode, Transaction};

/// The client as registered at the authorization server.
#[derive(Debug, Clone)]
pub struct Client {
    pub client_id: String,
    /// The exact registered redirect URI (RFC 6749 §3.1.2); sent byte for byte, twice.
    pub redirect_uri: String,
    pub response_mode: ResponseMode,
    /// Development only: allow `http://` for loopback hosts.
    pub allow_http_loopback: bool,
}

impl Client {
    /// Validates the registration: a non-empty client id of visible ASCII, and a redirect URI that
    /// is absolute, HTTPS (http only for loopback with the flag), without fragment, credentials
    /// or wildcard (checklist item 7, RFC 6749 §3.1.2.2).
    pub fn new(client_id: &str, redirect_uri: &str, response_mode: ResponseMode, allow_http_loopback: bool) -> Result<Client> {
        if client_id.is_empty() {
            return Err(Error::MissingOption { name: "clientId" });
        }
        if client_id.len() > 1024 || !client_id.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
            return Err(Error::InvalidOption { name: "clientId", reason: "must be visible ascii" });
        }
        check_https_url(redirect_uri, "redirect_uri", allow_http_loopback)?;
        if super::text::position(redirect_uri, b'*').is_some() {
            return Err(Error::ForbiddenUrl { what: "redirect_uri", reason: "wildcard" });
        }
        Ok(Client {
            client_id: client_id.to_owned(),
            redirect_uri: redirect_uri.to_owned(),
            response_mode,
            allow_http_loopback,
        })
    }
}

/// What the application asks for in this sign-in.
#[derive(Debug, Clone, Default)]
pub struct Params {
    /// Scope tokens; validated with the RFC 6749 §3.3 grammar.
    pub scopes: Vec<String>,
    /// OIDC `prompt` (`login`, `consent`, `select_account`, `none`, `create`).
    pub prompt: Option<String>,
    pub login_hint: Option<String>,
    /// Entra's `domain_hint`.
    pub domain_hint: Option<String>,
    /// OIDC `max_age` in seconds; `auth_time` is then required in the ID token.
    pub max_age: Option<u64>,
    /// Further parameters, e.g. `claims` or `ui_locales`; reserved names are refused.
    pub extra: Vec<(String, String)>,
    /// Scopes of other resources to collect consent for in the same interaction (Microsoft
    /// Entra: MSAL's `extraScopesToConsent`, shared/facts §2.3a). They go into the authorization
    /// request's `scope` only; the token request names `scopes`.
    pub extra_consent: Vec<String>,
}

/// Fresh CSPRNG output for one transaction: 32 octets each (256 bits, checklist items 4–6).
pub struct Entropy {
    pub verifier: [u8; 32],
    pub state: [u8; 32],
    pub nonce: [u8; 32],
}

/// Parameters the library sets; an extra parameter with one of these names is refused.
pub const RESERVED_PARAMETERS: &[&str] = &[
    "response_type", "client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge",
    "code_challenge_method", "response_mode", "prompt", "login_hint", "domain_hint", "max_age",
    "request", "request_uri", "client_secret", "client_assertion", "client_assertion_type",
];

fn check_text(value: &str, name: &'static str) -> Result<()> {
    if value.is_empty() || value.len() > 2048 || value.chars().any(char::is_control) {
        return Err(Error::InvalidOption { name, reason: "must be non-empty text without control characters" });
    }
    Ok(())
}

fn push_param(url: &mut String, name: &str, value: &str) {
    url.push('&');
    form_encode_into(name, url);
    url.push('=');
    form_encode_into(value, url);
}

/// Builds the authorization URL and the transaction to keep until the redirect returns.
pub fn build(provider: &Provider, client: &Client, params: &Params, entropy: &Entropy, now: u64) -> Result<(String, Transaction)> {
    if params.scopes.is_empty() {
        return Err(Error::MissingOption { name: "scopes" });
    }
    let requested = text::as_strs(&params.scopes);
    let scopes = text::owned(&ScopeSet::from_tokens(&requested)?.as_strs());
    let extra_requested = text::as_strs(&params.extra_consent);
    let extra: Vec<String> = if extra_requested.is_empty() {
        Vec::new()
    } else if super::ENTRA_RULES && provider.is_entra() {
        text::owned(&ScopeSet::from_tokens(&extra_requested)?.as_strs())
    } else {
        // Consent collected for another resource than the token's is Entra's (MSAL's
        // `extraScopesToConsent`); elsewhere the token request would not match the grant.
        return Err(Error::InvalidOption { name: "extraScopesToConsent", reason: "needs a microsoft entra provider" });
    };
    // Fail here with a clear error rather than at Entra with an AADSTS code (one resource per
    // request, `.default` alone, `vso.*` only with the Azure DevOps prefix). Each extra scope
    // must have a form Entra reads; they may name other resources.
    if super::ENTRA_RULES && provider.is_entra() {
        validate_entra_request(&requested)?;
        for s in &extra {
            validate_entra_request(&[s.as_str()])?;
        }
    }
    let mut consent_scope = text::as_strs(&scopes);
    for s in &extra {
        if !scopes.contains(s) {
            consent_scope.push(s);
        }
    }
    for (name, value) in &params.extra {
        if RESERVED_PARAMETERS.contains(&name.as_str()) {
            return Err(Error::ReservedParameter { name: name.clone() });
        }
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.') {
            return Err(Error::InvalidOption { name: "extraParams", reason: "parameter names must be ascii words" });
        }
        if value.len() > 8192 {
            return Err(Error::InputTooLarge { what: "extra parameter", limit: 8192 });
        }
    }
    let code_verifier = verifier_from_random(&entropy.verifier);
    let state = State::new(base64url_encode(&entropy.state));
    let nonce = scopes.iter().any(|s| s == "openid").then(|| Nonce::new(base64url_encode(&entropy.nonce)));

    let mut url = provider.authorization_endpoint.clone();
    url.push(if super::text::position(&url, b'?').is_some() { '&' } else { '?' });
    url.push_str("response_type=code");
    push_param(&mut url, "client_id", &client.client_id);
    push_param(&mut url, "redirect_uri", &client.redirect_uri);
    push_param(&mut url, "scope", &super::text::join(&consent_scope, " "));
    push_param(&mut url, "state", state.secret());
    push_param(&mut url, "code_challenge", &s256_challenge(&code_verifier));
    push_param(&mut url, "code_challenge_method", CODE_CHALLENGE_METHOD);
    if let Some(n) = &nonce {
        push_param(&mut url, "nonce", n.secret());
    }
    if client.response_mode == ResponseMode::Fragment {
        push_param(&mut url, "response_mode", "fragment");
    }
    for (name, value, opt) in [
        ("prompt", &params.prompt, "prompt"),
        ("login_hint", &params.login_hint, "loginHint"),
        ("domain_hint", &params.domain_hint, "domainHint"),
    ] {
        if let Some(v) = value {
            check_text(v, opt)?;
            push_param(&mut url, name, v);
        }
    }
    if let Some(m) = params.max_age {
        push_param(&mut url, "max_age", &decimal(m));
    }
    for (name, value) in &params.extra {
        push_param(&mut url, name, value);
    }
    let transaction = Transaction {
        issuer: provider.issuer.clone(),
        authorization_endpoint: provider.authorization_endpoint.clone(),
        token_endpoint: provider.token_endpoint.clone(),
        client_id: client.client_id.clone(),
        redirect_uri: client.redirect_uri.clone(),
        code_verifier,
        state,
        nonce,
        send_scope: consent_scope.len() > scopes.len(),
        scopes,
        response_mode: client.response_mode,
        iss_parameter_supported: provider.iss_parameter_supported,
        max_age: params.max_age,
        created_at: now,
    };
    Ok((url, transaction))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::encoding::form_parse;
    use crate::core::url::Url;

    fn provider() -> Provider {
        Provider::explicit("https://op.example", "https://op.example/authorize?tenant=x", "https://op.example/token", false).unwrap()
    }

    fn client(mode: ResponseMode) -> Client {
        Client::new("my-app", "https://app.example/cb", mode, false).unwrap()
    }

    fn entropy(seed: u8) -> Entropy {
        Entropy { verifier: [seed; 32], state: [seed.wrapping_add(1); 32], nonce: [seed.wrapping_add(2); 32] }
    }

    fn query_of(url: &str) -> Vec<(String, String)> {
        form_parse(Url::parse(url).unwrap().query().unwrap()).unwrap()
    }

    fn param<'a>(q: &'a [(String, String)], name: &str) -> Option<&'a str> {
        q.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Checklist items 1, 2, 3, 5, 6: code only, S256 always, state always, nonce iff openid.
    #[test]
    fn url_has_code_pkce_s256_state_and_nonce_for_openid() {
        let params = Params { scopes: vec!["openid".into(), "profile".into()], ..Params::default() };
        let (url, t) = build(&provider(), &client(ResponseMode::Query), &params, &entropy(7), 1000).unwrap();
        assert!(url.starts_with("https://op.example/authorize?tenant=x&response_type=code&"));
        let q = query_of(&url);
        assert_eq!(param(&q, "response_type"), Some("code"));
        assert_eq!(param(&q, "code_challenge_method"), Some("S256"));
        assert_eq!(param(&q, "code_challenge"), Some(s256_challenge(&t.code_verifier).as_str()));
        assert_eq!(param(&q, "state"), Some(t.state.secret()));
        assert_eq!(param(&q, "nonce"), t.nonce.as_ref().map(Nonce::secret));
        assert_eq!(param(&q, "redirect_uri"), Some("https://app.example/cb"));
        assert_eq!(param(&q, "scope"), Some("openid profile"));
        assert_eq!(param(&q, "response_mode"), None);
        assert_eq!(t.state.secret().len(), 43, "256 bits of state");
        assert_eq!(t.created_at, 1000);

        let params = Params { scopes: vec!["api://x/read".into()], ..Params::default() };
        let (url, t) = build(&provider(), &client(ResponseMode::Fragment), &params, &entropy(7), 1000).unwrap();
        let q = query_of(&url);
        assert_eq!(param(&q, "nonce"), None);
        assert!(t.nonce.is_none());
        assert_eq!(param(&q, "response_mode"), Some("fragment"));
    }

    /// Checklist item 4: fresh per transaction.
    #[test]
    fn each_transaction_gets_its_own_secrets() {
        let params = Params { scopes: vec!["openid".into()], ..Params::default() };
        let (_, a) = build(&provider(), &client(ResponseMode::Query), &params, &entropy(1), 0).unwrap();
        let (_, b) = build(&provider(), &client(ResponseMode::Query), &params, &entropy(2), 0).unwrap();
        assert_ne!(a.state.secret(), b.state.secret());
        assert_ne!(a.code_verifier.secret(), b.code_verifier.secret());
    }

    #[test]
    fn reserved_parameters_cannot_be_overridden() {
        for name in RESERVED_PARAMETERS {
            let params = Params { scopes: vec!["openid".into()], extra: vec![((*name).into(), "x".into())], ..Params::default() };
            assert_eq!(
                build(&provider(), &client(ResponseMode::Query), &params, &entropy(1), 0).err(),
                Some(Error::ReservedParameter { name: (*name).into() })
            );
        }
        let params = Params { scopes: vec!["openid".into()], extra: vec![("ui_locales".into(), "fr CA".into())], ..Params::default() };
        let (url, _) = build(&provider(), &client(ResponseMode::Query), &params, &entropy(1), 0).unwrap();
        assert!(url.ends_with("&ui_locales=fr+CA"));
    }

    #[test]
    fn hints_and_prompt_are_sent_and_checked() {
        let params = Params {
            scopes: vec!["openid".into()],
            prompt: Some("consent".into()),
            login_hint: Some("a@b.example".into()),
            domain_hint: Some("b.example".into()),
            max_age: Some(60),
            ..Params::default()
        };
        let (url, t) = build(&provider(), &client(ResponseMode::Query), &params, &entropy(1), 0).unwrap();
        let q = query_of(&url);
        assert_eq!(param(&q, "prompt"), Some("consent"));
        assert_eq!(param(&q, "login_hint"), Some("a@b.example"));
        assert_eq!(param(&q, "domain_hint"), Some("b.example"));
        assert_eq!(param(&q, "max_age"), Some("60"));
        assert_eq!(t.max_age, Some(60));
        let bad = Params { scopes: vec!["openid".into()], prompt: Some("a\nb".into()), ..Params::default() };
        assert!(build(&provider(), &client(ResponseMode::Query), &bad, &entropy(1), 0).is_err());
    }

    #[test]
    fn entra_scope_rules_are_checked_before_the_redirect() {
        let entra = Provider::entra("organizations", None).unwrap();
        let c = client(ResponseMode::Fragment);
        let ado = "499b84ac-1321-427f-aa17-267ca6975798";
        let ok = Params { scopes: vec!["openid".into(), format!("{ado}/vso.code"), "offline_access".into()], ..Params::default() };
        assert!(build(&entra, &c, &ok, &entropy(1), 0).is_ok());
        for bad in [
            vec!["openid".to_owned(), "vso.code".to_owned()],
            vec![format!("{ado}/.default"), format!("{ado}/vso.code")],
            vec![format!("{ado}/vso.code"), "User.Read".to_owned()],
        ] {
            let p = Params { scopes: bad.clone(), ..Params::default() };
            assert!(matches!(build(&entra, &c, &p, &entropy(1), 0), Err(Error::EntraScopeRule { .. })), "{bad:?}");
        }
        // The same scopes at a non-Entra provider are that provider's business.
        let p = Params { scopes: vec!["openid".into(), "vso.code".into()], ..Params::default() };
        assert!(build(&provider(), &c, &p, &entropy(1), 0).is_ok());
    }

    #[test]
    fn extra_scopes_to_consent_go_into_the_authorization_request_only() {
        let ado = "499b84ac-1321-427f-aa17-267ca6975798";
        let entra = Provider::entra("organizations", None).unwrap();
        let c = client(ResponseMode::Query);
        let p = Params {
            scopes: vec!["openid".into(), "User.Read".into(), "offline_access".into()],
            extra_consent: vec![format!("{ado}/vso.code"), "User.Read".into()],
            ..Params::default()
        };
        let (url, t) = build(&entra, &c, &p, &entropy(1), 0).unwrap();
        let q = query_of(&url);
        let expected = format!("openid User.Read offline_access {ado}/vso.code");
        assert_eq!(param(&q, "scope"), Some(expected.as_str()), "other resources added once, after the token's own");
        assert_eq!(t.scopes, ["openid", "User.Read", "offline_access"], "the transaction keeps the token request's scopes");
        assert!(t.send_scope, "the code redemption must then name them");
        // Without extra scopes the token request stays as before (no scope parameter).
        let (_, plain) = build(&entra, &c, &Params { scopes: vec!["openid".into()], ..Params::default() }, &entropy(1), 0).unwrap();
        assert!(!plain.send_scope);
        // Each extra scope must still be a form Entra reads: a bare vso.* scope is refused.
        let bad = Params { scopes: vec!["openid".into()], extra_consent: vec!["vso.code".into()], ..Params::default() };
        assert!(matches!(build(&entra, &c, &bad, &entropy(1), 0), Err(Error::EntraScopeRule { .. })));
        let garbage = Params { scopes: vec!["openid".into()], extra_consent: vec!["a b".into()], ..Params::default() };
        assert!(build(&entra, &c, &garbage, &entropy(1), 0).is_err());
        // Other providers: refused, never silently dropped.
        let elsewhere = Params { scopes: vec!["openid".into()], extra_consent: vec!["api".into()], ..Params::default() };
        assert_eq!(
            build(&provider(), &c, &elsewhere, &entropy(1), 0).err(),
            Some(Error::InvalidOption { name: "extraScopesToConsent", reason: "needs a microsoft entra provider" })
        );
    }

    #[test]
    fn scopes_are_validated_and_deduplicated() {
        for bad in ["", "a b", "\"x\"", "a\\b", "é", "a\tb"] {
            let params = Params { scopes: vec![bad.into()], ..Params::default() };
            assert!(build(&provider(), &client(ResponseMode::Query), &params, &entropy(1), 0).is_err(), "{bad:?}");
        }
        let none = Params::default();
        assert_eq!(build(&provider(), &client(ResponseMode::Query), &none, &entropy(1), 0).err(), Some(Error::MissingOption { name: "scopes" }));
        let dup = Params { scopes: vec!["openid".into(), "openid".into()], ..Params::default() };
        let (_, t) = build(&provider(), &client(ResponseMode::Query), &dup, &entropy(1), 0).unwrap();
        assert_eq!(t.scopes, vec!["openid".to_owned()]);
    }

    /// Checklist item 7.
    #[test]
    fn redirect_uri_rules() {
        for bad in ["/cb", "cb", "https://app.example/cb#x", "http://app.example/cb", "https://*.app.example/cb", "https://u@app.example/cb", "javascript:x"] {
            assert!(Client::new("a", bad, ResponseMode::Query, false).is_err(), "{bad}");
        }
        assert!(Client::new("a", "http://127.0.0.1:8080/cb", ResponseMode::Query, false).is_err());
        assert!(Client::new("a", "http://127.0.0.1:8080/cb", ResponseMode::Query, true).is_ok());
        assert!(Client::new("a", "https://abcdefghijklmnop.chromiumapp.org/cb", ResponseMode::Query, false).is_ok());
        assert_eq!(Client::new("", "https://a.example/", ResponseMode::Query, false).err(), Some(Error::MissingOption { name: "clientId" }));
        assert!(Client::new("a b", "https://a.example/", ResponseMode::Query, false).is_err());
    }
}
