// The sign-in's second half, on the redirect page (its first half is js/signin.js): the
// response's state → its transaction, taken once → validate (account module) → token request →
// the core's checks → ID token signature (WebCrypto, js/platform/verify.js) → commit. Part of the
// session's chunk: what it uses of the rest of the package comes through js/session-lib.js.
import { guard, send, typed, web, TX_PREFIX } from './session-lib.js';

// ---- the pending sign-ins in sessionStorage (js/signin.js `begin` writes them) -------------------

/** @internal The sessionStorage keys of pending sign-ins; none when the storage is unavailable. */
export function txKeys() {
  const out = [];
  try {
    const s = sessionStorage;
    for (let i = 0; i < s.length; i += 1) {
      const k = s.key(i);
      if (k?.startsWith(TX_PREFIX)) out.push(k);
    }
  } catch { /* none */ }
  return out;
}

/** @internal sessionStorage `key`, `null` when absent. */
export const txGet = (key) => web('sessionStorage', (s) => s.getItem(key));

/** @internal Removes sessionStorage `key`. */
export const txRemove = (key) => web('sessionStorage', (s) => s.removeItem(key));

/** @internal Reads and removes `key` in one step: JS runs to completion, so no other script in this tab can
 * read it in between. `null` when absent. */
export function txTake(key) {
  const value = txGet(key);
  if (value !== null) txRemove(key);
  return value;
}

// ---- the redirect ---------------------------------------------------------------------------------

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
