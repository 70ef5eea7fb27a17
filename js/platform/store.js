// Where the session (account and tokens) is kept, behind one interface: memory (the default, gone
// with the page), sessionStorage (this tab, survives reloads), localStorage (every tab, survives
// restarts; only when the app asks: XSS can read it), or an adapter object with `get(key)`,
// `set(key, value)` and `remove(key)` that may return promises (`chrome.storage.session`,
// IndexedDB, a worker). Persistent stores are sealed (see encrypted.js) unless the app opts out
// loudly with `storageIntegrity: 'none-unsafe'`.
//
// Options are attacker input (a polluted `Object.prototype`): only own properties are read, and an
// adapter's methods are its own or its class's, never `Object.prototype`'s.
import { own } from '../own.js';
import { INVALID, badOption, invalid, missing, unavailable } from './fail.js';
import { available, openEntry, rotate as rotateKey, seal } from './encrypted.js';
import { latest, record } from './written.js';

/** The memory store: one per page, shared by every client in it. */
const memory = new Map();

const BASE = Object.prototype;
const protoOf = Object.getPrototypeOf;
const hasOwn = Object.hasOwn;

const notAdapter = () => badOption('storage', 'adapter needs get, set and remove functions');

/** `adapter[name]` when the adapter or one of its prototypes other than `Object.prototype` holds
 * it (an instance of `class IdbStore { get(key) {…} }`) and it is a function. A class hierarchy
 * is a few levels deep: longer chains than 32 are not followed. */
function method(adapter, name) {
  try {
    for (let holder = adapter, depth = 0; depth < 32 && holder !== null && typeof holder === 'object' && holder !== BASE; depth += 1) {
      if (hasOwn(holder, name)) {
        const f = adapter[name];
        if (typeof f === 'function') return f;
        break;
      }
      holder = protoOf(holder);
    }
  } catch {
    throw unavailable();
  }
  throw notAdapter();
}

/** `[adapter[name](...args)]`, awaited when it returns a promise (a thenable is what it is: boxed,
 * so that the async return does not adopt it). */
async function call(adapter, name, ...args) {
  const f = method(adapter, name);
  try {
    const out = Reflect.apply(f, adapter, args);
    return [out instanceof Promise ? await out : out];
  } catch {
    throw unavailable();
  }
}

/** `sessionStorage` or `localStorage`; outside a window (a worker) OAUTH_PLATFORM_UNAVAILABLE,
 * and when it throws (disabled, sandboxed iframe) OAUTH_STORAGE_UNAVAILABLE. */
function area(name) {
  let s;
  try { s = globalThis[name]; } catch { /* disabled */ }
  if (s) return s;
  throw name in globalThis ? unavailable() : missing('web storage');
}

/** `use(storage)`, with anything the storage throws (quota, …) as OAUTH_STORAGE_UNAVAILABLE. */
function web(name, use) {
  const s = area(name);
  try {
    return use(s);
  } catch {
    throw unavailable();
  }
}

/**
 * The store the app configured in `config` (own properties only): `storage` (`'memory'`, the
 * default, `'session'`, `'local'` or an adapter), `storageIntegrity` (only `'none-unsafe'`: plain
 * persistent storage) and `encrypt` (sealing asked explicitly). A persistent store is sealed by
 * default; WebCrypto and IndexedDB must then be there, else a typed error now rather than
 * unauthenticated entries later. Memory is never sealed: nothing leaves the page.
 */
export function storeFromOptions(config) {
  const storage = own(config, 'storage');
  let kind = storage;
  if (storage == null) {
    kind = 'memory';
  } else if (typeof storage === 'object') {
    kind = 'adapter';
    for (const name of ['get', 'set', 'remove']) method(storage, name);
  } else if (storage !== 'memory' && storage !== 'session' && storage !== 'local') {
    throw badOption('storage', 'must be memory, session, local or an adapter');
  }
  const integrity = own(config, 'storageIntegrity');
  if (integrity != null && typeof integrity !== 'string') throw badOption('storageIntegrity', 'must be a string');
  if (integrity != null && integrity !== 'none-unsafe') throw badOption('storageIntegrity', 'can only be none-unsafe');
  const encrypt = own(config, 'encrypt') ?? false;
  if (typeof encrypt !== 'boolean') throw badOption('encrypt', 'must be a boolean');
  const unsafe = integrity != null;
  if (kind === 'memory' && !encrypt) return build(kind, false);
  if (unsafe && encrypt) throw badOption('storageIntegrity', 'none-unsafe contradicts encrypt');
  if (unsafe) return build(kind, false, storage);
  if (kind === 'memory') throw badOption('encrypt', 'needs session, local or an adapter storage');
  available();
  return build(kind, true, storage);
}

/**
 * A store of `kind`, its values `sealed` or plain, over `adapter` for `'adapter'`. All methods
 * are async; values are strings; `get` answers `null` when there is none.
 */
function build(kind, sealed, adapter) {
  // localStorage, plain or sealed: shared by every tab, but each renderer process reads its own
  // copy (see written.js). Adapters answer from one place.
  const lags = kind === 'local';
  const name = `${kind}Storage`;

  // The raw storage underneath.
  const read = async (key) => {
    if (kind === 'memory') return memory.get(key) ?? null;
    if (kind !== 'adapter') return web(name, (s) => s.getItem(key));
    const v = (await call(adapter, 'get', key))[0];
    if (v == null) return null;
    if (typeof v !== 'string') throw invalid('adapter returned a non-string');
    return v;
  };
  const put = async (key, value) => {
    if (kind === 'memory') memory.set(key, value);
    else if (kind === 'adapter') await call(adapter, 'set', key, value);
    else web(name, (s) => s.setItem(key, value));
  };

  /** Removes `key` (the sealing key stays: see `rotate`). */
  const remove = async (key) => {
    if (kind === 'memory') memory.delete(key);
    else if (kind === 'adapter') await call(adapter, 'remove', key);
    else web(name, (s) => s.removeItem(key));
    if (lags) await record(key, null);
  };

  /** `stored` opened, or `otherwise(error)` when it is invalid. */
  const open = (key, stored, otherwise) => openEntry(key, stored).catch((e) => {
    if (e?.code !== INVALID) throw e;
    return otherwise(e);
  });

  const purge = async (key, e) => {
    await remove(key);
    throw e;
  };

  /** An entry that did not open is removed only if it is still the one stored: another tab may
   * have sealed a new one with a new key (sign-in rotates it) meanwhile, which is opened instead. */
  const refuse = async (key, failed, e) => {
    const now = await read(key);
    if (now === null) return null;
    if (now !== failed) return open(key, now, (e2) => purge(key, e2));
    return purge(key, e);
  };

  /** The latest stored (sealed) value of `key` (see written.js), opened; removed when it does
   * not open. */
  const openLatest = async (key) => {
    const stored = await latest(key, () => read(key));
    return stored === null ? null : open(key, stored, (e) => refuse(key, stored, e));
  };

  /** Reads `key`. A sealed entry that does not open (edited, forged, moved, copied from another
   * profile, key rotated) is removed, and the error says so. Where this tab's copy can lag, it is
   * judged only once the copy shows the last write: a lagging copy may show an entry sealed with a
   * key another tab has since rotated, and removing it would remove the new one in every tab. */
  const get = async (key) => {
    const stored = await read(key);
    if (!sealed || stored === null) return stored;
    return open(key, stored, (e) => (lags ? openLatest(key) : refuse(key, stored, e)));
  };

  return {
    kind,
    sealed,
    get,
    /** Reads `key` as the last write from any tab left it, where copies lag (localStorage); the
     * same as `get` elsewhere. */
    getLatest: (key) => (!lags ? get(key) : sealed ? openLatest(key) : latest(key, () => read(key))),
    /** Writes `key`. Where copies lag, the fingerprint recorded is of the value as stored. */
    async set(key, value) {
      const stored = sealed ? await seal(key, value) : value;
      await put(key, stored);
      if (lags) await record(key, stored);
    },
    remove,
    /** The raw stored value of `key` now, read synchronously; `undefined` for adapters (they
     * answer asynchronously) or when storage throws. getToken's cache compares it with the value
     * it validated, so that any write by anyone (another tab, page script) is validated again. */
    peek(key) {
      if (kind === 'adapter') return undefined;
      try {
        return kind === 'memory' ? memory.get(key) ?? null : web(name, (s) => s.getItem(key));
      } catch {
        return undefined;
      }
    },
    /** Replaces the key that seals `key`, so that no entry written before can be read again
     * (nothing for a plain store). Run under the cross-tab lock when a sign-in begins and ends. */
    async rotate(key) {
      if (sealed) await rotateKey(key);
    },
  };
}

/** The sessionStorage prefix of pending sign-ins (transactions). */
export const TX_PREFIX = 'browser-oauth:tx:';

/** The sessionStorage keys of pending sign-ins; none when the storage is unavailable. */
export function txKeys() {
  const out = [];
  try {
    const s = sessionStorage;
    for (let i = 0; i < s.length; i += 1) {
      const k = s.key(i);
      if (k?.startsWith(TX_PREFIX)) out.push(k);
    }
  } catch { /* none */ }
  return out;
}

/** sessionStorage `key`, `null` when absent. */
export const txGet = (key) => web('sessionStorage', (s) => s.getItem(key));

/** Writes sessionStorage `key`. */
export const txSet = (key, value) => web('sessionStorage', (s) => s.setItem(key, value));

/** Removes sessionStorage `key`. */
export const txRemove = (key) => web('sessionStorage', (s) => s.removeItem(key));

/** Reads and removes `key` in one step: JS runs to completion, so no other script in this tab can
 * read it in between. `null` when absent. */
export function txTake(key) {
  const value = txGet(key);
  if (value !== null) txRemove(key);
  return value;
}
