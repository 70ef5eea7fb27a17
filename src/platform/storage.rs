//! Web Storage. `sessionStorage` survives the redirect in the same tab and nowhere else: the
//! right home for the short-lived transaction (checklist item 37); `localStorage` only ever holds
//! a session when the app asks for it. Every call can throw (disabled storage, quota, sandboxed
//! iframe); each becomes [`Error::StorageUnavailable`].

use crate::core::error::{Error, Result};
use wasm_bindgen::JsCast;

/// Which Web Storage area.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Session,
    Local,
}

fn area(kind: Kind) -> Result<web_sys::Storage> {
    let window = js_sys::global().dyn_into::<web_sys::Window>().map_err(|_| Error::PlatformUnavailable { what: "web storage" })?;
    let s = match kind {
        Kind::Session => window.session_storage(),
        Kind::Local => window.local_storage(),
    };
    s.ok().flatten().ok_or(Error::StorageUnavailable)
}

fn session() -> Result<web_sys::Storage> {
    area(Kind::Session)
}

/// Reads `key`.
pub fn get(kind: Kind, key: &str) -> Result<Option<String>> {
    area(kind)?.get_item(key).map_err(|_| Error::StorageUnavailable)
}

/// Writes `key`.
pub fn set(kind: Kind, key: &str, value: &str) -> Result<()> {
    area(kind)?.set_item(key, value).map_err(|_| Error::StorageUnavailable)
}

/// Removes `key`.
pub fn remove(kind: Kind, key: &str) -> Result<()> {
    area(kind)?.remove_item(key).map_err(|_| Error::StorageUnavailable)
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
