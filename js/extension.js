// Browser extensions (Manifest V3): sign in with `chrome.identity.launchWebAuthFlow` or
// `browser.identity.launchWebAuthFlow`, from an extension page or from the service worker.
//
// Nothing on this path touches `window`, `document`, `history` or Web Storage: the transaction
// (verifier, state, nonce) stays inside wasm (`client.beginSignIn`), the browser hands the
// redirect back to the caller, and `complete(redirectUrl)` runs the same checks as a page
// redirect. The session goes to `chrome.storage.session` with `chromeSessionStorage()`.
import { BrowserOAuthError } from './errors.js';
import { createClient } from './client.js';
import { inherent, method, own, ownOr, ownRest } from './own.js';

// The extension APIs live on the global object; one inherited from `Object.prototype` (a polluted
// `browser` in Chrome, where there is none) would hand the sign-in to page script.
const api = (root, ...path) => path.reduce((o, name) => (o === undefined ? o : inherent(o, name)), root);
const defaultIdentity = () => api(globalThis, 'browser', 'identity') ?? api(globalThis, 'chrome', 'identity');
const defaultSessionArea = () => api(globalThis, 'chrome', 'storage', 'session') ?? api(globalThis, 'browser', 'storage', 'session');

// What the browsers say when the user closed the window or refused (Chrome: "The user did not
// approve access.", "canceled"; Firefox: "User cancelled or denied access.").
const CANCELLED = /did not approve access|cancell?ed|denied access/i;
// What they say when a non-interactive flow would have to show a page (Chrome: "User interaction
// required. Try setting …"; Firefox: "Requires user interaction").
const INTERACTION = /interaction required|requires user interaction/i;

function invalid(name, reason) {
  return new BrowserOAuthError('OAUTH_INVALID_OPTION', `option ${name} is invalid: ${reason}`);
}

function identityOf(identity, needs) {
  if (!identity || !method(identity, needs)) {
    throw new BrowserOAuthError(
      'OAUTH_PLATFORM_UNAVAILABLE',
      `identity.${needs} is unavailable: this is not an extension context, or the manifest lacks the "identity" permission`,
    );
  }
  return identity;
}

/** The browser's own words, without any URL it may have quoted, kept short. */
function browserMessage(e) {
  const text = typeof e === 'string' ? e : typeof e?.message === 'string' ? e.message : '';
  return text.replace(/[a-z][a-z0-9+.-]*:\/\/\S*/gi, '<url>').slice(0, 300);
}

/** Turns a rejected `launchWebAuthFlow` into a typed error. */
function flowError(e, interactive) {
  const said = browserMessage(e);
  if (INTERACTION.test(said)) {
    const err = new BrowserOAuthError(
      'OAUTH_INTERACTION_REQUIRED',
      `interactive sign-in is required: the non-interactive web auth flow would have had to show a page (browser: "${said}")`,
      { cause: e },
    );
    err.reason = 'the web auth flow needs user interaction';
    return err;
  }
  if (CANCELLED.test(said)) {
    return new BrowserOAuthError(
      'OAUTH_WEB_AUTH_FLOW_CANCELLED',
      `the sign-in window was closed or the user cancelled (browser: "${said}")`,
      { cause: e },
    );
  }
  return new BrowserOAuthError(
    'OAUTH_WEB_AUTH_FLOW_FAILED',
    `the ${interactive ? 'interactive' : 'non-interactive'} web auth flow failed (browser: "${said || 'no message'}")`,
    { cause: e },
  );
}

/**
 * The extension's redirect URI from `identity.getRedirectURL(path)`:
 * `https://<extension-id>.chromiumapp.org/<path>` in Chrome and Edge,
 * `https://<hash>.extensions.allizom.org/<path>` in Firefox. Register exactly this URI.
 * @param {string} [path='']
 * @param {{ identity?: object }} [options]
 */
export function extensionRedirectUri(path = '', options = undefined) {
  if (typeof path !== 'string') throw invalid('path', 'must be a string');
  const identity = ownOr(options, 'identity', defaultIdentity);
  return identityOf(identity, 'getRedirectURL').getRedirectURL(path);
}

/**
 * A session store on `chrome.storage.session` (or `browser.storage.session`): kept in memory by
 * the browser, shared by the extension's pages and its service worker, gone when the browser
 * quits, and not readable by content scripts unless the extension opens it to them. Any
 * `chrome.storage` area with promise-returning `get`, `set` and `remove` works.
 * @param {object} [area=chrome.storage.session]
 */
export function chromeSessionStorage(area = defaultSessionArea()) {
  if (!area || !method(area, 'get') || !method(area, 'set') || !method(area, 'remove')) {
    throw new BrowserOAuthError(
      'OAUTH_STORAGE_UNAVAILABLE',
      'chrome.storage.session is unavailable: the manifest lacks the "storage" permission, or this is not an extension context',
    );
  }
  return {
    async get(key) {
      const items = await area.get(key);
      return own(items, key) ?? null;
    },
    async set(key, value) {
      await area.set({ [key]: value });
    },
    async remove(key) {
      await area.remove(key);
    },
  };
}

/**
 * `createClient` with extension defaults: `redirectUri` from `identity.getRedirectURL()` and the
 * session in `chrome.storage.session`. Everything else is `createClient`'s configuration.
 */
export async function createExtensionClient(config = {}) {
  if (config === null || typeof config !== 'object') throw invalid('config', 'must be an object');
  const identity = ownOr(config, 'identity', defaultIdentity);
  const rest = ownRest(config, ['identity']);
  const client = await createClient({
    ...rest,
    redirectUri: own(rest, 'redirectUri') ?? extensionRedirectUri('', { identity }),
    storage: own(rest, 'storage') ?? chromeSessionStorage(),
  });
  // Extension pages sign in with `beginSignIn` (synchronous): the start module is loaded now, even
  // where a stored session made the client load the account module first (files of the
  // extension: no download).
  await client.prepareSignIn();
  return client;
}

/**
 * Signs in through the browser's web auth flow: `client.beginSignIn(options)` builds the request
 * (the transaction stays in wasm), `confirm(url)` may inspect it first (for example with
 * `checkAuthorizationRequest`) and must resolve to `true` for it to be sent,
 * `identity.launchWebAuthFlow({ url, interactive })` shows the provider, and the URL it returns is
 * validated and exchanged exactly like a page redirect. Resolves to the `SignInResult`; the
 * session is kept in the client's store.
 *
 * A closed window or a refusal rejects with `OAUTH_WEB_AUTH_FLOW_CANCELLED`; a non-interactive
 * flow that would need to show a page rejects with `OAUTH_INTERACTION_REQUIRED`; any other
 * failure of the browser's flow with `OAUTH_WEB_AUTH_FLOW_FAILED`. An error the provider sent
 * back (`access_denied`, `login_required` for `prompt: 'none'`, …) is an `OAuthServerError`.
 * Nothing stays pending after a failure.
 */
export async function signInWithWebAuthFlow(client, options = {}) {
  if (!client || !method(client, 'beginSignIn')) throw invalid('client', 'must be an OAuthClient');
  if (options === null || typeof options !== 'object') throw invalid('options', 'must be an object');
  const interactive = ownOr(options, 'interactive', () => true);
  const identity = ownOr(options, 'identity', defaultIdentity);
  const confirm = own(options, 'confirm');
  const abortOnLoadForNonInteractive = own(options, 'abortOnLoadForNonInteractive');
  const timeoutMsForNonInteractive = own(options, 'timeoutMsForNonInteractive');
  const request = ownRest(options, ['interactive', 'identity', 'confirm', 'abortOnLoadForNonInteractive', 'timeoutMsForNonInteractive']);
  if (typeof interactive !== 'boolean') throw invalid('interactive', 'must be a boolean');
  if (confirm !== undefined && typeof confirm !== 'function') throw invalid('confirm', 'must be a function');
  identityOf(identity, 'launchWebAuthFlow');

  // The start module, when the client has only loaded the session so far (a stored session).
  const prepare = method(client, 'prepareSignIn');
  if (prepare) await Reflect.apply(prepare, client, []);
  const pending = client.beginSignIn(request);
  if (confirm && (await confirm(pending.url)) !== true) {
    throw new BrowserOAuthError('OAUTH_WEB_AUTH_FLOW_CANCELLED', 'the sign-in was cancelled before the authorization request was sent');
  }

  const details = { url: pending.url, interactive };
  // Chrome 113+ only; passed on only when asked for, since other browsers may refuse unknown keys.
  if (abortOnLoadForNonInteractive !== undefined) details.abortOnLoadForNonInteractive = abortOnLoadForNonInteractive;
  if (timeoutMsForNonInteractive !== undefined) details.timeoutMsForNonInteractive = timeoutMsForNonInteractive;

  let redirectUrl;
  try {
    const launched = identity.launchWebAuthFlow(details);
    if (!launched || typeof launched.then !== 'function') {
      throw new BrowserOAuthError(
        'OAUTH_WEB_AUTH_FLOW_FAILED',
        'identity.launchWebAuthFlow did not return a promise: a Manifest V3 extension or browser.identity is needed',
      );
    }
    redirectUrl = await launched;
  } catch (e) {
    throw e instanceof BrowserOAuthError ? e : flowError(e, interactive);
  }
  if (typeof redirectUrl !== 'string' || redirectUrl === '') {
    throw new BrowserOAuthError('OAUTH_WEB_AUTH_FLOW_CANCELLED', 'the web auth flow ended without a redirect');
  }
  return pending.complete(redirectUrl);
}
