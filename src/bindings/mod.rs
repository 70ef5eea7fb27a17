//! The JavaScript boundary: the only module that uses `#[wasm_bindgen]`. Functions here convert
//! JS values to core types, delegate, and convert back; errors become JS `Error`s carrying `.code`
//! (and the server's `error`, `errorDescription`, `errorUri`, `aadsts`, `status`), which the JS
//! package turns into its typed error classes. Generated names are internal: users import `js/`.
//!
//! Two wasm modules are built from this crate, each exporting one part (Cargo features):
//! - `signin` (the default, `dist/wasm/`): sign-in, the session and the scope operations, which
//!   every app needs;
//! - `consent` (`dist/wasm-consent/`): the consent check of an authorization request, the Azure
//!   DevOps catalog with its texts, and legacy Azure DevOps OAuth, which only pages that show
//!   or check a request need, so that the others do not download them.

mod convert;

#[cfg(any(feature = "start", feature = "account"))]
mod config;
#[cfg(feature = "start")]
mod start;
#[cfg(feature = "account")]
mod account;

#[cfg(feature = "consent")]
mod consent;
#[cfg(any(feature = "signin", feature = "consent"))]
mod scopes;
#[cfg(feature = "signin")]
mod session;
#[cfg(feature = "signin")]
mod signin;
