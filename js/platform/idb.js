// IndexedDB, the one browser store whose writes every tab of the origin sees in commit order:
// database `browser-oauth` (version 2) with object stores `keys` (the sealing keys, see
// encrypted.js) and `written` (fingerprints, see written.js). Every failure is
// OAUTH_STORAGE_UNAVAILABLE; a missing `indexedDB` is OAUTH_PLATFORM_UNAVAILABLE.
import { fail } from './sealing-errors.js';

export const KEYS = 'keys';
export const WRITTEN = 'written';

/** `indexedDB` when it is there (some sandboxes and old private modes have none). */
export function factory() {
  let f;
  try { f = globalThis.indexedDB; } catch { /* missing */ }
  if (f !== null && typeof f === 'object') return f;
  throw fail.missing('indexedDB');
}

/** Settles when `target` fires `ok`, fails when it fires one of `failed`: the promise's own
 * resolve and reject are the handlers. */
const settled = (target, ok, ...failed) => new Promise((resolve, reject) => {
  target[ok] = resolve;
  for (const name of failed) target[name] = reject;
});

/** The `result` of a request, once it succeeded. */
const result = async (request) => {
  await settled(request, 'onsuccess', 'onerror', 'onblocked');
  return request.result;
};

const committed = (tx) => settled(tx, 'oncomplete', 'onerror', 'onabort');

/** `work()`, with anything it throws as OAUTH_STORAGE_UNAVAILABLE. */
const guarded = async (work) => {
  try {
    return await work();
  } catch {
    throw fail.unavailable();
  }
};

/** Opens the database, creating the object stores it lacks (first use, or version 1 with `keys`
 * only). Close the connection after use (see `using`). */
export async function open() {
  const f = factory();
  return guarded(() => {
    const request = f.open('browser-oauth', 2);
    // Runs inside the version change transaction; a failure here surfaces at the first use.
    request.onupgradeneeded = () => {
      try {
        const db = request.result;
        for (const store of [KEYS, WRITTEN]) if (!db.objectStoreNames.contains(store)) db.createObjectStore(store);
      } catch { /* see above */ }
    };
    return result(request);
  });
}

/** `work(db)` on a fresh connection, closed afterwards. */
export async function using(work) {
  const db = await open();
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

const objects = (db, store, mode) => db.transaction(store, mode).objectStore(store);

/** The value stored as `name` in `store`, `undefined` when there is none. */
export const get = (db, store, name) => guarded(() => result(objects(db, store, 'readonly').get(name)));

/** Stores `value` as `name` and waits for the commit: `add` fails when another tab stored one
 * first, `put` (`replace`) replaces. */
export const write = (db, store, name, value, replace) => guarded(() => {
  const o = objects(db, store, 'readwrite');
  o[replace ? 'put' : 'add'](value, name);
  return committed(o.transaction);
});

/** Deletes `name` from `store` and waits for the commit. */
export const del = (db, store, name) => guarded(() => {
  const o = objects(db, store, 'readwrite');
  o.delete(name);
  return committed(o.transaction);
});
