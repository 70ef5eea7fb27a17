// Popup sign-in, the popup's side: on the redirect page, hands the authorization response back to
// the tab that opened the popup (js/popup.js), which validates it as a page redirect would. It
// checks nothing itself and imports nothing, so that a redirect page can load it alone (no wasm).

/** @internal The BroadcastChannel of one popup sign-in is this prefix + its `state`. */
export const POPUP_CHANNEL = 'browser-oauth:popup:';
/** @internal The `type` of the message that carries the response URL. */
export const POPUP_RESPONSE = 'browser-oauth:popup-response';
// js/platform/storage.js TX_PREFIX: a page redirect's pending sign-in (tests/js pins the two equal).
const TX_PREFIX = 'browser-oauth:tx:';

/** @internal The `state` of the response `url` carries (query, else fragment), or `null`. */
export function responseState(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  return new URLSearchParams(u.search).get('state') ?? new URLSearchParams(u.hash.slice(1)).get('state');
}

/**
 * On the redirect page of a popup sign-in: sends the authorization response to the opener over a
 * BroadcastChannel named after its `state` (which still works when the provider's
 * Cross-Origin-Opener-Policy severed `window.opener`, as Microsoft Entra's does) and with
 * `postMessage` to `window.opener` restricted to this origin, then closes the popup. Returns
 * `false`, doing nothing, when the URL carries no `state` or when it answers a page redirect of
 * this tab (its pending sign-in is in this tab's sessionStorage): call `handleRedirect()` then.
 */
export function handlePopupRedirect() {
  const url = location.href;
  const state = responseState(url);
  if (!state) return false;
  try {
    if (sessionStorage.getItem(TX_PREFIX + state) !== null) return false;
  } catch {
    // No sessionStorage (sandboxed, blocked): no page redirect can be pending in it either.
  }
  const message = { type: POPUP_RESPONSE, url };
  if (typeof BroadcastChannel === 'function') {
    const channel = new BroadcastChannel(POPUP_CHANNEL + state);
    channel.postMessage(message);
    channel.close();
  }
  // The exact target origin: an opener that navigated elsewhere receives nothing.
  window.opener?.postMessage(message, location.origin);
  // The code is spent or about to be; it need not stay in the popup's history either.
  history.replaceState(history.state, '', location.pathname);
  window.close();
  return true;
}
