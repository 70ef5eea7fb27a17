// The high-level client: sign in with a redirect, handle the redirect, keep the session (tokens,
// refresh, sign-out), and tell every tab what happened. This file is what a signed-out page runs
// (with the start module); the session's code (js/session.js, the account module) loads when a
// page has a response, a stored session, or asks for a token.
import { glueOf, wasmModule, withRules } from './loader.js';
import { BrowserOAuthError, guard, loadFailed, typed } from './errors.js';
import { own, ownOr, ownRest, ownStrings } from './own.js';
import { DEFAULT_TIMEOUT, send } from './platform/http.js';
import { badOption } from './platform/fail.js';
import { mayHoldSession, needsSealing, sealingCode, storageOptions, txOpen } from './platform/storage.js';
import { accountClient, begin, discover, mayCarryResponse, startClient } from './signin.js';
import { POPUP_CHANNEL, POPUP_RESPONSE, responseState } from './popup-redirect.js';
import { sessionCode } from './session-deps.js';

// The session's code (js/session.js, with the account module) is a chunk of its own:
// `sessionCode()` (js/session-deps.js).
// Popup sign-in's code (js/popup.js): a chunk of its own too, loaded by `prepareSignIn()`.
const popupCode = glueOf('popup-js', () => import('./popup.js'));
// DPoP's code (js/dpop.js, with its wasm module): only for clients with `dpop: true`.
const dpopCode = glueOf('dpop-js', () => import('./dpop.js'));

const EVENTS = ['signedin', 'refreshed', 'signedout'];

function strings(name, value) {
  if (value === undefined) return undefined;
  const copy = ownStrings(value);
  if (copy === null) {
    throw new BrowserOAuthError('OAUTH_INVALID_OPTION', `option ${name} is invalid: must be an array of strings`);
  }
  return copy;
}

/** `location.href`, when there is a location. */
const here = () => (typeof location === 'object' && location !== null ? location.href : undefined);

/**
 * A configured OAuth 2.0 / OpenID Connect client; create it with `createClient`.
 * Events (also fired when another tab of the same client does it): `signedin`, `refreshed`,
 * `signedout`, plus `storagepurged` when a corrupt, foreign or edited stored session was removed.
 */
export class OAuthClient extends EventTarget {
  #config;
  #document;
  // The module clients, each made when first needed: the start module's (js/signin.js
  // `startClient`, begins sign-ins), the account module's `AccountClient` (the redirect and the
  // session) and, on a signed-in page without a response, the session module's (the session
  // alone); `#first` is whichever came first (issuer, metadata). The account and session ones are
  // `[client, module exports]` promises.
  #start = null;
  #entra = false;
  #popup = null;
  #account = null;
  #sessionModule = null;
  #first;
  #storage;
  #key;
  #session = null;
  // The session once made (js/session.js `Session`): getToken's hits go to it without waiting.
  #live = null;
  #resourceOrigins;
  #timeout;
  #channel = null;
  // `dpop: true`: the client's DPoP (js/dpop.js).
  #dpop;

  /** @internal Use `createClient`. */
  constructor(config, document, { kind, client: moduleClient, exports, entra }, storage, resourceOrigins, timeout, dpop) {
    super();
    this.#dpop = dpop;
    this.#config = config;
    this.#document = document;
    this.#entra = entra;
    if (kind === 'start') this.#start = moduleClient;
    else if (kind === 'account') this.#account = Promise.resolve([moduleClient, exports]);
    else this.#sessionModule = Promise.resolve([moduleClient, exports]);
    this.#first = moduleClient;
    this.#storage = storage;
    this.#key = moduleClient.sessionKey;
    this.#resourceOrigins = resourceOrigins;
    this.#timeout = timeout;
    if (typeof BroadcastChannel === 'function') {
      this.#channel = new BroadcastChannel(`browser-oauth:${own(config, 'clientId')}@${moduleClient.issuer}`);
      this.#channel.onmessage = (e) => this.#fromOtherTab(e.data);
    }
  }

  /** The issuer (for Entra multi-tenant authorities, the `{tenantid}` template). */
  get issuer() {
    return this.#first.issuer;
  }

  /** The endpoints and capabilities the client uses. */
  get metadata() {
    return guard(() => this.#first.metadata);
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  #announce(type) {
    this.#live?.forget();
    this.#emit(type, { otherTab: false });
    this.#channel?.postMessage({ type });
  }

  async #fromOtherTab(data) {
    const type = own(data, 'type');
    if (!EVENTS.includes(type)) return;
    this.#live?.forget();
    // Another tab signed out: drop what this tab holds too (memory or this tab's storage).
    if (type === 'signedout' && (this.#session || mayHoldSession(this.#storage))) {
      await this.#sessionOf().then((s) => s.end()).catch(() => {});
    }
    this.#emit(type, { otherTab: true });
  }

  /** The account module's `[client, exports]`, loaded on first use (a redirect). */
  async #accountClient() {
    this.#account ??= accountClient(this.#config, this.#document, 'account', this.#entra);
    try {
      return await this.#account;
    } catch (e) {
      this.#account = null;
      throw e;
    }
  }

  /** What the session runs on: the account module's client when this page has it, else the
   * session module's, loaded on first use. */
  async #sessionClient() {
    if (this.#account) return this.#accountClient();
    this.#sessionModule ??= accountClient(this.#config, this.#document, 'session', this.#entra);
    try {
      return await this.#sessionModule;
    } catch (e) {
      this.#sessionModule = null;
      throw e;
    }
  }

  /** The session (js/session.js over the session or account module), loaded on first use. */
  async #sessionOf() {
    this.#session ??= Promise.all([this.#sessionClient(), sessionCode()]).then(([pair, { Session }]) => (this.#live = new Session(pair, this.#storage, {
      announce: (type) => this.#announce(type),
      emit: (type, detail) => this.#emit(type, detail),
    }, this.#timeout, this.#dpop, [this.#resourceOrigins, own(this.#config, 'entra') !== undefined])));
    try {
      return await this.#session;
    } catch (e) {
      this.#session = null;
      throw e;
    }
  }

  /** The start module's client, loaded on first use (a page that was signed in signs in again). */
  async #startClient() {
    if (!this.#start) {
      const [document, config] = [this.#document, this.#config];
      [this.#start, this.#entra] = await withRules('start', config, (x) => startClient(x, config, document), this.#entra);
    }
    return this.#start;
  }

  /**
   * Loads what a sign-in needs ahead of time, for `beginSignIn` and `signInPopup`, which must stay
   * synchronous: the start module and, in a window, the popup's code. `createClient` loads the
   * start module on a signed-out page; `signIn` needs none of it.
   */
  async prepareSignIn() {
    const [, popup] = await Promise.all([
      this.#startClient(),
      typeof window === 'object' && window !== null ? popupCode().catch(loadFailed('popup sign-in')) : null,
      // The key's thumbprint, for the `dpop_jkt` of sign-ins that complete on this page.
      this.#dpop?.thumbprint(),
    ]);
    this.#popup ??= popup;
  }

  /** Builds the authorization URL and keeps the pending sign-in in sessionStorage. */
  async authorizationUrl(options) {
    const client = await this.#startClient();
    const request = (await this.#dpop?.boundAcrossPages(options)) ?? options;
    return guard(() => begin(client, request));
  }

  /** Like `authorizationUrl`, then navigates there. */
  async signIn(options) {
    location.assign(await this.authorizationUrl(options));
  }

  /**
   * Starts a sign-in whose transaction (verifier, state, nonce) stays in this closure: for flows
   * that hand the redirect back to the caller, such as `chrome.identity.launchWebAuthFlow` or an
   * extension service worker (no sessionStorage, no window needed). Returns the URL to open and
   * `complete(redirectUrl)`, which runs the same checks as `handleRedirect`, exchanges the code
   * and keeps the session. It can be completed once. Synchronous: on a page that loaded only the
   * session (a stored session, a redirect), `await client.prepareSignIn()` first.
   */
  beginSignIn(options) {
    const { url, complete } = this.#begin(options);
    return { url, complete };
  }

  /** `beginSignIn` with the response's `state` too (for the popup). */
  #begin(options) {
    if (!this.#start) {
      throw new BrowserOAuthError('OAUTH_NOT_INITIALIZED', 'browser-oauth is not initialised: await client.prepareSignIn() first');
    }
    const started = guard(() => this.#start.begin(this.#dpop?.bound(options) ?? options));
    let transaction = started.transaction;
    return {
      url: started.url,
      state: started.state,
      complete: async (redirectUrl) => {
        if (typeof redirectUrl !== 'string') {
          throw new BrowserOAuthError('OAUTH_INVALID_OPTION', 'option redirectUrl is invalid: must be a string');
        }
        const t = transaction;
        transaction = null;
        if (t === null) throw new BrowserOAuthError('OAUTH_TRANSACTION_NOT_FOUND', 'no pending sign-in matches this response');
        const full = await this.#accountClient();
        return (await this.#sessionOf()).complete(redirectUrl, t, full);
      },
    };
  }

  /**
   * Signs in through a popup (see js/popup.js); this page keeps its state. Call it in a click
   * handler: it opens the popup synchronously (popup blockers). The redirect page calls
   * `handlePopupRedirect()`. Resolves to the sign-in result after the same checks as a redirect.
   * Throws `OAUTH_NOT_INITIALIZED` until `prepareSignIn()` has resolved.
   */
  signInPopup(options) {
    if (!this.#start || !this.#popup) {
      throw new BrowserOAuthError('OAUTH_NOT_INITIALIZED', 'browser-oauth is not initialised: await client.prepareSignIn() first');
    }
    return this.#popup.signInPopup((request) => this.#begin(request), options, this.#entra, { BrowserOAuthError, own, ownOr, ownRest, POPUP_CHANNEL, POPUP_RESPONSE, responseState });
  }

  /**
   * On the redirect page: validates the response, removes the OAuth parameters from the
   * address bar, exchanges the code and keeps the session. Resolves to `null` when the URL
   * carries no authorization response.
   */
  async handleRedirect(url) {
    if (url !== undefined && typeof url !== 'string') {
      throw new BrowserOAuthError('OAUTH_INVALID_OPTION', 'option url is invalid: must be a string');
    }
    const target = url ?? here();
    if (target === undefined) throw new BrowserOAuthError('OAUTH_PLATFORM_UNAVAILABLE', 'location is not available in this context');
    if (!mayCarryResponse(target)) return null;
    const full = await this.#accountClient();
    return (await this.#sessionOf()).handleRedirect(target, full);
  }

  /**
   * An access token for `scopes` (default: the client's scopes): from the cache while fresh,
   * otherwise refreshed, once across tabs. Rejects with `OAUTH_INTERACTION_REQUIRED` when the
   * user must sign in again. The object is frozen; a cache hit hands out the same one again.
   * (The session's `token`, js/session.js: once it is loaded, a hit waits for nothing else.)
   */
  getToken(scopes) {
    let list;
    try {
      list = strings('scopes', scopes);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#live ? this.#live.token(list) : this.#sessionOf().then((s) => s.token(list), (e) => {
      throw typed(e);
    });
  }

  /** The signed-in account and what it holds (scopes, expiry; no token values), or `null`. */
  async account() {
    // Nothing can be stored: signed out, without loading the account module.
    if (!this.#session && !mayHoldSession(this.#storage)) return null;
    return (await this.#sessionOf().catch((e) => {
      throw typed(e);
    })).account();
  }

  /**
   * Signs out: forgets the session and pending sign-ins in every tab, revokes the tokens at the
   * provider (RFC 7009) unless `revoke: false`, then navigates to the provider's logout page
   * (RP-Initiated Logout) unless `navigate: false`. Resolves to that logout URL or `null`.
   */
  async signOut(options) {
    return (await this.#sessionOf()).signOut(options);
  }

  /**
   * Forgets cached access tokens with exactly these scopes (all when omitted), revoking them
   * unless `revoke: false`. Some providers (oidc-provider among them) end the whole grant when
   * one of its access tokens is revoked; the next refresh then requires sign-in.
   */
  async forgetTokens(scopes, options) {
    const list = strings('scopes', scopes);
    return (await this.#sessionOf()).forgetTokens(list, options);
  }

  /**
   * `fetch` with `Authorization: Bearer <access token>` (with `dpop: true`, `Authorization: DPoP`
   * and a `DPoP` proof, RFC 9449 §7), only to the origins listed in the
   * client's `resourceOrigins` (RFC 9700 §4.9); anything else rejects with `OAUTH_ORIGIN_NOT_ALLOWED`.
   * To Azure DevOps, the token must allow the operation (else one that does is fetched, else
   * `OAUTH_SCOPE_NOT_GRANTED`), and a refusal is `OAUTH_RESOURCE_UNAUTHORIZED`.
   * See js/session.js `Session.fetch`.
   */
  async fetch(input, init, options) {
    return (await this.#sessionOf()).fetch(input, init, options, (list) => this.getToken(list));
  }

  /** Stops listening to other tabs. */
  close() {
    this.#channel?.close();
    this.#channel = null;
  }
}

/**
 * Validates the configuration, runs discovery if needed, and returns a client. What it loads
 * follows the page: a page that carries an authorization response loads the account module (the
 * redirect and the session); a page that may hold a stored session, the session module (the
 * session alone); any other page, the start module only (the one with the Microsoft Entra rules
 * for Entra providers). No page loads two of them before it needs them.
 */
export async function createClient(config) {
  const resourceOrigins = strings('resourceOrigins', own(config, 'resourceOrigins')) ?? [];
  const timeout = ownOr(config, 'requestTimeout', () => DEFAULT_TIMEOUT);
  if (!Number.isInteger(timeout) || timeout < 1000 || timeout > 600_000) {
    throw new BrowserOAuthError('OAUTH_INVALID_OPTION', 'option requestTimeout is invalid: must be whole milliseconds from 1000 to 600000');
  }
  const storage = storageOptions(config);
  const dpop = own(config, 'dpop');
  if (dpop != null && typeof dpop !== 'boolean') throw badOption('dpop', 'must be a boolean');
  // DPoP's code and wasm load alongside the sign-in module, not after it.
  const dpopLoading = dpop && dpopCode().then((m) => m.load({ wasmModule, glueOf, BrowserOAuthError, guard, own, ownRest, send }), loadFailed('DPoP'));
  dpopLoading?.catch?.(() => {});
  const url = here();
  const response = url !== undefined && mayCarryResponse(url);
  let document;
  let first;
  if (response || mayHoldSession(storage)) {
    const kind = response ? 'account' : 'session';
    // The session's JS (and, for a persistent store, its sealing code) is fetched while the
    // module loads, so that the first use of the session does not wait for another round trip.
    sessionCode().catch(() => {});
    if (needsSealing(storage)) sealingCode().catch(() => {});
    const [client, entra, exports] = await withRules(kind, config, async (x) => {
      document ??= await discover(x, config, timeout);
      return guard(() => new x.AccountClient(config, document[0], document[1]));
    });
    first = { kind, client, exports, entra };
  } else {
    const starting = withRules('start', config, async (x) => {
      document ??= await discover(x, config, timeout);
      return startClient(x, config, document);
    });
    // The module's fetch has been sent: the wait for it opens sessionStorage.
    txOpen();
    const [client, entra] = await starting;
    first = { kind: 'start', client, entra };
  }
  const bound = dpopLoading && (await dpopLoading)(document, storage, first.client.sessionKey);
  return new OAuthClient(config, document, first, storage, resourceOrigins, timeout, bound);
}
