//! The sans-IO core: all protocol logic, no browser APIs. Time (`now`, Unix seconds) and
//! randomness (byte arrays) are passed in; HTTP requests are returned as values and responses
//! are handed back as status + body text.

pub mod error;

/// Whether this build carries the Microsoft Entra ID rules (the preset, template issuers, the
/// one-resource scope rules before the redirect, the Azure DevOps "includes" graph and tokens
/// for several resources in the session). The plain `start`, `account` and `session` wasm
/// modules do not: an app that does not use Entra ships about 4.6 KB gzip less on a signed-out
/// page and about 3.6 KB less on a signed-in one. They refuse Entra providers
/// ([`provider::Provider::for_build`], `{tenantid}` issuers) and the JS package loads the same
/// module built with the `entra` feature instead. Native builds and the consent module have them.
pub const ENTRA_RULES: bool = cfg!(feature = "entra") || !cfg!(any(feature = "start", feature = "account"));

/// Clock skew tolerated on `exp`, `iat`, `nbf`, `auth_time` by default (oauth4webapi uses 30 s).
/// Here rather than in [`id_token`] because every module reads a client's `clockSkew` option,
/// the start module included, which carries no ID token code.
pub const DEFAULT_SKEW_SECS: u64 = 60;

pub mod encoding;
pub mod json;
pub mod order;
pub mod text;
pub mod secret;
pub mod url;

pub mod authorize;
#[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
pub mod callback;
#[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
pub mod id_token;
#[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
pub mod jwks;
pub mod pkce;
pub mod provider;
#[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
pub mod session;
#[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
pub mod signin;
#[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
pub mod token;
pub mod transaction;

pub mod consent;
// DPoP proofs: only the dpop wasm module (and native builds: tests) carries them.
#[cfg(any(feature = "dpop", not(target_arch = "wasm32")))]
pub mod dpop;
// Only the consent module (and native builds: tests, fuzzing) carries the operation table:
// unused, it still swayed how the sign-in modules were optimised (about 50 bytes each, measured),
// so it is not compiled into them at all.
#[cfg(any(feature = "consent", not(target_arch = "wasm32")))]
pub mod operations;
pub mod scopes;
