//! One refresh at a time, across every tab of the origin (checklist item 35): the Web Locks API
//! (`navigator.locks.request`). Where it is missing, calls in this page are still serialised by
//! an in-page queue; other tabs are then not coordinated, which the README says.

use std::cell::RefCell;
use std::rc::Rc;
use std::future::Future;
use std::pin::Pin;

use crate::core::error::{Error, Result};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{future_to_promise, JsFuture};

thread_local! {
    // The last waiter of the in-page queue, per lock name (fallback only).
    static QUEUE: RefCell<Vec<(String, js_sys::Promise)>> = const { RefCell::new(Vec::new()) };
}

fn lock_manager() -> Option<JsValue> {
    let navigator = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("navigator")).ok()?;
    let locks = js_sys::Reflect::get(&navigator, &JsValue::from_str("locks")).ok()?;
    (!locks.is_undefined() && !locks.is_null()).then_some(locks)
}

/// Runs `work` while holding the exclusive lock `name`, and returns what it returned.
pub async fn locked<T, F, Fut>(name: &str, work: F) -> Result<T>
where
    T: 'static,
    F: FnOnce() -> Fut + 'static,
    Fut: Future<Output = Result<T>> + 'static,
{
    let slot: Rc<RefCell<Option<Result<T>>>> = Rc::new(RefCell::new(None));
    let writer = slot.clone();
    let wrapped: Work = Box::pin(async move {
        let out = work().await;
        *writer.borrow_mut() = Some(out);
        Ok(JsValue::UNDEFINED)
    });
    with_lock(name, wrapped).await.map_err(|_| Error::PlatformUnavailable { what: "navigator.locks" })?;
    let out = slot.borrow_mut().take();
    out.unwrap_or(Err(Error::PlatformUnavailable { what: "navigator.locks" }))
}

/// The locked section, boxed: `with_lock` (closure, promise and queue) exists once in the wasm,
/// not once per caller.
type Work = Pin<Box<dyn Future<Output = core::result::Result<JsValue, JsValue>>>>;

async fn with_lock(name: &str, work: Work) -> core::result::Result<JsValue, JsValue> {
    if let Some(locks) = lock_manager() {
        let callback = Closure::once_into_js(move |_lock: JsValue| -> js_sys::Promise { future_to_promise(work) });
        let request: js_sys::Function = js_sys::Reflect::get(&locks, &JsValue::from_str("request"))
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .ok_or_else(|| JsValue::from_str("navigator.locks.request is not a function"))?;
        let promise = request.call2(&locks, &JsValue::from_str(name), &callback)?;
        return JsFuture::from(js_sys::Promise::from(promise)).await;
    }
    // Fallback: wait for the previous holder of this name in this page, then run.
    let mut release: Option<js_sys::Function> = None;
    let mine = js_sys::Promise::new(&mut |resolve, _reject| release = Some(resolve));
    let previous = QUEUE.with(|q| {
        let mut q = q.borrow_mut();
        let previous = q.iter().position(|(n, _)| n == name).map(|i| q.swap_remove(i).1);
        q.push((name.to_owned(), mine.clone()));
        previous
    });
    if let Some(p) = previous {
        let _ = JsFuture::from(p).await;
    }
    let out = work.await;
    QUEUE.with(|q| q.borrow_mut().retain(|(n, p)| !(n == name && js_sys::Object::is(p, &mine))));
    if let Some(r) = release {
        let _ = r.call0(&JsValue::UNDEFINED);
    }
    out
}

/// `true` when the Web Locks API is there (tabs are coordinated).
pub fn cross_tab() -> bool {
    lock_manager().is_some()
}
