// Page side of benches/get-token.mjs: getToken cache hits with N cached tokens, per storage
// backend. Driven from node through `window.bench`; not a test.
import { createClient } from '/js/index.js';
import initGlue from '/dist/wasm/browser_oauth.js';

const ISSUER = 'https://op.example';
const CLIENT_ID = 'app';

const map = new Map();
const mapAdapter = {
  get: (k) => map.get(k) ?? null,
  set: (k, v) => { map.set(k, v); },
  remove: (k) => { map.delete(k); },
};
const BACKENDS = {
  local: { storage: 'local', write: (k, v) => localStorage.setItem(k, v), read: (k) => localStorage.getItem(k), clear: () => localStorage.clear() },
  session: { storage: 'session', write: (k, v) => sessionStorage.setItem(k, v), read: (k) => sessionStorage.getItem(k), clear: () => sessionStorage.clear() },
  map: { storage: mapAdapter, write: (k, v) => map.set(k, v), read: (k) => map.get(k) ?? null, clear: () => map.clear() },
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

window.bench = {
  async setup() {
    for (const [name, b] of Object.entries(BACKENDS)) {
      b.clear();
      clients[name] = await createClient({
        issuer: ISSUER,
        authorizationEndpoint: `${ISSUER}/a`,
        tokenEndpoint: `${ISSUER}/t`,
        clientId: CLIENT_ID,
        redirectUri: `${location.origin}/cb`,
        allowHttpLoopback: true,
        storage: b.storage,
        // The bench seeds entries as plain JSON, so it measures the cache itself without the
        // sealing persistent stores get by default (one IndexedDB read and one AES-GCM open per
        // call on top, not measured here).
        storageIntegrity: 'none-unsafe',
      });
    }
    key = `browser-oauth:session:${CLIENT_ID}@${clients.map.issuer}`;
    wasmExports = await initGlue(); // already instantiated by createClient: returns its exports
    return { key, wasmMemory: this.wasmMemory() };
  },

  wasmMemory() {
    return wasmExports.memory.buffer.byteLength;
  },

  /** Prepares an account with `count` tokens (not written anywhere yet). */
  prepare(count, tokenLength) {
    prepare(count, tokenLength);
  },

  /** Writes the prepared account to the given backends; keeps no other reference to it. */
  write(backends) {
    const json = accountJson();
    for (const b of backends) BACKENDS[b].write(key, json);
    return { bytes: json.length, ascii: /^[\x20-\x7e]*$/.test(json) };
  },

  /**
   * First calls on one backend: a few k, each must be the seeded token and not refreshed.
   * Also checks that the library writes back exactly what was seeded (forgetTokens of a scope
   * no token has rewrites the entry with to_json).
   */
  async check(backend) {
    const c = clients[backend];
    const before = BACKENDS[backend].read(key);
    try {
      for (const k of new Set([0, n - 1, n >> 1, 1 % n])) {
        const t = await c.getToken(requests[k]);
        if (t.refreshed !== false || t.accessToken !== tokens[k] || t.scopes.join(' ') !== requests[k][0]) {
          return { ok: false, error: `wrong token for k=${k}: refreshed=${t.refreshed}` };
        }
      }
      const wasmAfterGets = this.wasmMemory();
      await c.forgetTokens(['no.such.scope'], { revoke: false });
      const after = BACKENDS[backend].read(key);
      return { ok: true, roundTrip: after === before, wasmAfterGets };
    } catch (e) {
      return {
        ok: false,
        error: `${e.code ?? e.name}: ${e.message}${e.cause ? ` (cause: ${e.cause.code ?? ''} ${e.cause.message})` : ''}`,
        entryRemoved: BACKENDS[backend].read(key) === null,
        wasmAfterGets: this.wasmMemory(),
      };
    }
  },

  /** Sequential getToken cache hits for random k for `ms`; returns ops/s. */
  async run(backend, ms, seed) {
    const c = clients[backend];
    const rnd = prng(seed);
    let ops = 0;
    const start = performance.now();
    let elapsed;
    do {
      const k = Math.floor(rnd() * n);
      const t = await c.getToken(requests[k]);
      if (t.refreshed !== false || t.accessToken !== tokens[k]) throw new Error(`not a cache hit for k=${k}`);
      ops += 1;
      elapsed = performance.now() - start;
    } while (elapsed < ms);
    return { ops, opsPerSec: (ops * 1000) / elapsed };
  },

  clear() {
    for (const b of Object.values(BACKENDS)) b.clear();
    tokens = [];
    requests = [];
  },
};
window.benchReady = true;
