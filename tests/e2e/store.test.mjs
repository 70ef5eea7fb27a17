// The session storage layer in JS (js/platform/*.js) in headless Chromium: every store reads
// back what it wrote, persistent stores are sealed (AES-GCM, a non-extractable key in IndexedDB)
// and refuse and purge every forged, edited, moved, garbage or replayed entry, a lagging
// localStorage copy is waited for, the refresh lock serialises (Web Locks, else an in-page
// queue), and options are read from own properties only. Ported from the wasm tests
// tests/browser_encrypted_store.rs and the store and lock tests of tests/browser_session.rs;
// no wasm is loaded. Each test runs in a fresh browser context (its own storage and IndexedDB).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';

import { ROOT } from './harness.mjs';
import { startStaticServer } from '../../www/dev/server.mjs';
import { launchChromium } from '../../www/dev/browser.mjs';

const OPTS = { timeout: 60_000 };
const ACCESS_TOKEN = 'at-7Hq2xVb9Lm4pRz8sKd1wYc5Ne3Tg6Uj0';
const REFRESH_TOKEN = 'rt-Zk3mQ8vN1bX6cR4tY9wP2sL7dF5gH0aJ';
const PLAINTEXT = `{"v":1,"refresh_token":"${REFRESH_TOKEN}","tokens":[{"access_token":"${ACCESS_TOKEN}"}]}`;
const INVALID = 'OAUTH_STORED_ENTRY_INVALID';
const PURGED = 'a stored session entry was invalid and removed: ';

let server;
let browser;

before(async () => {
  server = await startStaticServer({ root: ROOT });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Puts the modules and small helpers on the page's `window` (again after a reload). */
function setUp(page) {
  return page.evaluate(async () => {
    // What js/client.js hands the session's chunk when it loads it (js/session-lib.js).
    (await import('/js/session-lib.js')).useLib((await import('/js/session-deps.js')).SESSION_LIB);
    window.S = { ...(await import('/js/platform/store.js')), ...(await import('/js/platform/storage.js')), ...(await import('/js/redirect.js')) };
    window.E = await import('/js/platform/encrypted.js');
    window.L = await import('/js/platform/locks.js');
    const outcome = (e) => ({ code: e?.code, message: e?.message, name: e?.name });
    /** `{ value }` or `{ code, message, name }` of what `f()` returned, awaited, or threw. */
    window.settle = async (f) => {
      try {
        return { value: await f() };
      } catch (e) {
        return outcome(e);
      }
    };
    /** The same for a synchronous `f`: a thrown error, not a rejected promise. */
    window.now = (f) => {
      try {
        const value = f();
        return { value, promise: value instanceof Promise };
      } catch (e) {
        return outcome(e);
      }
    };
    window.sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });
    window.unb64 = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    window.b64 = (bytes) => E.base64url(bytes);
    /** Runs `f(db)` on the library's IndexedDB database. */
    const db = (f) => new Promise((resolve, reject) => {
      const open = indexedDB.open('browser-oauth');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const d = open.result;
        Promise.resolve(f(d)).then((v) => { d.close(); resolve(v); }, (e) => { d.close(); reject(e); });
      };
    });
    const request = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    const commit = (tx) => new Promise((resolve, reject) => { tx.oncomplete = () => resolve(); tx.onerror = () => reject(tx.error); });
    /** The value IndexedDB holds as the key of storage key `name`. */
    window.storedKey = (name) => db((d) => request(d.transaction('keys').objectStore('keys').get(name)));
    window.putKey = (name, key) => db((d) => { const tx = d.transaction('keys', 'readwrite'); tx.objectStore('keys').put(key, name); return commit(tx); });
    window.clearKeys = () => db((d) => { const tx = d.transaction('keys', 'readwrite'); tx.objectStore('keys').clear(); return commit(tx); });
    /** `plaintext` sealed in the library's format with `key`, independently of the library. */
    window.sealWith = async (key, name, plaintext) => {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const sealed = new Uint8Array(await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(name) }, key, new TextEncoder().encode(plaintext)));
      return `bo-enc1.${b64(new Uint8Array([...iv, ...sealed]))}`;
    };
  });
}

/** A fresh context (storage and IndexedDB of its own) with a page on the blank page. */
async function fresh(t) {
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(`${server.origin}/www/dev/blank.html`);
  await setUp(page);
  return page;
}

// ---- Sealed stores (tests/browser_encrypted_store.rs) ---------------------------------------------

test('local round trip keeps only ciphertext in storage', OPTS, async (t) => {
  const page = await fresh(t);
  const r = await page.evaluate(async ({ name, PLAINTEXT }) => {
    const store = S.storeFromOptions({ storage: 'local' });
    await store.set(name, PLAINTEXT);
    const read = await store.get(name);
    const stored = localStorage.getItem(name);
    await store.set(name, PLAINTEXT);
    const again = localStorage.getItem(name);
    const readAgain = await store.get(name);
    await store.remove(name);
    return {
      kind: store.kind, sealed: store.sealed, read, stored, again, readAgain,
      length: unb64(stored.slice('bo-enc1.'.length)).length,
      removed: localStorage.getItem(name), readRemoved: await store.get(name),
    };
  }, { name: 'browser-oauth:session:enc-round-trip@https://op.example', PLAINTEXT });
  assert.equal(r.kind, 'local');
  assert.equal(r.sealed, true);
  assert.equal(r.read, PLAINTEXT);
  assert.notEqual(r.stored, PLAINTEXT);
  assert.match(r.stored, /^bo-enc1\.[A-Za-z0-9_-]+$/, 'versioned prefix, base64url without padding');
  for (const secret of [ACCESS_TOKEN, REFRESH_TOKEN, 'at-7Hq2', 'rt-Zk3m', 'access_token', 'refresh_token', 'tokens']) {
    assert.equal(r.stored.includes(secret), false, `${secret} is readable in storage`);
  }
  assert.equal(r.length, 12 + PLAINTEXT.length + 16, 'IV || ciphertext || tag');
  // A fresh IV on every write: the same value never gives the same ciphertext.
  assert.notEqual(r.again, r.stored);
  assert.equal(r.readAgain, PLAINTEXT);
  assert.equal(r.removed, null);
  assert.equal(r.readRemoved, null);
});

test('session storage and adapters are encrypted too', OPTS, async (t) => {
  const page = await fresh(t);
  const r = await page.evaluate(async ({ name, PLAINTEXT }) => {
    const session = S.storeFromOptions({ storage: 'session' });
    await session.set(name, PLAINTEXT);
    const inSession = sessionStorage.getItem(name);
    const readSession = await session.get(name);
    await session.remove(name);
    const m = new Map();
    const adapter = S.storeFromOptions({ storage: { get: async (k) => m.get(k) ?? null, set: async (k, v) => { m.set(k, v); }, remove: async (k) => { m.delete(k); } } });
    await adapter.set(name, PLAINTEXT);
    return { session: session.sealed, inSession, readSession, left: sessionStorage.getItem(name), adapter: adapter.sealed, kind: adapter.kind, held: m.get(name), readAdapter: await adapter.get(name) };
  }, { name: 'browser-oauth:session:enc-other-stores@https://op.example', PLAINTEXT });
  assert.equal(r.session, true);
  assert.match(r.inSession, /^bo-enc1\./);
  assert.equal(r.readSession, PLAINTEXT);
  assert.equal(r.left, null);
  assert.equal(r.adapter, true);
  assert.equal(r.kind, 'adapter');
  assert.match(r.held, /^bo-enc1\./);
  assert.equal(r.held.includes(ACCESS_TOKEN), false);
  assert.equal(r.readAdapter, PLAINTEXT);
});

// Store::encrypted also refused a sealed store inside a sealed store; no option can ask for that.
test('memory encryption is refused', OPTS, async (t) => {
  const page = await fresh(t);
  const r = await page.evaluate(() => [now(() => S.storeFromOptions({ encrypt: true })), now(() => S.storeFromOptions({ storage: 'memory', encrypt: true }))]);
  for (const refused of r) {
    assert.deepEqual(refused, { code: 'OAUTH_INVALID_OPTION', message: 'option encrypt is invalid: needs session, local or an adapter storage', name: 'BrowserOAuthError' });
  }
});

test('the key is a non-extractable AES-GCM CryptoKey in IndexedDB', OPTS, async (t) => {
  const page = await fresh(t);
  const summary = await page.evaluate(async (name) => {
    await S.storeFromOptions({ storage: 'local' }).set(name, 'x');
    const key = await storedKey(name);
    const exportRejects = async (format) => crypto.subtle.exportKey(format, key).then(() => false, () => true);
    return {
      cryptoKey: key instanceof CryptoKey,
      extractable: key.extractable,
      algorithm: key.algorithm.name,
      length: key.algorithm.length,
      usages: [...key.usages].sort(),
      rawExportRejects: await exportRejects('raw'),
      jwkExportRejects: await exportRejects('jwk'),
      version: await new Promise((resolve) => { const o = indexedDB.open('browser-oauth'); o.onsuccess = () => { resolve([o.result.version, [...o.result.objectStoreNames]]); o.result.close(); }; }),
    };
  }, 'browser-oauth:session:enc-key@https://op.example');
  assert.deepEqual(summary, {
    cryptoKey: true, extractable: false, algorithm: 'AES-GCM', length: 256, usages: ['decrypt', 'encrypt'],
    rawExportRejects: true, jwkExportRejects: true, version: [2, ['keys', 'written']],
  });
});

test('the format is IV then ciphertext with the storage key as additional data', OPTS, async (t) => {
  // Decrypted independently with the stored key: the layout the docs describe.
  const page = await fresh(t);
  const r = await page.evaluate(async ({ name, PLAINTEXT }) => {
    await S.storeFromOptions({ storage: 'local' }).set(name, PLAINTEXT);
    const bytes = unb64(localStorage.getItem(name).slice('bo-enc1.'.length));
    const key = await storedKey(name);
    const decrypt = (aad) => crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.slice(0, 12), additionalData: new TextEncoder().encode(aad) }, key, bytes.slice(12))
      .then((plain) => new TextDecoder().decode(plain), (e) => e.name);
    return [await decrypt(name), await decrypt('browser-oauth:session:other@https://op.example')];
  }, { name: 'browser-oauth:session:enc-format@https://op.example', PLAINTEXT });
  assert.deepEqual(r, [PLAINTEXT, 'OperationError']);
});

test('an entry moved under another storage key fails', OPTS, async (t) => {
  const page = await fresh(t);
  const r = await page.evaluate(async ({ PLAINTEXT }) => {
    const here = 'browser-oauth:session:enc-moved-a@https://op.example';
    const there = 'browser-oauth:session:enc-moved-b@https://op.example';
    const elsewhere = 'browser-oauth:session:enc-moved-c@https://other.example';
    const store = S.storeFromOptions({ storage: 'local' });
    await store.set(here, PLAINTEXT);
    await store.set(there, '{}');
    const copied = localStorage.getItem(here);
    const out = [];
    for (const target of [there, elsewhere]) {
      localStorage.setItem(target, copied);
      out.push({ ...await settle(() => store.get(target)), left: localStorage.getItem(target) });
    }
    return { out, original: await store.get(here) };
  }, { PLAINTEXT });
  for (const refused of r.out) {
    assert.deepEqual(refused, { code: INVALID, message: `${PURGED}encrypted entry does not decrypt`, name: 'BrowserOAuthError', left: null });
  }
  assert.equal(r.original, PLAINTEXT, 'the original still reads');
});

test('a flipped bit anywhere fails', OPTS, async (t) => {
  const page = await fresh(t);
  const r = await page.evaluate(async ({ name, PLAINTEXT }) => {
    const store = S.storeFromOptions({ storage: 'local' });
    await store.set(name, PLAINTEXT);
    const original = localStorage.getItem(name);
    const bytes = unb64(original.slice('bo-enc1.'.length));
    const refused = async (what, value) => {
      localStorage.setItem(name, value);
      const got = await settle(() => store.get(name));
      return got.code === 'OAUTH_STORED_ENTRY_INVALID' && localStorage.getItem(name) === null ? null : { what, got };
    };
    const failures = [];
    // Every byte: the IV, the ciphertext and the tag.
    for (let i = 0; i < bytes.length; i += 1) {
      const edited = bytes.slice();
      edited[i] ^= 0x01;
      failures.push(await refused(`byte ${i}`, `bo-enc1.${b64(edited)}`));
    }
    // One character of the stored text, as someone editing the entry by hand would.
    const middle = Math.floor(original.length / 2);
    failures.push(await refused('one character', `${original.slice(0, middle)}${original[middle] === 'A' ? 'B' : 'A'}${original.slice(middle + 1)}`));
    // Truncated, or with a byte appended.
    failures.push(await refused('truncated', `bo-enc1.${b64(bytes.slice(0, -1))}`));
    failures.push(await refused('extended', `bo-enc1.${b64(new Uint8Array([...bytes, 0]))}`));
    localStorage.setItem(name, original);
    return { checked: failures.length, failures: failures.filter(Boolean), untouched: await store.get(name) };
  }, { name: 'browser-oauth:session:enc-flipped@https://op.example', PLAINTEXT });
  assert.equal(r.checked, 12 + PLAINTEXT.length + 16 + 3);
  assert.deepEqual(r.failures, []);
  assert.equal(r.untouched, PLAINTEXT, 'the untouched entry still reads');
});

test('garbage never panics: every case is refused and removed', OPTS, async (t) => {
  const page = await fresh(t);
  const r = await page.evaluate(async ({ name, PLAINTEXT }) => {
    const store = S.storeFromOptions({ storage: 'local' });
    await store.set(name, PLAINTEXT);
    const body = localStorage.getItem(name).slice('bo-enc1.'.length);
    const cases = [
      '',
      'bo-enc1',
      'bo-enc1.',
      'bo-enc1.=',
      'bo-enc1.!!!!',
      'bo-enc1.AAAA',
      `bo-enc1.${'A'.repeat(36)}`, // 27 bytes: one short of IV and tag
      `bo-enc1.${'A'.repeat(37)}`, // no whole number of bytes
      `bo-enc1.${'A'.repeat(38)}`, // 28 bytes: an empty ciphertext with a wrong tag
      `bo-enc1.${body}=`,
      // The standard alphabet (a `+` added in the rare body that has neither `-` nor `_`).
      `bo-enc1.${body.includes('-') || body.includes('_') ? body.replace(/-/g, '+').replace(/_/g, '/') : `+${body}`}`,
      `bo-enc1. ${body}`,
      `BO-ENC1.${body}`,
      `bo-enc2.${body}`,
      `bo-enc1.${body}.${body}`,
      `bo-enc1.${'A'.repeat(200_000)}`,
      'bo-enc1.\u0000\uffffé🙂',
      'null',
      '{}',
    ];
    const out = [];
    for (const value of cases) {
      localStorage.setItem(name, value);
      const got = await settle(() => store.get(name));
      out.push([value.slice(0, 40), got.code, got.message, localStorage.getItem(name)]);
    }
    return out;
  }, { name: 'browser-oauth:session:enc-garbage@https://op.example', PLAINTEXT });
  const reasons = r.map(([value, code, message, left]) => {
    assert.equal(code, INVALID, value);
    assert.equal(left, null, `${value}: removed`);
    return message.slice(PURGED.length);
  });
  assert.deepEqual(reasons, [
    'not an encrypted entry', 'not an encrypted entry', 'encrypted entry is too short', 'encrypted entry is not base64url',
    'encrypted entry is not base64url', 'encrypted entry is too short', 'encrypted entry is too short', 'encrypted entry is not base64url',
    'encrypted entry does not decrypt', 'encrypted entry is not base64url', 'encrypted entry is not base64url',
    'encrypted entry is not base64url', 'not an encrypted entry', 'not an encrypted entry', 'encrypted entry is not base64url',
    'encrypted entry does not decrypt', 'encrypted entry is not base64url', 'not an encrypted entry', 'not an encrypted entry',
  ]);
});

test('plaintext where ciphertext is expected is purged by the store', OPTS, async (t) => {
  const page = await fresh(t);
  const r = await page.evaluate(async ({ name, PLAINTEXT }) => {
    const store = S.storeFromOptions({ storage: 'local' });
    await store.set(name, PLAINTEXT);
    const before = await store.get(name);
    // A valid plaintext session, as written without encryption (or planted by hand).
    localStorage.setItem(name, PLAINTEXT);
    return { before, planted: await settle(() => store.get(name)), left: localStorage.getItem(name), after: await store.get(name) };
  }, { name: 'browser-oauth:session:enc-app@https://op.example', PLAINTEXT });
  assert.equal(r.before, PLAINTEXT);
  assert.deepEqual(r.planted, { code: INVALID, message: `${PURGED}not an encrypted entry`, name: 'BrowserOAuthError' });
  assert.equal(r.left, null, 'purged');
  assert.equal(r.after, null);
});

test('a new page state decrypts with the key kept in IndexedDB', OPTS, async (t) => {
  const page = await fresh(t);
  const name = 'browser-oauth:session:enc-reload@https://op.example';
  await page.evaluate(({ name, PLAINTEXT }) => S.storeFromOptions({ storage: 'local' }).set(name, PLAINTEXT), { name, PLAINTEXT });
  // A reload: nothing cached, new modules, a new store; the key comes back from IndexedDB.
  await page.reload();
  await setUp(page);
  const r = await page.evaluate(async ({ name, PLAINTEXT }) => {
    const next = S.storeFromOptions({ storage: 'local' });
    const read = await next.get(name);
    // Without its key (IndexedDB cleared on its own) the entry is invalid, and the next write
    // works with a new key.
    await clearKeys();
    const keyless = await settle(() => next.get(name));
    const left = localStorage.getItem(name);
    await next.set(name, PLAINTEXT);
    return { read, keyless, left, rewritten: await S.storeFromOptions({ storage: 'local' }).get(name) };
  }, { name, PLAINTEXT });
  assert.equal(r.read, PLAINTEXT);
  assert.deepEqual(r.keyless, { code: INVALID, message: `${PURGED}encrypted entry does not decrypt`, name: 'BrowserOAuthError' });
  assert.equal(r.left, null);
  assert.equal(r.rewritten, PLAINTEXT);
});

test('pages racing on first use agree on one key', OPTS, async (t) => {
  const page = await fresh(t);
  const r = await page.evaluate(async (name) => {
    const texts = ['one', 'two', 'three'];
    const sealed = await Promise.all(texts.map((text) => E.seal(name, text)));
    return Promise.all(sealed.map((value) => settle(() => E.openEntry(name, value))));
  }, 'browser-oauth:session:enc-race@https://op.example');
  assert.deepEqual(r, [{ value: 'one' }, { value: 'two' }, { value: 'three' }]);
});

test('without IndexedDB encryption is unavailable', OPTS, async (t) => {
  const page = await fresh(t);
  const r = await page.evaluate(() => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'indexedDB');
    Object.defineProperty(globalThis, 'indexedDB', { value: undefined, configurable: true });
    const refused = ['local', 'session', { get() {}, set() {}, remove() {} }].map((storage) => now(() => S.storeFromOptions({ storage })));
    const optedOut = now(() => S.storeFromOptions({ storage: 'local', storageIntegrity: 'none-unsafe' }).sealed);
    if (saved) Object.defineProperty(globalThis, 'indexedDB', saved); else delete globalThis.indexedDB;
    return { refused, optedOut, restored: now(() => S.storeFromOptions({ storage: 'local' }).sealed) };
  });
  for (const refused of r.refused) {
    assert.deepEqual(refused, { code: 'OAUTH_PLATFORM_UNAVAILABLE', message: 'indexedDB is not available in this context', name: 'BrowserOAuthError' }, 'thrown at once, not a rejection');
  }
  assert.deepEqual(r.optedOut, { value: false, promise: false });
  assert.deepEqual(r.restored, { value: true, promise: false });
});

test('a forged session is refused and purged in every persistent store by default', OPTS, async (t) => {
  const page = await fresh(t);
  const r = await page.evaluate(async ({ key, forged }) => {
    const map = new Map();
    const adapter = { get: (k) => map.get(k), set: (k, v) => { map.set(k, v); }, remove: (k) => { map.delete(k); } };
    const areas = {
      session: { storage: 'session', raw: () => sessionStorage.getItem(key), plant: (v) => sessionStorage.setItem(key, v) },
      local: { storage: 'local', raw: () => localStorage.getItem(key), plant: (v) => localStorage.setItem(key, v) },
      adapter: { storage: adapter, raw: () => map.get(key) ?? null, plant: (v) => map.set(key, v) },
    };
    const out = {};
    for (const [area, { storage, raw, plant }] of Object.entries(areas)) {
      const store = S.storeFromOptions({ storage });
      plant(forged);
      const got = await settle(() => store.get(key));
      const purged = raw();
      // What the library itself wrote still reads; made-up ciphertext does not.
      await store.set(key, forged);
      const own = await store.get(key);
      plant(`bo-enc1.${b64(new Uint8Array(64).fill(7))}`);
      const madeUp = await settle(() => store.get(key));
      out[area] = { sealed: store.sealed, got, purged, own, madeUp, madeUpPurged: raw() };
    }
    // Memory stays as it is; the loud opt-out keeps plain storage; the two opposite asks clash.
    out.memory = now(() => S.storeFromOptions({}).sealed);
    out.optOut = now(() => S.storeFromOptions({ storage: 'local', storageIntegrity: 'none-unsafe' }).sealed);
    out.clash = now(() => S.storeFromOptions({ storage: 'local', storageIntegrity: 'none-unsafe', encrypt: true }));
    out.memoryEncrypt = now(() => S.storeFromOptions({ storage: 'memory', encrypt: true }).code);
    return out;
  }, { key: 'browser-oauth:session:enc-app@https://op.example', forged: PLAINTEXT.replace(ACCESS_TOKEN, 'at-forged') });
  for (const area of ['session', 'local', 'adapter']) {
    const a = r[area];
    assert.equal(a.sealed, true, `${area}: sealed by default`);
    assert.deepEqual(a.got, { code: INVALID, message: `${PURGED}not an encrypted entry`, name: 'BrowserOAuthError' }, area);
    assert.equal(a.purged, null, `${area}: purged`);
    assert.equal(a.own, PLAINTEXT.replace(ACCESS_TOKEN, 'at-forged'), area);
    assert.deepEqual(a.madeUp, { code: INVALID, message: `${PURGED}encrypted entry does not decrypt`, name: 'BrowserOAuthError' }, `${area}: made-up ciphertext`);
    assert.equal(a.madeUpPurged, null, `${area}: purged`);
  }
  assert.deepEqual(r.memory, { value: false, promise: false });
  assert.deepEqual(r.optOut, { value: false, promise: false });
  assert.deepEqual(r.clash, { code: 'OAUTH_INVALID_OPTION', message: 'option storageIntegrity is invalid: none-unsafe contradicts encrypt', name: 'BrowserOAuthError' });
  assert.equal(r.memoryEncrypt.code, 'OAUTH_INVALID_OPTION');
});

test('without WebCrypto a persistent store is refused at configuration', OPTS, async (t) => {
  const page = await fresh(t);
  const r = await page.evaluate(() => {
    const saved = Object.getOwnPropertyDescriptor(Crypto.prototype, 'subtle');
    Object.defineProperty(Crypto.prototype, 'subtle', { get: () => undefined, configurable: true });
    const refused = now(() => S.storeFromOptions({ storage: 'session' }));
    const memory = now(() => S.storeFromOptions({}).kind);
    Object.defineProperty(Crypto.prototype, 'subtle', saved);
    return { refused, memory, restored: now(() => S.storeFromOptions({ storage: 'session' }).sealed) };
  });
  assert.deepEqual(r.refused, { code: 'OAUTH_PLATFORM_UNAVAILABLE', message: 'crypto.subtle is not available in this context', name: 'BrowserOAuthError' });
  assert.deepEqual(r.memory, { value: 'memory', promise: false });
  assert.deepEqual(r.restored, { value: true, promise: false });
});

test("an entry sealed with another profile's key is refused", OPTS, async (t) => {
  // Sealed in page script with a key of its own, in the library's exact format.
  const page = await fresh(t);
  const r = await page.evaluate(async ({ name, PLAINTEXT }) => {
    const store = S.storeFromOptions({ storage: 'local' });
    await store.set(name, PLAINTEXT);
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt']);
    const foreign = await sealWith(key, name, PLAINTEXT);
    localStorage.setItem(name, foreign);
    return { foreign, got: await settle(() => store.get(name)), left: localStorage.getItem(name) };
  }, { name: 'browser-oauth:session:enc-profile@https://op.example', PLAINTEXT });
  assert.match(r.foreign, /^bo-enc1\./);
  assert.deepEqual(r.got, { code: INVALID, message: `${PURGED}encrypted entry does not decrypt`, name: 'BrowserOAuthError' });
  assert.equal(r.left, null);
});

test('an entry of a signed-out user is refused after the next sign-in', OPTS, async (t) => {
  // The session rotates the key at sign-out and at sign-in, under its lock; here the store alone.
  const page = await fresh(t);
  const r = await page.evaluate(async (key) => {
    const store = S.storeFromOptions({ storage: 'local' });
    await store.set(key, 'alice');
    const alices = localStorage.getItem(key);
    // Sign-out: removed, key rotated.
    await store.remove(key);
    await store.rotate(key);
    // Sign-in of bob: key rotated, entry written.
    await store.rotate(key);
    await store.set(key, 'bob');
    const bobs = localStorage.getItem(key);
    const bob = await store.get(key);
    // Alice's entry put back: refused and purged, not served.
    localStorage.setItem(key, alices);
    const alice = await settle(() => store.get(key));
    const alicePurged = localStorage.getItem(key);
    // Bob's entry put back within the same sign-in still reads; not after the next sign-in.
    localStorage.setItem(key, bobs);
    const bobAgain = await store.get(key);
    await store.rotate(key);
    await store.set(key, 'bob-2');
    localStorage.setItem(key, bobs);
    const previous = await settle(() => store.get(key));
    return { bob, alice, alicePurged, bobAgain, previous, left: localStorage.getItem(key) };
  }, 'browser-oauth:session:enc-app@https://op.example');
  assert.equal(r.bob, 'bob');
  assert.equal(r.alice.code, INVALID);
  assert.equal(r.alicePurged, null);
  assert.equal(r.bobAgain, 'bob');
  assert.equal(r.previous.code, INVALID, "the previous sign-in's entry");
  assert.equal(r.left, null);
});

test('a key rotated in another tab is used at once and the old entry refused', OPTS, async (t) => {
  // No key is cached in the page, so none can be stale.
  const page = await fresh(t);
  const r = await page.evaluate(async (name) => {
    const store = S.storeFromOptions({ storage: 'local' });
    await store.set(name, 'before');
    const before = localStorage.getItem(name);
    const first = await store.get(name);
    // The other tab, through IndexedDB alone: a new key stored, an entry sealed with it.
    const fresh = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    await putKey(name, fresh);
    localStorage.setItem(name, await sealWith(fresh, name, 'after'));
    const after = await settle(() => store.get(name));
    localStorage.setItem(name, before);
    const old = await settle(() => store.get(name));
    return { first, after, old, left: localStorage.getItem(name) };
  }, 'browser-oauth:session:enc-other-tab@https://op.example');
  assert.equal(r.first, 'before');
  assert.deepEqual(r.after, { value: 'after' }, 'opened with the rotated key, not purged');
  assert.equal(r.old.code, INVALID, 'sealed with the key before the rotation');
  assert.equal(r.left, null);
});

test('an entry replaced while the old one failed to open is opened, not removed', OPTS, async (t) => {
  // A sign-in in another tab rotates the key and writes a new entry while this page reads the
  // old one: by the time the old one would be removed the new one is there, and removing it
  // would sign every tab out.
  const page = await fresh(t);
  const r = await page.evaluate(async (name) => {
    // The adapter's first read after `stale(v)` returns `v`, as a read that raced the other tab.
    const m = new Map();
    const removed = [];
    let stale = null;
    const store = S.storeFromOptions({
      storage: {
        get: (k) => { if (stale !== null) { const v = stale; stale = null; return v; } return m.get(k); },
        set: (k, v) => { m.set(k, v); },
        remove: (k) => { removed.push(k); m.delete(k); },
      },
    });
    await store.set(name, 'old session');
    const oldSealed = m.get(name);
    await store.rotate(name);
    await store.set(name, 'new session');
    stale = oldSealed;
    const got = await settle(() => store.get(name));
    const removedThen = removed.length;
    // Control: the same stale read with nothing newer stored is refused and removed.
    const current = m.get(name);
    await store.rotate(name);
    stale = current;
    const control = await settle(() => store.get(name));
    return { got, removedThen, control, removed: removed.length };
  }, 'browser-oauth:session:enc-race@https://op.example');
  assert.deepEqual(r.got, { value: 'new session' });
  assert.equal(r.removedThen, 0, 'nothing was removed');
  assert.equal(r.control.code, INVALID);
  assert.equal(r.removed, 1, 'the entry that no longer opens is removed');
});

// ---- Stores and the lock (tests/browser_session.rs) ------------------------------------------------

test('every store reads back what it wrote', OPTS, async (t) => {
  const page = await fresh(t);
  const r = await page.evaluate(async () => {
    const roundTrip = async (options) => {
      const store = S.storeFromOptions(options);
      const seen = [];
      await store.set('browser-oauth:t', 'v1');
      seen.push(await store.get('browser-oauth:t'));
      await store.set('browser-oauth:t', 'v2');
      seen.push(await store.get('browser-oauth:t'), await store.getLatest('browser-oauth:t'));
      await store.remove('browser-oauth:t');
      seen.push(await store.get('browser-oauth:t'), await store.getLatest('browser-oauth:t'));
      return [store.kind, store.sealed, ...seen];
    };
    const syncAdapter = () => {
      const m = new Map();
      return { get: (k) => m.get(k), set: (k, v) => { m.set(k, v); }, remove: (k) => { m.delete(k); } };
    };
    const asyncAdapter = () => {
      const m = new Map();
      const later = (f) => new Promise((resolve) => { setTimeout(() => resolve(f()), 1); });
      return { get: (k) => later(() => m.get(k) ?? null), set: (k, v) => later(() => { m.set(k, v); }), remove: (k) => later(() => { m.delete(k); }) };
    };
    const out = [await roundTrip({}), await roundTrip({ storage: 'memory' })];
    for (const storageIntegrity of ['none-unsafe', undefined]) {
      for (const storage of ['session', 'local', syncAdapter(), asyncAdapter()]) out.push(await roundTrip({ storage, storageIntegrity }));
    }
    return out;
  });
  const each = (kind, sealed) => [kind, sealed, 'v1', 'v2', 'v2', null, null];
  assert.deepEqual(r, [
    each('memory', false), each('memory', false),
    each('session', false), each('local', false), each('adapter', false), each('adapter', false),
    each('session', true), each('local', true), each('adapter', true), each('adapter', true),
  ]);
});

test('broken adapters are typed errors', OPTS, async (t) => {
  const page = await fresh(t);
  const r = await page.evaluate(async () => {
    const plain = (storage) => S.storeFromOptions({ storage, storageIntegrity: 'none-unsafe' });
    const noMethods = now(() => plain({}));
    const notFunctions = now(() => plain({ get: 1, set() {}, remove() {} }));
    const throwingGetter = now(() => plain({ get get() { throw new Error('getter'); }, set() {}, remove() {} }));
    // The methods are looked up at every call: one gone later is the same error, then.
    const shrinking = { get() {}, set() {}, remove() {} };
    const shrunk = plain(shrinking);
    delete shrinking.get;
    const gone = await settle(() => shrunk.get('k'));
    const throwing = { get() { throw new Error('boom'); }, set() { return Promise.reject(new Error('no')); }, remove() {} };
    const wrongType = { get: () => 42, set() {}, remove() {} };
    return {
      noMethods, notFunctions, throwingGetter, gone,
      get: await settle(() => plain(throwing).get('k')),
      set: await settle(() => plain(throwing).set('k', 'v')),
      sealedGet: await settle(() => S.storeFromOptions({ storage: throwing }).get('k')),
      sealedSet: await settle(() => S.storeFromOptions({ storage: throwing }).set('k', 'v')),
      wrongType: await settle(() => plain(wrongType).get('k')),
      // A thenable is not a promise: what it is, not what it resolves to, is the answer.
      thenable: await settle(() => plain({ get: () => ({ then: (resolve) => resolve('v') }), set() {}, remove() {} }).get('k')),
    };
  });
  const notAdapter = { code: 'OAUTH_INVALID_OPTION', message: 'option storage is invalid: adapter needs get, set and remove functions', name: 'BrowserOAuthError' };
  const unavailable = { code: 'OAUTH_STORAGE_UNAVAILABLE', message: 'browser storage is unavailable', name: 'BrowserOAuthError' };
  assert.deepEqual(r.noMethods, notAdapter);
  assert.deepEqual(r.notFunctions, notAdapter);
  assert.deepEqual(r.throwingGetter, unavailable);
  assert.deepEqual(r.gone, notAdapter);
  for (const what of ['get', 'set', 'sealedGet', 'sealedSet']) assert.deepEqual(r[what], unavailable, what);
  const nonString = { code: INVALID, message: `${PURGED}adapter returned a non-string`, name: 'BrowserOAuthError' };
  assert.deepEqual(r.wrongType, nonString);
  assert.deepEqual(r.thenable, nonString);
});

/** Starts three sections at once (each logs start and end around a sleep) and returns the log and
 * their results; `lock` false runs them without the lock: the control showing the check can fail. */
function threeConcurrentSections(page, lock) {
  return page.evaluate(async (lock) => {
    const log = [];
    const body = (ms) => async () => {
      log.push('start');
      await sleep(ms);
      log.push('end');
      return ms;
    };
    const started = [30, 5, 1].map((ms) => (lock ? L.locked('browser-oauth:test-lock', body(ms)) : body(ms)()));
    return { results: await Promise.all(started), log };
  }, lock);
}

async function overlappingSectionsAreSerialised(page) {
  assert.deepEqual(await threeConcurrentSections(page, false), { results: [30, 5, 1], log: ['start', 'start', 'start', 'end', 'end', 'end'] }, 'control: unlocked sections overlap');
  assert.deepEqual(await threeConcurrentSections(page, true), { results: [30, 5, 1], log: ['start', 'end', 'start', 'end', 'start', 'end'] });
}

test('web locks serialise refreshes', OPTS, async (t) => {
  const page = await fresh(t);
  assert.equal(await page.evaluate(() => L.crossTab()), true);
  await overlappingSectionsAreSerialised(page);
  const r = await page.evaluate(async () => {
    // An error inside a section is returned as it is.
    const failed = await settle(() => L.locked('browser-oauth:test-lock', async () => { throw Object.assign(new Error('network'), { code: 'OAUTH_NETWORK_ERROR' }); }));
    // A lock manager that fails is a typed error, the section unrun.
    let ran = false;
    Object.defineProperty(navigator, 'locks', { value: { request: () => Promise.reject(new Error('no')) }, configurable: true });
    const refused = await settle(() => L.locked('browser-oauth:test-lock', () => { ran = true; }));
    delete navigator.locks;
    return { failed, refused, ran, after: await settle(() => L.locked('browser-oauth:test-lock', () => 7)) };
  });
  assert.deepEqual(r.failed, { code: 'OAUTH_NETWORK_ERROR', message: 'network', name: 'Error' });
  assert.deepEqual(r.refused, { code: 'OAUTH_PLATFORM_UNAVAILABLE', message: 'navigator.locks is not available in this context', name: 'BrowserOAuthError' });
  assert.equal(r.ran, false);
  assert.deepEqual(r.after, { value: 7 });
});

test('without web locks the in-page queue serialises', OPTS, async (t) => {
  const page = await fresh(t);
  await page.evaluate(() => Object.defineProperty(navigator, 'locks', { value: undefined, configurable: true }));
  assert.equal(await page.evaluate(() => L.crossTab()), false);
  await overlappingSectionsAreSerialised(page);
  const r = await page.evaluate(async () => {
    // An error inside a section is returned, and the queue moves on.
    const failed = await settle(() => L.locked('browser-oauth:test-lock', async () => { throw Object.assign(new Error('network'), { code: 'OAUTH_NETWORK_ERROR' }); }));
    const next = await settle(() => L.locked('browser-oauth:test-lock', async () => 7));
    // Another name is another queue: it does not wait for this one.
    const log = [];
    const held = L.locked('browser-oauth:test-lock', async () => { await sleep(50); log.push('a'); });
    await L.locked('browser-oauth:other-lock', async () => { log.push('b'); });
    await held;
    delete navigator.locks;
    return { failed, next, log, crossTab: L.crossTab() };
  });
  assert.deepEqual(r.failed, { code: 'OAUTH_NETWORK_ERROR', message: 'network', name: 'Error' });
  assert.deepEqual(r.next, { value: 7 });
  assert.deepEqual(r.log, ['b', 'a']);
  assert.equal(r.crossTab, true);
});

test('a lagging localStorage copy is waited for and never taken for the latest', { timeout: 120_000 }, async (t) => {
  const page = await fresh(t);
  for (const storageIntegrity of ['none-unsafe', undefined]) {
    const r = await page.evaluate(async (storageIntegrity) => {
      const key = 'browser-oauth:lag-test';
      const store = S.storeFromOptions({ storage: 'local', storageIntegrity });
      await store.set(key, 'written-by-the-refreshing-tab');
      const latest = localStorage.getItem(key);
      const recorded = await new Promise((resolve) => {
        const open = indexedDB.open('browser-oauth');
        open.onsuccess = () => { const get = open.result.transaction('written').objectStore('written').get(key); get.onsuccess = () => { open.result.close(); resolve(get.result); }; };
      });
      // This tab's copy still shows the value from before (written without the library), and
      // another renderer's write arrives late.
      const stale = store.sealed ? await E.seal(key, 'the-old-value') : 'the-old-value';
      localStorage.setItem(key, stale);
      setTimeout(() => localStorage.setItem(key, latest), 150);
      const read = await store.get(key);
      let started = Date.now();
      const waitedFor = await store.getLatest(key);
      const waited = Date.now() - started;
      // A value that never catches up: given up after the bound, and returned as read.
      localStorage.setItem(key, stale);
      started = Date.now();
      const givenUp = await store.getLatest(key);
      const gaveUpAfter = Date.now() - started;
      // After a removal nothing is recorded: whatever is there is read at once.
      await store.remove(key);
      const removed = await store.getLatest(key);
      localStorage.setItem(key, stale);
      started = Date.now();
      const atOnce = await store.getLatest(key);
      const atOnceAfter = Date.now() - started;
      localStorage.removeItem(key);
      return { sealed: store.sealed, latest, recorded, read, waitedFor, waited, givenUp, gaveUpAfter, removed, atOnce, atOnceAfter };
    }, storageIntegrity);
    const what = r.sealed ? 'sealed' : 'plain';
    assert.equal(r.sealed, storageIntegrity === undefined);
    // What the wasm build records too: 128 bits of SHA-256 of the value as stored, base64url.
    assert.equal(r.recorded, createHash('sha256').update(r.latest).digest().subarray(0, 16).toString('base64url'), `${what}: fingerprint`);
    assert.equal(r.read, 'the-old-value', `${what}: get reads the stale copy`);
    assert.equal(r.waitedFor, 'written-by-the-refreshing-tab', what);
    assert.ok(r.waited >= 100 && r.waited < 1_900, `${what}: waited ${r.waited} ms for the recorded value`);
    assert.ok(r.gaveUpAfter >= 1_900, `${what}: gave up after ${r.gaveUpAfter} ms`);
    assert.equal(r.givenUp, 'the-old-value', `${what}: returned as read`);
    assert.equal(r.removed, null, what);
    assert.equal(r.atOnce, 'the-old-value', what);
    assert.ok(r.atOnceAfter < 500, `${what}: read after ${r.atOnceAfter} ms`);
  }
});

test('a lagging copy sealed with a rotated key is waited for, not purged', OPTS, async (t) => {
  // This tab's lagging copy still shows the entry sealed before another tab rotated the key (a
  // sign-out and a new sign-in there): purging it would remove the new entry in every tab.
  const page = await fresh(t);
  const r = await page.evaluate(async () => {
    const key = 'browser-oauth:lag-rotated';
    const store = S.storeFromOptions({ storage: 'local' });
    await store.set(key, 'before-the-rotation');
    const stale = localStorage.getItem(key);
    await store.rotate(key);
    await store.set(key, 'after-the-rotation');
    const latest = localStorage.getItem(key);
    localStorage.setItem(key, stale);
    setTimeout(() => localStorage.setItem(key, latest), 150);
    const got = await settle(() => store.get(key));
    const kept = localStorage.getItem(key) === latest;
    await store.remove(key);
    return { got, kept };
  });
  assert.deepEqual(r.got, { value: 'after-the-rotation' });
  assert.equal(r.kept, true, 'not removed');
});

test('stores whose copies do not lag read at once', OPTS, async (t) => {
  const page = await fresh(t);
  const r = await page.evaluate(async () => {
    const out = [];
    for (const options of [{}, { storage: 'session', storageIntegrity: 'none-unsafe' }, { storage: 'session' }]) {
      const store = S.storeFromOptions(options);
      await store.set('browser-oauth:lag-test', 'v');
      // What a lagging store would wait for: a fingerprint that does not match.
      sessionStorage.setItem('browser-oauth:lag-test', store.sealed ? await E.seal('browser-oauth:lag-test', 'w') : 'w');
      const started = Date.now();
      const got = await store.getLatest('browser-oauth:lag-test');
      out.push([store.kind, got, Date.now() - started]);
      await store.remove('browser-oauth:lag-test');
    }
    return out;
  });
  assert.deepEqual(r.map(([kind, got]) => [kind, got]), [['memory', 'v'], ['session', 'w'], ['session', 'w']]);
  for (const [kind, , ms] of r) assert.ok(ms < 100, `${kind}: read after ${ms} ms`);
});

// ---- Options (as tests/js/pollution.test.mjs for the rest of the package) -----------------------

test('storeFromOptions: invalid options are typed errors with the messages of the wasm build', OPTS, async (t) => {
  const page = await fresh(t);
  const r = await page.evaluate(() => [
    { storage: 'indexeddb' }, { storage: 7 }, { storage: () => {} }, { storage: 'local', storageIntegrity: 'none' },
    { storage: 'local', storageIntegrity: false }, { storage: 'local', encrypt: 'yes' }, { storage: 'local', encrypt: 1 },
  ].map((options) => now(() => S.storeFromOptions(options)).message)
    .concat([null, undefined, 'x', { storage: null, encrypt: null, storageIntegrity: null }].map((config) => now(() => S.storeFromOptions(config).kind).value)));
  assert.deepEqual(r, [
    'option storage is invalid: must be memory, session, local or an adapter',
    'option storage is invalid: must be memory, session, local or an adapter',
    'option storage is invalid: must be memory, session, local or an adapter',
    'option storageIntegrity is invalid: can only be none-unsafe',
    'option storageIntegrity is invalid: must be a string',
    'option encrypt is invalid: must be a boolean',
    'option encrypt is invalid: must be a boolean',
    'memory', 'memory', 'memory', 'memory',
  ]);
});

test('storeFromOptions: an inherited storage, storageIntegrity, encrypt or adapter method is not used', OPTS, async (t) => {
  const page = await fresh(t);
  const r = await page.evaluate(async () => {
    /** Runs `f` with `props` on `Object.prototype` (enumerable, as an assignment leaves them). */
    const polluted = async (props, f) => {
      try {
        Object.assign(Object.prototype, props);
        return await f();
      } finally {
        for (const k of Object.keys(props)) delete Object.prototype[k];
      }
    };
    const spied = [];
    const spy = { get: (k) => { spied.push(k); return null; }, set: (k) => { spied.push(k); }, remove: (k) => { spied.push(k); } };
    // Inherited `storage` would move the session to the polluter's adapter; inherited `encrypt`
    // would make the default memory store a configuration error.
    const memory = await polluted({ storage: spy, encrypt: true }, async () => {
      const store = S.storeFromOptions({});
      await store.set('browser-oauth:polluted', 'v');
      return [store.kind, store.sealed, await store.get('browser-oauth:polluted')];
    });
    const local = await polluted({ storage: 'local' }, () => S.storeFromOptions({ storageIntegrity: 'none-unsafe' }).kind);
    // An inherited `storageIntegrity: 'none-unsafe'` does not turn sealing off.
    const sealed = await polluted({ storageIntegrity: 'none-unsafe' }, () => [S.storeFromOptions({ storage: 'local' }).sealed, S.storeFromOptions({ storage: spy }).sealed]);
    // An adapter without `get` does not borrow Object.prototype's, at creation or later.
    const borrowed = await polluted({ get: () => 'polluter' }, async () => {
      const incomplete = now(() => S.storeFromOptions({ storage: { set() {}, remove() {} } })).code;
      const shrinking = { get: () => 'mine', set() {}, remove() {} };
      const store = S.storeFromOptions({ storage: shrinking, storageIntegrity: 'none-unsafe' });
      delete shrinking.get;
      return [incomplete, (await settle(() => store.get('k'))).code];
    });
    // A class's methods are the adapter's own; past 32 holders (the adapter and 31 prototypes) none is looked at.
    class MapStore {
      #m = new Map();
      get(k) { return this.#m.get(k); }
      set(k, v) { this.#m.set(k, v); }
      remove(k) { this.#m.delete(k); }
    }
    const classy = S.storeFromOptions({ storage: new MapStore(), storageIntegrity: 'none-unsafe' });
    await classy.set('k', 'from a class');
    const deep = (levels) => {
      let o = new MapStore();
      for (let i = 0; i < levels; i += 1) o = Object.create(o);
      return now(() => S.storeFromOptions({ storage: o, storageIntegrity: 'none-unsafe' }).kind);
    };
    return { memory, local, sealed, borrowed, classy: await classy.get('k'), deep: [deep(29), deep(30), deep(31)], spied };
  });
  assert.deepEqual(r.memory, ['memory', false, 'v']);
  assert.equal(r.local, 'memory');
  assert.deepEqual(r.sealed, [true, true]);
  assert.deepEqual(r.borrowed, ['OAUTH_INVALID_OPTION', 'OAUTH_INVALID_OPTION']);
  assert.equal(r.classy, 'from a class');
  assert.deepEqual(r.deep.map((d) => d.value ?? d.code), ['adapter', 'adapter', 'OAUTH_INVALID_OPTION']);
  assert.deepEqual(r.spied, [], 'the polluter saw nothing');
});

// ---- sessionStorage transactions ---------------------------------------------------------------

test('transaction helpers read, write, list and take sessionStorage entries', OPTS, async (t) => {
  const page = await fresh(t);
  const r = await page.evaluate(() => {
    S.txSet(`${S.TX_PREFIX}a`, '1');
    S.txSet(`${S.TX_PREFIX}b`, '2');
    sessionStorage.setItem('browser-oauth:session:x', 'not a transaction');
    const keys = S.txKeys().sort();
    const got = S.txGet(`${S.TX_PREFIX}a`);
    const taken = [S.txTake(`${S.TX_PREFIX}a`), S.txTake(`${S.TX_PREFIX}a`), S.txGet(`${S.TX_PREFIX}a`)];
    S.txRemove(`${S.TX_PREFIX}b`);
    const left = S.txKeys();
    // Storage that throws (disabled, sandboxed): no keys, and a typed error for the rest.
    const saved = Object.getOwnPropertyDescriptor(window, 'sessionStorage');
    Object.defineProperty(window, 'sessionStorage', { get() { throw new DOMException('denied', 'SecurityError'); }, configurable: true });
    const broken = {
      keys: now(() => S.txKeys()).value,
      get: now(() => S.txGet('k')).code,
      set: now(() => S.txSet('k', 'v')).code,
      take: now(() => S.txTake('k')).code,
      store: S.storeFromOptions({ storage: 'session', storageIntegrity: 'none-unsafe' }).get('k').then(() => 'read', (e) => e.code),
    };
    Object.defineProperty(window, 'sessionStorage', saved);
    return Promise.resolve(broken.store).then((store) => ({ prefix: S.TX_PREFIX, keys, got, taken, left, broken: { ...broken, store } }));
  });
  assert.equal(r.prefix, 'browser-oauth:tx:');
  assert.deepEqual(r.keys, ['browser-oauth:tx:a', 'browser-oauth:tx:b']);
  assert.equal(r.got, '1');
  assert.deepEqual(r.taken, ['1', null, null]);
  assert.deepEqual(r.left, []);
  assert.deepEqual(r.broken, { keys: [], get: 'OAUTH_STORAGE_UNAVAILABLE', set: 'OAUTH_STORAGE_UNAVAILABLE', take: 'OAUTH_STORAGE_UNAVAILABLE', store: 'OAUTH_STORAGE_UNAVAILABLE' });
});
