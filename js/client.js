// The high-level client: sign in with a redirect, handle the redirect, keep the session (tokens,
// refresh, sign-out), and tell every tab what happened.
import { init, wasm } from './loader.js';
import { BrowserOAuthError, guard } from './errors.js';
import { inherent, own, ownOr, ownStrings } from './own.js';

const EVENTS = ['signedin', 'refreshed', 'signedout'];

function strings(name, value) {
  if (value === undefined) return undefined;
  const copy = ownStrings(value);
  if (copy === null) {
    throw new BrowserOAuthError('OAUTH_INVALID_OPTION', `option ${name} is invalid: must be an array of strings`);
  }
  return copy;
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
 * A configured OAuth 2.0 / OpenID Connect client; create it with `createClient`.
 * Events (also fired when another tab of the same client does it): `signedin`, `refreshed`,
 * `signedout`, plus `storagepurged` when a corrupt, foreign or edited stored session was removed.
 */
export class OAuthClient extends EventTarget {
  #inner;
  #resourceOrigins;
  #channel = null;

  constructor(inner, clientId, resourceOrigins) {
    super();
    this.#inner = inner;
    this.#resourceOrigins = resourceOrigins;
    if (typeof BroadcastChannel === 'function') {
      this.#channel = new BroadcastChannel(`browser-oauth:${clientId}@${inner.issuer}`);
      this.#channel.onmessage = (e) => this.#fromOtherTab(e.data);
    }
  }

  /** The issuer (for Entra multi-tenant authorities, the `{tenantid}` template). */
  get issuer() {
    return this.#inner.issuer;
  }

  /** The endpoints and capabilities the client uses. */
  get metadata() {
    return guard(() => this.#inner.metadata);
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  #announce(type) {
    this.#emit(type, { otherTab: false });
    this.#channel?.postMessage({ type });
  }

  async #fromOtherTab(data) {
    const type = own(data, 'type');
    if (!EVENTS.includes(type)) return;
    if (type === 'signedout') {
      // Another tab signed out: drop what this tab holds too (memory or this tab's storage).
      await this.#inner.signOut({ revoke: false }).catch(() => {});
    }
    this.#emit(type, { otherTab: true });
  }

  /** Builds the authorization URL and keeps the pending sign-in in sessionStorage. */
  async authorizationUrl(options) {
    return guard(() => this.#inner.authorizationUrl(options));
  }

  /** Like `authorizationUrl`, then navigates there. */
  async signIn(options) {
    return guard(() => this.#inner.signIn(options));
  }

  /**
   * Starts a sign-in whose transaction (verifier, state, nonce) stays inside the library: for
   * flows that hand the redirect back to the caller, such as `chrome.identity.launchWebAuthFlow`
   * or an extension service worker (no sessionStorage, no window needed). Returns the URL to open
   * and `complete(redirectUrl)`, which runs the same checks as `handleRedirect`, exchanges the
   * code and keeps the session. It can be completed once.
   */
  beginSignIn(options) {
    const pending = guard(() => this.#inner.beginSignIn(options));
    return {
      url: pending.url,
      complete: async (redirectUrl) => {
        if (typeof redirectUrl !== 'string') {
          throw new BrowserOAuthError('OAUTH_INVALID_OPTION', 'option redirectUrl is invalid: must be a string');
        }
        const result = await guard(() => this.#inner.completeSignIn(pending, redirectUrl));
        this.#announce('signedin');
        return result;
      },
    };
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
    const result = await guard(() => this.#inner.handleRedirect(url));
    if (result) this.#announce('signedin');
    return result;
  }

  #purged(e) {
    if (own(e, 'code') !== 'OAUTH_STORED_ENTRY_INVALID') return e;
    this.#emit('storagepurged', { code: e.code, message: e.message });
    return new BrowserOAuthError('OAUTH_INTERACTION_REQUIRED', 'interactive sign-in is required: the stored session was invalid and removed', { cause: e });
  }

  /**
   * An access token for `scopes` (default: the client's scopes): from the cache while fresh,
   * otherwise refreshed, once across tabs. Rejects with `OAUTH_INTERACTION_REQUIRED` when the
   * user must sign in again.
   */
  async getToken(scopes) {
    try {
      const token = await guard(() => this.#inner.getToken(strings('scopes', scopes)));
      if (token.refreshed) this.#announce('refreshed');
      return token;
    } catch (e) {
      // The provider refused the refresh token: the session was removed here and in storage,
      // so every tab must hear that the user is signed out.
      if (own(e, 'code') === 'OAUTH_INTERACTION_REQUIRED' && own(e, 'reason') === 'the refresh token was refused') this.#announce('signedout');
      throw this.#purged(e);
    }
  }

  /** The signed-in account and what it holds (scopes, expiry; no token values), or `null`. */
  async account() {
    try {
      return await guard(() => this.#inner.account());
    } catch (e) {
      throw this.#purged(e);
    }
  }

  /**
   * Signs out: forgets the session and pending sign-ins in every tab, revokes the tokens at the
   * provider (RFC 7009) unless `revoke: false`, then navigates to the provider's logout page
   * (RP-Initiated Logout) unless `navigate: false`. Resolves to that logout URL or `null`.
   */
  async signOut(options) {
    const postLogoutRedirectUri = own(options, 'postLogoutRedirectUri');
    const revoke = ownOr(options, 'revoke', () => true);
    const navigate = ownOr(options, 'navigate', () => true);
    const url = await guard(() => this.#inner.signOut({ postLogoutRedirectUri, revoke }));
    this.#announce('signedout');
    if (url && navigate && typeof location !== 'undefined') location.assign(url);
    return url;
  }

  /**
   * Forgets cached access tokens with exactly these scopes (all when omitted), revoking them
   * unless `revoke: false`. Some providers (oidc-provider among them) end the whole grant when
   * one of its access tokens is revoked; the next refresh then requires sign-in.
   */
  async forgetTokens(scopes, options) {
    const revoke = ownOr(options, 'revoke', () => true);
    return guard(() => this.#inner.forgetTokens(strings('scopes', scopes), revoke));
  }

  /**
   * `fetch` with `Authorization: Bearer <access token>`, only to the origins listed in the
   * client's `resourceOrigins` (RFC 9700 §4.9); anything else rejects with `OAUTH_ORIGIN_NOT_ALLOWED`.
   * A relative URL is resolved here against the document's base URL (`<base href>` included), and
   * that resolved URL is both the one checked and the one fetched: the browser resolves nothing
   * after the check.
   */
  async fetch(input, init, options) {
    const url = absoluteUrl(input);
    if (!wasm().isAllowedOrigin(url, this.#resourceOrigins)) {
      throw new BrowserOAuthError('OAUTH_ORIGIN_NOT_ALLOWED', 'the url is not on an allow-listed origin for the access token');
    }
    const token = await this.getToken(own(options, 'scopes'));
    const request = input instanceof URL || typeof input === 'string' ? null : input;
    const headers = new Headers(own(init, 'headers') ?? request?.headers);
    headers.set('authorization', `Bearer ${token.accessToken}`);
    // A null prototype: fetch reads its init dictionary through the prototype chain.
    const settings = Object.assign(Object.create(null), init, { headers, credentials: own(init, 'credentials') ?? 'omit' });
    // A Request already holds an absolute URL (the one checked); a string is the resolved one.
    const outgoing = new Request(request ?? url, settings);
    if (outgoing.url !== url) {
      throw new BrowserOAuthError('OAUTH_ORIGIN_NOT_ALLOWED', 'the url is not on an allow-listed origin for the access token');
    }
    return fetch(outgoing);
  }

  /** Stops listening to other tabs. */
  close() {
    this.#channel?.close();
    this.#channel = null;
  }
}

/** Validates the configuration, runs discovery if needed, and returns a client. */
export async function createClient(config) {
  await init();
  const resourceOrigins = strings('resourceOrigins', own(config, 'resourceOrigins')) ?? [];
  const inner = await guard(() => wasm().WasmClient.create(config));
  return new OAuthClient(inner, own(config, 'clientId'), resourceOrigins);
}
