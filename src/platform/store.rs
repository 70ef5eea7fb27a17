//! Where the session (account and tokens) is kept, behind one interface (checklist item 37):
//! memory (the default: gone with the page), sessionStorage (this tab, survives reloads),
//! localStorage (every tab, survives restarts: only when the app asks, XSS can read it), or an
//! adapter object from JS with `get(key)`, `set(key, value)`, `remove(key)` that may return
//! promises (`chrome.storage.session`, IndexedDB, a worker). The bindings wrap every persistent
//! one in [`Store::Encrypted`] (authenticated AES-GCM, see [`encrypted_store`]) unless the app
//! opts out loudly; the plain variants are the raw storage underneath.
//!
//! An adapter's methods may be its own or come from its class (an instance of
//! `class IdbStore { get(key) {…} }`), but never from `Object.prototype`: with that prototype
//! polluted by other script in the page, an adapter lacking `get` must not call the polluter's.

use std::cell::RefCell;

use super::{encrypted_store, storage, written};
use crate::core::error::{Error, Result};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

thread_local! {
    static MEMORY: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
}

/// A session store.
#[derive(Clone)]
pub enum Store {
    Memory,
    Session,
    Local,
    Custom(JsValue),
    /// Another store whose values are encrypted at rest; build it with [`Store::encrypted`].
    Encrypted(Box<Store>),
}

const NOT_ENCRYPTABLE: Error = Error::InvalidOption { name: "encrypt", reason: "needs session, local or an adapter storage" };
const NOT_ADAPTER: Error = Error::InvalidOption { name: "storage", reason: "adapter needs get, set and remove functions" };

/// Longer prototype chains than this are not followed (a class hierarchy is a few levels deep).
const MAX_PROTOTYPE_DEPTH: usize = 32;

/// `adapter[name]` when the adapter itself or one of its prototypes other than `Object.prototype`
/// holds it and it is a function.
fn method(adapter: &JsValue, name: &str) -> Result<js_sys::Function> {
    let key = JsValue::from_str(name);
    let base: JsValue = js_sys::Object::get_prototype_of(&js_sys::Object::new().into()).into();
    let mut holder = adapter.clone();
    for _ in 0..MAX_PROTOTYPE_DEPTH {
        if !holder.is_object() || js_sys::Object::is(&holder, &base) {
            break;
        }
        let object = holder.unchecked_ref::<js_sys::Object>();
        let found = js_sys::Reflect::get_own_property_descriptor(object, &key).map_err(|_| Error::StorageUnavailable)?;
        if !found.is_undefined() {
            let f = js_sys::Reflect::get(adapter, &key).map_err(|_| Error::StorageUnavailable)?;
            return f.dyn_into().map_err(|_| NOT_ADAPTER);
        }
        holder = js_sys::Reflect::get_prototype_of(&holder).map_err(|_| Error::StorageUnavailable)?.into();
    }
    Err(NOT_ADAPTER)
}

/// Calls `adapter[method](...args)` and awaits the result if it is a promise.
async fn call(adapter: &JsValue, name: &str, args: &[&JsValue]) -> Result<JsValue> {
    let f = method(adapter, name)?;
    let array: js_sys::Array = args.iter().copied().collect();
    let out = f.apply(adapter, &array).map_err(|_| Error::StorageUnavailable)?;
    if let Some(p) = out.dyn_ref::<js_sys::Promise>() {
        JsFuture::from(p.clone()).await.map_err(|_| Error::StorageUnavailable)
    } else {
        Ok(out)
    }
}

impl Store {
    /// An adapter store: `adapter` must be an object with `get`, `set` and `remove` functions of
    /// its own or from its class.
    pub fn custom(adapter: JsValue) -> Result<Store> {
        for name in ["get", "set", "remove"] {
            method(&adapter, name)?;
        }
        Ok(Store::Custom(adapter))
    }

    /// `inner` with its values sealed (authenticated and encrypted). Memory needs none (it never
    /// leaves the page); WebCrypto and IndexedDB must be there, else a typed error now rather than
    /// unauthenticated entries later.
    pub fn encrypted(inner: Store) -> Result<Store> {
        if matches!(inner, Store::Memory | Store::Encrypted(_)) {
            return Err(NOT_ENCRYPTABLE);
        }
        encrypted_store::available()?;
        Ok(Store::Encrypted(Box::new(inner)))
    }

    /// The store an app configured: a persistent one sealed by default, plain only with the loud
    /// opt-out (`unauthenticated`, which `encrypt` contradicts); memory as it is (`encrypt` is
    /// an error there: nothing leaves the page).
    pub fn configured(store: Store, encrypt: bool, unauthenticated: bool) -> Result<Store> {
        match store {
            Store::Memory if !encrypt => Ok(Store::Memory),
            _ if unauthenticated && encrypt => {
                Err(Error::InvalidOption { name: "storageIntegrity", reason: "none-unsafe contradicts encrypt" })
            }
            plain if unauthenticated => Ok(plain),
            store => Store::encrypted(store),
        }
    }

    /// Reads `key`. An encrypted entry that does not decrypt (edited, forged, moved, copied from
    /// another profile, or its key rotated) can never be read again: it is removed, and the error
    /// says so (item 38). Where this tab's copy can lag (localStorage), an entry that does not
    /// open is judged only once the copy shows the last write: a lagging copy may still show an
    /// entry sealed with a key another tab has since rotated, and removing it would remove the
    /// new one in every tab.
    pub async fn get(&self, key: &str) -> Result<Option<String>> {
        let Store::Encrypted(inner) = self else { return self.plain_get(key).await };
        let Some(sealed) = inner.plain_get(key).await? else { return Ok(None) };
        match encrypted_store::open_entry(key, &sealed).await {
            Err(Error::StoredEntryInvalid { .. }) if self.lags_across_tabs() => self.open_latest(inner, key).await,
            Err(e @ Error::StoredEntryInvalid { .. }) => self.refuse(inner, key, &sealed, e).await,
            opened => opened.map(Some),
        }
    }

    /// An entry that did not open is removed only if it is still the one stored. Another tab may
    /// have sealed a new entry with a new key (sign-in rotates it) between this read and now:
    /// that one is opened instead, never removed.
    async fn refuse(&self, inner: &Store, key: &str, failed: &str, e: Error) -> Result<Option<String>> {
        let now = inner.plain_get(key).await?;
        match now {
            None => Ok(None),
            Some(now) if now != failed => match encrypted_store::open_entry(key, &now).await {
                Err(e @ Error::StoredEntryInvalid { .. }) => {
                    self.remove(key).await?;
                    Err(e)
                }
                opened => opened.map(Some),
            },
            Some(_) => {
                self.remove(key).await?;
                Err(e)
            }
        }
    }

    /// Reads `key` as the last write from any tab left it, where the store's copies in other
    /// tabs can lag behind (localStorage, see [`written`]); the same as [`Store::get`] elsewhere.
    pub async fn get_latest(&self, key: &str) -> Result<Option<String>> {
        match self {
            _ if !self.lags_across_tabs() => self.get(key).await,
            Store::Encrypted(inner) => self.open_latest(inner, key).await,
            plain => written::read_latest(key, async || plain.plain_get(key).await).await,
        }
    }

    /// The latest stored value of `key` (compared as stored, that is sealed), opened; removed
    /// when it does not open.
    async fn open_latest(&self, inner: &Store, key: &str) -> Result<Option<String>> {
        let Some(sealed) = written::read_latest(key, async || inner.plain_get(key).await).await? else { return Ok(None) };
        match encrypted_store::open_entry(key, &sealed).await {
            Err(e @ Error::StoredEntryInvalid { .. }) => self.refuse(inner, key, &sealed, e).await,
            opened => opened.map(Some),
        }
    }

    /// Writes `key`. Where copies lag, the fingerprint recorded is of the value as stored.
    pub async fn set(&self, key: &str, value: &str) -> Result<()> {
        let stored = match self {
            Store::Encrypted(inner) => {
                let sealed = encrypted_store::seal(key, value).await?;
                inner.plain_set(key, &sealed).await?;
                sealed
            }
            plain => {
                plain.plain_set(key, value).await?;
                value.to_owned()
            }
        };
        if self.lags_across_tabs() {
            written::record(key, Some(&stored)).await;
        }
        Ok(())
    }

    /// Removes `key`. The encryption key stays: see [`Store::rotate`].
    pub async fn remove(&self, key: &str) -> Result<()> {
        match self {
            Store::Encrypted(inner) => inner.plain_remove(key).await?,
            plain => plain.plain_remove(key).await?,
        }
        if self.lags_across_tabs() {
            written::record(key, None).await;
        }
        Ok(())
    }

    /// Replaces the key that seals `key`, so that no entry written before can be read again
    /// (nothing to do for a plain store). The session runs it under its cross-tab lock when a
    /// sign-in begins and when one ends.
    pub async fn rotate(&self, key: &str) -> Result<()> {
        match self {
            Store::Encrypted(_) => encrypted_store::rotate(key).await,
            _ => Ok(()),
        }
    }

    /// localStorage, plain or encrypted: shared by every tab, but each renderer process reads its
    /// own copy. (`chrome.storage` and other adapters answer from one place.)
    fn lags_across_tabs(&self) -> bool {
        match self {
            Store::Local => true,
            Store::Encrypted(inner) => inner.lags_across_tabs(),
            _ => false,
        }
    }

    async fn plain_get(&self, key: &str) -> Result<Option<String>> {
        match self {
            Store::Memory => Ok(MEMORY.with(|m| m.borrow().iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()))),
            Store::Session => storage::get(storage::Kind::Session, key),
            Store::Local => storage::get(storage::Kind::Local, key),
            Store::Custom(a) => {
                let v = call(a, "get", &[&JsValue::from_str(key)]).await?;
                if v.is_undefined() || v.is_null() {
                    Ok(None)
                } else {
                    v.as_string().map(Some).ok_or(Error::StoredEntryInvalid { reason: "adapter returned a non-string" })
                }
            }
            Store::Encrypted(_) => Err(NOT_ENCRYPTABLE),
        }
    }

    async fn plain_set(&self, key: &str, value: &str) -> Result<()> {
        match self {
            Store::Memory => {
                MEMORY.with(|m| {
                    let mut m = m.borrow_mut();
                    m.retain(|(k, _)| k != key);
                    m.push((key.to_owned(), value.to_owned()));
                });
                Ok(())
            }
            Store::Session => storage::set(storage::Kind::Session, key, value),
            Store::Local => storage::set(storage::Kind::Local, key, value),
            Store::Custom(a) => call(a, "set", &[&JsValue::from_str(key), &JsValue::from_str(value)]).await.map(|_| ()),
            Store::Encrypted(_) => Err(NOT_ENCRYPTABLE),
        }
    }

    async fn plain_remove(&self, key: &str) -> Result<()> {
        match self {
            Store::Memory => {
                MEMORY.with(|m| m.borrow_mut().retain(|(k, _)| k != key));
                Ok(())
            }
            Store::Session => storage::remove(storage::Kind::Session, key),
            Store::Local => storage::remove(storage::Kind::Local, key),
            Store::Custom(a) => call(a, "remove", &[&JsValue::from_str(key)]).await.map(|_| ()),
            Store::Encrypted(_) => Err(NOT_ENCRYPTABLE),
        }
    }
}
