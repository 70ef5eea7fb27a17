// Popup sign-in, the opener's side (`client.signInPopup`): a chunk of its own, loaded by
// `prepareSignIn()` in a window. The popup opens inside the caller's click (popup blockers allow
// nothing else), the transaction stays in this page's memory (`beginSignIn`'s closure), and the
// redirect page hands the response back (js/popup-redirect.js). Only a response for this attempt's
// state, from this origin, is taken; the client then checks it as a page redirect (complete()).
// It imports nothing: what it shares with the rest of the package is handed in (`tools`).

const DEFAULT_POPUP_TIMEOUT = 300_000;
const POLL_MS = 250;
// A popup that reads closed may be one that a Cross-Origin-Opener-Policy severed: the redirect
// page's own COOP severs it just before it sends the response, so that response gets this long.
const CLOSED_GRACE_MS = 2000;
const OWN_OPTIONS = ['popupTimeout', 'popupClosedCheck', 'signal'];

const invalid = (BrowserOAuthError, name, why) => new BrowserOAuthError('OAUTH_INVALID_OPTION', `option ${name} is invalid: ${why}`);

/** Window features for a popup centred on this window. */
function features() {
  const [width, height] = [480, 640];
  const left = Math.round(screenX + Math.max(0, outerWidth - width) / 2);
  const top = Math.round(screenY + Math.max(0, outerHeight - height) / 2);
  return `popup,width=${width},height=${height},left=${left},top=${top}`;
}

/**
 * Opens the popup, begins the sign-in with `begin(request)` (the client's: `{ url, state,
 * complete }`), sends the popup to the authorization URL and resolves to `complete(response)`.
 * `entra`: the provider is Microsoft Entra, whose pages sever the popup's handle, so that it reads
 * closed from the first page on: `popupClosedCheck` defaults to `false` there. `tools`: the
 * package's error class, own-property readers and js/popup-redirect.js's channel names and
 * `responseState`, handed in by the client so that this chunk imports no module the signed-out
 * page's chunks share (each shared set is a chunk of its own, one more file on every page).
 */
export function signInPopup(begin, options, entra, tools) {
  const { BrowserOAuthError, own, ownOr, ownRest, POPUP_CHANNEL, POPUP_RESPONSE, responseState } = tools;
  const timeout = ownOr(options, 'popupTimeout', () => DEFAULT_POPUP_TIMEOUT);
  if (!Number.isInteger(timeout) || timeout < 1000 || timeout > 3_600_000) {
    return Promise.reject(invalid(BrowserOAuthError, 'popupTimeout', 'must be whole milliseconds from 1000 to 3600000'));
  }
  const closedCheck = ownOr(options, 'popupClosedCheck', () => !entra);
  if (typeof closedCheck !== 'boolean') return Promise.reject(invalid(BrowserOAuthError, 'popupClosedCheck', 'must be a boolean'));
  const signal = own(options, 'signal');
  if (signal !== undefined && !(signal instanceof AbortSignal)) return Promise.reject(invalid(BrowserOAuthError, 'signal', 'must be an AbortSignal'));
  const aborted = () => new BrowserOAuthError('OAUTH_ABORTED', 'the popup sign-in was aborted', { cause: signal.reason });
  if (signal?.aborted) return Promise.reject(aborted());
  // Without BroadcastChannel the response can come only by postMessage, over the popup's handle:
  // a popup that reads closed can then send nothing, and Entra's pages sever every handle.
  const broadcast = typeof BroadcastChannel === 'function';
  if (!broadcast && entra) {
    return Promise.reject(new BrowserOAuthError('OAUTH_PLATFORM_UNAVAILABLE', 'BroadcastChannel is not available in this context'));
  }
  const watchClosed = closedCheck || !broadcast;
  const popup = window.open('about:blank', '_blank', features());
  if (!popup) return Promise.reject(new BrowserOAuthError('OAUTH_POPUP_BLOCKED', 'the browser blocked the sign-in popup: call signInPopup in a click handler'));
  let started;
  try {
    started = begin(ownRest(options, OWN_OPTIONS));
  } catch (e) {
    popup.close();
    return Promise.reject(e);
  }
  popup.location.replace(started.url);
  return new Promise((resolve, reject) => {
    const channel = broadcast ? new BroadcastChannel(POPUP_CHANNEL + started.state) : null;
    let closedSince = 0;
    const end = () => {
      clearInterval(poll);
      clearTimeout(timer);
      removeEventListener('message', onMessage);
      signal?.removeEventListener('abort', onAbort);
      channel?.close();
      popup.close();
    };
    const fail = (error) => {
      end();
      reject(error);
    };
    const onAbort = () => fail(aborted());
    // Anything else (another tab's or attempt's state, a forged message) is ignored, and leaves
    // this attempt pending: it must not spend the transaction.
    const take = (data) => {
      const url = own(data, 'url');
      if (own(data, 'type') !== POPUP_RESPONSE || typeof url !== 'string' || responseState(url) !== started.state) return;
      end();
      resolve(started.complete(url));
    };
    const onMessage = (e) => {
      if (e.origin === location.origin && e.source === popup) take(e.data);
    };
    addEventListener('message', onMessage);
    if (channel) channel.onmessage = (e) => take(e.data);
    signal?.addEventListener('abort', onAbort);
    const poll = watchClosed ? setInterval(() => {
      if (!popup.closed) return;
      closedSince ||= Date.now();
      if (Date.now() - closedSince >= CLOSED_GRACE_MS) {
        fail(new BrowserOAuthError('OAUTH_POPUP_CLOSED', `the sign-in popup was closed before the sign-in completed${broadcast ? '' : ' (or severed: no BroadcastChannel)'}`));
      }
    }, POLL_MS) : undefined;
    const timer = setTimeout(() => fail(new BrowserOAuthError('OAUTH_POPUP_TIMEOUT', `the popup sign-in did not complete within ${timeout} ms`)), timeout);
  });
}
