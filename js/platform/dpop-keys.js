// The DPoP key pairs (js/dpop.js) in IndexedDB: database `browser-oauth-dpop` (version 1), object
// store `keys`, one record `{ privateKey, jwk }` per client. A database of its own, apart from
// js/platform/idb.js's: importing that file (and its typed errors) into DPoP's chunk would make
// bundlers split the code every page shares, at a cost to apps without DPoP; and its schema
// changes stay its own. Failures reject with what IndexedDB threw; js/dpop.js types them.
const DB = 'browser-oauth-dpop';
const STORE = 'keys';

/** The result of an IndexedDB request once it succeeded. */
const settled = (request) => new Promise((resolve, reject) => {
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => reject(request.error);
  request.onblocked = () => reject(new Error('blocked'));
});

/** `op(store)` in one transaction of `mode`, on a connection closed afterwards; resolves to the
 * request's result once the transaction committed. */
async function run(mode, op) {
  const opening = indexedDB.open(DB, 1);
  opening.onupgradeneeded = () => opening.result.createObjectStore(STORE);
  const db = await settled(opening);
  try {
    const tx = db.transaction(STORE, mode);
    const done = new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
    const [result] = await Promise.all([settled(op(tx.objectStore(STORE))), done]);
    return result;
  } finally {
    db.close();
  }
}

/** The record stored as `name`, `undefined` when there is none. */
export const getKey = (name) => run('readonly', (s) => s.get(name));

/** Stores `record` as `name`: `add` fails when another tab stored one first, `put` (`replace`) replaces. */
export const setKey = (name, record, replace) => run('readwrite', (s) => s[replace ? 'put' : 'add'](record, name));

/** Deletes `name`. */
export const deleteKey = (name) => run('readwrite', (s) => s.delete(name));
