// End to end: the demo page (www/index.html) uses the built package in headless Chromium against a
// real OpenID provider on loopback. Each test starts and stops its own provider, server and browser.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { completeProviderInteraction, submitLogin, cancelInteraction } from '../../www/dev/browser.mjs';
import {
  TEST_TIMEOUT, assertPackageBuilt, startStack, openDemo, demoStatus, text, storedTokens,
  recordTokenResponses, recordCallbacks, rewriteAuthorizationResponse,
} from './harness.mjs';

const OPTS = { timeout: TEST_TIMEOUT };

before(assertPackageBuilt);

/** Starts a stack for one test; it is stopped when the test ends, pass or fail. */
async function stackFor(t, options) {
  const stack = await startStack(options);
  t.after(stack.stop);
  return stack;
}

/** Demo page → Sign in → login as alice → consent → back on the demo page, settled. */
async function signIn(stack) {
  const { page, redirectUri, issuer } = stack;
  assert.equal(await openDemo(page, redirectUri), 'signed-out');
  await page.click('#sign-in');
  await completeProviderInteraction(page, { issuer, login: 'alice' });
  await page.waitForURL((url) => url.href.startsWith(redirectUri));
  return demoStatus(page);
}

async function assertError(page, code) {
  assert.equal(await demoStatus(page), 'error');
  assert.equal(await text(page, '#error-code'), code, await text(page, '#error-description'));
}

test('sign-in: authorization code + PKCE through login and consent ends signed in, with a clean URL', OPTS, async (t) => {
  const stack = await stackFor(t);
  const { page, provider, redirectUri } = stack;
  // History length as each document starts, before the package's URL clean-up can run.
  await page.addInitScript(() => { window.historyLengthAtLoad = history.length; });
  const tokens = recordTokenResponses(page, provider.issuer);
  const callbacks = recordCallbacks(page, redirectUri);

  assert.equal(await signIn(stack), 'signed-in', await text(page, '#error-description'));

  assert.equal(await text(page, '#account'), 'alice');
  assert.equal(await text(page, '#account-name'), 'Alice Example');
  const scopes = (await text(page, '#scopes')).split(' ');
  for (const scope of ['openid', 'profile', 'email', 'offline_access']) assert.ok(scopes.includes(scope), scope);
  assert.equal(await text(page, '#refresh-token'), 'received');
  const expiresAt = Number(await page.locator('#expires').getAttribute('data-expires-at'));
  const now = Date.now() / 1000;
  assert.ok(expiresAt > now + 3500 && expiresAt <= now + 3600 + 5, `expiresAt ${expiresAt}, now ${now}`);

  // The callback arrived with code, state and iss; the page removed them without a new entry.
  assert.equal(callbacks.length, 1);
  const callback = new URL(callbacks[0]);
  for (const p of ['code', 'state', 'iss']) assert.ok(callback.searchParams.has(p), p);
  const landed = new URL(page.url());
  for (const p of ['code', 'state', 'iss', 'session_state', 'error']) {
    assert.equal(landed.searchParams.has(p), false, `${p} left in ${page.url()}`);
  }
  assert.equal(landed.hash, '');
  assert.equal(`${landed.origin}${landed.pathname}`, redirectUri);
  const history = await page.evaluate(() => [window.historyLengthAtLoad, history.length]);
  assert.equal(history[1], history[0], 'the clean-up must replace the history entry, not push one');

  // Exactly one code exchange, from the page's origin; the access token is never shown in full.
  assert.deepEqual(provider.tokenLog.map((e) => [e.grantType, e.status, e.origin]), [
    ['authorization_code', 200, stack.app.origin],
  ]);
  assert.equal(tokens.length, 1);
  const accessToken = tokens[0].access_token;
  assert.ok(accessToken);
  assert.equal(await text(page, '#token-preview'), `${accessToken.slice(0, 8)}…`);
  const pageText = await page.evaluate(() => document.documentElement.outerHTML);
  for (const secret of [accessToken, tokens[0].refresh_token, tokens[0].id_token]) {
    assert.equal(pageText.includes(secret), false, 'a token appears in the page');
  }
  assert.deepEqual(stack.problems, []);
});

test('sign-in with response_mode=fragment also ends signed in, with the fragment removed', OPTS, async (t) => {
  const stack = await stackFor(t, { responseMode: 'fragment' });
  const { page, redirectUri } = stack;
  await page.addInitScript(() => { window.historyLengthAtLoad = history.length; });

  assert.equal(await signIn(stack), 'signed-in', await text(page, '#error-description'));
  assert.equal(await text(page, '#account'), 'alice');
  const url = new URL(page.url());
  assert.equal(url.hash, '');
  assert.equal(url.search, '');
  assert.equal(`${url.origin}${url.pathname}`, redirectUri);
  const history = await page.evaluate(() => [window.historyLengthAtLoad, history.length]);
  assert.equal(history[1], history[0]);
  assert.deepEqual(stack.provider.tokenLog.map((e) => [e.grantType, e.status]), [['authorization_code', 200]]);
  assert.deepEqual(stack.problems, []);
});

test('a callback whose state was tampered with is refused: OAUTH_STATE_MISMATCH, no token request, nothing stored', OPTS, async (t) => {
  const stack = await stackFor(t);
  const { page, provider, redirectUri, issuer } = stack;

  // Rewrite the provider's redirect back to the app: same response, different state.
  const tampered = await rewriteAuthorizationResponse(page, {
    issuer,
    redirectUri,
    rewrite(url) {
      url.searchParams.set('state', `${url.searchParams.get('state')}x`);
      return url;
    },
  });

  assert.equal(await openDemo(page, redirectUri), 'signed-out');
  await page.click('#sign-in');
  await completeProviderInteraction(page, { issuer });
  await page.waitForURL((url) => url.href.startsWith(redirectUri));

  await assertError(page, 'OAUTH_STATE_MISMATCH');
  assert.ok(tampered.original && new URL(tampered.original).searchParams.has('code'), 'the callback was rewritten');
  assert.equal(provider.tokenRequests, 0, 'the code must not be exchanged');
  assert.deepEqual(await storedTokens(page), []);
  assert.deepEqual(stack.problems, []);
});

test('replaying a callback URL after a successful sign-in is refused: OAUTH_TRANSACTION_NOT_FOUND', OPTS, async (t) => {
  const stack = await stackFor(t);
  const { page, provider, redirectUri } = stack;
  const callbacks = recordCallbacks(page, redirectUri);

  assert.equal(await signIn(stack), 'signed-in', await text(page, '#error-description'));
  assert.equal(callbacks.length, 1);

  await page.goto(callbacks[0]);
  await assertError(page, 'OAUTH_TRANSACTION_NOT_FOUND');
  assert.equal(provider.tokenRequests, 1, 'the replayed code must not be sent again');
  assert.deepEqual(stack.problems, []);
});

test('the user cancelling at the provider: OAUTH_AUTHORIZATION_ERROR with access_denied, nothing stored', OPTS, async (t) => {
  const stack = await stackFor(t);
  const { page, provider, redirectUri, issuer } = stack;

  assert.equal(await openDemo(page, redirectUri), 'signed-out');
  await page.click('#sign-in');
  await submitLogin(page, { issuer });
  await cancelInteraction(page, { issuer, prompt: 'consent' });
  await page.waitForURL((url) => url.href.startsWith(redirectUri));

  await assertError(page, 'OAUTH_AUTHORIZATION_ERROR');
  assert.equal(await text(page, '#oauth-error'), 'access_denied');
  assert.equal(await text(page, '#error-description'), 'End-User aborted interaction');
  assert.equal(provider.tokenRequests, 0);
  assert.deepEqual(await storedTokens(page), []);
  assert.deepEqual(stack.problems, []);
});

test('an error_description with markup is shown as text, never parsed as HTML', OPTS, async (t) => {
  const stack = await stackFor(t);
  const { page, provider, redirectUri, issuer } = stack;

  // Let the package start a real transaction, but answer it ourselves instead of the provider:
  // same state and iss, an error whose description carries markup.
  let authorizeUrl;
  await page.route(`${issuer}/auth?**`, async (route) => {
    authorizeUrl = new URL(route.request().url());
    const callback = new URL(redirectUri);
    callback.search = new URLSearchParams({
      error: 'access_denied',
      error_description: '<img src=x id=injected> <b>bold</b>',
      state: authorizeUrl.searchParams.get('state'),
      iss: issuer,
    });
    await route.fulfill({ status: 303, headers: { location: callback.href } });
  }, { times: 1 });

  assert.equal(await openDemo(page, redirectUri), 'signed-out');
  await page.click('#sign-in');
  // The predicate is false on the current (pre-sign-in) document, true once the answer arrived.
  await page.waitForURL((url) => url.href.startsWith(redirectUri) && authorizeUrl !== undefined);

  await assertError(page, 'OAUTH_AUTHORIZATION_ERROR');
  assert.equal(await text(page, '#error-description'), '<img src=x id=injected> <b>bold</b>');
  assert.equal(await page.locator('#injected, #error b').count(), 0);
  assert.equal(provider.tokenRequests, 0);
});
