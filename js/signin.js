// The sign-in, sequenced: what the browser does between the core's steps. One sign-in reads top
// to bottom here: discovery → begin (start module) → transaction in sessionStorage → navigate;
// then on the redirect page: the response's state → its transaction, taken once → validate
// (account module) → token request → checks → ID token signature (WebCrypto) → commit.
// A signed-out page loads this file with the start module only; nothing here imports the
// session's code (the signature check is handed in by js/session.js).
import { withRules } from './loader.js';
import { BrowserOAuthError, guard, typed } from './errors.js';
import { send } from './platform/http.js';
import { TX_PREFIX, txGet, txKeys, txRemove, txSet, txTake } from './platform/storage.js';

/**
 * The provider's discovery document, when `config` needs one: `[status, text]`, or `[0]`.
 * `exports` is either sign-in module (both tell the URL). Fetched once per client and handed to
 * each module, which checks it.
 */
export async function discover(exports, config, timeout) {
  const url = guard(() => exports.discoveryUrl(config));
  return url == null ? [0, undefined] : send(url, timeout);
}

/** `true` inside a frame, where redirect sign-in is refused (checklist item 24). */
function inFrame() {
  return typeof window === 'object' && window !== null && window.top !== window;
}

/**
 * Builds the authorization URL with `client` (a StartClient) and keeps its transaction under
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

/** Removes the stored sign-ins whose text `remove(text)` picks. */
function removeTransactions(remove) {
  for (const key of txKeys()) {
    const text = txGet(key);
    if (text !== null && remove(text)) txRemove(key);
  }
}

/** Drops this client's pending sign-ins for which `drop(status)` holds (status as
 * `AccountClient.transactionStatus`: 0 pending, 1 expired, 2 another client's, 3 corrupt). */
const dropTransactions = (client, drop) => removeTransactions((text) => drop(client.transactionStatus(text)));

/** Removes this client's pending sign-ins (at sign-out; the session module judges ownership only). */
export const forgetTransactions = (client) => removeTransactions((text) => client.ownsTransaction(text));

/** `true` when a sign-in of this client is pending in this tab. */
const pending = (client) => txKeys().some((key) => {
  const text = txGet(key);
  return text !== null && client.transactionStatus(text) === 0;
});

/**
 * Runs a validated response's exchange: the token request, the core's checks, the ID token
 * signature (`verify`, see js/platform/verify.js), then the commit, which returns the sign-in
 * result. `sender` sends the token request (js/dpop.js's adds a proof).
 */
export async function exchange(validated, verify, timeout, sender = send) {
  const [status, body] = await sender(guard(() => validated.request()), timeout);
  const jwt = guard(() => validated.finish(status, body));
  const verdict = jwt === undefined ? 1 : await guard(() => verify(validated, jwt));
  return guard(() => validated.commit(verdict));
}

/** Loads the `kind` module ('account' or 'session', the Entra build when `entra` or when the
 * plain one refuses the provider) and makes its client from the same configuration:
 * `[client, exports]`. */
export async function accountClient(config, [status, document], kind, entra) {
  const [client, , exports] = await withRules(kind, config, (x) => guard(() => new x.AccountClient(config, status, document)), entra);
  return [client, exports];
}

/**
 * The redirect: `null` when `url` carries no response. The OAuth parameters leave the address
 * bar first, on every outcome; the transaction is taken (removed) before anything is checked,
 * so a reloaded or replayed response finds nothing. Returns `[result, exchange]`: the caller
 * stores the session from the exchange.
 */
export async function redirect(client, url, verify, timeout, sender) {
  const state = guard(() => client.responseState(url));
  if (state === undefined) return null;
  guard(() => client.cleanAddressBar(url));
  const transaction = state ? txTake(TX_PREFIX + state) : null;
  // This client's expired and corrupt sign-ins go now, while the module that judges them is here.
  dropTransactions(client, (s) => s % 2 === 1);
  if (transaction === null) throw typed(client.noTransaction(url, pending(client)));
  const validated = guard(() => client.validate(url, transaction));
  return [await exchange(validated, verify, timeout, sender), validated];
}
