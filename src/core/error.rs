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
    let at = super::text::find(text, "AADSTS")?;
    let rest = text.get(at + 6..)?;
    let len = rest.bytes().take_while(u8::is_ascii_digit).count();
    if len > 9 {
        return None;
    }
    super::text::decimal(rest.get(..len)?, u32::MAX)
}

/// Everything that can go wrong, each with a stable [`Error::code`].
///
/// The variants marked `#[cfg(any(feature = "account", feature = "consent", feature = "dpop",
/// not(target_arch = "wasm32")))]` are the errors of what comes back after the redirect (the
/// response, the token endpoint, the ID token, the session). The start module, a signed-out
/// page's, carries none of that code (`core::callback`, `id_token`, `jwks`, `session`, `signin`
/// and `token` are not compiled into it), so it carries neither their codes nor their messages:
/// 0.75 KB gzip (24,359 → 23,611 bytes, measured). Nor those of reading a stored transaction
/// back, and of the platform failures only JS (storage, network) or the redirect (history)
/// report. The compiler checks that it never raises one; native builds (tests, fuzzing) and
/// every other module have them all.
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
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    DuplicateParameter { name: &'static str },
    /// The redirect has no OAuth response parameters at all.
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    NoAuthorizationResponse,
    /// `state` was expected but not returned.
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    StateMissing,
    /// `state` differs from the one sent (RFC 6749 §10.12).
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    StateMismatch,
    /// `iss` differs from the issuer (RFC 9207 §2.4).
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    IssuerParameterMismatch,
    /// `iss` is missing although the provider advertises it (RFC 9207 §2.4).
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    IssuerParameterMissing,
    /// The response carries token parameters (`access_token`, `id_token`, `token_type`,
    /// `expires_in`, `refresh_token`): implicit, hybrid, or injected.
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    ImplicitOrHybridResponse,
    /// A JARM `response` parameter arrived but JARM is not configured.
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    JarmResponseUnsupported,
    /// A success response without `code`, or with one outside RFC 6749's `1*VSCHAR`.
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    CodeMissing,
    /// The callback arrived on a different URL than the transaction's `redirect_uri`.
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    RedirectUriMismatch,
    /// No pending transaction matches this callback (already used, other tab, or never started).
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    TransactionNotFound,
    /// The pending transaction is older than its time to live.
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    TransactionExpired,
    /// A stored transaction is corrupt, foreign (other issuer or client) or of an unknown version.
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    TransactionInvalid { reason: &'static str },
    /// The authorization server answered the redirect with an error.
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    AuthorizationServer(ServerError),

    // ---- token endpoint ---------------------------------------------------------------------
    /// The token endpoint answered with an error (RFC 6749 §5.2).
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    TokenServer(ServerError),
    /// The token response breaks RFC 6749 §5.1.
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    InvalidTokenResponse { reason: &'static str },
    /// A non-success HTTP status without a usable OAuth error body.
    HttpStatus { status: u16 },
    /// The token endpoint answered 5xx or 429 without an OAuth error body (an outage, a proxy's
    /// error page, rate limiting): nothing about the grant is known, so the session stays.
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    ServerUnavailable { status: u16 },
    /// The ID token failed validation (OpenID Connect Core §3.1.3.7).
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    InvalidIdToken { reason: &'static str },

    // ---- scopes (RFC 6749 §3.3, Azure DevOps, Entra) ----------------------------------------
    /// A scope string breaks the RFC 6749 §3.3 grammar.
    InvalidScope { reason: &'static str },
    /// A scope request breaks a Microsoft Entra rule (one resource, `.default` alone, prefixes).
    EntraScopeRule { rule: &'static str },

    // ---- session ------------------------------------------------------------------------------
    /// The user must sign in interactively: not signed in, the refresh token was refused
    /// (`invalid_grant`), or it reached its fixed lifetime (Entra SPA: 24 hours).
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    InteractionRequired { reason: &'static str },
    /// A token was asked for scopes beyond the original grant (RFC 6749 §6); sign in again.
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    ScopeNotGranted,
    /// A stored session entry was corrupt, foreign or edited; it was removed.
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    StoredEntryInvalid { reason: &'static str },
    /// The authenticated fetch helper refused a URL outside the allow-listed origins.
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    OriginNotAllowed,

    // ---- platform -----------------------------------------------------------------------------
    /// The browser refused a storage operation (quota, disabled storage, private mode).
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    StorageUnavailable,
    /// `fetch` failed before any HTTP response (network, CORS, blocked).
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    NetworkError,
    /// A browser facility the call needs is missing in this context (no `window`, no `history`).
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    PlatformUnavailable { what: &'static str },
    /// Another sign-in is already in progress, or redirect sign-in was started inside an iframe.
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    InteractionInProgress,
    /// An interactive sign-in for more scopes returned another user than the one signed in.
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    AccountMismatch,
    /// A Microsoft Entra provider reached a module built without the Entra rules; the JS package
    /// then loads the Entra build and asks again, so an app only sees this when that load fails.
    EntraBuildRequired,

    // ---- DPoP (RFC 9449) ------------------------------------------------------------------------
    /// DPoP was asked, but the token response's `token_type` is not `DPoP` (RFC 9449 §5).
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    DpopNotBound,
    // The two below only exist in the dpop wasm module (and native builds): their messages would
    // cost every other module bytes for errors it never raises.
    /// `dpop: true`, but the provider does not list ES256 in `dpop_signing_alg_values_supported`.
    #[cfg(any(feature = "dpop", not(target_arch = "wasm32")))]
    DpopUnsupported,
    /// A proof cannot be built from this input (the key, the URL, the method, the server's nonce).
    #[cfg(any(feature = "dpop", not(target_arch = "wasm32")))]
    DpopInvalid { reason: &'static str },
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
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            DuplicateParameter { .. } => "OAUTH_DUPLICATE_PARAMETER",
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            NoAuthorizationResponse => "OAUTH_NO_AUTHORIZATION_RESPONSE",
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            StateMissing => "OAUTH_STATE_MISSING",
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            StateMismatch => "OAUTH_STATE_MISMATCH",
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            IssuerParameterMismatch => "OAUTH_ISS_MISMATCH",
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            IssuerParameterMissing => "OAUTH_ISS_MISSING",
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            ImplicitOrHybridResponse => "OAUTH_IMPLICIT_RESPONSE",
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            JarmResponseUnsupported => "OAUTH_JARM_UNSUPPORTED",
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            CodeMissing => "OAUTH_CODE_MISSING",
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            RedirectUriMismatch => "OAUTH_REDIRECT_URI_MISMATCH",
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            TransactionNotFound => "OAUTH_TRANSACTION_NOT_FOUND",
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            TransactionExpired => "OAUTH_TRANSACTION_EXPIRED",
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            TransactionInvalid { .. } => "OAUTH_TRANSACTION_INVALID",
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            AuthorizationServer(_) => "OAUTH_AUTHORIZATION_ERROR",
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            TokenServer(_) => "OAUTH_TOKEN_ERROR",
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            InvalidTokenResponse { .. } => "OAUTH_INVALID_TOKEN_RESPONSE",
            HttpStatus { .. } => "OAUTH_HTTP_STATUS",
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            ServerUnavailable { .. } => "OAUTH_SERVER_UNAVAILABLE",
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            InvalidIdToken { .. } => "OAUTH_INVALID_ID_TOKEN",
            InvalidScope { .. } => "OAUTH_INVALID_SCOPE",
            EntraScopeRule { .. } => "OAUTH_ENTRA_SCOPE_RULE",
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            InteractionRequired { .. } => "OAUTH_INTERACTION_REQUIRED",
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            ScopeNotGranted => "OAUTH_SCOPE_NOT_GRANTED",
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            StoredEntryInvalid { .. } => "OAUTH_STORED_ENTRY_INVALID",
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            OriginNotAllowed => "OAUTH_ORIGIN_NOT_ALLOWED",
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            StorageUnavailable => "OAUTH_STORAGE_UNAVAILABLE",
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            NetworkError => "OAUTH_NETWORK_ERROR",
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            PlatformUnavailable { .. } => "OAUTH_PLATFORM_UNAVAILABLE",
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            InteractionInProgress => "OAUTH_INTERACTION_IN_PROGRESS",
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            AccountMismatch => "OAUTH_ACCOUNT_MISMATCH",
            EntraBuildRequired => "OAUTH_ENTRA_BUILD_REQUIRED",
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            DpopNotBound => "OAUTH_DPOP_NOT_BOUND",
            #[cfg(any(feature = "dpop", not(target_arch = "wasm32")))]
            DpopUnsupported => "OAUTH_DPOP_UNSUPPORTED",
            #[cfg(any(feature = "dpop", not(target_arch = "wasm32")))]
            DpopInvalid { .. } => "OAUTH_DPOP_INVALID",
        }
    }

    /// The server's error, for the two variants that carry one.
    pub fn server_error(&self) -> Option<&ServerError> {
        match self {
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            Error::AuthorizationServer(e) | Error::TokenServer(e) => Some(e),
            _ => None,
        }
    }
}

/// One piece of an error's message: fixed text (or a string the error carries), or a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Number(u64),
}

/// An error's message as pieces that, joined in order, give its text; unused slots are `Text("")`.
pub type Detail<'a> = [Piece<'a>; 4];

impl Error {
    /// The fixed lowercase message as pieces, without `core::fmt`: the wasm bindings hand them to
    /// JS to join (`Display` would pull the formatting machinery into every module, ~1.2 KB gzip).
    pub fn detail(&self) -> Detail<'_> {
        use Error::*;
        use Piece::{Number as N, Text as T};
        const E: Piece<'static> = T("");
        match self {
            InvalidUrl { what } => [T(what), T(" is not a valid absolute URL"), E, E],
            InsecureUrl { what } => [T(what), T(" must use https (http only on loopback, with allowHttpLoopback)"), E, E],
            ForbiddenUrl { what, reason } => [T(what), T(" is not allowed: "), T(reason), E],
            MissingOption { name } => [T("option "), T(name), T(" is required"), E],
            InvalidOption { name, reason } => [T("option "), T(name), T(" is invalid: "), T(reason)],
            ReservedParameter { name } => {
                [T("extra parameter "), T(name), T(" is set by the library and cannot be overridden"), E]
            }
            InvalidCodeVerifier => [T("code_verifier must be 43 to 128 unreserved characters"), E, E, E],
            InputTooLarge { what, limit } => [T(what), T(" is larger than "), N(*limit as u64), T(" bytes")],
            InvalidJson { what, reason } => [T(what), T(" is not valid: "), T(reason), E],
            RandomUnavailable => [T("the random number generator is unavailable"), E, E, E],
            IssuerMismatch => [T("discovered issuer does not match the configured issuer"), E, E, E],
            InvalidMetadata { field } => [T("provider metadata "), T(field), T(" is missing or invalid"), E],
            PkceS256Unsupported => [T("provider does not support the S256 code challenge method"), E, E, E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            DuplicateParameter { name } => [T("response parameter "), T(name), T(" appears more than once"), E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            NoAuthorizationResponse => [T("the URL carries no authorization response"), E, E, E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            StateMissing => [T("state was expected in the response but is missing"), E, E, E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            StateMismatch => [T("state in the response does not match the request"), E, E, E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            IssuerParameterMismatch => [T("iss in the response does not match the issuer"), E, E, E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            IssuerParameterMissing => [T("iss is missing although the provider advertises it"), E, E, E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            ImplicitOrHybridResponse => [T("implicit and hybrid responses are not supported"), E, E, E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            JarmResponseUnsupported => [T("jarm responses are not supported"), E, E, E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            CodeMissing => [T("the response has no authorization code"), E, E, E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            RedirectUriMismatch => [T("the response arrived on a different redirect uri"), E, E, E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            TransactionNotFound => [T("no pending sign-in matches this response"), E, E, E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            TransactionExpired => [T("the pending sign-in has expired"), E, E, E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            TransactionInvalid { reason } => [T("stored sign-in is invalid: "), T(reason), E, E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            AuthorizationServer(e) => [T("authorization server returned "), T(&e.error), E, E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            TokenServer(e) => [T("token endpoint returned "), T(&e.error), E, E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            InvalidTokenResponse { reason } => [T("token response is invalid: "), T(reason), E, E],
            HttpStatus { status } => [T("unexpected http status "), N(u64::from(*status)), E, E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            ServerUnavailable { status } => [T("the token endpoint is unavailable (http status "), N(u64::from(*status)), T(")"), E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            InvalidIdToken { reason } => [T("id token is invalid: "), T(reason), E, E],
            InvalidScope { reason } => [T("scope is invalid: "), T(reason), E, E],
            EntraScopeRule { rule } => [T("scopes break a microsoft entra rule: "), T(rule), E, E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            InteractionRequired { reason } => [T("interactive sign-in is required: "), T(reason), E, E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            ScopeNotGranted => [T("the requested scopes exceed the original grant"), E, E, E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            StoredEntryInvalid { reason } => [T("a stored session entry was invalid and removed: "), T(reason), E, E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            OriginNotAllowed => [T("the url is not on an allow-listed origin for the access token"), E, E, E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            StorageUnavailable => [T("browser storage is unavailable"), E, E, E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            NetworkError => [T("the request failed before a response arrived"), E, E, E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            PlatformUnavailable { what } => [T(what), T(" is not available in this context"), E, E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            InteractionInProgress => [T("another sign-in is already in progress"), E, E, E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            AccountMismatch => [T("the sign-in returned another account than the one signed in: sign out first"), E, E, E],
            EntraBuildRequired => [T("a microsoft entra provider needs the module built with the entra rules"), E, E, E],
            #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
            DpopNotBound => [T("token_type is not dpop"), E, E, E],
            #[cfg(any(feature = "dpop", not(target_arch = "wasm32")))]
            DpopUnsupported => [T("the provider does not support dpop with es256"), E, E, E],
            #[cfg(any(feature = "dpop", not(target_arch = "wasm32")))]
            DpopInvalid { reason } => [T("dpop proof cannot be built: "), T(reason), E, E],
        }
    }
}

/// The same text as [`Error::detail`] joined, for native callers; the wasm bindings never use it.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for piece in self.detail() {
            match piece {
                Piece::Text(s) => f.write_str(s)?,
                Piece::Number(n) => write!(f, "{n}")?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// The crate's result type.
pub type Result<T> = core::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant with its code and its exact message: the texts users see, pinned.
    fn every_variant() -> Vec<(Error, &'static str, &'static str)> {
        use Error::*;
        let se = ServerError::new("access_denied".into(), Some("AADSTS65004: declined".into()), None, 0);
        vec![
            (InvalidUrl { what: "issuer" }, "OAUTH_INVALID_URL", "issuer is not a valid absolute URL"),
            (InsecureUrl { what: "issuer" }, "OAUTH_INSECURE_URL", "issuer must use https (http only on loopback, with allowHttpLoopback)"),
            (ForbiddenUrl { what: "redirect_uri", reason: "fragment" }, "OAUTH_FORBIDDEN_URL", "redirect_uri is not allowed: fragment"),
            (MissingOption { name: "clientId" }, "OAUTH_MISSING_OPTION", "option clientId is required"),
            (
                InvalidOption { name: "responseMode", reason: "must be query or fragment" },
                "OAUTH_INVALID_OPTION",
                "option responseMode is invalid: must be query or fragment",
            ),
            (
                ReservedParameter { name: "state".into() },
                "OAUTH_RESERVED_PARAMETER",
                "extra parameter state is set by the library and cannot be overridden",
            ),
            (InvalidCodeVerifier, "OAUTH_INVALID_CODE_VERIFIER", "code_verifier must be 43 to 128 unreserved characters"),
            (InputTooLarge { what: "url", limit: 65536 }, "OAUTH_INPUT_TOO_LARGE", "url is larger than 65536 bytes"),
            (InvalidJson { what: "token response", reason: "x" }, "OAUTH_INVALID_JSON", "token response is not valid: x"),
            (RandomUnavailable, "OAUTH_RANDOM_UNAVAILABLE", "the random number generator is unavailable"),
            (IssuerMismatch, "OAUTH_ISSUER_MISMATCH", "discovered issuer does not match the configured issuer"),
            (InvalidMetadata { field: "issuer" }, "OAUTH_INVALID_METADATA", "provider metadata issuer is missing or invalid"),
            (PkceS256Unsupported, "OAUTH_PKCE_S256_UNSUPPORTED", "provider does not support the S256 code challenge method"),
            (DuplicateParameter { name: "state" }, "OAUTH_DUPLICATE_PARAMETER", "response parameter state appears more than once"),
            (NoAuthorizationResponse, "OAUTH_NO_AUTHORIZATION_RESPONSE", "the URL carries no authorization response"),
            (StateMissing, "OAUTH_STATE_MISSING", "state was expected in the response but is missing"),
            (StateMismatch, "OAUTH_STATE_MISMATCH", "state in the response does not match the request"),
            (IssuerParameterMismatch, "OAUTH_ISS_MISMATCH", "iss in the response does not match the issuer"),
            (IssuerParameterMissing, "OAUTH_ISS_MISSING", "iss is missing although the provider advertises it"),
            (ImplicitOrHybridResponse, "OAUTH_IMPLICIT_RESPONSE", "implicit and hybrid responses are not supported"),
            (JarmResponseUnsupported, "OAUTH_JARM_UNSUPPORTED", "jarm responses are not supported"),
            (CodeMissing, "OAUTH_CODE_MISSING", "the response has no authorization code"),
            (RedirectUriMismatch, "OAUTH_REDIRECT_URI_MISMATCH", "the response arrived on a different redirect uri"),
            (TransactionNotFound, "OAUTH_TRANSACTION_NOT_FOUND", "no pending sign-in matches this response"),
            (TransactionExpired, "OAUTH_TRANSACTION_EXPIRED", "the pending sign-in has expired"),
            (TransactionInvalid { reason: "x" }, "OAUTH_TRANSACTION_INVALID", "stored sign-in is invalid: x"),
            (AuthorizationServer(se.clone()), "OAUTH_AUTHORIZATION_ERROR", "authorization server returned access_denied"),
            (TokenServer(se), "OAUTH_TOKEN_ERROR", "token endpoint returned access_denied"),
            (InvalidTokenResponse { reason: "x" }, "OAUTH_INVALID_TOKEN_RESPONSE", "token response is invalid: x"),
            (HttpStatus { status: 500 }, "OAUTH_HTTP_STATUS", "unexpected http status 500"),
            (ServerUnavailable { status: 503 }, "OAUTH_SERVER_UNAVAILABLE", "the token endpoint is unavailable (http status 503)"),
            (InvalidIdToken { reason: "x" }, "OAUTH_INVALID_ID_TOKEN", "id token is invalid: x"),
            (InvalidScope { reason: "x" }, "OAUTH_INVALID_SCOPE", "scope is invalid: x"),
            (EntraScopeRule { rule: "x" }, "OAUTH_ENTRA_SCOPE_RULE", "scopes break a microsoft entra rule: x"),
            (InteractionRequired { reason: "x" }, "OAUTH_INTERACTION_REQUIRED", "interactive sign-in is required: x"),
            (ScopeNotGranted, "OAUTH_SCOPE_NOT_GRANTED", "the requested scopes exceed the original grant"),
            (StoredEntryInvalid { reason: "x" }, "OAUTH_STORED_ENTRY_INVALID", "a stored session entry was invalid and removed: x"),
            (OriginNotAllowed, "OAUTH_ORIGIN_NOT_ALLOWED", "the url is not on an allow-listed origin for the access token"),
            (StorageUnavailable, "OAUTH_STORAGE_UNAVAILABLE", "browser storage is unavailable"),
            (NetworkError, "OAUTH_NETWORK_ERROR", "the request failed before a response arrived"),
            (PlatformUnavailable { what: "history" }, "OAUTH_PLATFORM_UNAVAILABLE", "history is not available in this context"),
            (InteractionInProgress, "OAUTH_INTERACTION_IN_PROGRESS", "another sign-in is already in progress"),
            (
                AccountMismatch,
                "OAUTH_ACCOUNT_MISMATCH",
                "the sign-in returned another account than the one signed in: sign out first",
            ),
            (
                EntraBuildRequired,
                "OAUTH_ENTRA_BUILD_REQUIRED",
                "a microsoft entra provider needs the module built with the entra rules",
            ),
            (DpopNotBound, "OAUTH_DPOP_NOT_BOUND", "token_type is not dpop"),
            (DpopUnsupported, "OAUTH_DPOP_UNSUPPORTED", "the provider does not support dpop with es256"),
            (DpopInvalid { reason: "x" }, "OAUTH_DPOP_INVALID", "dpop proof cannot be built: x"),
        ]
    }

    /// The variant's position in declaration order. No wildcard: a new variant does not compile
    /// until it is listed here, and the table above must then list it too.
    fn variant_index(e: &Error) -> usize {
        use Error::*;
        match e {
            InvalidUrl { .. } => 0,
            InsecureUrl { .. } => 1,
            ForbiddenUrl { .. } => 2,
            MissingOption { .. } => 3,
            InvalidOption { .. } => 4,
            ReservedParameter { .. } => 5,
            InvalidCodeVerifier => 6,
            InputTooLarge { .. } => 7,
            InvalidJson { .. } => 8,
            RandomUnavailable => 9,
            IssuerMismatch => 10,
            InvalidMetadata { .. } => 11,
            PkceS256Unsupported => 12,
            DuplicateParameter { .. } => 13,
            NoAuthorizationResponse => 14,
            StateMissing => 15,
            StateMismatch => 16,
            IssuerParameterMismatch => 17,
            IssuerParameterMissing => 18,
            ImplicitOrHybridResponse => 19,
            JarmResponseUnsupported => 20,
            CodeMissing => 21,
            RedirectUriMismatch => 22,
            TransactionNotFound => 23,
            TransactionExpired => 24,
            TransactionInvalid { .. } => 25,
            AuthorizationServer(_) => 26,
            TokenServer(_) => 27,
            InvalidTokenResponse { .. } => 28,
            HttpStatus { .. } => 29,
            ServerUnavailable { .. } => 30,
            InvalidIdToken { .. } => 31,
            InvalidScope { .. } => 32,
            EntraScopeRule { .. } => 33,
            InteractionRequired { .. } => 34,
            ScopeNotGranted => 35,
            StoredEntryInvalid { .. } => 36,
            OriginNotAllowed => 37,
            StorageUnavailable => 38,
            NetworkError => 39,
            PlatformUnavailable { .. } => 40,
            InteractionInProgress => 41,
            AccountMismatch => 42,
            EntraBuildRequired => 43,
            DpopNotBound => 44,
            DpopUnsupported => 45,
            DpopInvalid { .. } => 46,
        }
    }

    /// What the bindings' JS join produces: the pieces in order, numbers in decimal.
    fn joined(e: &Error) -> String {
        e.detail()
            .iter()
            .map(|p| match p {
                Piece::Text(s) => (*s).to_owned(),
                Piece::Number(n) => n.to_string(),
            })
            .collect()
    }

    #[test]
    fn every_variant_has_a_unique_code_and_a_unique_lowercase_message_from_its_detail() {
        let all = every_variant();
        let indices: Vec<usize> = all.iter().map(|(e, _, _)| variant_index(e)).collect();
        assert_eq!(indices, (0..=46).collect::<Vec<_>>(), "the table lists every variant once, in order");
        for (e, code, message) in &all {
            assert_eq!(e.code(), *code);
            assert_eq!(joined(e), *message, "{code}");
            assert_eq!(e.to_string(), *message, "Display joins the same pieces");
            let first = message.chars().next().unwrap_or('X');
            assert!(!first.is_ascii_uppercase(), "{message}");
        }
        let mut codes: Vec<&str> = all.iter().map(|(e, _, _)| e.code()).collect();
        let mut messages: Vec<String> = all.iter().map(|(e, _, _)| joined(e)).collect();
        let n = codes.len();
        codes.sort_unstable();
        codes.dedup();
        messages.sort_unstable();
        messages.dedup();
        assert_eq!(n, codes.len(), "duplicate error codes");
        assert_eq!(n, messages.len(), "duplicate error messages");
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
