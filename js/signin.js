// The sign-in, sequenced: what the browser does between the core's steps. Its first half, what a
// signed-out page runs (with the start module only), is here: discovery → begin (start module) →
// transaction in sessionStorage → navigate. The second half, on the redirect page, is
// js/redirect.js: the response's state → its transaction, taken once → validate (account module)
// → token request → checks → ID token signature (WebCrypto) → commit. It is in the session's
// chunk, which only pages with a response or a session fetch.
import { withRules } from './loader.js';
import { BrowserOAuthError, guard } from './errors.js';
import { send } from './platform/http.js';
import { TX_PREFIX, txSet } from './platform/storage.js';

/**
 * The provider's discovery document, when `config` needs one: `[status, text]`, or `[0]`.
 * `exports` is any sign-in module: the account and session modules tell the URL with
 * `discoveryUrl`, the start module with `startSignIn`'s first answer. Fetched once per client and
 * handed to each module, which checks it.
 */
export async function discover(exports, config, timeout) {
  const url = guard(() => (exports.discoveryUrl ? exports.discoveryUrl(config) : exports.startSignIn(config, 0, undefined, false).discover));
  return url == null ? [0, undefined] : send(url, timeout);
}

/**
 * The start module's client for `config` and its fetched discovery document (`[status, text]`):
 * `{ issuer, sessionKey, metadata, begin(request) }`. The module checks both now, and again at
 * each `begin` (it keeps nothing between calls); `metadata` is a fresh copy at each read, as the
 * other modules' clients give it.
 */
export function startClient(exports, config, [status, document]) {
  const { issuer, sessionKey, metadata } = guard(() => exports.startSignIn(config, status, document, false));
  return {
    issuer,
    sessionKey,
    get metadata() {
      return { ...metadata };
    },
    begin: (request) => exports.startSignIn(config, status, document, true, request),
  };
}

/** `true` inside a frame, where redirect sign-in is refused (checklist item 24). */
function inFrame() {
  return typeof window === 'object' && window !== null && window.top !== window;
}

/**
 * Builds the authorization URL with `client` (see `startClient`) and keeps its transaction under
 * `browser-oauth:tx:<state>` until the redirect returns. (Expired and corrupt transactions are
 * dropped on the redirect page, which has the module that judges them: checklist items 20, 38.)
 */
export function begin(client, request) {
  if (inFrame()) throw new BrowserOAuthError('OAUTH_INTERACTION_IN_PROGRESS', 'another sign-in is already in progress');
  const { url, state, transaction } = guard(() => client.begin(request));
  txSet(TX_PREFIX + state, transaction);
  return url;
}

/** Names of the parameters that make a URL an authorization response (the core's list). */
const RESPONSE = ['code', 'state', 'error', 'access_token', 'id_token', 'response'];

/**
 * Whether `url` may carry an authorization response: a cheap filter so that a page without one
 * never loads the account module. It errs on the side of yes (either response mode, any
 * unparsable URL); the account module decides (`responseState`).
 */
export function mayCarryResponse(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return true;
  }
  return [u.search, u.hash.slice(1)].some((part) => {
    const params = new URLSearchParams(part);
    return RESPONSE.some((name) => params.has(name));
  });
}

/** Loads the `kind` module ('account' or 'session', the Entra build when `entra` or when the
 * plain one refuses the provider) and makes its client from the same configuration:
 * `[client, exports]`. */
export async function accountClient(config, [status, document], kind, entra) {
  const [client, , exports] = await withRules(kind, config, (x) => guard(() => new x.AccountClient(config, status, document)), entra);
  return [client, exports];
}
