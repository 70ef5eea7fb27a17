//! What the wasm itself asks of the browser, wasm only: randomness (getrandom's `wasm_js`
//! backend), the clock, and the address bar. Everything that waits (fetch, storage, IndexedDB,
//! locks, WebCrypto) is the JS package's (`js/platform/`), which calls the core between steps.
//! Each function turns every JS exception into a typed [`Error`](crate::Error).

pub mod clock;
#[cfg(all(feature = "start", not(any(feature = "account", feature = "consent", feature = "dpop"))))]
pub mod frame;
#[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
pub mod history;
pub mod random;
