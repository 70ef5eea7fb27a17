//! The one error type of the crate.
//!
//! Every variant has a stable machine code (`OAUTH_…`, never renamed once released) and a fixed
//! lowercase message. No variant carries a secret: codes, verifiers, states, nonces and tokens are
//! never copied into an error. Strings that are kept (a parameter name, a server's `error`) are
//! either from a fixed list or were sent by the authorization server for the client to read.

use core::fmt;

/// An error response from the authorization server, kept intact
/// (RFC 6749 §4.1.2.1 for the redirect, §5.2 for the token endpoint).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerError {
    /// The `error` code exactly as sent (`access_denied`, `invalid_grant`, …).
    pub error: String,
    /// `error_description`, as sent. Plain text: never render it as HTML.
    pub error_description: Option<String>,
    /// `error_uri`, as sent.
    pub error_uri: Option<String>,
    /// Microsoft Entra `AADSTS` number found in the description, a hint only (codes change).
    pub aadsts: Option<u32>,
    /// HTTP status of a token-endpoint error (0 for a redirect error).
    pub status: u16,
}

impl ServerError {
    /// Builds a server error, pulling the first `AADSTSnnnn` out of the description as a hint.
    pub fn new(
        error: String,
        error_description: Option<String>,
        error_uri: Option<String>,
        status: u16,
    ) -> Self {
        let aadsts = error_description.as_deref().and_then(find_aadsts);
        ServerError { error, error_description, error_uri, aadsts, status }
    }
}

fn find_aadsts(text: &str) -> Option<u32> {
    let at = text.find("AADSTS")?;
    let digits: String = text
        .get(at + 6..)?
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .take(10)
        .collect();
    if digits.len() > 9 {
        return None;
    }
    digits.parse().ok()
}

/// Everything that can go wrong, each with a stable [`Error::code`].
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    // ---- configuration and input -------------------------------------------------------------
    /// A URL could not be parsed; `what` names which one (`issuer`, `redirect_uri`, …).
    InvalidUrl { what: &'static str },
    /// A URL is not HTTPS (plain http is allowed only for loopback hosts with `allowHttpLoopback`).
    InsecureUrl { what: &'static str },
    /// A URL has a form the specs forbid here (fragment, credentials, wildcard, …).
    ForbiddenUrl { what: &'static str, reason: &'static str },
    /// A required option is missing or empty.
    MissingOption { name: &'static str },
    /// An option has a value that is not allowed.
    InvalidOption { name: &'static str, reason: &'static str },
    /// An extra authorization parameter tried to set a parameter the library owns.
    ReservedParameter { name: String },
    /// A caller-supplied `code_verifier` breaks RFC 7636 §4.1 (43–128 unreserved characters).
    InvalidCodeVerifier,
    /// The input is larger than the library accepts for it.
    InputTooLarge { what: &'static str, limit: usize },
    /// A JSON document is malformed or not of the expected shape.
    InvalidJson { what: &'static str, reason: &'static str },
    /// The CSPRNG failed.
    RandomUnavailable,

    // ---- discovery --------------------------------------------------------------------------
    /// The metadata's `issuer` is not exactly the configured issuer (RFC 8414 §3.3).
    IssuerMismatch,
    /// Provider metadata lacks a member or has one of the wrong type.
    InvalidMetadata { field: &'static str },
    /// The provider does not list S256 in `code_challenge_methods_supported` (RFC 7636 §4.3).
    PkceS256Unsupported,

    // ---- authorization response -------------------------------------------------------------
    /// A response parameter appears more than once (RFC 6749 §3.1).
    DuplicateParameter { name: &'static str },
    /// The redirect has no OAuth response parameters at all.
    NoAuthorizationResponse,
    /// `state` was expected but not returned.
    StateMissing,
    /// `state` differs from the one sent (RFC 6749 §10.12).
    StateMismatch,
    /// `iss` differs from the issuer (RFC 9207 §2.4).
    IssuerParameterMismatch,
    /// `iss` is missing although the provider advertises it (RFC 9207 §2.4).
    IssuerParameterMissing,
    /// The response carries token parameters (`access_token`, `id_token`, `token_type`,
    /// `expires_in`, `refresh_token`): implicit, hybrid, or injected.
    ImplicitOrHybridResponse,
    /// A JARM `response` parameter arrived but JARM is not configured.
    JarmResponseUnsupported,
    /// A success response without `code`, or with one outside RFC 6749's `1*VSCHAR`.
    CodeMissing,
    /// The callback arrived on a different URL than the transaction's `redirect_uri`.
    RedirectUriMismatch,
    /// No pending transaction matches this callback (already used, other tab, or never started).
    TransactionNotFound,
    /// The pending transaction is older than its time to live.
    TransactionExpired,
    /// A stored transaction is corrupt, foreign (other issuer or client) or of an unknown version.
    TransactionInvalid { reason: &'static str },
    /// The authorization server answered the redirect with an error.
    AuthorizationServer(ServerError),

    // ---- token endpoint ---------------------------------------------------------------------
    /// The token endpoint answered with an error (RFC 6749 §5.2).
    TokenServer(ServerError),
    /// The token response breaks RFC 6749 §5.1.
    InvalidTokenResponse { reason: &'static str },
    /// A non-success HTTP status without a usable OAuth error body.
    HttpStatus { status: u16 },
    /// The ID token failed validation (OpenID Connect Core §3.1.3.7).
    InvalidIdToken { reason: &'static str },

    // ---- scopes (RFC 6749 §3.3, Azure DevOps, Entra) ----------------------------------------
    /// A scope string breaks the RFC 6749 §3.3 grammar.
    InvalidScope { reason: &'static str },
    /// A scope request breaks a Microsoft Entra rule (one resource, `.default` alone, prefixes).
    EntraScopeRule { rule: &'static str },

    // ---- session ------------------------------------------------------------------------------
    /// The user must sign in interactively: not signed in, the refresh token was refused
    /// (`invalid_grant`), or it reached its fixed lifetime (Entra SPA: 24 hours).
    InteractionRequired { reason: &'static str },
    /// A token was asked for scopes beyond the original grant (RFC 6749 §6); sign in again.
    ScopeNotGranted,
    /// A stored session entry was corrupt, foreign or edited; it was removed.
    StoredEntryInvalid { reason: &'static str },
    /// The authenticated fetch helper refused a URL outside the allow-listed origins.
    OriginNotAllowed,

    // ---- platform -----------------------------------------------------------------------------
    /// The browser refused a storage operation (quota, disabled storage, private mode).
    StorageUnavailable,
    /// `fetch` failed before any HTTP response (network, CORS, blocked).
    NetworkError,
    /// A browser facility the call needs is missing in this context (no `window`, no `history`).
    PlatformUnavailable { what: &'static str },
    /// Another sign-in is already in progress, or redirect sign-in was started inside an iframe.
    InteractionInProgress,
}

impl Error {
    /// The stable machine-readable code, also exposed as `.code` in JavaScript.
    pub fn code(&self) -> &'static str {
        use Error::*;
        match self {
            InvalidUrl { .. } => "OAUTH_INVALID_URL",
            InsecureUrl { .. } => "OAUTH_INSECURE_URL",
            ForbiddenUrl { .. } => "OAUTH_FORBIDDEN_URL",
            MissingOption { .. } => "OAUTH_MISSING_OPTION",
            InvalidOption { .. } => "OAUTH_INVALID_OPTION",
            ReservedParameter { .. } => "OAUTH_RESERVED_PARAMETER",
            InvalidCodeVerifier => "OAUTH_INVALID_CODE_VERIFIER",
            InputTooLarge { .. } => "OAUTH_INPUT_TOO_LARGE",
            InvalidJson { .. } => "OAUTH_INVALID_JSON",
            RandomUnavailable => "OAUTH_RANDOM_UNAVAILABLE",
            IssuerMismatch => "OAUTH_ISSUER_MISMATCH",
            InvalidMetadata { .. } => "OAUTH_INVALID_METADATA",
            PkceS256Unsupported => "OAUTH_PKCE_S256_UNSUPPORTED",
            DuplicateParameter { .. } => "OAUTH_DUPLICATE_PARAMETER",
            NoAuthorizationResponse => "OAUTH_NO_AUTHORIZATION_RESPONSE",
            StateMissing => "OAUTH_STATE_MISSING",
            StateMismatch => "OAUTH_STATE_MISMATCH",
            IssuerParameterMismatch => "OAUTH_ISS_MISMATCH",
            IssuerParameterMissing => "OAUTH_ISS_MISSING",
            ImplicitOrHybridResponse => "OAUTH_IMPLICIT_RESPONSE",
            JarmResponseUnsupported => "OAUTH_JARM_UNSUPPORTED",
            CodeMissing => "OAUTH_CODE_MISSING",
            RedirectUriMismatch => "OAUTH_REDIRECT_URI_MISMATCH",
            TransactionNotFound => "OAUTH_TRANSACTION_NOT_FOUND",
            TransactionExpired => "OAUTH_TRANSACTION_EXPIRED",
            TransactionInvalid { .. } => "OAUTH_TRANSACTION_INVALID",
            AuthorizationServer(_) => "OAUTH_AUTHORIZATION_ERROR",
            TokenServer(_) => "OAUTH_TOKEN_ERROR",
            InvalidTokenResponse { .. } => "OAUTH_INVALID_TOKEN_RESPONSE",
            HttpStatus { .. } => "OAUTH_HTTP_STATUS",
            InvalidIdToken { .. } => "OAUTH_INVALID_ID_TOKEN",
            InvalidScope { .. } => "OAUTH_INVALID_SCOPE",
            EntraScopeRule { .. } => "OAUTH_ENTRA_SCOPE_RULE",
            InteractionRequired { .. } => "OAUTH_INTERACTION_REQUIRED",
            ScopeNotGranted => "OAUTH_SCOPE_NOT_GRANTED",
            StoredEntryInvalid { .. } => "OAUTH_STORED_ENTRY_INVALID",
            OriginNotAllowed => "OAUTH_ORIGIN_NOT_ALLOWED",
            StorageUnavailable => "OAUTH_STORAGE_UNAVAILABLE",
            NetworkError => "OAUTH_NETWORK_ERROR",
            PlatformUnavailable { .. } => "OAUTH_PLATFORM_UNAVAILABLE",
            InteractionInProgress => "OAUTH_INTERACTION_IN_PROGRESS",
        }
    }

    /// The server's error, for the two variants that carry one.
    pub fn server_error(&self) -> Option<&ServerError> {
        match self {
            Error::AuthorizationServer(e) | Error::TokenServer(e) => Some(e),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Error::*;
        match self {
            InvalidUrl { what } => write!(f, "{what} is not a valid absolute URL"),
            InsecureUrl { what } => write!(f, "{what} must use https (http only for loopback in development)"),
            ForbiddenUrl { what, reason } => write!(f, "{what} is not allowed: {reason}"),
            MissingOption { name } => write!(f, "option {name} is required"),
            InvalidOption { name, reason } => write!(f, "option {name} is invalid: {reason}"),
            ReservedParameter { name } => {
                write!(f, "extra parameter {name} is set by the library and cannot be overridden")
            }
            InvalidCodeVerifier => f.write_str("code_verifier must be 43 to 128 unreserved characters"),
            InputTooLarge { what, limit } => write!(f, "{what} is larger than {limit} bytes"),
            InvalidJson { what, reason } => write!(f, "{what} is not valid: {reason}"),
            RandomUnavailable => f.write_str("the random number generator is unavailable"),
            IssuerMismatch => f.write_str("discovered issuer does not match the configured issuer"),
            InvalidMetadata { field } => write!(f, "provider metadata {field} is missing or invalid"),
            PkceS256Unsupported => f.write_str("provider does not support the S256 code challenge method"),
            DuplicateParameter { name } => write!(f, "response parameter {name} appears more than once"),
            NoAuthorizationResponse => f.write_str("the URL carries no authorization response"),
            StateMissing => f.write_str("state was expected in the response but is missing"),
            StateMismatch => f.write_str("state in the response does not match the request"),
            IssuerParameterMismatch => f.write_str("iss in the response does not match the issuer"),
            IssuerParameterMissing => f.write_str("iss is missing although the provider advertises it"),
            ImplicitOrHybridResponse => f.write_str("implicit and hybrid responses are not supported"),
            JarmResponseUnsupported => f.write_str("jarm responses are not supported"),
            CodeMissing => f.write_str("the response has no authorization code"),
            RedirectUriMismatch => f.write_str("the response arrived on a different redirect uri"),
            TransactionNotFound => f.write_str("no pending sign-in matches this response"),
            TransactionExpired => f.write_str("the pending sign-in has expired"),
            TransactionInvalid { reason } => write!(f, "stored sign-in is invalid: {reason}"),
            AuthorizationServer(e) => write!(f, "authorization server returned {}", e.error),
            TokenServer(e) => write!(f, "token endpoint returned {}", e.error),
            InvalidTokenResponse { reason } => write!(f, "token response is invalid: {reason}"),
            HttpStatus { status } => write!(f, "unexpected http status {status}"),
            InvalidIdToken { reason } => write!(f, "id token is invalid: {reason}"),
            InvalidScope { reason } => write!(f, "scope is invalid: {reason}"),
            EntraScopeRule { rule } => write!(f, "scopes break a microsoft entra rule: {rule}"),
            InteractionRequired { reason } => write!(f, "interactive sign-in is required: {reason}"),
            ScopeNotGranted => f.write_str("the requested scopes exceed the original grant"),
            StoredEntryInvalid { reason } => write!(f, "a stored session entry was invalid and removed: {reason}"),
            OriginNotAllowed => f.write_str("the url is not on an allow-listed origin for the access token"),
            StorageUnavailable => f.write_str("browser storage is unavailable"),
            NetworkError => f.write_str("the request failed before a response arrived"),
            PlatformUnavailable { what } => write!(f, "{what} is not available in this context"),
            InteractionInProgress => f.write_str("another sign-in is already in progress"),
        }
    }
}

impl std::error::Error for Error {}

/// The crate's result type.
pub type Result<T> = core::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    fn every_variant() -> Vec<Error> {
        use Error::*;
        let se = ServerError::new("access_denied".into(), Some("AADSTS65004: declined".into()), None, 0);
        vec![
            InvalidUrl { what: "issuer" },
            InsecureUrl { what: "issuer" },
            ForbiddenUrl { what: "redirect_uri", reason: "fragment" },
            MissingOption { name: "clientId" },
            InvalidOption { name: "responseMode", reason: "must be query or fragment" },
            ReservedParameter { name: "state".into() },
            InvalidCodeVerifier,
            InputTooLarge { what: "url", limit: 1 },
            InvalidJson { what: "token response", reason: "x" },
            RandomUnavailable,
            IssuerMismatch,
            InvalidMetadata { field: "issuer" },
            PkceS256Unsupported,
            DuplicateParameter { name: "state" },
            NoAuthorizationResponse,
            StateMissing,
            StateMismatch,
            IssuerParameterMismatch,
            IssuerParameterMissing,
            ImplicitOrHybridResponse,
            JarmResponseUnsupported,
            CodeMissing,
            RedirectUriMismatch,
            TransactionNotFound,
            TransactionExpired,
            TransactionInvalid { reason: "x" },
            AuthorizationServer(se.clone()),
            TokenServer(se),
            InvalidTokenResponse { reason: "x" },
            HttpStatus { status: 500 },
            InvalidIdToken { reason: "x" },
            InvalidScope { reason: "x" },
            EntraScopeRule { rule: "x" },
            InteractionRequired { reason: "x" },
            ScopeNotGranted,
            StoredEntryInvalid { reason: "x" },
            OriginNotAllowed,
            StorageUnavailable,
            NetworkError,
            PlatformUnavailable { what: "history" },
            InteractionInProgress,
        ]
    }

    #[test]
    fn every_variant_has_a_unique_code_and_a_lowercase_message() {
        let all = every_variant();
        let mut codes: Vec<&str> = all.iter().map(Error::code).collect();
        for e in &all {
            let msg = e.to_string();
            assert!(!msg.is_empty());
            assert!(e.code().starts_with("OAUTH_"));
            let first = msg.chars().next().unwrap_or('X');
            assert!(!first.is_ascii_uppercase(), "{msg}");
        }
        codes.sort_unstable();
        let n = codes.len();
        codes.dedup();
        assert_eq!(n, codes.len(), "duplicate error codes");
    }

    #[test]
    fn aadsts_hint_is_parsed_from_the_description() {
        let e = ServerError::new("invalid_grant".into(), Some("AADSTS700084: The refresh token…".into()), None, 400);
        assert_eq!(e.aadsts, Some(700084));
        let e = ServerError::new("x".into(), Some("AADSTS".into()), None, 400);
        assert_eq!(e.aadsts, None);
        let e = ServerError::new("x".into(), Some("AADSTS99999999999999999".into()), None, 400);
        assert_eq!(e.aadsts, None, "overlong numbers are dropped, not wrapped");
    }
}
