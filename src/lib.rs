//! browser-oauth: an OAuth 2.0 / OpenID Connect client for browsers, compiled to WebAssembly.
//!
//! - [`core`]: the sans-IO protocol logic (PKCE, authorization request, redirect validation,
//!   token request and response, ID token claims, scopes, consent checks). No browser APIs;
//!   time, randomness and I/O are inputs. Tested natively with `cargo test`.
//! - `platform` (wasm only): the browser's part: randomness, clock, `fetch`, Web Storage, history.
//! - `bindings` (wasm only): the one module that uses `#[wasm_bindgen]`; it converts and delegates.
//!
//! Users import the npm package (`js/`), never the generated glue.

// Never panic on input: a panic poisons the wasm module for the whole page.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod platform;

#[cfg(target_arch = "wasm32")]
mod bindings;

pub use crate::core::error::{Error, Result, ServerError};

// The wasm build allocates with talc instead of std's dlmalloc: smaller code, and it still frees
// and coalesces, so a page open for hours reuses its memory (tests/browser_platform.rs checks
// both). Its constructor is safe on single-threaded wasm. The start module alone (feature `start`
// without the others) allocates with platform::frame, which keeps nothing between its calls.
// Native builds keep the system allocator.
#[cfg(all(target_arch = "wasm32", not(all(feature = "start", not(any(feature = "account", feature = "consent", feature = "dpop"))))))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
#[cfg(all(target_arch = "wasm32", feature = "start", not(any(feature = "account", feature = "consent", feature = "dpop"))))]
#[global_allocator]
static ALLOCATOR: platform::frame::Frame = platform::frame::Frame::new();
