//! The browser's part, wasm only: randomness, clock, Web Storage, `fetch`, history. Each file
//! wraps one facility and turns every JS exception into a typed [`Error`](crate::Error).
//! No protocol logic lives here; [`flow`] only sequences the core's steps around I/O.

pub mod clock;
pub mod encrypted_store;
pub mod flow;
pub mod history;
pub mod http;
pub mod idb;
pub mod jwks_cache;
pub mod locks;
pub mod random;
pub mod session;
pub mod storage;
pub mod webcrypto;
pub mod store;
pub mod written;
