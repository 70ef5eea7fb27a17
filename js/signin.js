// The sign-in, sequenced: what the browser does between the core's steps. One sign-in reads top
// to bottom here: discovery → begin (start module) → transaction in sessionStorage → navigate;
// then on the redirect page: the response's state → its transaction, taken once → validate
// (account module) → token request → checks → ID token signature (WebCrypto) → commit.
import { account, loadAccount, loadStart, start } from './loader.js';
import { BrowserOAuthError, guard, typed } from './errors.js';
import { send } from './platform/http.js';
import { verifyIdToken } from './platform/verify.js';
import { TX_PREFIX, txGet, txKeys, txRemove, txSet, txTake } from './platform/store.js';

/**
 * The provider's discovery document, when `config` needs one: `[status, text]`, or `[0]`.
 * Fetched once per client and handed to each module, which checks it.
 */
export async function discover(config) {
  const exports = await loadStart();
  const url = guard(() => exports.discoveryUrl(config));
  return url == null ? [0, undefined] : send(url);
}

/** `true` inside a frame, where redirect sign-in is refused (checklist item 24). */
function inFrame() {
  return typeof window === 'object' && window !== null && window.top !== window;
}

/**
 * Builds the authorization URL with `client` (a StartClient) and keeps its transaction under
 * `browser-oauth:tx:<state>`. This client's expired and corrupt transactions are dropped first
 * (checklist items 20, 38).
 */
export function begin(client, request) {
  if (inFrame()) throw new BrowserOAuthError('OAUTH_INTERACTION_IN_PROGRESS', 'another sign-in is already in progress');
  for (const key of txKeys()) {
    const text = txGet(key);
    if (text !== null && client.transactionStatus(text) % 2 === 1) txRemove(key);
  }
  const { url, state, transaction } = guard(() => client.begin(request));
  txSet(TX_PREFIX + state, transaction);
  return url;
}

/** `true` when a sign-in of this client is pending in this tab. */
function pending(client) {
  return txKeys().some((key) => {
    const text = txGet(key);
    return text !== null && client.transactionStatus(text) === 0;
  });
}

/** Removes this client's pending sign-ins (at sign-out). */
export function forgetTransactions(client) {
  for (const key of txKeys()) {
    const text = txGet(key);
    if (text !== null && client.transactionStatus(text) < 2) txRemove(key);
  }
}

/**
 * Runs a validated response's exchange: the token request, the core's checks, the ID token
 * signature, then the commit, which returns the sign-in result.
 */
export async function exchange(validated) {
  const [status, body] = await send(guard(() => validated.request()));
  const jwt = guard(() => validated.finish(status, body));
  const verdict = jwt === undefined ? 1 : await guard(() => verifyIdToken(validated, account().jwksFetched, jwt));
  return guard(() => validated.commit(verdict));
}

/** Loads the account module and makes its client from the same configuration. */
export async function accountClient(config, [status, document]) {
  const exports = await loadAccount();
  return guard(() => new exports.AccountClient(config, status, document));
}

/**
 * The redirect: `null` when `url` carries no response. The OAuth parameters leave the address
 * bar first, on every outcome; the transaction is taken (removed) before anything is checked,
 * so a reloaded or replayed response finds nothing. Returns `[result, exchange]`: the caller
 * stores the session from the exchange.
 */
export async function redirect(startClient, getAccount, url) {
  const target = url ?? (typeof location === 'object' && location !== null ? location.href : undefined);
  if (target === undefined) throw new BrowserOAuthError('OAUTH_PLATFORM_UNAVAILABLE', 'location is not available in this context');
  const state = guard(() => startClient.responseState(target));
  if (state === undefined) return null;
  const client = await getAccount();
  guard(() => client.cleanAddressBar(target));
  const transaction = state ? txTake(TX_PREFIX + state) : null;
  if (transaction === null) throw typed(client.noTransaction(target, pending(client)));
  const validated = guard(() => client.validate(target, transaction));
  return [await exchange(validated), validated];
}

