//! What localStorage last held under a key, according to IndexedDB.
//!
//! Chromium gives each renderer process its own copy of localStorage and sends other processes'
//! writes to it asynchronously. A tab that is granted the refresh lock just after another tab
//! rotated the refresh token can therefore still read the old token; sending it makes the
//! provider see a reused refresh token and revoke the whole grant (found by the two-tab e2e test
//! under load). IndexedDB transactions, in contrast, commit in one place in a global order.
//!
//! So every write to a localStorage-backed store also records a fingerprint of the new value in
//! IndexedDB (object store `written`) before it returns, which is before the writer releases the
//! lock; a reader inside the lock waits, briefly, until localStorage shows the recorded value.

use js_sys::{Promise, Reflect};
use sha2::{Digest, Sha256};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::idb;
use crate::core::encoding::base64url_encode;
use crate::core::error::Result;

/// How long a reader waits for localStorage to catch up: `POLLS` × `POLL_MS` (2 s). The copies
/// agree within milliseconds; past the bound the reader goes on with what it read (a value
/// written by something else than this library never matches).
const POLLS: u32 = 100;
const POLL_MS: f64 = 20.0;

/// 128 bits of SHA-256: enough to tell values apart, and not a copy of the value.
fn fingerprint(value: &str) -> String {
    let digest = Sha256::digest(value.as_bytes());
    base64url_encode(digest.get(..16).unwrap_or_default())
}

/// Records that `key` now holds `value` (`None`: removed). Best effort: without IndexedDB there
/// is nothing to record, and readers then take what they read.
pub async fn record(key: &str, value: Option<&str>) {
    let Ok(db) = idb::open().await else { return };
    let _ = match value {
        Some(v) => db.write(idb::WRITTEN, key, &JsValue::from_str(&fingerprint(v)), true).await,
        None => db.delete(idb::WRITTEN, key).await,
    };
}

/// The fingerprint recorded for `key`, if any.
async fn recorded(key: &str) -> Option<String> {
    idb::open().await.ok()?.get(idb::WRITTEN, key).await.ok()?.as_string()
}

/// Whether `value` is what was recorded (`true` when nothing was).
fn matches(recorded: Option<&str>, value: Option<&str>) -> bool {
    match recorded {
        None => true,
        Some(want) => value.is_some_and(|v| fingerprint(v) == want),
    }
}

/// `read()`, repeated until it returns the value last recorded for `key`, for at most about
/// 2 s; then the last read is returned as it is.
pub async fn read_latest(key: &str, mut read: impl AsyncFnMut() -> Result<Option<String>>) -> Result<Option<String>> {
    let want = recorded(key).await;
    let mut value = read().await?;
    for _ in 0..POLLS {
        if matches(want.as_deref(), value.as_deref()) {
            break;
        }
        pause().await;
        value = read().await?;
    }
    Ok(value)
}

/// Resolves after `POLL_MS`, through the global `setTimeout` (windows and workers alike).
async fn pause() {
    let mut start = |resolve: js_sys::Function, _reject: js_sys::Function| {
        let timer = Reflect::get(&js_sys::global(), &JsValue::from_str("setTimeout")).ok();
        let started = timer
            .and_then(|t| t.dyn_into::<js_sys::Function>().ok())
            .is_some_and(|t| t.call2(&JsValue::UNDEFINED, &resolve, &JsValue::from_f64(POLL_MS)).is_ok());
        if !started {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    };
    let _ = JsFuture::from(Promise::new(&mut start)).await;
}
