// What localStorage last held under a key, according to IndexedDB.
//
// Chromium gives each renderer process its own copy of localStorage and delivers other processes'
// writes to it asynchronously: a tab granted the refresh lock just after another tab rotated the
// refresh token can still read the old one, and sending it makes the provider revoke the grant.
// IndexedDB commits in one global order. So every write to a localStorage-backed store records a
// fingerprint of the new value in IndexedDB before it returns (before the writer releases the
// lock), and a reader inside the lock waits briefly until localStorage shows that value.
import { WRITTEN, using, get, write, del } from './idb.js';
import { base64url, utf8 } from './encrypted.js';

/** 128 bits of SHA-256: enough to tell values apart, and not a copy of the value. `null` without
 * WebCrypto (insecure contexts): then nothing is recorded and nothing waited for. */
async function fingerprint(value) {
  try {
    return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(value))).subarray(0, 16));
  } catch {
    return null;
  }
}

/** @internal Records that `key` now holds `value` (`null`: removed). Best effort: without
 * IndexedDB there is nothing to record, and readers then take what they read. */
export async function record(key, value) {
  try {
    await using(async (db) => {
      const f = value == null ? null : await fingerprint(value);
      await (f === null ? del(db, WRITTEN, key) : write(db, WRITTEN, key, f, true));
    });
  } catch { /* best effort */ }
}

/** Whether `value` is what was recorded (`true` when nothing was). */
async function matches(recorded, value) {
  if (recorded == null) return true;
  if (value == null) return false;
  const f = await fingerprint(value);
  return f === null || f === recorded;
}

/** @internal `read()`, repeated until it returns the value last recorded for `key`, for at most
 * 100 × 20 ms (the copies agree within milliseconds); then the last read is returned as it is. */
export async function latest(key, read) {
  let recorded = await using((db) => get(db, WRITTEN, key)).catch(() => null);
  if (typeof recorded !== 'string') recorded = null;
  let value = await read();
  for (let i = 0; i < 100 && !(await matches(recorded, value)); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = await read();
  }
  return value;
}
