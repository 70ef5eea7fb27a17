//! The sans-IO core: all protocol logic, no browser APIs. Time (`now`, Unix seconds) and
//! randomness (byte arrays) are passed in; HTTP requests are returned as values and responses
//! are handed back as status + body text.

pub mod error;

pub mod encoding;
pub mod json;
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
pub mod scopes;
