// End to end: sign-in from a Manifest V3 extension. The example extension (www/extension) is
// loaded unpacked into Chromium (new headless mode) and signs in against oidc-provider on
// loopback through the real chrome.identity.launchWebAuthFlow, from the extension page and from
// the service worker. The sign-in window that launchWebAuthFlow opens is a page of the browser
// context, so its login and consent pages are clicked like any other, and Chromium itself catches
// the redirect to https://<id>.chromiumapp.org/. What is not a real browser piece here: the
// toolbar button (browser UI) is not clicked, the page is opened by its URL instead; the first
// test feeds the adapter fake identity objects to cover Firefox's browser.identity messages.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { assertPackageBuilt } from './harness.mjs';
import { openSealed } from './session-harness.mjs';
import {
  startExtensionStack, openOptions, pageStatus, startAction, nextAuthWindow, approveInAuthWindow,
  denyInAuthWindow, rewriteAuthorizationResponse, extensionStorage, messageWorker, EXTENSION_CLIENT_ID, SCOPES,
} from './extension-harness.mjs';
import {
  signInWithWebAuthFlow, chromeSessionStorage, extensionRedirectUri, BrowserOAuthError,
} from '../../js/index.js';

const OPTS = { timeout: 45_000 };

before(assertPackageBuilt);

async function stackFor(t, options) {
  const stack = await startExtensionStack(options);
  t.after(stack.stop);
  return stack;
}

const sessionKey = (stack) => `browser-oauth:session:${EXTENSION_CLIENT_ID}@${stack.issuer}`;
const grants = (provider) => provider.tokenLog.map((e) => [e.grantType, e.status, e.origin, e.error]);
const texts = (page, selector) => page.locator(selector).allTextContents();
const dataOf = (page, selector, name) => page.locator(selector).evaluateAll((els, n) => els.map((e) => e.dataset[n]), name);

/** Runs `action` and returns how many pages the context opened meanwhile. */
async function pagesOpenedDuring(stack, action) {
  let opened = 0;
  const count = () => { opened += 1; };
  stack.context.on('page', count);
  try {
    return { result: await action(), opened: () => opened };
  } finally {
    stack.context.off('page', count);
  }
}

// ---- the adapter alone (node, fake identity objects) ------------------------------------------

test('adapter: what Chrome and Firefox reject with becomes a stable code; confirm can stop the request', async () => {
  const fakeClient = (log) => ({
    beginSignIn(options) {
      log.push(['begin', options]);
      return { url: 'https://op.example/authorize?state=s', complete: async (url) => { log.push(['complete', url]); return { ok: url }; } };
    },
  });
  const identity = (outcome, log = []) => ({
    launchWebAuthFlow(details) {
      log.push(['launch', details]);
      return typeof outcome === 'function' ? outcome() : outcome;
    },
    getRedirectURL: (path) => `https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/${path ?? ''}`,
  });
  const fails = async (identityObject, code, extra = {}) => {
    const err = await signInWithWebAuthFlow(fakeClient([]), { identity: identityObject, ...extra }).then(() => null, (e) => e);
    assert.ok(err instanceof BrowserOAuthError, `${code}: got ${err}`);
    assert.equal(err.code, code, err.message);
    return err;
  };
  const reject = (message) => () => Promise.reject(new Error(message));

  // Chrome (extensions/api/identity constants) and Firefox (ext-identity.js) wording.
  await fails(identity(reject('The user did not approve access.')), 'OAUTH_WEB_AUTH_FLOW_CANCELLED');
  await fails(identity(reject('User cancelled or denied access.')), 'OAUTH_WEB_AUTH_FLOW_CANCELLED');
  await fails(identity(() => Promise.reject({ message: 'canceled' })), 'OAUTH_WEB_AUTH_FLOW_CANCELLED');
  const silent = await fails(identity(reject('User interaction required. Try setting `abortOnLoadForNonInteractive` …')), 'OAUTH_INTERACTION_REQUIRED', { interactive: false });
  assert.equal(silent.reason, 'the web auth flow needs user interaction');
  await fails(identity(reject('Requires user interaction')), 'OAUTH_INTERACTION_REQUIRED', { interactive: false });
  const failed = await fails(identity(reject('Authorization page could not be loaded: https://op.example/authorize?code_challenge=x')), 'OAUTH_WEB_AUTH_FLOW_FAILED');
  assert.match(failed.message, /could not be loaded/);
  assert.doesNotMatch(failed.message, /op\.example|code_challenge/, 'a URL the browser quoted is not repeated');
  await fails(identity(Promise.resolve(undefined)), 'OAUTH_WEB_AUTH_FLOW_CANCELLED');
  await fails(identity(undefined), 'OAUTH_WEB_AUTH_FLOW_FAILED'); // a callback-style API returns no promise
  await fails(undefined, 'OAUTH_PLATFORM_UNAVAILABLE');
  await fails(identity(Promise.resolve('x')), 'OAUTH_INVALID_OPTION', { interactive: 'yes' });

  // confirm sees the URL first; anything but true sends nothing.
  const launches = [];
  const stopped = await signInWithWebAuthFlow(fakeClient([]), { identity: identity(Promise.resolve('never'), launches), confirm: () => 'ok' })
    .then(() => null, (e) => e);
  assert.equal(stopped?.code, 'OAUTH_WEB_AUTH_FLOW_CANCELLED');
  assert.deepEqual(launches, []);

  // The happy path: authorization options go to beginSignIn, the flow gets url + interactive,
  // and the returned URL goes to complete().
  const log = [];
  const seen = [];
  const out = await signInWithWebAuthFlow(fakeClient(log), {
    identity: identity(Promise.resolve('https://x.chromiumapp.org/?code=c&state=s'), log),
    interactive: false, prompt: 'none', scopes: ['openid'], timeoutMsForNonInteractive: 5000,
    confirm: async (url) => { seen.push(url); return true; },
  });
  assert.deepEqual(out, { ok: 'https://x.chromiumapp.org/?code=c&state=s' });
  assert.deepEqual(seen, ['https://op.example/authorize?state=s']);
  assert.deepEqual(log, [
    ['begin', { prompt: 'none', scopes: ['openid'] }],
    ['launch', { url: 'https://op.example/authorize?state=s', interactive: false, timeoutMsForNonInteractive: 5000 }],
    ['complete', 'https://x.chromiumapp.org/?code=c&state=s'],
  ]);

  // chrome.storage.session adapter and the redirect URI.
  const items = new Map();
  const area = {
    get: async (k) => (items.has(k) ? { [k]: items.get(k) } : {}),
    set: async (o) => { for (const [k, v] of Object.entries(o)) items.set(k, v); },
    remove: async (k) => { items.delete(k); },
  };
  const store = chromeSessionStorage(area);
  assert.equal(await store.get('k'), null);
  await store.set('k', 'v');
  assert.equal(await store.get('k'), 'v');
  await store.remove('k');
  assert.equal(items.size, 0);
  assert.throws(() => chromeSessionStorage(null), (e) => e.code === 'OAUTH_STORAGE_UNAVAILABLE');
  assert.equal(extensionRedirectUri('cb', { identity: identity(null) }), 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/cb');
  assert.throws(() => extensionRedirectUri('', { identity: {} }), (e) => e.code === 'OAUTH_PLATFORM_UNAVAILABLE');
});

// ---- the extension in Chromium ----------------------------------------------------------------

test('extension page: the request is checked before it is sent, then launchWebAuthFlow signs in; account and scopes shown; session in chrome.storage.session only', OPTS, async (t) => {
  const stack = await stackFor(t);
  const { provider, worker } = stack;
  const page = await openOptions(stack);
  assert.equal(await pageStatus(page), 'signed-out');
  assert.equal(await page.locator('#redirect-uri').textContent(), stack.redirectUri, 'getRedirectURL() gives https://<id>.chromiumapp.org/');

  // "Sign in" first shows the consent check of the request; "Cancel" sends nothing.
  const cancelled = await pagesOpenedDuring(stack, async () => {
    const { done } = await startAction(page, 'sign-in');
    await page.waitForSelector('#consent[data-state="asking"]');
    assert.equal(await page.locator('#consent-verdict').getAttribute('data-verdict'), 'warn');
    assert.deepEqual(await dataOf(page, '#consent-findings li', 'code'), ['AUTHORITY_DEV_LOOPBACK']);
    assert.equal(await page.locator('#consent-client').textContent(), EXTENSION_CLIENT_ID);
    assert.equal(await page.locator('#consent-redirect').textContent(), stack.redirectUri);
    assert.deepEqual(await dataOf(page, '#consent-scopes li', 'scope'), SCOPES);
    await page.click('#consent-cancel');
    return done;
  });
  assert.equal(cancelled.result.outcome, 'error');
  assert.equal(cancelled.result.code, 'OAUTH_WEB_AUTH_FLOW_CANCELLED');
  assert.equal(cancelled.opened(), 0, 'no sign-in window was opened');
  assert.deepEqual(stack.authorizations, [], 'the provider never saw the request');

  // "Continue" opens launchWebAuthFlow's window; alice logs in and consents there.
  const { done } = await startAction(page, 'sign-in');
  await page.waitForSelector('#consent[data-state="asking"]');
  const authWindow = nextAuthWindow(stack);
  await page.click('#consent-continue');
  await approveInAuthWindow(await authWindow, stack);
  const signedIn = await done;
  assert.equal(signedIn.outcome, 'ok', signedIn.code);
  assert.equal(await pageStatus(page), 'signed-in');
  assert.equal(await page.locator('#account-sub').textContent(), 'alice');
  assert.equal(await page.locator('#account-name').textContent(), 'Alice Example');
  assert.deepEqual(await texts(page, '#granted-scopes li'), SCOPES);
  assert.equal(await page.locator('#refresh-token').getAttribute('data-held'), 'true');
  assert.deepEqual(stack.authorizations, [stack.redirectUri]);

  // The code was exchanged from the extension's origin, through CORS.
  assert.deepEqual(grants(provider), [['authorization_code', 200, stack.origin, undefined]]);

  // The session is in chrome.storage.session, and nowhere else.
  const stored = await extensionStorage(worker);
  assert.deepEqual(Object.keys(stored.session), [sessionKey(stack)]);
  assert.deepEqual(stored.local, {});
  // Sealed like every persistent store; opened here with the extension's key, as its own script can.
  assert.match(stored.session[sessionKey(stack)], /^bo-enc1\./);
  const entry = JSON.parse(await openSealed(worker, sessionKey(stack), stored.session[sessionKey(stack)]));
  assert.ok(entry.refresh_token && entry.tokens[0].access_token && entry.id_token);
  assert.deepEqual(await page.evaluate(() => [sessionStorage.length, localStorage.length]), [0, 0], 'no Web Storage used');
  const html = await page.evaluate(() => document.documentElement.outerHTML);
  for (const secret of [entry.refresh_token, entry.tokens[0].access_token, entry.id_token]) {
    assert.equal(html.includes(secret), false, 'a token value appears in the page');
  }
  assert.deepEqual(stack.problems, []);
});

test('service worker: signs in on a message with no window, document or history; the page hears it; a non-interactive flow signs in again without a window; sign-out revokes', OPTS, async (t) => {
  const stack = await stackFor(t);
  const { provider, worker } = stack;

  assert.deepEqual(
    await worker.evaluate(() => [typeof window, typeof document, typeof history, typeof sessionStorage, typeof localStorage]),
    ['undefined', 'undefined', 'undefined', 'undefined', 'undefined'],
  );

  const page = await openOptions(stack);
  const { done } = await startAction(page, 'sign-in-background');
  await approveInAuthWindow(await nextAuthWindow(stack), stack);
  const result = await done;
  assert.equal(result.outcome, 'ok', result.code);

  // The worker checked the request itself (verdict warn: a loopback development provider).
  assert.equal(await page.locator('#consent').getAttribute('data-source'), 'service-worker');
  assert.equal(await page.locator('#consent-verdict').getAttribute('data-verdict'), 'warn');

  // The page shows what the worker stored in chrome.storage.session, and heard the sign-in.
  assert.equal(await pageStatus(page), 'signed-in');
  assert.equal(await page.locator('#account-sub').textContent(), 'alice');
  assert.deepEqual(await texts(page, '#granted-scopes li'), SCOPES);
  await page.waitForSelector('#events li[data-type="signedin"][data-other-tab="true"]', { state: 'attached' });
  assert.deepEqual(grants(provider), [['authorization_code', 200, stack.origin, undefined]]);
  const reply = await messageWorker(page, { type: 'account' });
  assert.equal(reply.ok, true);
  assert.equal(reply.account.sub, 'alice');
  assert.deepEqual(reply.account.grantedScopes, SCOPES);
  const entry = JSON.parse(await openSealed(worker, sessionKey(stack), (await extensionStorage(worker)).session[sessionKey(stack)]));
  for (const secret of [entry.refresh_token, entry.tokens[0].access_token, entry.id_token]) {
    assert.equal(JSON.stringify(reply).includes(secret), false, 'a token value in a reply to the page');
  }

  // Non-interactive, prompt=none: the provider session from the sign-in window lets it through
  // without any window.
  provider.resetTokenLog();
  const silent = await pagesOpenedDuring(stack, async () => (await startAction(page, 'sign-in-silent')).done);
  assert.equal(silent.result.outcome, 'ok', silent.result.code);
  assert.equal(silent.opened(), 0, 'no window for a non-interactive flow');
  assert.deepEqual(grants(provider), [['authorization_code', 200, stack.origin, undefined]]);
  assert.equal(await page.locator('#account-sub').textContent(), 'alice');
  // oidc-provider grants offline_access only with prompt=consent, so this grant (and the session
  // that replaced the first one) has no refresh token: the page shows the scopes really granted.
  assert.deepEqual(await texts(page, '#granted-scopes li'), ['openid', 'profile', 'email']);
  assert.equal(await page.locator('#refresh-token').getAttribute('data-held'), 'false');

  // Sign-out from the worker: the session leaves chrome.storage.session and is revoked.
  const out = await messageWorker(page, { type: 'sign-out' });
  assert.equal(out.ok, true, out.code);
  assert.deepEqual((await extensionStorage(worker)).session, {});
  assert.ok(provider.revocationLog.length >= 1 && provider.revocationLog.every((r) => r.status === 200 && r.origin === stack.origin),
    JSON.stringify(provider.revocationLog));
  assert.deepEqual(stack.problems, []);
});

test('closed window, refusal at the provider and a non-interactive flow that needs a page become typed errors; nothing stays pending', OPTS, async (t) => {
  const stack = await stackFor(t);
  const { worker, provider } = stack;
  const page = await openOptions(stack);

  // Non-interactive before any provider session: Chromium refuses to show the login page.
  const silent = await pagesOpenedDuring(stack, () => messageWorker(page, { type: 'sign-in', interactive: false }));
  assert.equal(silent.result.ok, false);
  assert.equal(silent.result.code, 'OAUTH_INTERACTION_REQUIRED', silent.result.message);
  assert.equal(silent.result.reason, 'the web auth flow needs user interaction');
  assert.equal(silent.opened(), 0);

  // The user closes the sign-in window.
  const closing = messageWorker(page, { type: 'sign-in' });
  const window = await nextAuthWindow(stack);
  await window.waitForURL((url) => url.pathname.startsWith('/interaction/'));
  await window.close();
  const closed = await closing;
  assert.equal(closed.ok, false);
  assert.equal(closed.code, 'OAUTH_WEB_AUTH_FLOW_CANCELLED', closed.message);

  // The user refuses at the provider: its access_denied arrives at chromiumapp.org.
  const denying = startAction(page, 'sign-in-background');
  await denyInAuthWindow(await nextAuthWindow(stack), stack);
  const denied = await (await denying).done;
  assert.equal(denied.code, 'OAUTH_AUTHORIZATION_ERROR');
  assert.equal(await page.locator('#error').getAttribute('data-error'), 'access_denied');

  assert.deepEqual((await extensionStorage(worker)).session, {}, 'nothing stored by the failures');
  assert.deepEqual(grants(provider), []);

  // Nothing is stuck: the next sign-in just works.
  const retry = await startAction(page, 'sign-in-background');
  await approveInAuthWindow(await nextAuthWindow(stack), stack);
  assert.equal((await retry.done).outcome, 'ok');
  assert.equal(await page.locator('#account-sub').textContent(), 'alice');
  assert.deepEqual(stack.problems, []);
});

test('the URL launchWebAuthFlow returns gets the page-redirect checks: a changed state or iss is refused, nothing exchanged or stored', OPTS, async (t) => {
  const stack = await stackFor(t);
  const { worker, provider } = stack;
  const page = await openOptions(stack);

  const cases = [
    ['state', (u) => { u.searchParams.set('state', 'forged-state'); return u; }, 'OAUTH_STATE_MISMATCH'],
    ['iss', (u) => { u.searchParams.set('iss', 'https://evil.example'); return u; }, 'OAUTH_ISS_MISMATCH'],
  ];
  for (const [what, rewrite, code] of cases) {
    const seen = await rewriteAuthorizationResponse(stack, rewrite);
    const { done } = await startAction(page, 'sign-in');
    await page.waitForSelector('#consent[data-state="asking"]');
    const authWindow = nextAuthWindow(stack);
    await page.click('#consent-continue');
    await approveInAuthWindow(await authWindow, stack);
    const result = await done;
    assert.ok(seen.rewritten?.startsWith(stack.redirectUri), `${what}: the response was rewritten`);
    assert.equal(result.code, code, `${what}: ${await page.locator('#error').textContent()}`);
    await stack.context.unrouteAll();
  }
  assert.deepEqual(grants(provider), [], 'no code was exchanged');
  assert.deepEqual((await extensionStorage(worker)).session, {});
  assert.equal(await pageStatus(page), 'signed-out');
});

test("without 'wasm-unsafe-eval' (the MV3 default policy) the wasm cannot load, in the page and in the worker: OAUTH_INIT_FAILED", OPTS, async (t) => {
  const stack = await stackFor(t, { csp: null });
  const page = await openOptions(stack);
  assert.equal(await pageStatus(page), 'error');
  assert.equal(await page.locator('#error').getAttribute('data-code'), 'OAUTH_INIT_FAILED');
  const reply = await messageWorker(page, { type: 'account' });
  assert.equal(reply.code, 'OAUTH_INIT_FAILED');
  assert.match(reply.message, /Content Security Policy|wasm-eval|unsafe-eval/i);
});
