// End to end: popup sign-in (client.signInPopup + handlePopupRedirect) in headless Chromium against
// oidc-provider on loopback. The app page is www/dev/blank.html with the package imported; the
// popup's redirect page is www/dev/popup-callback.html, which loads js/popup-redirect.js alone.
// One static server and browser for the file; each test has its own provider and browser context.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startProvider } from '../../www/dev/provider.mjs';
import { startStaticServer } from '../../www/dev/server.mjs';
import { launchChromium, completeProviderInteraction } from '../../www/dev/browser.mjs';
import { ROOT, STEP_TIMEOUT, CLIENT_ID, assertPackageBuilt } from './harness.mjs';

const OPTS = { timeout: 90_000 };
const SCOPES = ['openid', 'profile', 'offline_access'];

let app;
let browser;
let redirectUri;

before(async () => {
  assertPackageBuilt();
  app = await startStaticServer({ root: ROOT });
  redirectUri = `${app.origin}/www/dev/popup-callback.html`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await app?.close();
});

/**
 * A provider and a browser context for one test; both stop when it ends. `server`: another static
 * server than the file's (the app and its redirect page are then on its origin).
 */
/** A server whose popup redirect page sends `Cross-Origin-Opener-Policy: same-origin`, as
 * Entra's pages do: the popup's handle in the opener is severed. */
async function coopServer(t) {
  const coop = await startStaticServer({
    root: ROOT,
    headersFor: (path) => (path === '/www/dev/popup-callback.html' ? { 'Cross-Origin-Opener-Policy': 'same-origin' } : {}),
  });
  t.after(() => coop.close());
  return coop;
}

async function world(t, { server = app } = {}) {
  const redirect = `${server.origin}/www/dev/popup-callback.html`;
  const provider = await startProvider({ clients: [{ client_id: CLIENT_ID, redirect_uris: [redirect] }] });
  t.after(() => provider.close());
  server.setDemoConfig({ issuer: provider.issuer });
  const context = await browser.newContext();
  t.after(() => context.close());
  context.setDefaultTimeout(STEP_TIMEOUT);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT);
  const problems = [];
  context.on('weberror', (e) => problems.push(e.error().message));
  // The state each page's popup asked for, from the authorization requests.
  const states = new Map();
  context.on('request', (r) => {
    if (r.url().startsWith(`${provider.issuer}/auth?`)) states.set(r.frame().page(), new URL(r.url()).searchParams.get('state'));
  });
  return { provider, context, problems, states, config: { issuer: provider.issuer, clientId: CLIENT_ID, redirectUri: redirect, allowHttpLoopback: true, scopes: SCOPES } };
}

/**
 * Opens the app page in a new tab: a client made and prepared (`prepareSignIn`), a JS variable set
 * (the page's state, which a redirect would lose), and a button whose click handler calls
 * `signInPopup(options)`; its outcome lands in `window.popupOutcome`. `abort`: 'before' passes an
 * aborted signal, 'later' the signal of `window.popupAbort` (an AbortController).
 */
async function openApp(context, config, { abort, ...options } = {}) {
  const page = await context.newPage();
  await page.goto(new URL('/www/dev/blank.html', config.redirectUri).href);
  await page.evaluate(async ([cfg, opts, abortWhen]) => {
    const m = await import('/js/index.js');
    window.client = await m.createClient(cfg);
    await window.client.prepareSignIn();
    window.appState = { draft: 'unsaved text', loadedAt: performance.now() };
    const button = document.createElement('button');
    button.id = 'popup-sign-in';
    button.textContent = 'Sign in';
    button.addEventListener('click', () => {
      window.popupOutcome = undefined;
      window.popupAbort = new AbortController();
      if (abortWhen === 'before') window.popupAbort.abort(new Error('cancelled by the app'));
      window.client.signInPopup(abortWhen ? { ...opts, signal: window.popupAbort.signal } : opts).then(
        (r) => { window.popupOutcome = { value: { sub: r.claims?.sub, scopes: r.scopes, accessToken: r.accessToken } }; },
        (e) => { window.popupOutcome = { error: { code: e.code, message: e.message, cause: e.cause?.message } }; },
      );
    });
    document.body.append(button);
  }, [config, options, abort]);
  return page;
}

/** Clicks the page's sign-in button; resolves to the popup it opened. */
async function clickForPopup(page) {
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#popup-sign-in')]);
  return popup;
}

/** The page's popup sign-in outcome once it has one. */
/** After a failed attempt: the next popup signs in (as alice), and it is the first code exchanged. */
async function nextPopupSignsIn(page, provider) {
  const again = await clickForPopup(page);
  await completeProviderInteraction(again, { issuer: provider.issuer, login: 'alice' });
  const ok = await outcome(page);
  assert.equal(ok.value?.sub, 'alice', JSON.stringify(ok));
  assert.equal(provider.tokenRequests, 1);
}

async function outcome(page, timeout = STEP_TIMEOUT) {
  await page.waitForFunction(() => window.popupOutcome !== undefined, undefined, { timeout });
  return page.evaluate(() => window.popupOutcome);
}

test('popup sign-in: the popup signs in, hands the response back and closes; the app page keeps its state and the session', OPTS, async (t) => {
  const { provider, context, problems, config } = await world(t);
  // Request options pass through (oidc-provider grants offline_access only with prompt=consent).
  const page = await openApp(context, config, { prompt: 'consent' });
  const before = await page.evaluate(() => [location.href, window.appState.loadedAt, history.length]);
  // What the popup's redirect page loads of the package.
  const loaded = [];
  context.on('request', (r) => {
    if (r.frame().page() !== page && /\/(js|dist)\//.test(new URL(r.url()).pathname)) loaded.push(new URL(r.url()).pathname);
  });

  const popup = await clickForPopup(page);
  const closed = popup.waitForEvent('close');
  await completeProviderInteraction(popup, { issuer: provider.issuer, login: 'alice' });
  await closed;
  const { value, error } = await outcome(page);
  assert.equal(error, undefined, JSON.stringify(error));

  assert.equal(value.sub, 'alice');
  for (const s of SCOPES) assert.ok(value.scopes.includes(s), s);
  // Same document: the variable, the URL and the history are as before.
  assert.deepEqual(await page.evaluate(() => [location.href, window.appState.loadedAt, history.length]), before);
  assert.equal(await page.evaluate(() => window.appState.draft), 'unsaved text');
  // The session is kept: account and a cached token, without another request.
  const after = await page.evaluate(async () => {
    const account = await window.client.account();
    const token = await window.client.getToken();
    return { sub: account?.sub, token: token.accessToken, refreshed: token.refreshed };
  });
  assert.deepEqual(after, { sub: 'alice', token: value.accessToken, refreshed: false });
  assert.deepEqual(provider.tokenLog.map((e) => [e.grantType, e.status, e.origin]), [['authorization_code', 200, app.origin]]);
  assert.deepEqual(loaded, ['/js/popup-redirect.js'], 'the redirect page loads the hand-back alone');
  assert.deepEqual(problems, []);
});

test('the person closes the popup: OAUTH_POPUP_CLOSED, no code exchanged; nothing stays pending and the next popup signs in', OPTS, async (t) => {
  const { provider, context, problems, config } = await world(t);
  const page = await openApp(context, config);

  const popup = await clickForPopup(page);
  await popup.waitForURL((url) => url.href.startsWith(`${provider.issuer}/interaction/`));
  await popup.close();
  const closed = await outcome(page);
  assert.equal(closed.error?.code, 'OAUTH_POPUP_CLOSED', JSON.stringify(closed));
  assert.equal(provider.tokenRequests, 0);
  assert.equal(await page.evaluate(() => window.client.account()), null);

  await nextPopupSignsIn(page, provider);
  assert.deepEqual(problems, []);
});

test('a blocked popup (window.open returns null): OAUTH_POPUP_BLOCKED at once, no sign-in begun', OPTS, async (t) => {
  const { provider, context, problems, config } = await world(t);
  const page = await openApp(context, config);
  await page.evaluate(() => { window.open = () => null; });
  const popups = [];
  page.on('popup', (p) => popups.push(p));

  await page.click('#popup-sign-in');
  const blocked = await outcome(page);
  assert.equal(blocked.error?.code, 'OAUTH_POPUP_BLOCKED', JSON.stringify(blocked));
  assert.deepEqual(popups, []);
  assert.equal(provider.tokenRequests, 0);
  // Before prepareSignIn (the popup's code is not loaded): a synchronous throw.
  const thrown = await page.evaluate(async (cfg) => {
    const m = await import('/js/index.js');
    const c = await m.createClient(cfg);
    try {
      c.signInPopup();
      return 'no throw';
    } catch (e) {
      return e.code;
    }
  }, config);
  assert.equal(thrown, 'OAUTH_NOT_INITIALIZED');
  assert.deepEqual(problems, []);
});

test('two tabs with popups open: each completes only with its own response; forged messages with the other state are ignored', OPTS, async (t) => {
  const { provider, context, problems, states, config } = await world(t);
  const tabA = await openApp(context, config);
  const tabB = await openApp(context, config);
  const popupA = await clickForPopup(tabA);
  const popupB = await clickForPopup(tabB);
  await popupA.waitForURL((url) => url.href.startsWith(`${provider.issuer}/interaction/`));
  await popupB.waitForURL((url) => url.href.startsWith(`${provider.issuer}/interaction/`));
  const [stateA, stateB] = [states.get(popupA), states.get(popupB)];
  assert.ok(stateA && stateB && stateA !== stateB, 'each popup has its own state');

  // In tab A: a response carrying B's state on A's own channel, and messages to A's window (not
  // from its popup) with either state. None may complete A or spend its transaction.
  await tabA.evaluate(([a, b, cb, iss]) => {
    const forged = (state) => ({ type: 'browser-oauth:popup-response', url: `${cb}?code=forged&state=${state}&iss=${encodeURIComponent(iss)}` });
    const channel = new BroadcastChannel(`browser-oauth:popup:${a}`);
    channel.postMessage(forged(b));
    channel.close();
    window.postMessage(forged(b), location.origin);
    window.postMessage(forged(a), location.origin);
  }, [stateA, stateB, redirectUri, provider.issuer]);
  // And from A's own popup while it shows the provider's page: the right source and A's state,
  // but the provider's origin (a page there posting to its opener with "*"). Also ignored.
  assert.notEqual(new URL(provider.issuer).origin, new URL(redirectUri).origin);
  await popupA.evaluate(([a, cb, iss]) => {
    window.opener.postMessage({ type: 'browser-oauth:popup-response', url: `${cb}?code=forged&state=${a}&iss=${encodeURIComponent(iss)}` }, '*');
  }, [stateA, redirectUri, provider.issuer]);

  // B finishes first (as bob): B is signed in, A still waits.
  const closedB = popupB.waitForEvent('close');
  await completeProviderInteraction(popupB, { issuer: provider.issuer, login: 'bob' });
  await closedB;
  const b = await outcome(tabB);
  assert.equal(b.value?.sub, 'bob', JSON.stringify(b));
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await tabA.evaluate(() => window.popupOutcome), undefined, 'B\'s response must not settle A');

  // Then A (as alice), with its own transaction intact.
  await completeProviderInteraction(popupA, { issuer: provider.issuer, login: 'alice' });
  const a = await outcome(tabA);
  assert.equal(a.value?.sub, 'alice', JSON.stringify(a));
  assert.notEqual(a.value.accessToken, b.value.accessToken);
  assert.deepEqual(await Promise.all([tabA, tabB].map((p) => p.evaluate(async () => (await window.client.account())?.sub))), ['alice', 'bob']);
  assert.deepEqual(provider.tokenLog.map((e) => [e.grantType, e.status]), [['authorization_code', 200], ['authorization_code', 200]]);
  assert.deepEqual(problems, []);
});

test('a redirect page served with Cross-Origin-Opener-Policy: same-origin (opener severed) still completes through BroadcastChannel', OPTS, async (t) => {
  const coop = await coopServer(t);
  const { provider, context, problems, config } = await world(t, { server: coop });
  // What the redirect page sees: no opener.
  const openers = [];
  context.on('console', (m) => { if (m.text().startsWith('opener:')) openers.push(m.text()); });
  await context.addInitScript(() => {
    if (location.pathname.endsWith('/popup-callback.html')) console.log(`opener: ${window.opener === null ? 'none' : 'present'}`);
  });
  const page = await openApp(context, config);

  const popup = await clickForPopup(page);
  await completeProviderInteraction(popup, { issuer: provider.issuer, login: 'alice' });
  const { value, error } = await outcome(page);
  assert.equal(error, undefined, JSON.stringify(error));
  assert.equal(value.sub, 'alice');
  assert.deepEqual(openers, ['opener: none']);
  assert.equal(await page.evaluate(() => window.appState.draft), 'unsaved text');
  assert.equal(provider.tokenRequests, 1);
  assert.deepEqual(problems, []);
});

test('no response within popupTimeout: OAUTH_POPUP_TIMEOUT, the popup is closed, and a late response completes nothing', OPTS, async (t) => {
  const { provider, context, problems, states, config } = await world(t);
  const page = await openApp(context, config, { popupTimeout: 2000 });

  const popup = await clickForPopup(page);
  const closed = popup.waitForEvent('close');
  await popup.waitForURL((url) => url.href.startsWith(`${provider.issuer}/interaction/`));
  const timedOut = await outcome(page);
  assert.equal(timedOut.error?.code, 'OAUTH_POPUP_TIMEOUT', JSON.stringify(timedOut));
  await closed;
  // A response arriving now (as the redirect page would send it, one that would pass the checks
  // up to the token request) finds no listener: no code is sent.
  await page.evaluate(([state, cb, iss]) => {
    window.popupOutcome = 'untouched';
    const channel = new BroadcastChannel(`browser-oauth:popup:${state}`);
    channel.postMessage({ type: 'browser-oauth:popup-response', url: `${cb}?code=late&state=${state}&iss=${encodeURIComponent(iss)}` });
    channel.close();
  }, [states.get(popup), redirectUri, provider.issuer]);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await page.evaluate(() => window.popupOutcome), 'untouched');
  assert.equal(provider.tokenRequests, 0);
  assert.deepEqual(problems, []);
});

/** Sends, in `page`, a response for `state` as the redirect page would (one that would pass the checks up to the token request). */
function lateResponse(page, state, provider) {
  return page.evaluate(([s, cb, iss]) => {
    window.popupOutcome = 'untouched';
    const channel = new BroadcastChannel(`browser-oauth:popup:${s}`);
    channel.postMessage({ type: 'browser-oauth:popup-response', url: `${cb}?code=late&state=${s}&iss=${encodeURIComponent(iss)}` });
    channel.close();
  }, [state, redirectUri, provider.issuer]);
}

test('signInPopup({ signal }) aborted while the popup is open: OAUTH_ABORTED with the reason, the popup closed, a later response ignored, the next popup signs in', OPTS, async (t) => {
  const { provider, context, problems, states, config } = await world(t);
  const page = await openApp(context, config, { abort: 'later' });

  const popup = await clickForPopup(page);
  const closed = popup.waitForEvent('close');
  await popup.waitForURL((url) => url.href.startsWith(`${provider.issuer}/interaction/`));
  await page.evaluate(() => window.popupAbort.abort(new Error('the dialog was dismissed')));
  const aborted = await outcome(page);
  assert.deepEqual(aborted.error, { code: 'OAUTH_ABORTED', message: 'the popup sign-in was aborted', cause: 'the dialog was dismissed' });
  await closed;
  await lateResponse(page, states.get(popup), provider);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await page.evaluate(() => window.popupOutcome), 'untouched');
  assert.equal(provider.tokenRequests, 0);

  await nextPopupSignsIn(page, provider);
  assert.deepEqual(problems, []);
});

test('signInPopup with an already aborted signal: OAUTH_ABORTED at once, no popup opened, no sign-in begun', OPTS, async (t) => {
  const { provider, context, problems, states, config } = await world(t);
  const page = await openApp(context, config, { abort: 'before' });
  const popups = [];
  page.on('popup', (p) => popups.push(p));

  await page.click('#popup-sign-in');
  const aborted = await outcome(page);
  assert.deepEqual(aborted.error, { code: 'OAUTH_ABORTED', message: 'the popup sign-in was aborted', cause: 'cancelled by the app' });
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual([popups.length, states.size, provider.tokenRequests], [0, 0, 0]);
  assert.deepEqual(problems, []);
});

test('no BroadcastChannel in the browser: the popup keeps its opener and the response comes by postMessage', OPTS, async (t) => {
  const { provider, context, problems, config } = await world(t);
  await context.addInitScript(() => { delete window.BroadcastChannel; });
  const page = await openApp(context, config);
  await page.evaluate(() => {
    window.postMessages = 0;
    window.addEventListener('message', (e) => { if (e.data?.type === 'browser-oauth:popup-response') window.postMessages += 1; });
  });
  assert.equal(await page.evaluate(() => typeof BroadcastChannel), 'undefined');

  const popup = await clickForPopup(page);
  const closed = popup.waitForEvent('close');
  await completeProviderInteraction(popup, { issuer: provider.issuer, login: 'alice' });
  await closed;
  const { value, error } = await outcome(page);
  assert.equal(error, undefined, JSON.stringify(error));
  assert.equal(value.sub, 'alice');
  assert.equal(await page.evaluate(() => window.postMessages), 1);
  assert.equal(provider.tokenRequests, 1);
  assert.deepEqual(problems, []);
});

test('no BroadcastChannel and a redirect page whose COOP severs the opener: OAUTH_POPUP_CLOSED within seconds, even with popupClosedCheck false', OPTS, async (t) => {
  const coop = await coopServer(t);
  const { provider, context, problems, config } = await world(t, { server: coop });
  await context.addInitScript(() => { delete window.BroadcastChannel; });
  // popupClosedCheck false would wait for popupTimeout (a minute here) for a response that cannot come.
  const page = await openApp(context, config, { popupClosedCheck: false, popupTimeout: 60_000 });

  const popup = await clickForPopup(page);
  const started = Date.now();
  await completeProviderInteraction(popup, { issuer: provider.issuer, login: 'alice' });
  const closed = await outcome(page);
  assert.equal(closed.error?.code, 'OAUTH_POPUP_CLOSED', JSON.stringify(closed));
  assert.match(closed.error.message, /BroadcastChannel/);
  assert.ok(Date.now() - started < 10_000, 'well before popupTimeout');
  // The code reached the redirect page but was never exchanged.
  assert.equal(provider.tokenRequests, 0);
  assert.equal(await page.evaluate(() => window.client.account()), null);
  assert.deepEqual(problems, []);
});
