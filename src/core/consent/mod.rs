//! Consent checks: judge an authorization request URL before the user approves it (authority,
//! PKCE, state, redirect, client and scopes), and build or validate legacy Azure DevOps OAuth
//! URLs.

mod authority;
mod expectations;
#[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
mod legacy;
#[cfg(any(feature = "consent", not(target_arch = "wasm32")))]
mod operation_findings;
mod report;
mod request;
mod scope_findings;

pub use authority::known_authority_hosts;
pub use expectations::Expectations;
#[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
pub use legacy::{legacy_authorization_url, validate_legacy_callback, LEGACY_AUTHORIZE_URL};
pub use report::{Authority, AuthorityKind, Finding, Report, ScopeInfo, Severity, Verdict};
pub use request::check_authorization_request;

