//! The session after sign-in: the account and token cache, `getToken` decisions, refresh with
//! rotation, the stored form, and sign-out. Sans-IO like the rest of the core.

pub mod account;
pub mod logout;
pub mod refresh;
pub mod resource;
pub mod stored;

pub use account::{Account, CachedToken, IdentityClaims, Lookup, DEFAULT_REFRESH_SKEW_SECS, ENTRA_SPA_REFRESH_LIFETIME_SECS};

#[cfg(test)]
mod tests;
