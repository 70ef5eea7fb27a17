// Where the session (account and tokens) is kept, behind one interface: memory (the default, gone
// with the page), sessionStorage (this tab, survives reloads), localStorage (every tab, survives
// restarts; only when the app asks: XSS can read it), or an adapter object with `get(key)`,
// `set(key, value)` and `remove(key)` that may return promises (`chrome.storage.session`,
// IndexedDB, a worker). Persistent stores are sealed (see encrypted.js) unless the app opts out
// loudly with `storageIntegrity: 'none-unsafe'`. The options are checked by storage.js, which a
// signed-out page loads without this file. Sealing and the lagging-copy wait come from
// sealing.js, loaded only by the stores that use them.
import {
  BrowserOAuthError, INVALID, invalid, missing, unavailable, memory, method, needsSealing, sealingCode, storageOptions, web,
} from '../session-lib.js';

/** sealing.js, given the typed errors it throws. */
const loadSealing = () => sealingCode().then((m) => {
  m.useErrors({
    invalid,
    missing,
    unavailable,
    noRandom: () => new BrowserOAuthError('OAUTH_RANDOM_UNAVAILABLE', 'the random number generator is unavailable'),
  });
  return m;
}, (e) => {
  throw new BrowserOAuthError('OAUTH_INIT_FAILED', `could not load the sealing code: ${e?.message ?? e}`);
});

/**
 * @internal The raw stored value of `key` now, read synchronously; `undefined` for adapters
 * (they answer asynchronously) or when storage throws. getToken's cache compares it with the value
 * it validated, so that any write by anyone (another tab, page script) is validated again.
 */
export function peek({ kind }, key) {
  if (kind === 'adapter') return undefined;
  try {
    return kind === 'memory' ? memory.get(key) ?? null : web(`${kind}Storage`, (s) => s.getItem(key));
  } catch {
    return undefined;
  }
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

/** The store `config` asks for (see storage.js `storageOptions`). */
export const storeFromOptions = (config) => openStore(storageOptions(config));

/** The store of checked `options` (`storageOptions`). */
export const openStore = ({ kind, sealed, adapter }) => build(kind, sealed, adapter);

/**
 * A store of `kind`, its values `sealed` or plain, over `adapter` for `'adapter'`. All methods
 * are async; values are strings; `get` answers `null` when there is none.
 */
function build(kind, sealed, adapter) {
  // localStorage, plain or sealed: shared by every tab, but each renderer process reads its own
  // copy (see written.js). Adapters answer from one place.
  const lags = kind === 'local';
  const name = `${kind}Storage`;
  // sealing.js, asked for now (js/client.js has usually asked already) so that the first read
  // does not wait for it; a failed load is tried again at the next use.
  let sealing = needsSealing({ kind, sealed }) ? loadSealing() : null;
  sealing?.catch(() => {});
  const using = async (f) => {
    let m;
    try {
      m = await sealing;
    } catch {
      m = await (sealing = loadSealing());
    }
    return f(m);
  };
  const record = (key, value) => using((m) => m.record(key, value));
  const latest = (key, read) => using((m) => m.latest(key, read));
  const openEntry = (key, stored) => using((m) => m.openEntry(key, stored));

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
      const stored = sealed ? await using((m) => m.seal(key, value)) : value;
      await put(key, stored);
      if (lags) await record(key, stored);
    },
    remove,
    /** The raw stored value of `key` now, read synchronously (see storage.js). */
    peek: (key) => peek({ kind }, key),
    /** Replaces the key that seals `key`, so that no entry written before can be read again
     * (nothing for a plain store). Run under the cross-tab lock when a sign-in begins and ends. */
    async rotate(key) {
      if (sealed) await using((m) => m.rotate(key));
    },
  };
}
