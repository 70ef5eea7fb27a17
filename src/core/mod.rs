//! The sans-IO core: all protocol logic, no browser APIs. Time (`now`, Unix seconds) and
//! randomness (byte arrays) are passed in; HTTP requests are returned as values and responses
//! are handed back as status + body text.

pub mod error;

/// Whether this build carries the Microsoft Entra ID rules (the preset, template issuers, the
/// one-resource scope rules before the redirect). Every build does except the plain `start`
/// wasm module: a signed-out page of an app that does not use Entra then ships about 4.6 KB
/// gzip less. That module refuses Entra providers ([`provider::Provider::for_build`]) and the JS
/// package loads the `start` module built with the `entra` feature instead.
pub const ENTRA_RULES: bool = !cfg!(all(feature = "start", not(feature = "entra")));

pub mod encoding;
pub mod json;
pub mod order;
pub mod text;
pub mod secret;
pub mod url;

pub mod authorize;
pub mod callback;
pub mod id_token;
pub mod jwks;
pub mod pkce;
pub mod provider;
pub mod session;
pub mod signin;
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
