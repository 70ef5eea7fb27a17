// Page side of benches/get-token.mjs: getToken cache hits with N cached tokens, per storage
// backend. Driven from node through `window.bench`; not a test.
//
// Everything timed goes through the public API (createClient, getToken). The page also imports
// two modules the package itself uses, unbundled and by the same URLs, so it shares their
// instances: js/platform/store.js, whose module-level Map is the built-in memory store (the
// only way to seed it from outside), and the account glue, for the wasm memory figure and to
// count the calls that validate the stored entry (`AccountClient.prototype.lookup`, wrapped).
import { createClient, init } from '/js/index.js';
import { storeFromOptions } from '/js/platform/store.js';
import { useLib } from '/js/session-lib.js';
import { SESSION_LIB } from '/js/session-deps.js';
import initAccount, { AccountClient } from '/dist/wasm-account/browser_oauth_account.js';

// What the client hands the session's chunk when it loads it (js/session-lib.js): this page
// uses js/platform/store.js before any client has.
useLib(SESSION_LIB);

const ISSUER = 'https://op.example';
const CLIENT_ID = 'app';

const map = new Map();
const mapAdapter = {
  get: (k) => map.get(k) ?? null,
  set: (k, v) => { map.set(k, v); },
  remove: (k) => { map.delete(k); },
};
// The built-in memory store, as the client without a `storage` option gets it.
const memory = storeFromOptions({});
const BACKENDS = {
  memory: { storage: undefined, write: (k, v) => memory.set(k, v), read: (k) => memory.peek(k), clear: (k) => memory.remove(k) },
  map: { storage: mapAdapter, write: (k, v) => map.set(k, v), read: (k) => map.get(k) ?? null, clear: () => map.clear() },
  session: { storage: 'session', write: (k, v) => sessionStorage.setItem(k, v), read: (k) => sessionStorage.getItem(k), clear: () => sessionStorage.clear() },
  local: { storage: 'local', write: (k, v) => localStorage.setItem(k, v), read: (k) => localStorage.getItem(k), clear: () => localStorage.clear() },
};

// Validations of the stored entry: every getToken that is not answered from the client's cache
// runs one (a cache hit runs none). Wrapped once; the wrapper costs a counter increment.
let lookups = 0;
const lookup = AccountClient.prototype.lookup;
AccountClient.prototype.lookup = function countedLookup(...args) {
  lookups += 1;
  return Reflect.apply(lookup, this, args);
};

const clients = {};
let key;
let wasmExports;
// What the seeded account holds: expected token per k, and a request (scope array) per k.
let tokens = [];
let requests = [];
let n = 0;
let now = 0;
let refreshToken = '';
// The k the timed calls ask for (see warm()).
let working = [];

// A small deterministic PRNG (mulberry32): the same k sequence every run.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
// Built with join, not `+=`: a flat string, not a rope of `length` cons cells (which would
// inflate the heap baseline until something flattens it).
function opaqueToken(rnd, length) {
  const chars = [];
  for (let i = 0; i < length; i += 1) chars.push(B64URL[Math.floor(rnd() * 64)]);
  return chars.join('');
}

/** Bench bookkeeping for `count` tokens: the token values and one request (scope array) per k. */
function prepare(count, tokenLength) {
  const rnd = prng(42);
  n = count;
  now = Math.floor(Date.now() / 1000);
  tokens = [];
  requests = [];
  for (let k = 0; k < count; k += 1) {
    tokens.push(opaqueToken(rnd, tokenLength));
    requests.push([`api.${k}`]);
  }
  refreshToken = opaqueToken(rnd, tokenLength);
}

/** The stored account, field for field as src/core/session/stored.rs::to_json writes it. */
function accountJson() {
  return JSON.stringify({
    v: 1,
    issuer: ISSUER,
    client_id: CLIENT_ID,
    sub: 'user-1',
    grant: ['openid', 'offline_access', ...requests.map((r) => r[0])],
    refresh_token: refreshToken,
    signed_in_at: now - 60,
    tokens: tokens.map((value, k) => ({
      access_token: value, token_type: 'bearer', scopes: requests[k], expires_at: now + 3600, received_at: now - 60,
    })),
  });
}

/** One getToken for k, which must be the seeded token, not refreshed. */
async function get(c, k) {
  const t = await c.getToken(requests[k]);
  if (t.refreshed !== false || t.accessToken !== tokens[k] || t.scopes.join(' ') !== requests[k][0]) {
    throw new Error(`wrong token for k=${k}: refreshed=${t.refreshed}`);
  }
}

const describe = (e) => `${e.code ?? e.name}: ${e.message}${e.cause ? ` (cause: ${e.cause.code ?? ''} ${e.cause.message})` : ''}`;

window.bench = {
  async setup() {
    // Both sign-in modules loaded up front (the client would load the account module on the
    // first getToken): the wasm memory baseline is then the account module's at rest.
    await init();
    // And the session's JS and the sealing code (persistent stores), which the client imports
    // on first use: nothing is fetched later.
    await Promise.all([import('/js/session.js'), import('/js/platform/sealing.js')]);
    for (const [name, b] of Object.entries(BACKENDS)) {
      clients[name] = await createClient({
        issuer: ISSUER,
        authorizationEndpoint: `${ISSUER}/a`,
        tokenEndpoint: `${ISSUER}/t`,
        clientId: CLIENT_ID,
        redirectUri: `${location.origin}/cb`,
        allowHttpLoopback: true,
        ...(b.storage === undefined ? {} : {
          storage: b.storage,
          // The bench seeds entries as plain JSON, so it measures the cache itself without the
          // sealing persistent stores get by default (one IndexedDB read and one AES-GCM open
          // per validation on top, not measured here). Memory is never sealed.
          storageIntegrity: 'none-unsafe',
        }),
      });
    }
    key = `browser-oauth:session:${CLIENT_ID}@${clients.memory.issuer}`;
    for (const b of Object.values(BACKENDS)) await b.clear(key);
    wasmExports = await initAccount(); // already instantiated by init(): returns its exports
    return { key, wasmMemory: this.wasmMemory() };
  },

  wasmMemory() {
    // The .wasm's export names are minified (scripts/build): its memory is the one Memory export.
    return Object.values(wasmExports).find((v) => v instanceof WebAssembly.Memory).buffer.byteLength;
  },

  /** Prepares an account with `count` tokens (not written anywhere yet). */
  prepare(count, tokenLength) {
    prepare(count, tokenLength);
  },

  /** Writes the prepared account to the given backends; keeps no other reference to it. */
  async write(backends) {
    const json = accountJson();
    for (const b of backends) await BACKENDS[b].write(key, json);
    return { bytes: json.length, ascii: /^[\x20-\x7e]*$/.test(json) };
  },

  /**
   * First calls on one backend: a few k, each must be the seeded token and not refreshed.
   * Also checks that the library writes back exactly what was seeded (forgetTokens of a scope
   * no token has rewrites the entry with to_json; it also empties the client's cache).
   */
  async check(backend) {
    const c = clients[backend];
    const before = BACKENDS[backend].read(key);
    try {
      for (const k of new Set([0, n - 1, n >> 1, 1 % n])) await get(c, k);
      const wasmAfterGets = this.wasmMemory();
      await c.forgetTokens(['no.such.scope'], { revoke: false });
      const after = BACKENDS[backend].read(key);
      return { ok: true, roundTrip: after === before, wasmAfterGets };
    } catch (e) {
      return {
        ok: false,
        error: describe(e),
        entryRemoved: BACKENDS[backend].read(key) === null,
        wasmAfterGets: this.wasmMemory(),
      };
    }
  },

  /**
   * Asks once for each of `size` scopes spread over the N tokens (k = ⌊i·N/size⌋), the timed
   * calls' working set: a first request for a scope list is never in the client's cache, so
   * each validates the entry (a miss). Returns the time of each, in ms.
   */
  async warm(backend, size) {
    const c = clients[backend];
    working = [...new Set(Array.from({ length: Math.min(size, n) }, (_, i) => Math.floor((i * n) / Math.min(size, n))))];
    const ms = [];
    const l0 = lookups;
    for (const k of working) {
      const t0 = performance.now();
      await get(c, k);
      ms.push(performance.now() - t0);
    }
    return { ms, lookups: lookups - l0 };
  },

  /** Sequential getToken calls for random k of the working set for `ms`; returns ops/s and how
   * many of the calls validated the entry (0 when every call was a cache hit). */
  async run(backend, ms, seed) {
    const c = clients[backend];
    const rnd = prng(seed);
    let ops = 0;
    const l0 = lookups;
    const start = performance.now();
    let elapsed;
    do {
      await get(c, working[Math.floor(rnd() * working.length)]);
      ops += 1;
      elapsed = performance.now() - start;
    } while (elapsed < ms);
    return { ops, opsPerSec: (ops * 1000) / elapsed, lookups: lookups - l0 };
  },

  async clear() {
    for (const b of Object.values(BACKENDS)) await b.clear(key);
    tokens = [];
    requests = [];
    working = [];
  },
};
window.benchReady = true;
