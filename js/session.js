// The session: what a signed-in page does between the core's decisions. Keeping the session a
// sign-in starts, reading it (cache hit or refresh, once across tabs under a Web Lock), getToken's
// cache of hits, sign-out and revocation. Loaded with the session or account module (never on a
// signed-out page) by js/client.js, whose public methods hand the signed-in work to it.
import {
  BrowserOAuthError, guard, typed, inherent, own, ownOr, send, azureDevOpsCode, initConsent, azureDevOpsFetchCheck,
} from './session-lib.js';
import { exchange, forgetTransactions, redirect } from './redirect.js';
import { signatureCheck } from './platform/verify.js';
import { openStore, peek } from './platform/store.js';
import { locked } from './platform/locks.js';

export { useLib } from './session-lib.js';
// For the low-level steps (js/steps.js `exchangeCode`), which load this chunk for them.
export { exchange, signatureCheck };

/** Hosts the Azure DevOps REST API is served from; the consent module's table has the last word. */
function azureDevOpsHost(url) {
  const host = new URL(url).hostname;
  return host === 'dev.azure.com' || host.endsWith('.dev.azure.com') || host.endsWith('.visualstudio.com');
}

/** The reason the core gives when the provider refused the refresh token: the session is over. */
const REFUSED = 'the refresh token was refused';

// A refresh that failed for the network or the server's sake says nothing about the grant: the
// session and its refresh token stay, and the token endpoint is left alone for a growing pause
// (1 s, doubling up to 60 s), during which a refresh fails at once with the same error.
const FIRST_PAUSE = 1000;
const LAST_PAUSE = 60_000;
const transient = (e) => {
  const code = own(e, 'code');
  return code === 'OAUTH_NETWORK_ERROR' || code === 'OAUTH_TIMEOUT' || code === 'OAUTH_SERVER_UNAVAILABLE'
    || (code === 'OAUTH_TOKEN_ERROR' && ['temporarily_unavailable', 'server_error'].includes(own(e, 'error')));
};

/** Unix seconds, as the core counts them. */
const now = () => Math.floor(Date.now() / 1000);

/** A token as handed to the app: frozen, so that the cache can hand out the same object again. */
const handOut = (t, refreshed) => Object.freeze({ ...t, scopes: Object.freeze([...t.scopes]), refreshed });

const notSignedIn = () => Object.assign(new BrowserOAuthError('OAUTH_INTERACTION_REQUIRED', 'interactive sign-in is required: not signed in'), { reason: 'not signed in' });

/**
 * One client's session over `[client, exports]`: an `AccountClient` of the session or the account
 * module and that module's exports (its JWK Set cache, its origin rule); its store (options
 * checked by storage.js), its storage key and the name of its cross-tab refresh lock. `events`
 * are the client's: `announce(type)` (this tab and the others) and `emit(type, detail)` (this
 * tab: `storagepurged`, `storagefailed`). `[origins, entra]`: the client's `resourceOrigins`
 * and whether it is configured for Microsoft Entra, for `fetch`. The redirect's steps take the
 * account module's client as an argument (`[client, exports]` again): only that module has them.
 */
export class Session {
  #client;
  #exports;
  #store;
  #key;
  #lock;
  #events;
  #timeout;
  // After a transient refresh failure: `{ until, next, error }`.
  #pause = null;
  // The session text the store refused to keep (quota, a failing IndexedDB): this tab goes on
  // with it from memory, rather than with the entry it replaced (whose refresh token may have
  // been rotated away), and writes it again at the next change. Reported once.
  #held = null;
  #reported = false;
  // `dpop: true`: js/dpop.js's client DPoP, whose `send` adds a proof to every token request.
  #dpop;
  #send;
  // getToken's cache: per requested scope list, the token, the second until which the core said
  // it may be served (its expiry less the refresh skew), and the raw stored entry it came from.
  // A hit is a Map lookup, a clock compare and a synchronous read of the raw entry: any write by
  // anyone (another tab, page script) makes it a miss, and the entry is validated again.
  #memo = new Map();
  // The store's options (storage.js), for the hit's synchronous read.
  #options;
  // `fetch`'s allow-list and whether the client is an Entra one.
  #origins;
  #entra;

  constructor([client, exports], storeOptions, events, timeout, dpop, [origins, entra]) {
    this.#dpop = dpop;
    this.#origins = origins;
    this.#entra = entra;
    this.#send = dpop ? (request, t) => dpop.send(request, t) : send;
    this.#client = client;
    this.#exports = exports;
    this.#timeout = timeout;
    this.#options = storeOptions;
    this.#store = openStore(storeOptions);
    this.#key = client.sessionKey;
    this.#lock = this.#key.replace('browser-oauth:session:', 'browser-oauth:refresh:');
    this.#events = events;
  }

  /**
   * Keeps the session a committed exchange starts, sealed with a fresh key (issue 8). The session
   * stored before is handed to the core, which joins a sign-in for more scopes to it (Microsoft
   * Entra, same user only) or replaces it.
   */
  async #save(full, validated) {
    // Under the refresh lock, so that no refresh in another tab seals with the key being replaced.
    await locked(this.#lock, async () => {
      const before = await this.#latest().catch(() => null);
      const text = guard(() => full.sessionFrom(validated, before ?? undefined));
      await this.#store.rotate(this.#key);
      await this.#write(text);
    });
    this.#events.announce('signedin');
  }

  /** The redirect at `url` (see signin.js) with the account module's `[client, exports]`, then
   * the session it starts; `null` without a response. */
  async handleRedirect(url, [full, exports]) {
    const done = await guard(() => redirect(full, url, signatureCheck(exports), this.#timeout, this.#send));
    if (!done) return null;
    // Stored only now: every check passed (checklist item 29).
    await this.#save(full, done[1]);
    return done[0];
  }

  /** Completes a sign-in whose `transaction` the caller kept (`beginSignIn`). */
  async complete(redirectUrl, transaction, [full, exports]) {
    const validated = guard(() => full.validate(redirectUrl, transaction));
    const result = await exchange(validated, signatureCheck(exports), this.#timeout, this.#send);
    await this.#save(full, validated);
    return result;
  }

  /** The stored session text, or the one held in memory when the store refused it. */
  #read() {
    return this.#held !== null ? Promise.resolve(this.#held) : this.#store.get(this.#key);
  }

  /** As `#read`, from the latest write of any tab (see store.js `getLatest`). */
  #latest() {
    return this.#held !== null ? Promise.resolve(this.#held) : this.#store.getLatest(this.#key);
  }

  /** Keeps `text`; when the store refuses it, in memory for this tab (see `#held`). */
  async #write(text) {
    try {
      await this.#store.set(this.#key, text);
      this.#held = null;
    } catch (e) {
      if (own(e, 'code') !== 'OAUTH_STORAGE_UNAVAILABLE') throw e;
      this.#held = text;
      if (!this.#reported) {
        this.#reported = true;
        this.#events.emit('storagefailed', { code: e.code, message: e.message });
      }
    }
  }

  /** Runs `decide(text)` on the stored session; an entry the core refuses is removed (item 38). */
  async #withStored(read, decide) {
    const text = await read();
    if (text === null) return decide(null);
    try {
      return decide(text);
    } catch (e) {
      if (own(e, 'code') === 'OAUTH_STORED_ENTRY_INVALID') {
        this.forget();
        await this.#store.remove(this.#key);
      }
      throw e;
    }
  }

  /** Empties getToken's cache (any change of the session, here or in another tab). */
  forget() {
    this.#memo.clear();
  }

  /** A refused stored entry was removed: the app hears it (`storagepurged`) and must sign in. */
  #purged(e) {
    if (own(e, 'code') !== 'OAUTH_STORED_ENTRY_INVALID') return e;
    this.#events.emit('storagepurged', { code: e.code, message: e.message });
    return new BrowserOAuthError('OAUTH_INTERACTION_REQUIRED', 'interactive sign-in is required: the stored session was invalid and removed', { cause: e });
  }

  /** Removes the session and its keys: it ended (sign-out, or the grant is gone). */
  async end() {
    this.#held = null;
    this.forget();
    await this.#store.remove(this.#key);
    await this.#store.rotate(this.#key);
    await this.#dpop?.drop();
  }

  /**
   * A token for `list` (`undefined`: the client's scopes) as `{ token, deadline, raw }`: from the
   * stored session, or refreshed under the lock. `raw` is the stored entry it came from.
   */
  async lookup(list) {
    try {
      const raw = this.#store.peek(this.#key);
      const found = await this.#withStored(() => this.#read(), (text) => {
        if (text === null) throw notSignedIn();
        return guard(() => this.#client.lookup(text, list));
      });
      if (own(found, 'token')) return { ...found, raw };
      const pause = this.#pause;
      if (pause && Date.now() < pause.until) {
        // The same error again, with its class and the server's fields (an OAuthServerError stays one).
        throw pause.error;
      }
      const refreshed = await locked(this.#lock, () => this.#refresh(list));
      // A refresh wrote a new entry: that one is what the token came from.
      return { ...refreshed, raw: this.#store.peek(this.#key) };
    } catch (e) {
      const error = typed(e);
      // The provider refused the refresh token: the session was removed here and in storage,
      // so every tab must hear that the user is signed out.
      if (own(error, 'code') === 'OAUTH_INTERACTION_REQUIRED' && own(error, 'reason') === REFUSED) this.#events.announce('signedout');
      throw this.#purged(error);
    }
  }

  /**
   * `OAuthClient.getToken` for a checked `list`: the token handed out before while the core's
   * deadline holds and the stored entry is the one it came from, else `lookup`'s (a refresh is
   * announced). The object is frozen; a hit hands out the same one again.
   */
  async token(list) {
    const memoKey = list === undefined ? '' : JSON.stringify(list);
    const hit = this.#memo.get(memoKey);
    if (hit !== undefined && now() < hit.deadline && hit.raw !== undefined && hit.raw === peek(this.#options, this.#key)) return hit.token;
    const found = await this.lookup(list);
    const refreshed = own(found.token, 'refreshed') === true;
    if (refreshed) this.#events.announce('refreshed');
    this.#memo.set(memoKey, { token: handOut(found.token, false), deadline: found.deadline, raw: found.raw });
    return handOut(found.token, refreshed);
  }

  /** Inside the lock: read again (another tab may have refreshed and rotated meanwhile). */
  async #refresh(list) {
    const client = this.#client;
    const plan = await this.#withStored(() => this.#latest(), (text) => {
      if (text === null) throw notSignedIn();
      return guard(() => client.refresh(text, list));
    });
    if (own(plan, 'token')) return plan;
    let jwt;
    try {
      const [status, body] = await this.#send(own(plan, 'request'), this.#timeout);
      jwt = guard(() => client.refreshed(status, body));
    } catch (e) {
      // The grant is gone; a refusal of consent for other scopes leaves the session as it is;
      // an outage leaves it too, and pauses the refreshes.
      if (own(e, 'reason') === REFUSED) await this.end();
      if (transient(e)) {
        const wait = this.#pause?.next ?? FIRST_PAUSE;
        this.#pause = { until: Date.now() + wait, next: Math.min(wait * 2, LAST_PAUSE), error: e };
      }
      throw e;
    }
    this.#pause = null;
    // A JWK Set that does not come (network, outage) is "cannot check" (3): the core then keeps
    // the tokens without the new ID token, since the provider has already rotated the refresh
    // token; a signature that fails is refused as always.
    const verdict = jwt === undefined ? 1 : await guard(() => signatureCheck(this.#exports)(client, jwt)).catch((e) => {
      if (transient(e) || own(e, 'code') === 'OAUTH_HTTP_STATUS') return 3;
      throw e;
    });
    const done = guard(() => client.commitRefresh(verdict));
    await this.#write(done.stored);
    return { token: done.token, deadline: done.deadline };
  }

  /** The signed-in account and what it holds (scopes, expiry; no token values), or `null`. */
  async account() {
    try {
      return await this.#withStored(() => this.#read(), (t) => (t === null ? null : guard(() => this.#client.account(t))));
    } catch (e) {
      throw this.#purged(typed(e));
    }
  }

  /** `OAuthClient.signOut(options)`: resolves to the logout URL or `null`. */
  async signOut(options) {
    const postLogoutRedirectUri = own(options, 'postLogoutRedirectUri');
    const revoke = ownOr(options, 'revoke', () => true);
    const navigate = ownOr(options, 'navigate', () => true);
    if (postLogoutRedirectUri != null && typeof postLogoutRedirectUri !== 'string') {
      throw new BrowserOAuthError('OAUTH_INVALID_OPTION', 'option postLogoutRedirectUri is invalid: must be a string');
    }
    const client = this.#client;
    // Under the refresh lock: a refresh in flight in another tab ends first, so the refresh token
    // revoked is the one it rotated to, and it cannot save the session after this removal.
    const text = await locked(this.#lock, async () => {
      const latest = await this.#latest().catch(() => null);
      await this.end();
      return latest;
    });
    forgetTransactions(client);
    const plan = guard(() => client.signOut(text ?? undefined, postLogoutRedirectUri ?? undefined, revoke === true));
    // Best effort: the local session is already gone; a failed revocation must not keep the
    // user signed in.
    for (const r of plan.revocations) await send(r, this.#timeout).catch(() => {});
    this.#events.announce('signedout');
    const url = plan.logoutUrl ?? null;
    if (url && navigate && typeof location !== 'undefined') location.assign(url);
    return url;
  }

  /**
   * `OAuthClient.fetch`: `authorizedFetch` (below) to the client's `resourceOrigins` (the core's
   * rule, RFC 9700 §4.9), with tokens from `getToken(list)` (the client's, which checks a list;
   * `options.scopes` when the fetch names none).
   */
  fetch(input, init, options, getToken) {
    const scopes = own(options, 'scopes');
    return authorizedFetch(
      input,
      init,
      (url) => this.#origins.some((origin) => this.#exports.isAllowedOrigin(url, origin)),
      (list) => getToken(list ?? scopes),
      { entra: this.#entra, consent: { initConsent, azureDevOpsFetchCheck }, code: azureDevOpsCode, BrowserOAuthError, own },
      this.#dpop,
    );
  }

  /** `OAuthClient.forgetTokens` for a checked `list` (all when `undefined`): the count. */
  async forgetTokens(list, options) {
    const revoke = ownOr(options, 'revoke', () => true);
    const client = this.#client;
    // Read and written back under the lock, from the latest copy, so that a refresh in another
    // tab is never undone by writing back the refresh token it replaced. An entry the core
    // refuses is removed, as on every other read (item 38).
    const out = await locked(this.#lock, async () => {
      const r = await this.#withStored(() => this.#latest(), (text) => (text === null ? null : guard(() => client.forgetTokens(text, list))));
      if (r !== null) await this.#write(r.stored);
      return r;
    });
    this.forget();
    if (out === null) return 0;
    if (revoke === true) for (const r of out.revocations) await send(r, this.#timeout).catch(() => {});
    return out.count;
  }
}

/**
 * The base relative URLs resolve against, as the browser itself would resolve them: the
 * document's base URL (a `<base href>` included) in a page, the worker's location in a worker.
 */
function baseUrl() {
  const doc = inherent(globalThis, 'document');
  if (typeof Document === 'function' && doc instanceof Document) return doc.baseURI;
  const loc = inherent(globalThis, 'location');
  if (typeof WorkerLocation === 'function' && loc instanceof WorkerLocation) return loc.href;
  return undefined;
}

/**
 * The absolute URL `input` names. Only a string, a `URL` or a `Request` is taken: anything else
 * would be turned into a string by `fetch` in ways not checked here.
 */
function absoluteUrl(input) {
  let raw;
  if (typeof input === 'string') raw = input;
  else if (input instanceof URL) raw = input.href;
  else if (typeof Request === 'function' && input instanceof Request) raw = input.url;
  else throw new BrowserOAuthError('OAUTH_INVALID_OPTION', 'option input is invalid: must be a string, a URL or a Request');
  try {
    return new URL(raw, baseUrl()).href;
  } catch {
    throw new BrowserOAuthError('OAUTH_INVALID_URL', 'request url is not a valid absolute URL');
  }
}

/**
 * `fetch` with `Authorization: Bearer <access token>` (from `token()`), only where `allowed(url)`
 * (the client's `resourceOrigins`, RFC 9700 §4.9: the core decides); anything else rejects
 * with `OAUTH_ORIGIN_NOT_ALLOWED`. A relative URL is resolved here against the document's base
 * URL (`<base href>` included), and that resolved URL is both the one checked and the one
 * fetched: the browser resolves nothing after the check.
 *
 * On an Azure DevOps host the token must allow the operation first, and a refusal becomes a
 * typed error (js/azure-devops.js). `token(list)` is getToken (`undefined`: the fetch's scopes);
 * `azure`: `{ entra, consent, code }`, whether the client is configured for Microsoft Entra, the
 * consent module's JS (js/consent.js) that decides, and a loader of js/azure-devops.js (loaded
 * with the first fetch to an Azure DevOps host: other apps' signed-in pages never ship it).
 *
 * A DPoP-bound token (`tokenType` `dpop`) goes as `Authorization: DPoP` with a proof from
 * `dpop` (js/dpop.js, RFC 9449 §7), which also retries once with the resource's nonce.
 */
async function authorizedFetch(input, init, allowed, token, azure, dpop) {
  const url = absoluteUrl(input);
  if (!allowed(url)) {
    throw new BrowserOAuthError('OAUTH_ORIGIN_NOT_ALLOWED', 'the url is not on an allow-listed origin for the access token');
  }
  const request = input instanceof URL || typeof input === 'string' ? null : input;
  const method = own(init, 'method') ?? request?.method ?? 'GET';
  const ado = azureDevOpsHost(url) ? await azure.code() : null;
  const [found, check] = ado ? await ado.prepare(String(method), url, token, azure) : [await token(undefined), null];
  const accessToken = own(found, 'accessToken');
  const bound = own(found, 'tokenType') === 'dpop';
  if (bound && !dpop) {
    throw new BrowserOAuthError('OAUTH_DPOP_INVALID', 'dpop proof cannot be built: no dpop: true');
  }
  const headers = new Headers(own(init, 'headers') ?? request?.headers);
  headers.set('authorization', `Bearer ${accessToken}`);
  // A null prototype: fetch reads its init dictionary through the prototype chain.
  const settings = Object.assign(Object.create(null), init, { headers, credentials: own(init, 'credentials') ?? 'omit' });
  // A Request already holds an absolute URL (the one checked); a string is the resolved one.
  const outgoing = new Request(request ?? url, settings);
  if (outgoing.url !== url) {
    throw new BrowserOAuthError('OAUTH_ORIGIN_NOT_ALLOWED', 'the url is not on an allow-listed origin for the access token');
  }
  const response = bound ? await dpop.fetch(outgoing, accessToken) : await fetch(outgoing);
  if (check) ado.refused(response, check, azure);
  return response;
}
