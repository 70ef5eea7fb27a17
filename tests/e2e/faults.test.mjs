// Faults (issue 13): what happens to a signed-in session when the token endpoint fails. The real
// oidc-provider on loopback; the faults are injected by routing the browser's requests to its
// token endpoint (Playwright `page.route`): a 503 error page, a dropped connection, no answer at
// all; and a store that refuses to save. Each test asserts that the session is not lost, that no
// refresh token is sent twice, and that the page keeps working once the fault is gone.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { assertPackageBuilt } from './harness.mjs';
import { startSessionStack, openAccount, signIn, act, entry, sleep } from './session-harness.mjs';

const OPTS = { timeout: 90_000 };

before(assertPackageBuilt);

const grants = (provider) => provider.tokenLog.map((e) => [e.grantType, e.status, e.error]);

/** A signed-in account page (localStorage) whose cached access token is forgotten, unrevoked:
 * the next getToken must refresh. */
async function needingRefresh(t) {
  const stack = await startSessionStack();
  t.after(stack.stop);
  const { page, provider } = stack;
  assert.equal(await openAccount(page, stack.url({ storage: 'local' })), 'signed-out');
  assert.equal(await signIn(page, stack), 'signed-in');
  await page.uncheck('#revoke');
  assert.equal((await act(page, 'forget-tokens')).outcome, 'ok');
  provider.resetTokenLog();
  const refreshToken = (await entry(page, stack)).refresh_token;
  assert.ok(refreshToken);
  return { ...stack, refreshToken };
}

/** Routes the page's token-endpoint requests to `handle(route)`; returns the count seen. */
async function onTokenEndpoint(page, provider, handle) {
  const seen = { count: 0 };
  await page.route(`${provider.issuer}/token`, (route) => {
    seen.count += 1;
    return handle(route);
  });
  return seen;
}

test('a 503 error page on refresh: OAUTH_SERVER_UNAVAILABLE, the session kept, a pause without requests, then a refresh', OPTS, async (t) => {
  const stack = await needingRefresh(t);
  const { page, provider, refreshToken } = stack;
  const seen = await onTokenEndpoint(page, provider, (route) => route.fulfill({ status: 503, contentType: 'text/html', body: '<html><h1>Service Unavailable</h1></html>' }));

  const failed = await act(page, 'get-token');
  assert.equal(failed.outcome, 'error');
  assert.equal(failed.code, 'OAUTH_SERVER_UNAVAILABLE');
  assert.equal(seen.count, 1);
  assert.equal((await entry(page, stack)).refresh_token, refreshToken, 'the session and its refresh token stay');
  assert.equal(await page.locator('#status').getAttribute('data-status'), 'signed-in', 'never a sign-out');

  // Within the pause: the same error at once, and nothing sent.
  const paused = await act(page, 'get-token');
  assert.equal(paused.code, 'OAUTH_SERVER_UNAVAILABLE');
  assert.equal(seen.count, 1, 'the token endpoint is left alone during the pause');

  // The outage ends; after the pause the refresh goes through, with the refresh token sent once.
  await page.unroute(`${provider.issuer}/token`);
  await sleep(1100);
  const ok = await act(page, 'get-token');
  assert.equal(ok.outcome, 'ok', ok.code);
  assert.deepEqual(grants(provider), [['refresh_token', 200, undefined]]);
  assert.notEqual((await entry(page, stack)).refresh_token, refreshToken, 'rotated once');
});

test('a dropped connection on refresh: OAUTH_NETWORK_ERROR, the session kept, and the next refresh works', OPTS, async (t) => {
  const stack = await needingRefresh(t);
  const { page, provider, refreshToken } = stack;
  await onTokenEndpoint(page, provider, (route) => route.abort('connectionreset'));
  const failed = await act(page, 'get-token');
  assert.equal(failed.code, 'OAUTH_NETWORK_ERROR');
  assert.equal((await entry(page, stack)).refresh_token, refreshToken);
  assert.deepEqual(grants(provider), [], 'nothing reached the provider');

  await page.unroute(`${provider.issuer}/token`);
  await sleep(1100);
  const ok = await act(page, 'get-token');
  assert.equal(ok.outcome, 'ok', ok.code);
  assert.deepEqual(grants(provider), [['refresh_token', 200, undefined]]);
});

test('a token endpoint that never answers: OAUTH_TIMEOUT after requestTimeout, the session kept; discovery too', OPTS, async (t) => {
  const stack = await needingRefresh(t);
  const { page, provider, refreshToken } = stack;
  const held = [];
  await onTokenEndpoint(page, provider, (route) => { held.push(route); });
  // A provider whose discovery document never comes.
  await page.route(`${provider.issuer}/hang/**`, (route) => { held.push(route); });
  const r = await page.evaluate(async ([issuer, key]) => {
    const { createClient } = await import('/js/index.js');
    const config = JSON.parse(await (await fetch('/demo-config.json')).text());
    const client = await createClient({ ...config, redirectUri: location.href.split('?')[0], storage: 'local', requestTimeout: 1000 });
    const started = Date.now();
    let code;
    try {
      await client.getToken();
    } catch (e) {
      code = e.code;
    }
    const ms = Date.now() - started;
    // Discovery that hangs: createClient itself gives up.
    let discovery;
    try {
      await createClient({ issuer: `${issuer}/hang`, clientId: 'x', redirectUri: location.href.split('?')[0], allowHttpLoopback: true, requestTimeout: 1000 });
    } catch (e) {
      discovery = e.code;
    }
    return { code, ms, discovery, stored: localStorage.getItem(key) !== null };
  }, [provider.issuer, stack.sessionKey]).catch((e) => ({ thrown: String(e) }));
  assert.equal(r.code, 'OAUTH_TIMEOUT', JSON.stringify(r));
  assert.ok(r.ms >= 900 && r.ms < 10_000, `gave up after ${r.ms} ms`);
  assert.equal(r.stored, true, 'the session stays');
  assert.equal(r.discovery, 'OAUTH_TIMEOUT');
  assert.equal(held.length, 2, 'one token request, one discovery request, neither answered');
  assert.equal((await entry(page, stack)).refresh_token, refreshToken);
  await Promise.all(held.map((route) => route.abort().catch(() => {})));
});

test('a store that refuses to save after a refresh: the token is served, the new refresh token kept in memory, storagefailed once', OPTS, async (t) => {
  const stack = await needingRefresh(t);
  const { page, provider, refreshToken } = stack;
  const r = await page.evaluate(async () => {
    const { createClient } = await import('/js/index.js');
    const config = JSON.parse(await (await fetch('/demo-config.json')).text());
    const client = await createClient({ ...config, redirectUri: location.href.split('?')[0], storage: 'local' });
    const failed = [];
    client.addEventListener('storagefailed', (e) => failed.push(e.detail.code));
    // localStorage full from now on.
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function full() { throw new DOMException('full', 'QuotaExceededError'); };
    try {
      const first = await client.getToken();
      await client.forgetTokens(undefined, { revoke: false });
      const second = await client.getToken();
      return { first: first.refreshed, second: second.refreshed, failed };
    } finally {
      Storage.prototype.setItem = setItem;
    }
  });
  assert.equal(r.first, true);
  assert.equal(r.second, true, 'a second refresh, from the refresh token held in memory');
  assert.deepEqual(r.failed, ['OAUTH_STORAGE_UNAVAILABLE'], 'reported once');
  // Two refreshes, each with the refresh token the previous one returned: oidc-provider rotates
  // them and would answer invalid_grant (and revoke the grant) to a refresh token sent twice.
  assert.deepEqual(grants(provider), [['refresh_token', 200, undefined], ['refresh_token', 200, undefined]]);
  assert.equal((await entry(page, stack)).refresh_token, refreshToken, 'storage still holds the entry it could not replace');
});

/** Tab A starts a refresh whose token request is held at the network, then tab B asks too
 * (and waits for the lock A holds). Returns the held request and B's pending outcome. */
async function refreshInTwoTabs(stack) {
  const { page, provider, context } = stack;
  const held = [];
  await onTokenEndpoint(page, provider, (route) => { held.push(route); });
  await page.evaluate(() => { document.getElementById('get-token').click(); });
  for (let i = 0; i < 50 && held.length === 0; i += 1) await sleep(100);
  assert.equal(held.length, 1, 'tab A is refreshing');
  const other = await context.newPage();
  assert.equal(await openAccount(other, stack.url({ storage: 'local' })), 'signed-in');
  const waiting = act(other, 'get-token');
  await sleep(300);
  return { route: held[0], other, waiting };
}

test('a tab closed holding the refresh lock before its request left never blocks the others: the next tab refreshes', OPTS, async (t) => {
  const stack = await needingRefresh(t);
  const { page, provider, refreshToken } = stack;
  const { route, other, waiting } = await refreshInTwoTabs(stack);
  // The tab dies before its request reached the provider.
  await route.abort('connectionreset');
  await page.close({ runBeforeUnload: false });
  const r = await waiting;
  assert.equal(r.outcome, 'ok', JSON.stringify({ r, grants: grants(provider) }));
  assert.deepEqual(grants(provider), [['refresh_token', 200, undefined]], 'the refresh token sent once');
  assert.notEqual((await entry(other, stack)).refresh_token, refreshToken);
});

// The one case a browser cannot save: the refresh reached a provider that rotates refresh
// tokens, and the tab died before the answer was stored. The new refresh token is lost with the
// tab, and the old one is spent: the next tab's refresh is refused and the session ends cleanly
// (README "Keep the user signed in"). No tab waits forever, and no tab loops.
test('a tab closed after its refresh reached a rotating provider: the next tab is told to sign in again, nothing hangs', OPTS, async (t) => {
  const stack = await needingRefresh(t);
  const { page, provider } = stack;
  const { route, other, waiting } = await refreshInTwoTabs(stack);
  await route.continue();
  await page.close({ runBeforeUnload: false });
  const r = await waiting;
  assert.equal(r.outcome, 'error');
  assert.equal(r.code, 'OAUTH_INTERACTION_REQUIRED');
  assert.deepEqual(grants(provider), [['refresh_token', 200, undefined], ['refresh_token', 400, 'invalid_grant']]);
  assert.equal(await other.locator('#status').getAttribute('data-status'), 'signed-out', 'the session ended, in the open tab too');
});

test('the JWK Set unavailable during a refresh on a fresh page: the tokens are kept (the refresh token was rotated), the verified identity too', OPTS, async (t) => {
  const stack = await needingRefresh(t);
  const { page, provider, refreshToken } = stack;
  // A reload: the page's JWK Set cache is empty, so the refreshed ID token needs the set.
  assert.equal(await openAccount(page, stack.url({ storage: 'local' })), 'signed-in');
  await page.uncheck('#revoke');
  const sub = await page.locator('#account-sub').textContent();
  let jwksRequests = 0;
  await page.route(`${provider.issuer}/jwks`, (route) => {
    jwksRequests += 1;
    return route.fulfill({ status: 503, contentType: 'text/html', body: '<html>down</html>' });
  });
  const r = await act(page, 'get-token');
  assert.equal(r.outcome, 'ok', JSON.stringify({ r, jwksRequests, grants: grants(provider) }));
  assert.ok(jwksRequests >= 1, 'the set was asked for');
  assert.deepEqual(grants(provider), [['refresh_token', 200, undefined]]);
  const stored = await entry(page, stack);
  assert.notEqual(stored.refresh_token, refreshToken, 'the rotated refresh token is kept');
  assert.equal(stored.sub, sub);

  // And the session goes on: the next refresh works with the rotated refresh token.
  await page.unroute(`${provider.issuer}/jwks`);
  assert.equal((await act(page, 'forget-tokens')).outcome, 'ok');
  const again = await act(page, 'get-token');
  assert.equal(again.outcome, 'ok', again.code);
  assert.deepEqual(grants(provider), [['refresh_token', 200, undefined], ['refresh_token', 200, undefined]]);
});

test('temporarily_unavailable from the token endpoint: the server error, the session kept, the refreshes paused', OPTS, async (t) => {
  const stack = await needingRefresh(t);
  const { page, provider, refreshToken } = stack;
  const seen = await onTokenEndpoint(page, provider, (route) => route.fulfill({
    status: 503, contentType: 'application/json', body: JSON.stringify({ error: 'temporarily_unavailable', error_description: 'try later' }),
  }));
  const failed = await act(page, 'get-token');
  assert.equal(failed.code, 'OAUTH_TOKEN_ERROR');
  assert.equal((await act(page, 'get-token')).code, 'OAUTH_TOKEN_ERROR');
  assert.equal(seen.count, 1, 'paused');
  assert.equal((await entry(page, stack)).refresh_token, refreshToken);
  assert.deepEqual(grants(provider), []);
});
