// End to end: popup sign-in (client.signInPopup + handlePopupRedirect) with the library's Entra
// preset against the Entra emulator (www/dev/entra.mjs), reached by Chromium as
// https://login.microsoftonline.com (www/dev/entra/route.mjs). The emulator's pages send
// `Cross-Origin-Opener-Policy: same-origin`, as Entra's do, so the popup loses its `window.opener`
// and the response can only come back over BroadcastChannel. The app is served on http://localhost
// (Entra allows http redirect URIs only there); the popup's redirect page is
// www/dev/popup-callback.html. One static server and browser for the file; each test has its own
// emulator and browser context.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startEntraEmulator, ENTRA_ORIGIN, TENANTS, AZURE_DEVOPS, GRAPH } from '../../www/dev/entra.mjs';
import { routeToLoopback } from '../../www/dev/entra/route.mjs';
import { startStaticServer } from '../../www/dev/server.mjs';
import { launchChromium, submitLogin, submitConsent } from '../../www/dev/browser.mjs';
import { ROOT, STEP_TIMEOUT, assertPackageBuilt } from './harness.mjs';

const OPTS = { timeout: 90_000 };
const CLIENT_ID = '7e57c11e-0000-4000-8000-00000000b0b0';
const OIDC = ['openid', 'profile', 'offline_access'];
const ADO = (name) => `${AZURE_DEVOPS.id}/${name}`;
const AUTHORIZE = `${ENTRA_ORIGIN}/organizations/oauth2/v2.0/authorize?`;

let app;
let browser;
let origin;
let redirectUri;

before(async () => {
  assertPackageBuilt();
  app = await startStaticServer({ root: ROOT });
  origin = `http://localhost:${app.port}`;
  redirectUri = `${origin}/www/dev/popup-callback.html`;
  // The page's CSP lets it reach the token endpoint.
  app.setDemoConfig({ entra: { tenant: 'organizations' } });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await app?.close();
});

const decode = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));

/**
 * A fresh emulator and a browser context routed to it, for one test. `openers` collects, for each
 * page of the popup (the emulator's and the redirect page), whether it had a `window.opener`;
 * `states` the `state` of each authorization request.
 */
async function world(t, { initScript } = {}) {
  const entra = await startEntraEmulator({ clients: [{ client_id: CLIENT_ID, spa_redirect_uris: [redirectUri] }] });
  t.after(() => entra.close());
  const context = await browser.newContext();
  t.after(() => context.close());
  context.setDefaultTimeout(STEP_TIMEOUT);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT);
  // The dev login page asks for a web font; nothing leaves the machine.
  await context.route('https://fonts.googleapis.com/**', (route) => route.abort());
  await routeToLoopback(context, { [ENTRA_ORIGIN]: entra.url });
  const problems = [];
  context.on('weberror', (e) => problems.push(e.error().message));
  const openers = [];
  context.on('console', (m) => { if (m.text().startsWith('opener ')) openers.push(m.text()); });
  await context.addInitScript((entraOrigin) => {
    if (location.origin === entraOrigin || location.pathname.endsWith('/popup-callback.html')) {
      console.log(`opener ${location.origin}: ${window.opener === null ? 'none' : 'present'}`);
    }
  }, ENTRA_ORIGIN);
  if (initScript) await context.addInitScript(initScript);
  const states = [];
  context.on('request', (r) => { if (r.url().startsWith(AUTHORIZE)) states.push(new URL(r.url()).searchParams.get('state')); });
  const config = { entra: { tenant: 'organizations' }, clientId: CLIENT_ID, redirectUri, allowHttpLoopback: true };
  return { entra, context, problems, openers, states, config };
}

/**
 * Opens the app page: a client made and prepared, a JS variable set (what a redirect would lose),
 * the popup handle `window.open` returns kept as `window.popupHandle`, messages to this window of
 * the hand-back's type counted in `window.postMessages`, and a button whose click handler calls
 * `signInPopup(window.popupOptions)`; its outcome lands in `window.popupOutcome`.
 */
async function openApp(context, config) {
  const page = await context.newPage();
  await page.goto(`${origin}/www/dev/blank.html`);
  await page.evaluate(async (cfg) => {
    const m = await import('/js/index.js');
    window.client = await m.createClient(cfg);
    await window.client.prepareSignIn();
    window.appState = { draft: 'unsaved text' };
    const open = window.open;
    window.open = (...args) => (window.popupHandle = open.apply(window, args));
    window.postMessages = 0;
    window.addEventListener('message', (e) => { if (e.data?.type === 'browser-oauth:popup-response') window.postMessages += 1; });
    const button = document.createElement('button');
    button.id = 'popup-sign-in';
    button.textContent = 'Sign in';
    button.addEventListener('click', () => {
      window.popupOutcome = undefined;
      window.popupStarted = performance.now();
      window.client.signInPopup(window.popupOptions).then(
        (r) => { window.popupOutcome = { value: { claims: r.claims, scopes: r.scopes, accessToken: r.accessToken } }; },
        (e) => { window.popupOutcome = { error: { code: e.code, message: e.message }, after: performance.now() - window.popupStarted }; },
      );
    });
    document.body.append(button);
  }, config);
  return page;
}

/** Clicks the sign-in button with `options`; resolves to the popup once it shows the emulator's page. */
async function clickForPopup(page, options) {
  await page.evaluate((o) => { window.popupOptions = o; }, options);
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#popup-sign-in')]);
  await popup.waitForURL((url) => url.origin === ENTRA_ORIGIN);
  return popup;
}

/** In the app page, listens on the popup's BroadcastChannel (named after `state`) for what it receives. */
function listenOnChannel(page, state) {
  return page.evaluate((s) => {
    window.broadcasts = [];
    const channel = new BroadcastChannel(`browser-oauth:popup:${s}`);
    channel.onmessage = (e) => window.broadcasts.push(e.data);
  }, state);
}

/** The page's popup sign-in outcome once it has one. */
async function outcome(page, timeout = STEP_TIMEOUT) {
  await page.waitForFunction(() => window.popupOutcome !== undefined, undefined, { timeout });
  return page.evaluate(() => window.popupOutcome);
}

test('Entra popup sign-in: the emulator\'s COOP severs window.opener, and the response comes back over BroadcastChannel', OPTS, async (t) => {
  const { entra, context, problems, openers, states, config } = await world(t);
  const page = await openApp(context, config);

  const popup = await clickForPopup(page, { scopes: [...OIDC, 'User.Read'] });
  await listenOnChannel(page, states[0]);
  // Severed from the app's side too: the handle reads closed while the popup is open.
  assert.equal(popup.isClosed(), false);
  assert.equal(await page.evaluate(() => window.popupHandle.closed), true, 'the handle to a page with COOP same-origin reads closed');

  const closed = popup.waitForEvent('close');
  await submitLogin(popup, { issuer: ENTRA_ORIGIN, login: 'alice' });
  await submitConsent(popup, { issuer: ENTRA_ORIGIN });
  await closed;
  const { value, error } = await outcome(page);
  assert.equal(error, undefined, JSON.stringify(error));

  assert.equal(value.claims.tid, TENANTS.contoso.id);
  assert.equal(decode(value.accessToken).aud, GRAPH.id);
  // What the popup's pages saw: no opener, on the emulator's pages and on the redirect page.
  assert.ok(openers.length >= 2, JSON.stringify(openers));
  assert.ok(openers.some((o) => o === `opener ${origin}: none`), JSON.stringify(openers));
  assert.deepEqual(openers.filter((o) => !o.endsWith(': none')), [], 'no page of the popup had an opener');
  // What the app received: the response on the channel, nothing by postMessage.
  const received = await page.evaluate(() => ({ broadcasts: window.broadcasts, postMessages: window.postMessages, draft: window.appState.draft }));
  assert.equal(received.broadcasts.length, 1);
  assert.equal(received.broadcasts[0].type, 'browser-oauth:popup-response');
  assert.ok(received.broadcasts[0].url.startsWith(`${redirectUri}?`) && new URL(received.broadcasts[0].url).searchParams.get('state') === states[0]);
  assert.equal(received.postMessages, 0);
  assert.equal(received.draft, 'unsaved text');
  assert.equal((await page.evaluate(() => window.client.account())).sub, 'alice');
  assert.deepEqual(entra.tokenLog.map((e) => [e.grantType, e.status, e.origin]), [['authorization_code', 200, origin]]);
  assert.deepEqual(problems, []);
});

test('Entra incremental consent through the popup: an Azure DevOps scope for the signed-in person, the Graph token kept', OPTS, async (t) => {
  const { entra, context, problems, config } = await world(t);
  const page = await openApp(context, config);

  const first = await clickForPopup(page, { scopes: [...OIDC, 'User.Read'] });
  await submitLogin(first, { issuer: ENTRA_ORIGIN, login: 'alice' });
  await submitConsent(first, { issuer: ENTRA_ORIGIN });
  const signedIn = await outcome(page);
  assert.equal(signedIn.error, undefined, JSON.stringify(signedIn.error));
  const sub = signedIn.value.claims.sub;
  assert.deepEqual(entra.consents('alice', CLIENT_ID), { [GRAPH.id]: ['User.Read'] });

  // More scopes: the emulator has a session, so only its consent page shows.
  const second = await clickForPopup(page, { scopes: [...OIDC, ADO('vso.project')] });
  const closed = second.waitForEvent('close');
  await submitConsent(second, { issuer: ENTRA_ORIGIN });
  await closed;
  const more = await outcome(page);
  assert.equal(more.error, undefined, JSON.stringify(more.error));
  assert.equal(more.value.claims.sub, sub, 'the same person');
  const at = decode(more.value.accessToken);
  assert.equal(at.aud, AZURE_DEVOPS.id);
  assert.deepEqual(at.scp.split(' '), ['vso.project']);
  assert.deepEqual(entra.consents('alice', CLIENT_ID), { [GRAPH.id]: ['User.Read'], [AZURE_DEVOPS.id]: ['vso.project'] });

  const after = await page.evaluate(async () => {
    const account = await window.client.account();
    const graph = await window.client.getToken(['User.Read']);
    return { sub: account.sub, resources: account.tokens.map((x) => x.resource).sort(), graphRefreshed: graph.refreshed, draft: window.appState.draft };
  });
  assert.deepEqual(after, { sub, resources: ['azure-devops', 'microsoft-graph'], graphRefreshed: false, draft: 'unsaved text' });
  assert.deepEqual(entra.tokenLog.map((e) => [e.grantType, e.status, e.audience]), [['authorization_code', 200, GRAPH.id], ['authorization_code', 200, AZURE_DEVOPS.id]]);
  assert.deepEqual(problems, []);
});

test('Entra: the person closes the popup; with popupClosedCheck false by default the sign-in ends at popupTimeout (OAUTH_POPUP_TIMEOUT)', OPTS, async (t) => {
  const { entra, context, problems, config } = await world(t);
  const page = await openApp(context, config);

  const popup = await clickForPopup(page, { scopes: OIDC, popupTimeout: 4000 });
  await popup.waitForURL((url) => url.pathname.startsWith('/interaction/'));
  await popup.close();
  // Well before the timeout the handle reads closed, as it did while the popup was open: the
  // sign-in goes on.
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(await page.evaluate(() => window.popupOutcome), undefined);
  const ended = await outcome(page);
  assert.equal(ended.error?.code, 'OAUTH_POPUP_TIMEOUT', JSON.stringify(ended));
  assert.ok(ended.after >= 4000, `ended after ${ended.after} ms`);
  assert.equal(entra.tokenLog.length, 0);
  assert.equal(await page.evaluate(() => window.client.account()), null);
  assert.deepEqual(problems, []);
});

test('Entra without BroadcastChannel: no response could come back, so OAUTH_PLATFORM_UNAVAILABLE at once and no popup opens', OPTS, async (t) => {
  const { entra, context, problems, states, config } = await world(t, { initScript: () => { delete window.BroadcastChannel; } });
  const page = await openApp(context, config);
  assert.equal(await page.evaluate(() => typeof BroadcastChannel), 'undefined');
  const popups = [];
  page.on('popup', (p) => popups.push(p));

  await page.evaluate(() => { window.popupOptions = {}; });
  await page.click('#popup-sign-in');
  const refused = await outcome(page);
  assert.equal(refused.error?.code, 'OAUTH_PLATFORM_UNAVAILABLE', JSON.stringify(refused));
  assert.match(refused.error.message, /BroadcastChannel/);
  assert.deepEqual([popups.length, states.length, entra.tokenLog.length], [0, 0, 0]);
  assert.deepEqual(problems, []);
});
