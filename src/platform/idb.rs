//! IndexedDB, the one browser store whose writes every tab of the origin sees in commit order:
//! database `browser-oauth` with two object stores, `keys` (the encryption keys of
//! [`encrypted_store`](super::encrypted_store)) and `written` (what [`written`](super::written)
//! records). Reached through `Reflect`: a few calls do not justify the web-sys IDB bindings.

use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::core::error::{Error, Result};

const DATABASE: &str = "browser-oauth";
/// Version 1 had `keys` only; version 2 added `written`.
const VERSION: f64 = 2.0;
pub const KEYS: &str = "keys";
pub const WRITTEN: &str = "written";
const STORES: [&str; 2] = [KEYS, WRITTEN];

pub const NO_IDB: Error = Error::PlatformUnavailable { what: "indexedDB" };

/// `globalThis[name]` when it is an object, else `missing`.
pub fn global_member(name: &str, missing: Error) -> Result<JsValue> {
    Reflect::get(&js_sys::global(), &JsValue::from_str(name)).ok().filter(JsValue::is_object).ok_or(missing)
}

/// Fails when IndexedDB is missing (some sandboxes, old private modes).
pub fn available() -> Result<()> {
    global_member("indexedDB", NO_IDB).map(|_| ())
}

fn member(o: &JsValue, name: &str) -> Result<JsValue> {
    Reflect::get(o, &JsValue::from_str(name)).map_err(|_| Error::StorageUnavailable)
}

fn invoke(o: &JsValue, method: &str, args: &[&JsValue]) -> Result<JsValue> {
    let f: js_sys::Function = member(o, method)?.dyn_into().map_err(|_| NO_IDB)?;
    let args: Array = args.iter().copied().collect();
    f.apply(o, &args).map_err(|_| Error::StorageUnavailable)
}

/// Settles when `target` fires `ok` (resolve) or one of `failed` (reject). The browser's own
/// resolve and reject functions are the event handlers: no closure is needed.
fn settled(target: &JsValue, ok: &str, failed: &[&str]) -> JsFuture {
    let mut set = |resolve: js_sys::Function, reject: js_sys::Function| {
        let _ = Reflect::set(target, &JsValue::from_str(ok), &resolve);
        for name in failed {
            let _ = Reflect::set(target, &JsValue::from_str(name), &reject);
        }
    };
    JsFuture::from(Promise::new(&mut set))
}

/// The `result` of an IndexedDB request, once it succeeded.
async fn result(request: JsValue) -> Result<JsValue> {
    settled(&request, "onsuccess", &["onerror", "onblocked"]).await.map_err(|_| Error::StorageUnavailable)?;
    member(&request, "result")
}

/// An open connection, closed when dropped.
pub struct Db(JsValue);

impl Drop for Db {
    fn drop(&mut self) {
        let _ = invoke(&self.0, "close", &[]);
    }
}

/// Opens the database, creating the object stores it lacks (first use, or an older version).
pub async fn open() -> Result<Db> {
    let factory = global_member("indexedDB", NO_IDB)?;
    let request = invoke(&factory, "open", &[&JsValue::from_str(DATABASE), &JsValue::from_f64(VERSION)])?;
    // Runs inside the `upgradeneeded` event, while the version change transaction is active.
    let create = Closure::once_into_js(move |e: JsValue| {
        let Ok(db) = Reflect::get(&e, &JsValue::from_str("target")).and_then(|t| Reflect::get(&t, &JsValue::from_str("result"))) else {
            return;
        };
        let names = member(&db, "objectStoreNames").ok();
        for store in STORES {
            let present = names.as_ref().and_then(|n| invoke(n, "contains", &[&JsValue::from_str(store)]).ok());
            if present.and_then(|p| p.as_bool()) != Some(true) {
                let _ = invoke(&db, "createObjectStore", &[&JsValue::from_str(store)]);
            }
        }
    });
    Reflect::set(&request, &JsValue::from_str("onupgradeneeded"), &create).map_err(|_| Error::StorageUnavailable)?;
    Ok(Db(result(request).await?))
}

impl Db {
    fn object_store(&self, store: &str, mode: &str) -> Result<(JsValue, JsValue)> {
        let tx = invoke(&self.0, "transaction", &[&JsValue::from_str(store), &JsValue::from_str(mode)])?;
        let objects = invoke(&tx, "objectStore", &[&JsValue::from_str(store)])?;
        Ok((tx, objects))
    }

    /// The value stored as `name` in `store`, `undefined` when there is none.
    pub async fn get(&self, store: &str, name: &str) -> Result<JsValue> {
        let (_, objects) = self.object_store(store, "readonly")?;
        result(invoke(&objects, "get", &[&JsValue::from_str(name)])?).await
    }

    /// Stores `value` as `name` and waits for the commit: `add` fails when another tab stored
    /// one first, `put` replaces.
    pub async fn write(&self, store: &str, name: &str, value: &JsValue, replace: bool) -> Result<()> {
        let (tx, objects) = self.object_store(store, "readwrite")?;
        invoke(&objects, if replace { "put" } else { "add" }, &[value, &JsValue::from_str(name)])?;
        self.committed(tx).await
    }

    /// Deletes `name` from `store` and waits for the commit.
    pub async fn delete(&self, store: &str, name: &str) -> Result<()> {
        let (tx, objects) = self.object_store(store, "readwrite")?;
        invoke(&objects, "delete", &[&JsValue::from_str(name)])?;
        self.committed(tx).await
    }

    async fn committed(&self, tx: JsValue) -> Result<()> {
        settled(&tx, "oncomplete", &["onerror", "onabort"]).await.map(|_| ()).map_err(|_| Error::StorageUnavailable)
    }
}
