// The high-level client: sign in with a redirect, handle the redirect, keep the session (tokens,
// refresh, sign-out), and tell every tab what happened.
import { account as accountExports, loadAccount, loadStart } from './loader.js';
import { BrowserOAuthError, guard, typed } from './errors.js';
import { inherent, own, ownOr, ownStrings } from './own.js';
import { send } from './platform/http.js';
import { verifyIdToken } from './platform/verify.js';
import { storeFromOptions } from './platform/store.js';
import { locked } from './platform/locks.js';
import { accountClient, begin, discover, exchange, forgetTransactions, redirect } from './signin.js';

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

/** Unix seconds, as the core counts them. */
const now = () => Math.floor(Date.now() / 1000);

/** A copy of a token view for the app: the cache keeps its own. */
const handOut = (t) => ({ ...t, scopes: [...t.scopes] });

const NOT_SIGNED_IN = 'interactive sign-in is required: not signed in';
const notSignedIn = () => Object.assign(new BrowserOAuthError('OAUTH_INTERACTION_REQUIRED', NOT_SIGNED_IN), { reason: 'not signed in' });

/**
 * A configured OAuth 2.0 / OpenID Connect client; create it with `createClient`.
 * Events (also fired when another tab of the same client does it): `signedin`, `refreshed`,
 * `signedout`, plus `storagepurged` when a corrupt, foreign or edited stored session was removed.
 */
export class OAuthClient extends EventTarget {
  #config;
  #document;
  #start;
  #account = null;
  #store;
  #key;
  #lock;
  #resourceOrigins;
  #channel = null;
  // getToken's cache: per requested scope list, the token, the second until which the core said
  // it may be served (its expiry less the refresh skew), and the raw stored entry it came from.
  // A hit is a Map lookup, a clock compare and a synchronous read of the raw entry: any write by
  // anyone (another tab, page script) makes it a miss, and the entry is validated again.
  #memo = new Map();

  constructor(config, document, startClient, store, resourceOrigins) {
    super();
    this.#config = config;
    this.#document = document;
    this.#start = startClient;
    this.#store = store;
    this.#key = startClient.sessionKey;
    // The cross-tab refresh lock of this client at this issuer.
    this.#lock = this.#key.replace('browser-oauth:session:', 'browser-oauth:refresh:');
    this.#resourceOrigins = resourceOrigins;
    if (typeof BroadcastChannel === 'function') {
      this.#channel = new BroadcastChannel(`browser-oauth:${own(config, 'clientId')}@${startClient.issuer}`);
      this.#channel.onmessage = (e) => this.#fromOtherTab(e.data);
    }
  }

  /** The issuer (for Entra multi-tenant authorities, the `{tenantid}` template). */
  get issuer() {
    return this.#start.issuer;
  }

  /** The endpoints and capabilities the client uses. */
  get metadata() {
    return guard(() => this.#start.metadata);
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  #announce(type) {
    this.#memo.clear();
    this.#emit(type, { otherTab: false });
    this.#channel?.postMessage({ type });
  }

  async #fromOtherTab(data) {
    const type = own(data, 'type');
    if (!EVENTS.includes(type)) return;
    this.#memo.clear();
    if (type === 'signedout') {
      // Another tab signed out: drop what this tab holds too (memory or this tab's storage).
      await this.#end().catch(() => {});
    }
    this.#emit(type, { otherTab: true });
  }

  /** The account module's client, loaded on first use. */
  async #accountClient() {
    this.#account ??= accountClient(this.#config, this.#document);
    try {
      return await this.#account;
    } catch (e) {
      this.#account = null;
      throw e;
    }
  }

  /** Builds the authorization URL and keeps the pending sign-in in sessionStorage. */
  async authorizationUrl(options) {
    return guard(() => begin(this.#start, options));
  }

  /** Like `authorizationUrl`, then navigates there. */
  async signIn(options) {
    location.assign(await this.authorizationUrl(options));
  }

  /** Keeps the session a committed exchange starts, sealed with a fresh key (issue 8). */
  async #save(validated) {
    const client = await this.#accountClient();
    const text = guard(() => client.sessionFrom(validated));
    // Under the refresh lock, so that no refresh in another tab seals with the key being replaced.
    await locked(this.#lock, async () => {
      await this.#store.rotate(this.#key);
      await this.#store.set(this.#key, text);
    });
    this.#announce('signedin');
  }

  /**
   * Starts a sign-in whose transaction (verifier, state, nonce) stays in this closure: for flows
   * that hand the redirect back to the caller, such as `chrome.identity.launchWebAuthFlow` or an
   * extension service worker (no sessionStorage, no window needed). Returns the URL to open and
   * `complete(redirectUrl)`, which runs the same checks as `handleRedirect`, exchanges the code
   * and keeps the session. It can be completed once.
   */
  beginSignIn(options) {
    const started = guard(() => this.#start.begin(options));
    let transaction = started.transaction;
    return {
      url: started.url,
      complete: async (redirectUrl) => {
        if (typeof redirectUrl !== 'string') {
          throw new BrowserOAuthError('OAUTH_INVALID_OPTION', 'option redirectUrl is invalid: must be a string');
        }
        const t = transaction;
        transaction = null;
        if (t === null) throw new BrowserOAuthError('OAUTH_TRANSACTION_NOT_FOUND', 'no pending sign-in matches this response');
        const client = await this.#accountClient();
        const validated = guard(() => client.validate(redirectUrl, t));
        const result = await exchange(validated);
        await this.#save(validated);
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
    const done = await guard(() => redirect(this.#start, () => this.#accountClient(), url));
    if (!done) return null;
    // Stored only now: every check passed (checklist item 29).
    await this.#save(done[1]);
    return done[0];
  }

  #purged(e) {
    if (own(e, 'code') !== 'OAUTH_STORED_ENTRY_INVALID') return e;
    this.#emit('storagepurged', { code: e.code, message: e.message });
    return new BrowserOAuthError('OAUTH_INTERACTION_REQUIRED', 'interactive sign-in is required: the stored session was invalid and removed', { cause: e });
  }

  /** Runs `decide(text)` on the stored session; an entry the core refuses is removed (item 38). */
  async #withStored(read, decide) {
    const text = await read();
    if (text === null) return decide(null);
    try {
      return decide(text);
    } catch (e) {
      if (own(e, 'code') === 'OAUTH_STORED_ENTRY_INVALID') {
        this.#memo.clear();
        await this.#store.remove(this.#key);
      }
      throw e;
    }
  }

  /** Removes the session and its key: it ended (sign-out, or the grant is gone). */
  async #end() {
    this.#memo.clear();
    await this.#store.remove(this.#key);
    await this.#store.rotate(this.#key);
  }

  /**
   * An access token for `scopes` (default: the client's scopes): from the cache while fresh,
   * otherwise refreshed, once across tabs. Rejects with `OAUTH_INTERACTION_REQUIRED` when the
   * user must sign in again.
   */
  async getToken(scopes) {
    const list = strings('scopes', scopes);
    const memoKey = list === undefined ? '' : JSON.stringify(list);
    const hit = this.#memo.get(memoKey);
    if (hit !== undefined && now() < hit.deadline && hit.raw !== undefined && hit.raw === this.#store.peek(this.#key)) return handOut(hit.token);
    try {
      const raw = this.#store.peek(this.#key);
      const found = await this.#lookup(list);
      const token = handOut(found.token);
      if (token.refreshed) this.#announce('refreshed');
      // A refresh wrote a new entry: that one is what the token came from.
      this.#memo.set(memoKey, { token: { ...token, refreshed: false }, deadline: found.deadline, raw: token.refreshed ? this.#store.peek(this.#key) : raw });
      return token;
    } catch (e) {
      const error = typed(e);
      // The provider refused the refresh token: the session was removed here and in storage,
      // so every tab must hear that the user is signed out.
      if (own(error, 'code') === 'OAUTH_INTERACTION_REQUIRED' && own(error, 'reason') === 'the refresh token was refused') this.#announce('signedout');
      throw this.#purged(error);
    }
  }

  async #lookup(list) {
    const client = await this.#accountClient();
    const found = await this.#withStored(() => this.#store.get(this.#key), (text) => {
      if (text === null) throw notSignedIn();
      return guard(() => client.lookup(text, list));
    });
    if (own(found, 'token')) return found;
    return locked(this.#lock, () => this.#refresh(client, list));
  }

  /** Inside the lock: read again (another tab may have refreshed and rotated meanwhile). */
  async #refresh(client, list) {
    const plan = await this.#withStored(() => this.#store.getLatest(this.#key), (text) => {
      if (text === null) throw notSignedIn();
      return guard(() => client.refresh(text, list));
    });
    if (own(plan, 'token')) return plan;
    const [status, body] = await send(own(plan, 'request'));
    let jwt;
    try {
      jwt = guard(() => client.refreshed(status, body));
    } catch (e) {
      if (own(e, 'code') === 'OAUTH_INTERACTION_REQUIRED') await this.#end();
      throw e;
    }
    const verdict = jwt === undefined ? 1 : await guard(() => verifyIdToken(client, accountExports().jwksFetched, jwt));
    const done = guard(() => client.commitRefresh(verdict));
    await this.#store.set(this.#key, done.stored);
    return { token: done.token, deadline: done.deadline };
  }

  /** The signed-in account and what it holds (scopes, expiry; no token values), or `null`. */
  async account() {
    try {
      // Nothing stored: signed out, without loading the account module.
      const text = await this.#store.get(this.#key);
      if (text === null) return null;
      const client = await this.#accountClient();
      return await this.#withStored(async () => text, (t) => guard(() => client.account(t)));
    } catch (e) {
      throw this.#purged(typed(e));
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
    if (postLogoutRedirectUri != null && typeof postLogoutRedirectUri !== 'string') {
      throw new BrowserOAuthError('OAUTH_INVALID_OPTION', 'option postLogoutRedirectUri is invalid: must be a string');
    }
    const client = await this.#accountClient();
    // Under the refresh lock: a refresh in flight in another tab ends first, so the refresh token
    // revoked is the one it rotated to, and it cannot save the session after this removal.
    const text = await locked(this.#lock, async () => {
      const latest = await this.#store.getLatest(this.#key).catch(() => null);
      await this.#end();
      return latest;
    });
    forgetTransactions(client);
    const plan = guard(() => client.signOut(text ?? undefined, postLogoutRedirectUri ?? undefined, revoke === true));
    // Best effort: the local session is already gone; a failed revocation must not keep the
    // user signed in.
    for (const r of plan.revocations) await send(r).catch(() => {});
    this.#announce('signedout');
    const url = plan.logoutUrl;
    if (url && navigate && typeof location !== 'undefined') location.assign(url);
    return url;
  }

  /**
   * Forgets cached access tokens with exactly these scopes (all when omitted), revoking them
   * unless `revoke: false`. Some providers (oidc-provider among them) end the whole grant when
   * one of its access tokens is revoked; the next refresh then requires sign-in.
   */
  async forgetTokens(scopes, options) {
    const list = strings('scopes', scopes);
    const revoke = ownOr(options, 'revoke', () => true);
    const client = await this.#accountClient();
    // Read and written back under the lock, from the latest copy, so that a refresh in another
    // tab is never undone by writing back the refresh token it replaced. An entry the core
    // refuses is removed, as on every other read (item 38).
    const out = await locked(this.#lock, async () => {
      const r = await this.#withStored(() => this.#store.getLatest(this.#key), (text) => (text === null ? null : guard(() => client.forgetTokens(text, list))));
      if (r !== null) await this.#store.set(this.#key, r.stored);
      return r;
    });
    this.#memo.clear();
    if (out === null) return 0;
    if (revoke === true) for (const r of out.revocations) await send(r).catch(() => {});
    return out.count;
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
    const exports = await loadAccount();
    if (!exports.isAllowedOrigin(url, this.#resourceOrigins)) {
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

/**
 * Validates the configuration, runs discovery if needed, and returns a client. Only the start
 * module is loaded; the account module follows on first use (a redirect, a stored session).
 */
export async function createClient(config) {
  const resourceOrigins = strings('resourceOrigins', own(config, 'resourceOrigins')) ?? [];
  const exports = await loadStart();
  const store = storeFromOptions(config);
  // A page that will need the account module (it carries a response, or a session may be
  // stored) starts fetching it now, in parallel with discovery.
  const here = typeof location === 'object' && location !== null ? location.href : '';
  if (store.kind !== 'memory' || /[?#&](code|error|state|response)=/.test(here)) loadAccount().catch(() => {});
  const document = await discover(config);
  const startClient = guard(() => new exports.StartClient(config, document[0], document[1]));
  return new OAuthClient(config, document, startClient, store, resourceOrigins);
}
