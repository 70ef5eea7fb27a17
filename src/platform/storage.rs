//! `sessionStorage`, which survives the redirect in the same tab and nowhere else: the right
//! home for the short-lived transaction (checklist item 37). Every call can throw (disabled
//! storage, quota, sandboxed iframe); each becomes [`Error::StorageUnavailable`].

use crate::core::error::{Error, Result};
use wasm_bindgen::JsCast;

fn session() -> Result<web_sys::Storage> {
    let window = js_sys::global().dyn_into::<web_sys::Window>().map_err(|_| Error::PlatformUnavailable { what: "sessionStorage" })?;
    window.session_storage().ok().flatten().ok_or(Error::StorageUnavailable)
}

/// Reads `key`.
pub fn get(key: &str) -> Result<Option<String>> {
    session()?.get_item(key).map_err(|_| Error::StorageUnavailable)
}

/// Writes `key`.
pub fn set(key: &str, value: &str) -> Result<()> {
    session()?.set_item(key, value).map_err(|_| Error::StorageUnavailable)
}

/// Removes `key`.
pub fn remove(key: &str) -> Result<()> {
    session()?.remove_item(key).map_err(|_| Error::StorageUnavailable)
}

/// Reads and removes `key` in one step: JS runs to completion, so no other script in this tab
/// can read it in between (checklist item 18).
pub fn take(key: &str) -> Result<Option<String>> {
    let s = session()?;
    let value = s.get_item(key).map_err(|_| Error::StorageUnavailable)?;
    if value.is_some() {
        s.remove_item(key).map_err(|_| Error::StorageUnavailable)?;
    }
    Ok(value)
}

/// The keys that start with `prefix`.
pub fn keys_with_prefix(prefix: &str) -> Result<Vec<String>> {
    let s = session()?;
    let n = s.length().map_err(|_| Error::StorageUnavailable)?;
    let mut out = Vec::new();
    for i in 0..n {
        if let Ok(Some(k)) = s.key(i) {
            if k.starts_with(prefix) {
                out.push(k);
            }
        }
    }
    Ok(out)
}
