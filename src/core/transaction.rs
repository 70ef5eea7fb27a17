//! The pending transaction: everything the redirect handler needs, bound to one sign-in
//! (RFC 9700 §4.4.2, checklist item 8). It survives the redirect in sessionStorage as JSON, and
//! storage is attacker-reachable input, so reading it back is a full schema check.

use super::error::{Error, Result};
use super::json::{self, ObjectWriter, Value};
use super::secret::{CodeVerifier, Nonce, State};
// What reading a transaction back needs: the start module writes transactions and never reads one.
#[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
use super::{authorize::Client, json::{as_strings, as_uint}, provider::Provider};

/// How long a pending sign-in may wait for its redirect: 10 minutes, RFC 6749 §4.1.2's
/// recommended upper bound for a code's life (checklist item 20).
pub const TRANSACTION_TTL_SECS: u64 = 600;

const VERSION: f64 = 1.0;

/// Where the authorization response parameters arrive (OAuth 2.0 Multiple Response Types §2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseMode {
    /// In the query string: the default for `response_type=code`.
    Query,
    /// In the fragment: never sent to any server, Entra/MSAL's default.
    Fragment,
}

impl ResponseMode {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ResponseMode::Query => "query",
            ResponseMode::Fragment => "fragment",
        }
    }
    /// Parses the wire name.
    pub fn parse(text: &str) -> Result<ResponseMode> {
        match text {
            "query" => Ok(ResponseMode::Query),
            "fragment" => Ok(ResponseMode::Fragment),
            _ => Err(Error::InvalidOption { name: "responseMode", reason: "must be query or fragment" }),
        }
    }
}

/// One sign-in in flight. Not `Clone`: it holds the verifier, and it is consumed exactly once.
#[derive(Debug)]
pub struct Transaction {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub code_verifier: CodeVerifier,
    pub state: State,
    pub nonce: Option<Nonce>,
    pub scopes: Vec<String>,
    /// The authorization request also asked consent for other resources' scopes
    /// (`extraScopesToConsent`): the code redemption must then name `scopes` (Entra issues a
    /// token for one resource per request).
    pub send_scope: bool,
    pub response_mode: ResponseMode,
    pub iss_parameter_supported: bool,
    pub max_age: Option<u64>,
    /// Unix seconds.
    pub created_at: u64,
}

impl Transaction {
    /// `true` once the transaction is older than [`TRANSACTION_TTL_SECS`], or dated in the future
    /// by more than a minute (a clock jump or an edited entry).
    pub fn is_expired(&self, now: u64) -> bool {
        now > self.created_at.saturating_add(TRANSACTION_TTL_SECS) || self.created_at > now.saturating_add(60)
    }

    /// Refuses a transaction that does not describe a sign-in at `provider`: its endpoints and
    /// its RFC 9207 `iss` support must be the provider's, compared exactly. Storage and app-kept
    /// transactions are attacker-reachable; without this an edited `token_endpoint` receives the
    /// code and `code_verifier`, and an edited `iss_supported: false` turns off the mix-up check.
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    pub fn check_provider(&self, provider: &Provider) -> Result<()> {
        let bound = self.issuer == provider.issuer
            && self.authorization_endpoint == provider.authorization_endpoint
            && self.token_endpoint == provider.token_endpoint
            && self.iss_parameter_supported == provider.iss_parameter_supported;
        if bound { Ok(()) } else { Err(Error::TransactionInvalid { reason: "not bound to this provider" }) }
    }

    /// Refuses a transaction that was not made for `client`: same client id and the exact
    /// registered redirect URI (RFC 6749 §3.1.2), the one sent again with the code.
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    pub fn check_client(&self, client: &Client) -> Result<()> {
        if self.client_id == client.client_id && self.redirect_uri == client.redirect_uri {
            Ok(())
        } else {
            Err(Error::TransactionInvalid { reason: "not bound to this client" })
        }
    }

    /// The storage form (JSON). It contains the verifier: it belongs in sessionStorage only.
    pub fn to_json(&self) -> String {
        ObjectWriter::new()
            .uint("v", 1)
            .string("issuer", &self.issuer)
            .string("authorization_endpoint", &self.authorization_endpoint)
            .string("token_endpoint", &self.token_endpoint)
            .string("client_id", &self.client_id)
            .string("redirect_uri", &self.redirect_uri)
            .string("code_verifier", self.code_verifier.secret())
            .string("state", self.state.secret())
            .string("response_mode", self.response_mode.as_str())
            .opt_string("nonce", self.nonce.as_ref().map(Nonce::secret))
            .strings("scopes", &self.scopes)
            .boolean("send_scope", self.send_scope)
            .boolean("iss_supported", self.iss_parameter_supported)
            .opt_uint("max_age", self.max_age)
            .uint("created_at", self.created_at)
            .finish()
    }

    /// Whether `text` is a stored transaction of this issuer and client, whatever else it holds:
    /// what sign-out needs to remove this client's pending sign-ins without the whole reader
    /// (the `session` module has no redirect to validate).
    pub fn is_bound_to(text: &str, issuer: &str, client_id: &str) -> bool {
        let Ok(doc) = json::parse(text) else { return false };
        doc.get("v").and_then(Value::as_f64) == Some(VERSION)
            && doc.get("issuer").and_then(Value::as_str) == Some(issuer)
            && doc.get("client_id").and_then(Value::as_str) == Some(client_id)
    }

    /// Reads a stored transaction back, refusing anything that is not exactly what
    /// [`Transaction::to_json`] writes, or that belongs to another issuer or client
    /// (checklist item 38: storage is attacker-controlled input).
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    pub fn from_json(text: &str, expected_issuer: &str, expected_client_id: &str) -> Result<Transaction> {
        let bad = |reason| Error::TransactionInvalid { reason };
        let mut doc = json::parse(text).map_err(|_| bad("not json"))?;
        if doc.get("v").and_then(Value::as_f64) != Some(VERSION) {
            return Err(bad("unknown version"));
        }
        // Each string member is moved out of the parsed document, not copied.
        let mut s = |k: &'static str| doc.take_string(k).ok_or(bad("missing field"));
        let issuer = s("issuer")?;
        let client_id = s("client_id")?;
        if issuer != expected_issuer || client_id != expected_client_id {
            return Err(bad("bound to another issuer or client"));
        }
        let code_verifier = s("code_verifier")?;
        if !super::pkce::is_valid_verifier_syntax(&code_verifier) {
            return Err(bad("malformed verifier"));
        }
        let state = s("state")?;
        if state.is_empty() {
            return Err(bad("empty state"));
        }
        let authorization_endpoint = s("authorization_endpoint")?;
        let token_endpoint = s("token_endpoint")?;
        let redirect_uri = s("redirect_uri")?;
        let response_mode = ResponseMode::parse(&s("response_mode")?).map_err(|_| bad("malformed response_mode"))?;
        let scopes = doc.get("scopes").and_then(as_strings).ok_or(bad("malformed scopes"))?;
        let nonce = match doc.get("nonce") {
            None => None,
            Some(v) => Some(Nonce::new(v.as_str().ok_or(bad("malformed nonce"))?.to_owned())),
        };
        let max_age = match doc.get("max_age") {
            None => None,
            Some(v) => Some(as_uint(v).ok_or(bad("malformed max_age"))?),
        };
        Ok(Transaction {
            issuer,
            authorization_endpoint,
            token_endpoint,
            client_id,
            redirect_uri,
            code_verifier: CodeVerifier::new(code_verifier),
            state: State::new(state),
            nonce,
            scopes,
            send_scope: match doc.get("send_scope") {
                None => false,
                Some(v) => v.as_bool().ok_or(bad("malformed send_scope"))?,
            },
            response_mode,
            iss_parameter_supported: doc.get("iss_supported").and_then(Value::as_bool).ok_or(bad("missing field"))?,
            max_age,
            created_at: doc.get("created_at").and_then(as_uint).ok_or(bad("malformed created_at"))?,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The one transaction fixture; other modules' tests override fields with `..sample(n)`.
    pub(crate) fn sample(now: u64) -> Transaction {
        Transaction {
            issuer: "https://op.example".into(),
            authorization_endpoint: "https://op.example/auth".into(),
            token_endpoint: "https://op.example/token".into(),
            client_id: "app".into(),
            redirect_uri: "https://app.example/cb".into(),
            code_verifier: CodeVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into()),
            state: State::new("st\"ate".into()),
            nonce: Some(Nonce::new("n".into())),
            scopes: vec!["openid".into(), "profile".into()],
            send_scope: false,
            response_mode: ResponseMode::Fragment,
            iss_parameter_supported: true,
            max_age: Some(300),
            created_at: now,
        }
    }

    #[test]
    fn sign_out_recognises_this_clients_entries_and_only_those() {
        let json = sample(1000).to_json();
        assert!(Transaction::is_bound_to(&json, "https://op.example", "app"));
        assert!(!Transaction::is_bound_to(&json, "https://op.example", "other"));
        assert!(!Transaction::is_bound_to(&json, "https://other.example", "app"));
        // Another version, not JSON, or the fields in another type: not ours to remove.
        assert!(!Transaction::is_bound_to(&json.replacen("\"v\":1", "\"v\":2", 1), "https://op.example", "app"));
        for garbage in ["", "{", "[]", "null", "{\"v\":1,\"issuer\":1,\"client_id\":\"app\"}"] {
            assert!(!Transaction::is_bound_to(garbage, "https://op.example", "app"), "{garbage}");
        }
    }

    #[test]
    fn round_trips_through_storage_json() {
        let t = sample(1000);
        let back = Transaction::from_json(&t.to_json(), "https://op.example", "app").unwrap();
        assert_eq!(back.to_json(), t.to_json());
        assert_eq!(back.state.secret(), "st\"ate");
        assert_eq!(back.response_mode, ResponseMode::Fragment);
        assert_eq!(back.max_age, Some(300));
    }

    /// Checklist item 38: a foreign, corrupt or edited entry is refused, never a panic.
    #[test]
    fn refuses_foreign_corrupt_and_edited_entries() {
        let json = sample(1000).to_json();
        assert!(Transaction::from_json(&json, "https://other.example", "app").is_err());
        assert!(Transaction::from_json(&json, "https://op.example", "other").is_err());
        let edits = [
            json.replace("\"v\":1", "\"v\":2"),
            json.replace("\"created_at\":1000", "\"created_at\":-5"),
            json.replace("\"created_at\":1000", "\"created_at\":1.5"),
            json.replace("\"created_at\":1000", "\"created_at\":\"1000\""),
            json.replace("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "short"),
            json.replace("\"fragment\"", "\"form_post\""),
            json.replace("\"scopes\":[\"openid\",\"profile\"]", "\"scopes\":[1]"),
            json.replace("\"iss_supported\":true", "\"iss_supported\":\"yes\""),
            json.replace("\"state\":\"st\\\"ate\"", "\"state\":\"\""),
            String::new(),
            "null".into(),
            "{".into(),
            json[..json.len() / 2].to_owned(),
        ];
        for e in edits {
            assert!(matches!(Transaction::from_json(&e, "https://op.example", "app"), Err(Error::TransactionInvalid { .. })), "{e}");
        }
    }

    fn bound_provider() -> Provider {
        let mut p = Provider::explicit("https://op.example", "https://op.example/auth", "https://op.example/token", false).unwrap();
        p.iss_parameter_supported = true;
        p
    }

    /// Issue 8 finding 4: an edited transaction sent the code and verifier to the edited endpoint.
    #[test]
    fn a_transaction_whose_endpoints_or_iss_support_differ_from_the_provider_is_refused() {
        let provider = bound_provider();
        assert!(sample(1000).check_provider(&provider).is_ok());
        let edits: [fn(&mut Transaction); 5] = [
            |t| t.token_endpoint = "https://evil.example/steal".into(),
            |t| t.token_endpoint = "https://op.example/token/".into(),
            |t| t.authorization_endpoint = "https://op.example/auth?x".into(),
            |t| t.iss_parameter_supported = false,
            |t| t.issuer = "https://op.example/".into(),
        ];
        for edit in edits {
            let mut t = sample(1000);
            edit(&mut t);
            let back = Transaction::from_json(&t.to_json(), &t.issuer, "app").unwrap();
            assert_eq!(back.check_provider(&provider).err(), Some(Error::TransactionInvalid { reason: "not bound to this provider" }));
        }
    }

    #[test]
    fn a_transaction_whose_redirect_uri_differs_from_the_clients_is_refused() {
        let client = Client::new("app", "https://app.example/cb", ResponseMode::Fragment, false).unwrap();
        assert!(sample(1000).check_client(&client).is_ok());
        for uri in ["https://evil.example/cb", "https://app.example/cb/", "https://app.example/cb?x=1", "https://APP.example/cb"] {
            let t = Transaction { redirect_uri: uri.into(), ..sample(1000) };
            assert_eq!(t.check_client(&client).err(), Some(Error::TransactionInvalid { reason: "not bound to this client" }));
        }
        let other = Client::new("other", "https://app.example/cb", ResponseMode::Fragment, false).unwrap();
        assert!(sample(1000).check_client(&other).is_err());
    }

    /// Checklist item 20.
    #[test]
    fn expires_after_ten_minutes() {
        let t = sample(1000);
        assert!(!t.is_expired(1000));
        assert!(!t.is_expired(1600));
        assert!(t.is_expired(1601));
        assert!(t.is_expired(900), "dated more than a minute in the future");
    }
}
