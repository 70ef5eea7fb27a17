// DPoP-bound tokens (RFC 9449), loaded only when a client sets `dpop: true` (js/client.js imports
// this file dynamically, with its wasm module dist/wasm-dpop/). The key pair is WebCrypto's: an
// ECDSA P-256 pair generated non-extractable, one per client. The wasm module (the core) validates
// the public JWK, gives its thumbprint, writes each proof's header and claims, and assembles the
// JWS from WebCrypto's signature; this file keeps the key, signs, sends, and retries once when a
// server asks for a nonce.
//
// Where the key lives follows the session: with a persistent session (`storage` 'local',
// 'session' or an adapter such as chrome.storage) in IndexedDB (js/platform/dpop-keys.js, name
// `dpop:<session key>`), so that a reload, another tab or the redirect page signs with the key
// the refresh token is bound to; with the 'memory' session in memory, for this page only. The
// key is deleted when the session ends (sign-out, or the grant is gone).
//
// What this file needs of the package's shared code (the loader, typed errors, own-property
// reads, `send`) js/client.js hands to `load`: imported here, it would make bundlers move that
// code out of the app's entry into a chunk of its own, one more file on every page, which costs
// apps without DPoP bytes (measured: ~0.3 KB gzip on each page).
import dpopWasm from '../dist/wasm-dpop/browser_oauth_dpop_url.js';
import { deleteKey, getKey, setKey } from './platform/dpop-keys.js';

// { wasmModule, glueOf, BrowserOAuthError, guard, own, ownRest, send }, from js/client.js; the
// wasm module's loader (one per page).
let lib;
let dpopModule;

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGN = { name: 'ECDSA', hash: 'SHA-256' };

// Memory keys, per client (session key), for this page; and the servers' latest nonce per origin
// (RFC 9449 §8, §9), for this page too.
const memoryKeys = new Map();
const nonces = new Map();

function subtle() {
  let s;
  try { s = globalThis.crypto.subtle; } catch { /* no crypto */ }
  if (s !== null && typeof s === 'object') return s;
  throw new lib.BrowserOAuthError('OAUTH_PLATFORM_UNAVAILABLE', 'crypto.subtle is not available in this context');
}

/** A fresh key pair: the private key cannot be exported, the public one can (the proof's `jwk`). */
async function generate() {
  const pair = await subtle().generateKey(ECDSA, false, ['sign', 'verify']);
  const jwk = await subtle().exportKey('jwk', pair.publicKey);
  return { privateKey: pair.privateKey, jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } };
}

/** A stored record that is ours: a non-extractable ECDSA private key and its public JWK. */
const ours = (r) => lib.own(r, 'privateKey') instanceof CryptoKey && !r.privateKey.extractable
  && r.privateKey.algorithm.name === 'ECDSA' && typeof lib.own(lib.own(r, 'jwk'), 'x') === 'string';

/** `work()`, with an IndexedDB failure as OAUTH_STORAGE_UNAVAILABLE (a missing WebCrypto stays
 * OAUTH_PLATFORM_UNAVAILABLE). */
async function stored(work) {
  try {
    return await work();
  } catch (e) {
    if (e instanceof lib.BrowserOAuthError) throw e;
    throw new lib.BrowserOAuthError('OAUTH_STORAGE_UNAVAILABLE', 'browser storage is unavailable');
  }
}

/** The JSON error code in a token endpoint's answer, if any. */
function errorCode(body) {
  try {
    return lib.own(JSON.parse(body), 'error');
  } catch {
    return undefined;
  }
}

const origin = (url) => new URL(url).origin;

/**
 * One client's DPoP: its key (`name` is the client's session key), proofs, and the token and
 * resource requests that carry them.
 */
class Dpop {
  #exports;
  #name;
  #persistent;
  // The last key used: `{ record, key }`, the wasm `DpopKey` of `record.jwk`; and its thumbprint
  // once asked for (`thumbprint()`), named by `bound`.
  #last = null;
  #jkt;

  constructor(exports, name, persistent) {
    this.#exports = exports;
    this.#name = `dpop:${name}`;
    this.#persistent = persistent;
  }

  /** Whether the key outlives this page (and so may be named in the authorization request). */
  get persistent() {
    return this.#persistent;
  }

  /** The key record, generated and stored on first use. A persistent key is read from
   * IndexedDB at every use: a key dropped or replaced in another tab is never used here. */
  async #record() {
    if (!this.#persistent) {
      let r = memoryKeys.get(this.#name);
      if (!r) memoryKeys.set(this.#name, r = await generate());
      return r;
    }
    return stored(async () => {
      const found = await getKey(this.#name);
      if (ours(found)) return found;
      const fresh = await generate();
      // Two tabs racing on first use agree: only one `add` succeeds, the other reads it back.
      if (await setKey(this.#name, fresh, found !== undefined).then(() => true, () => false)) return fresh;
      const again = await getKey(this.#name);
      if (ours(again)) return again;
      throw new Error('no key');
    });
  }

  /** `{ record, key }` for the current key pair. */
  async #current() {
    const record = await this.#record();
    const last = this.#last;
    if (last && last.record.jwk.x === record.jwk.x && last.record.jwk.y === record.jwk.y) return { record, key: last.key };
    const key = lib.guard(() => new this.#exports.DpopKey(record.jwk));
    this.#last = { record, key };
    return this.#last;
  }

  /** The key's RFC 7638 thumbprint (`dpop_jkt`), generating the key if there is none. */
  async thumbprint() {
    this.#jkt = (await this.#current()).key.thumbprint;
    return this.#jkt;
  }

  /**
   * `options` (a sign-in's) with `jkt` (by default the last `thumbprint()`) as `dpop_jkt`
   * (RFC 9449 §10) among the extra parameters: the provider then binds the code to the key.
   * Unchanged when there is none (the parameter is optional; the token endpoint binds the token
   * either way).
   */
  bound(options, jkt = this.#jkt) {
    if (!jkt) return options;
    const extra = lib.own(options, 'extraParams');
    if (lib.own(extra, 'dpop_jkt') !== undefined) {
      throw new lib.BrowserOAuthError('OAUTH_RESERVED_PARAMETER', 'extra parameter dpop_jkt is set by the library and cannot be overridden');
    }
    return { ...lib.ownRest(options, ['extraParams']), extraParams: { ...lib.ownRest(extra, []), dpop_jkt: jkt } };
  }

  /** `bound` for a sign-in that completes on another page (a redirect): only a persistent key
   * is there too, so only that one is named. */
  async boundAcrossPages(options) {
    return this.bound(options, this.#persistent && await this.thumbprint());
  }

  /** A proof for `method` `url` (RFC 9449 §4), with the origin's nonce and `ath` of `accessToken`. */
  async proof(method, url, accessToken) {
    const { record, key } = await this.#current();
    const input = lib.guard(() => key.proofInput(method, url, nonces.get(origin(url)), accessToken));
    const signature = await subtle().sign(SIGN, record.privateKey, new TextEncoder().encode(input));
    return lib.guard(() => key.jws(input, new Uint8Array(signature)));
  }

  /**
   * Sends a token request (`{ url, method, headers, body }` as the core built it) with a proof;
   * once more with the server's nonce when it answers 400 `use_dpop_nonce` (RFC 9449 §8).
   * Resolves to `[status, text]` as `send` does.
   */
  async send(request, timeout) {
    const { own } = lib;
    const url = own(request, 'url');
    const method = own(request, 'method');
    for (let retried = false; ; retried = true) {
      const headers = { ...own(request, 'headers'), dpop: await this.proof(method, url) };
      const [status, body, nonce] = await lib.send({ url, method, headers, body: own(request, 'body') }, timeout, 'dpop-nonce');
      if (nonce) nonces.set(origin(url), nonce);
      if (retried || status !== 400 || !nonce || errorCode(body) !== 'use_dpop_nonce') return [status, body];
    }
  }

  /**
   * Fetches `request` (a Request whose URL the caller checked) with `Authorization: DPoP` and a
   * proof bound to `accessToken`; once more with the nonce when the resource answers 401 with
   * `WWW-Authenticate: DPoP error="use_dpop_nonce"` (RFC 9449 §9).
   */
  async fetch(request, accessToken) {
    const spare = request.clone();
    const once = async (r) => {
      r.headers.set('authorization', `DPoP ${accessToken}`);
      r.headers.set('dpop', await this.proof(r.method, r.url, accessToken));
      return fetch(r);
    };
    const response = await once(request);
    const nonce = response.headers.get('dpop-nonce');
    if (nonce) nonces.set(origin(request.url), nonce);
    const challenge = response.headers.get('www-authenticate') ?? '';
    if (response.status !== 401 || !nonce || !/^\s*dpop\b/i.test(challenge) || !/error="use_dpop_nonce"/.test(challenge)) return response;
    return once(spare);
  }

  /** Deletes the key (the session ended): the next sign-in binds its tokens to a new one. */
  async drop() {
    this.#last = null;
    this.#jkt = undefined;
    if (!this.#persistent) {
      memoryKeys.delete(this.#name);
      return;
    }
    await stored(() => deleteKey(this.#name));
  }
}

/**
 * Loads the dpop wasm module with the package's shared code `deps` (see the top of this file);
 * resolves to `open(document, storage, name)`, which checks that the provider advertises DPoP
 * with ES256 (its discovery document, `[status, text]` as fetched; `[0]` when the client was
 * configured without one) and opens the client's DPoP. `storage` is the session's storage
 * options (storage.js), `name` the client's session key.
 */
export async function load(deps) {
  lib = deps;
  // Registered here rather than in loader.js, so that apps without DPoP do not even carry its
  // URL; `browser-oauth/eager` provides the glue statically under the name 'dpop'.
  dpopModule ??= lib.wasmModule(lib.glueOf('dpop', () => import('../dist/wasm-dpop/browser_oauth_dpop.js')), 'createClient', dpopWasm);
  const exports = await dpopModule.load();
  return ([, document], storage, name) => {
    let metadata = null;
    try {
      metadata = document === undefined ? null : JSON.parse(document);
    } catch { /* the sign-in module already refused it */ }
    // Without a discovery document nothing says the provider binds tokens: refused, not assumed.
    lib.guard(() => exports.checkDpopProvider(metadata));
    subtle();
    return new Dpop(exports, name, storage.kind !== 'memory');
  };
}
