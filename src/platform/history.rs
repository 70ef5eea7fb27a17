//! The address bar: read `location.href`, and replace it without adding a history entry.

use crate::core::error::{Error, Result};
use wasm_bindgen::{JsCast, JsValue};

fn window() -> Result<web_sys::Window> {
    js_sys::global().dyn_into::<web_sys::Window>().map_err(|_| Error::PlatformUnavailable { what: "window" })
}

/// `location.href`.
pub fn current_url() -> Result<String> {
    window()?.location().href().map_err(|_| Error::PlatformUnavailable { what: "location" })
}

/// `history.replaceState(history.state, "", url)`: the entry is rewritten, `history.length`
/// stays the same (checklist item 19).
pub fn replace_url(url: &str) -> Result<()> {
    let history = window()?.history().map_err(|_| Error::PlatformUnavailable { what: "history" })?;
    let state = history.state().unwrap_or(JsValue::NULL);
    history.replace_state_with_url(&state, "", Some(url)).map_err(|_| Error::PlatformUnavailable { what: "history" })
}
