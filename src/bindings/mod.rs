//! The JavaScript boundary: the only module that uses `#[wasm_bindgen]`. Functions here convert
//! JS values to core types, delegate, and convert back; errors become JS `Error`s carrying `.code`
//! (and the server's `error`, `errorDescription`, `errorUri`, `aadsts`, `status`), which the JS
//! package turns into its typed error classes. Generated names are internal: users import `js/`.
//!
//! Three wasm modules are built from this crate, each exporting one part (Cargo features), every
//! export synchronous (the JS package does the waiting):
//! - `start` (`dist/wasm-start/`): begin a sign-in, tell whether a URL carries a response;
//! - `account` (`dist/wasm-account/`): the redirect (validation, code exchange, ID token:
//!   `redirect.rs`) and the session (cache decisions, refresh, sign-out, revocation:
//!   `account.rs`); with the feature `session` it is the `session` module (`dist/wasm-session/`),
//!   the session alone, for a signed-in page without a response to handle;
//! - `consent` (`dist/wasm-consent/`): the consent check of an authorization request, the Azure
//!   DevOps catalog with its texts, legacy Azure DevOps OAuth, the scope operations and the Azure DevOps REST operation table
//!   (`operations.rs`), which
//!   only pages that show or check scopes need;
//! - `dpop` (`dist/wasm-dpop/`): DPoP proofs (RFC 9449), only for apps with `dpop: true`.

mod convert;

#[cfg(any(feature = "start", feature = "account"))]
mod config;
#[cfg(feature = "start")]
mod start;
#[cfg(feature = "account")]
mod account;
#[cfg(all(feature = "account", not(feature = "session")))]
mod redirect;

#[cfg(feature = "dpop")]
mod dpop;

#[cfg(feature = "consent")]
mod consent;
#[cfg(feature = "consent")]
mod operations;
#[cfg(feature = "consent")]
mod scopes;
