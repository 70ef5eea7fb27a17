// Authenticated storage for the persistent stores: AES-GCM through WebCrypto with a 256-bit key
// generated non-extractable and kept in IndexedDB as the CryptoKey itself (object store `keys`,
// one key per storage key). A stored value is `bo-enc1.` + base64url(12-byte IV || ciphertext
// and tag), with the storage key name as additional data, so an entry moved under another name
// fails.
//
// The key is read from IndexedDB at every use, never cached: IndexedDB commits in one order for
// every tab, so a key rotated in one tab (sign-in, sign-out) is the key every tab uses next; a
// cached one could open a replayed entry of a signed-out user. What it does not stop: script in
// the page can ask the same key to seal or open, and IndexedDB is not encrypted on disk.
import { KEYS, factory, using, get, write, del } from './idb.js';
import { fail } from './sealing-errors.js';

const PREFIX = 'bo-enc1.';
const GCM = 'AES-GCM';

const noSubtle = () => fail.missing('crypto.subtle');

/** `crypto.subtle` (secure contexts only). */
function subtle() {
  let s;
  try { s = globalThis.crypto.subtle; } catch { /* no crypto */ }
  if (s !== null && typeof s === 'object') return s;
  throw noSubtle();
}

/** @internal Fails early when WebCrypto or IndexedDB is missing (insecure context, sandboxes). */
export function available() {
  subtle();
  factory();
}

/** @internal */
export const utf8 = (text) => new TextEncoder().encode(text);

/** @internal base64url without padding. */
export function base64url(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Strict base64url without padding (the canonical encoding only), `null` otherwise. */
function decode(text) {
  if (/[^\w-]/.test(text)) return null;
  try {
    const bytes = Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    return base64url(bytes) === text ? bytes : null;
  } catch {
    return null;
  }
}

/** `v` if it is one of ours: a non-extractable AES-GCM CryptoKey. */
const ours = (v) => v instanceof CryptoKey && !v.extractable && v.algorithm.name === GCM;

/** The current key for storage key `name`, from IndexedDB (generated and stored on first use).
 * Two tabs racing on first use agree: only one `add` succeeds and the other reads it back. */
const keyFor = (name) => using(async (db) => {
  for (const first of [true, false]) {
    const found = await get(db, KEYS, name);
    if (ours(found)) return found;
    if (first) {
      let fresh;
      try {
        fresh = await subtle().generateKey({ name: GCM, length: 256 }, false, ['encrypt', 'decrypt']);
      } catch {
        throw noSubtle();
      }
      // Anything else stored under this name is replaced.
      if (await write(db, KEYS, name, fresh, found !== undefined).then(() => true, () => false)) return fresh;
    }
  }
  throw fail.unavailable();
});

const params = (iv, name) => ({ name: GCM, iv, additionalData: utf8(name) });

/** @internal Deletes the key of storage key `name`: every entry sealed with it becomes unreadable
 * (removed when next read) and the next seal generates a new key. Run at sign-in and sign-out. */
export const rotate = (name) => using((db) => del(db, KEYS, name));

/** @internal `plaintext` sealed for storage under `name`. */
export async function seal(name, plaintext) {
  const key = await keyFor(name);
  const iv = new Uint8Array(12);
  try {
    crypto.getRandomValues(iv);
  } catch {
    throw fail.noRandom();
  }
  let sealed;
  try {
    sealed = new Uint8Array(await subtle().encrypt(params(iv, name), key, utf8(plaintext)));
  } catch {
    throw noSubtle();
  }
  const bytes = new Uint8Array(12 + sealed.length);
  bytes.set(iv);
  bytes.set(sealed, 12);
  return PREFIX + base64url(bytes);
}

/** @internal The value stored under `name`, opened. A plaintext, garbled, edited or moved entry,
 * or one sealed with another key, is OAUTH_STORED_ENTRY_INVALID. */
export async function openEntry(name, stored) {
  if (!stored.startsWith(PREFIX)) throw fail.invalid('not an encrypted entry');
  const bytes = decode(stored.slice(PREFIX.length));
  if (!bytes) throw fail.invalid('encrypted entry is not base64url');
  if (bytes.length < 28) throw fail.invalid('encrypted entry is too short');
  const key = await keyFor(name);
  const s = subtle();
  let plain;
  try {
    plain = new Uint8Array(await s.decrypt(params(bytes.subarray(0, 12), name), key, bytes.subarray(12)));
  } catch {
    throw fail.invalid('encrypted entry does not decrypt');
  }
  try {
    // ignoreBOM: a leading U+FEFF is part of the value.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(plain);
  } catch {
    throw fail.invalid('decrypted entry is not utf-8');
  } finally {
    plain.fill(0);
  }
}
