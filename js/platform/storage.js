// The light half of storage, which a signed-out page loads: the `storage` options checked, the
// memory store, Web Storage access, and a pending sign-in
// (transaction) written to sessionStorage (the redirect page reads it: js/redirect.js). Sealing, the lagging-copy wait and the session's
// reads and writes are store.js, loaded with the session (js/session.js).
//
// Options are attacker input (a polluted `Object.prototype`): only own properties are read, and an
// adapter's methods are its own or its class's, never `Object.prototype`'s.
import { own } from '../own.js';
import { glueOf } from '../loader.js';
import { badOption, missing, unavailable } from './fail.js';

/** The memory store: one per page, shared by every client in it. */
export const memory = new Map();

const BASE = Object.prototype;
const protoOf = Object.getPrototypeOf;
const hasOwn = Object.hasOwn;

const notAdapter = () => badOption('storage', 'adapter needs get, set and remove functions');

/** @internal `adapter[name]` when the adapter or one of its prototypes other than
 * `Object.prototype` holds it (an instance of `class IdbStore { get(key) {…} }`) and it is a
 * function. A class hierarchy is a few levels deep: longer chains than 32 are not followed. */
export function method(adapter, name) {
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

/** `sessionStorage` or `localStorage`; outside a window (a worker) OAUTH_PLATFORM_UNAVAILABLE,
 * and when it throws (disabled, sandboxed iframe) OAUTH_STORAGE_UNAVAILABLE. */
function area(name) {
  let s;
  try { s = globalThis[name]; } catch { /* disabled */ }
  if (s) return s;
  throw name in globalThis ? unavailable() : missing('web storage');
}

/** @internal `use(storage)`, with anything the storage throws (quota, …) as OAUTH_STORAGE_UNAVAILABLE. */
export function web(name, use) {
  const s = area(name);
  try {
    return use(s);
  } catch {
    throw unavailable();
  }
}

/** Sealing needs WebCrypto and IndexedDB: a typed error now rather than unauthenticated entries later. */
function sealable() {
  let subtle;
  let idb;
  try { subtle = globalThis.crypto.subtle; } catch { /* no crypto */ }
  if (subtle === null || typeof subtle !== 'object') throw missing('crypto.subtle');
  try { idb = globalThis.indexedDB; } catch { /* missing */ }
  if (idb === null || typeof idb !== 'object') throw missing('indexedDB');
}

/**
 * Where the app asked its session to be kept, from `config` (own properties only): `storage`
 * (`'memory'`, the default, `'session'`, `'local'` or an adapter), `storageIntegrity` (only
 * `'none-unsafe'`: plain persistent storage) and `encrypt` (sealing asked explicitly). A
 * persistent store is sealed by default; memory never is: nothing leaves the page. Returns
 * `{ kind, sealed, adapter }`; throws a typed error for anything else.
 */
export function storageOptions(config) {
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
  const adapter = kind === 'adapter' ? storage : undefined;
  if (kind === 'memory' && !encrypt) return { kind, sealed: false };
  if (unsafe && encrypt) throw badOption('storageIntegrity', 'none-unsafe contradicts encrypt');
  if (unsafe) return { kind, sealed: false, adapter };
  if (kind === 'memory') throw badOption('encrypt', 'needs session, local or an adapter storage');
  sealable();
  return { kind, sealed: true, adapter };
}

/** @internal Whether a store of checked `options` seals its entries or keeps them in
 * localStorage, whose copies lag: then it needs js/platform/sealing.js. */
export const needsSealing = ({ kind, sealed }) => sealed || kind === 'local';

/** @internal js/platform/sealing.js, a chunk of its own (provided statically by js/eager.js);
 * store.js hands it its typed errors. */
export const sealingCode = glueOf('sealing-js', () => import('./sealing.js'));

/** @internal The prefix of stored sessions' keys (`browser-oauth:session:<client>@<issuer>`). */
export const SESSION_PREFIX = 'browser-oauth:session:';

/**
 * @internal Whether any session might be stored where `options` keep it: a hint that tells which
 * module to load first, never what is stored (the account module reads and judges the entry).
 * An adapter answers asynchronously, so it always might.
 */
export function mayHoldSession({ kind }) {
  if (kind === 'adapter') return true;
  if (kind === 'memory') return [...memory.keys()].some((k) => k.startsWith(SESSION_PREFIX));
  try {
    const s = area(`${kind}Storage`);
    for (let i = 0; i < s.length; i += 1) if (s.key(i)?.startsWith(SESSION_PREFIX)) return true;
  } catch { /* unavailable: the session module reports it */ }
  return false;
}

/** The sessionStorage prefix of pending sign-ins (transactions). */
export const TX_PREFIX = 'browser-oauth:tx:';

/**
 * Opens the page's sessionStorage, for a sign-in that has yet to write its transaction. The first
 * access of a page is slow (Chromium loads the storage area synchronously: about 2 ms here);
 * `createClient` does it while the start .wasm downloads, instead of once the URL is built. Any
 * failure is the transaction write's to report.
 */
export function txOpen() {
  try {
    web('sessionStorage', (s) => s.getItem(TX_PREFIX));
  } catch { /* unavailable: txSet reports it */ }
}

/** Writes sessionStorage `key`. */
export const txSet = (key, value) => web('sessionStorage', (s) => s.setItem(key, value));
