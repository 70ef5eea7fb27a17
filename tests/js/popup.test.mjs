// Popup sign-in's JS without a browser: the redirect page's hand-back (js/popup-redirect.js) with
// the page's globals stood in for, and the opener's refusals before any window is open. The whole
// flow runs in Chromium in tests/e2e/popup.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { TX_PREFIX } from '../../js/platform/storage.js';
import { POPUP_CHANNEL, POPUP_RESPONSE, handlePopupRedirect, responseState } from '../../js/popup-redirect.js';
import { signInPopup } from '../../js/popup.js';
import { BrowserOAuthError } from '../../js/errors.js';
import { own, ownOr, ownRest } from '../../js/own.js';

// What the client hands in (js/client.js).
const TOOLS = { BrowserOAuthError, own, ownOr, ownRest, POPUP_CHANNEL, POPUP_RESPONSE, responseState };

/** Runs `fn` with a redirect page's globals at `href`; returns what it posted and did. */
async function onRedirectPage(href, fn, { pending = [], opener = true } = {}) {
  const done = { posted: [], closed: false, replaced: null, broadcast: [] };
  const url = new URL(href);
  const saved = {};
  const globals = {
    location: { href, origin: url.origin, pathname: url.pathname },
    sessionStorage: { getItem: (k) => (pending.includes(k) ? '{}' : null) },
    history: { state: null, replaceState: (_s, _t, to) => { done.replaced = to; } },
    window: {
      opener: opener ? { postMessage: (data, origin) => done.posted.push([data, origin]) } : null,
      close: () => { done.closed = true; },
    },
  };
  for (const [k, v] of Object.entries(globals)) {
    saved[k] = Object.getOwnPropertyDescriptor(globalThis, k);
    Object.defineProperty(globalThis, k, { value: v, configurable: true, writable: true });
  }
  const state = responseState(href);
  const listener = state ? new BroadcastChannel(POPUP_CHANNEL + state) : null;
  if (listener) listener.onmessage = (e) => done.broadcast.push(e.data);
  try {
    done.result = fn();
    await new Promise((r) => setTimeout(r, 50));
    return done;
  } finally {
    listener?.close();
    for (const [k, d] of Object.entries(saved)) {
      if (d) Object.defineProperty(globalThis, k, d);
      else delete globalThis[k];
    }
  }
}

test('the redirect page and the package name a page redirect\'s pending sign-in alike', async () => {
  const source = await import('node:fs/promises').then((fs) => fs.readFile(new URL('../../js/popup-redirect.js', import.meta.url), 'utf8'));
  assert.ok(source.includes(`const TX_PREFIX = '${TX_PREFIX}';`));
});

test('responseState reads the query, else the fragment, and nothing from a URL without one', () => {
  assert.equal(responseState('https://app.example/cb?code=c&state=s1'), 's1');
  assert.equal(responseState('https://app.example/cb#code=c&state=s2'), 's2');
  assert.equal(responseState('https://app.example/cb?state=q#state=f'), 'q');
  assert.equal(responseState('https://app.example/cb?code=c'), null);
  assert.equal(responseState('not a url'), null);
});

test('handlePopupRedirect posts the response over the state\'s channel and to the opener at this origin only, then closes', async () => {
  const href = 'https://app.example/cb?code=c&state=abc&iss=https%3A%2F%2Fop.example';
  const done = await onRedirectPage(href, handlePopupRedirect);
  assert.equal(done.result, true);
  assert.deepEqual(done.broadcast, [{ type: POPUP_RESPONSE, url: href }]);
  assert.deepEqual(done.posted, [[{ type: POPUP_RESPONSE, url: href }, 'https://app.example']]);
  assert.equal(done.replaced, '/cb');
  assert.equal(done.closed, true);
});

test('handlePopupRedirect without an opener (severed by COOP) still broadcasts', async () => {
  const href = 'https://app.example/cb#code=c&state=frag';
  const done = await onRedirectPage(href, handlePopupRedirect, { opener: false });
  assert.equal(done.result, true);
  assert.deepEqual(done.broadcast, [{ type: POPUP_RESPONSE, url: href }]);
  assert.equal(done.closed, true);
});

test('handlePopupRedirect leaves a page redirect of this tab, and a URL without state, to handleRedirect', async () => {
  const pageRedirect = await onRedirectPage('https://app.example/cb?code=c&state=mine', handlePopupRedirect, { pending: [`${TX_PREFIX}mine`] });
  const none = await onRedirectPage('https://app.example/cb', handlePopupRedirect);
  for (const done of [pageRedirect, none]) {
    assert.equal(done.result, false);
    assert.deepEqual([done.broadcast, done.posted, done.closed, done.replaced], [[], [], false, null]);
  }
});

test('signInPopup refuses bad popup options before it opens a window or begins a sign-in', async () => {
  let begun = 0;
  const begin = () => { begun += 1; };
  for (const options of [{ popupTimeout: 999 }, { popupTimeout: 1.5e3 + 0.5 }, { popupTimeout: '300000' }, { popupClosedCheck: 'yes' }]) {
    await assert.rejects(signInPopup(begin, options, false, TOOLS), { code: 'OAUTH_INVALID_OPTION' });
  }
  // An inherited option is no option: the prototype's popupTimeout is not read.
  Object.prototype.popupTimeout = 1;
  try {
    globalThis.window = { open: () => null };
    Object.assign(globalThis, { screenX: 0, screenY: 0, outerWidth: 800, outerHeight: 600 });
    await assert.rejects(signInPopup(begin, {}, false, TOOLS), { code: 'OAUTH_POPUP_BLOCKED' });
  } finally {
    delete Object.prototype.popupTimeout;
    for (const k of ['window', 'screenX', 'screenY', 'outerWidth', 'outerHeight']) delete globalThis[k];
  }
  assert.equal(begun, 0);
});

test('signInPopup: a signal that is not an AbortSignal is refused, an aborted one rejects OAUTH_ABORTED before any window opens, an inherited one is not read', async () => {
  let begun = 0;
  let opened = 0;
  const begin = () => { begun += 1; return { url: 'https://op.example/auth', state: 's', complete: () => null }; };
  globalThis.window = { open: () => { opened += 1; return null; } };
  Object.assign(globalThis, { screenX: 0, screenY: 0, outerWidth: 800, outerHeight: 600 });
  try {
    for (const signal of [{ aborted: true }, 'abort', new AbortController()]) {
      await assert.rejects(signInPopup(begin, { signal }, false, TOOLS), { code: 'OAUTH_INVALID_OPTION', message: /signal/ });
    }
    const reason = new Error('the dialog was dismissed');
    await assert.rejects(signInPopup(begin, { signal: AbortSignal.abort(reason) }, false, TOOLS), (e) => e.code === 'OAUTH_ABORTED' && e.cause === reason);
    assert.deepEqual([opened, begun], [0, 0]);
    // The prototype's aborted signal is no option: the call goes on to open its window.
    Object.prototype.signal = AbortSignal.abort();
    try {
      await assert.rejects(signInPopup(begin, {}, false, TOOLS), { code: 'OAUTH_POPUP_BLOCKED' });
    } finally {
      delete Object.prototype.signal;
    }
    assert.deepEqual([opened, begun], [1, 0]);
  } finally {
    for (const k of ['window', 'screenX', 'screenY', 'outerWidth', 'outerHeight']) delete globalThis[k];
  }
});

test('signInPopup without BroadcastChannel: with Microsoft Entra (whose pages sever the handle) OAUTH_PLATFORM_UNAVAILABLE before any window opens', async () => {
  let opened = 0;
  const begin = () => assert.fail('no sign-in may begin');
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'BroadcastChannel');
  globalThis.window = { open: () => { opened += 1; return null; } };
  Object.assign(globalThis, { screenX: 0, screenY: 0, outerWidth: 800, outerHeight: 600 });
  delete globalThis.BroadcastChannel;
  try {
    await assert.rejects(signInPopup(begin, {}, true, TOOLS), { code: 'OAUTH_PLATFORM_UNAVAILABLE', message: /^BroadcastChannel is not available/ });
    assert.equal(opened, 0);
    // Another provider: the postMessage path may still work, so the popup opens.
    await assert.rejects(signInPopup(begin, {}, false, TOOLS), { code: 'OAUTH_POPUP_BLOCKED' });
    assert.equal(opened, 1);
  } finally {
    Object.defineProperty(globalThis, 'BroadcastChannel', saved);
    for (const k of ['window', 'screenX', 'screenY', 'outerWidth', 'outerHeight']) delete globalThis[k];
  }
});
