// End to end: the demo page signs in against a misbehaving provider (www/dev/bad-provider.mjs)
// that issues, one scenario at a time, the ID tokens a correct provider never would. The good
// ones end signed in; every bad one is refused with OAUTH_INVALID_ID_TOKEN and its precise
// reason, and nothing is left in Web Storage. One provider, server and browser serve all cases;
// each case gets a fresh browser context (fresh storage, fresh wasm memory, so an empty JWKS cache).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startBadProvider, SCENARIOS } from '../../www/dev/bad-provider.mjs';
import { startStaticServer } from '../../www/dev/server.mjs';
import { launchChromium } from '../../www/dev/browser.mjs';
import {
  ROOT, STEP_TIMEOUT, assertPackageBuilt, openDemo, text, storageEntries,
} from './harness.mjs';

const CLIENT_ID = 'browser-oauth-id-token-e2e';

// Scenario → the reason in the error message (undefined: signed in), and how many times the
// JWKS must have been fetched (0: refused on its claims or alg, before any key was needed).
const EXPECTED = {
  good: [undefined, 1],
  'good-es256': [undefined, 1],
  'good-ps256': [undefined, 1],
  'wrong-iss': ['iss does not match the issuer', 0],
  'wrong-aud': ['aud does not contain the client id', 0],
  'extra-aud': ['aud contains an untrusted audience', 0],
  'bad-nonce': ['nonce does not match', 0],
  expired: ['expired', 0],
  'future-iat': ['issued in the future', 0],
  'alg-none': ['alg not allowed', 0],
  hs256: ['alg not allowed', 0],
  'bad-signature': ['signature does not verify', 1],
  // One fetch, one refetch for the unknown kid, then the rate limit: no third request.
  'unknown-kid': ['no key in the jwks matches the token', 2],
  'rotated-key': [undefined, 2],
  'no-kid-single-key': [undefined, 1],
  'no-kid-several-keys': ['several keys fit and the token has no kid', 1],
};

let stack;

before(async () => {
  assertPackageBuilt();
  const started = [];
  stack = { stop: () => Promise.allSettled(started.reverse().map((close) => close())) };
  const app = await startStaticServer({ root: ROOT });
  started.push(() => app.close());
  const redirectUri = `${app.origin}/www/index.html`;
  const op = await startBadProvider({ clientId: CLIENT_ID, redirectUri });
  started.push(() => op.close());
  app.setDemoConfig({ issuer: op.issuer, clientId: CLIENT_ID, redirectUri, scopes: ['openid'], allowHttpLoopback: true });
  const browser = await launchChromium();
  started.push(() => browser.close());
  Object.assign(stack, { app, op, browser, redirectUri });
});

after(() => stack?.stop());

/** A fresh context and page, with the provider set to `scenario` and its counters reset. */
async function freshPage(t, scenario) {
  const { op, browser } = stack;
  op.setScenario(scenario);
  op.resetCounters();
  const context = await browser.newContext();
  t.after(() => context.close());
  context.setDefaultTimeout(STEP_TIMEOUT);
  return { context, page: await context.newPage() };
}

/** Signs in on a fresh context with the provider set to `scenario`; returns the settled page. */
async function signInWith(t, scenario) {
  const { redirectUri } = stack;
  const { page } = await freshPage(t, scenario);
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));

  assert.equal(await openDemo(page, redirectUri), 'signed-out');
  await page.evaluate(() => { window.beforeSignIn = true; });
  await page.click('#sign-in');
  // The provider redirects straight back: wait for the new document to settle.
  await page.waitForFunction(() => !window.beforeSignIn
    && ['signed-in', 'error'].includes(document.getElementById('status')?.dataset.status));
  return { page, problems, status: await page.locator('#status').getAttribute('data-status') };
}

for (const [scenario, [reason, jwksFetches]] of Object.entries(EXPECTED)) {
  const outcome = reason === undefined ? 'is accepted' : `is refused: ${reason}`;
  test(`id token scenario ${scenario} ${outcome}`, { timeout: 30_000 }, async (t) => {
    assert.equal(SCENARIOS[scenario], reason === undefined ? 'accept' : 'reject');
    const { page, problems, status } = await signInWith(t, scenario);
    const { op } = stack;
    assert.equal(op.tokenRequests, 1, 'one code exchange');
    if (reason === undefined) {
      assert.equal(status, 'signed-in', await text(page, '#error-description'));
      assert.equal(await text(page, '#account'), 'alice');
    } else {
      assert.equal(status, 'error');
      assert.equal(await text(page, '#error-code'), 'OAUTH_INVALID_ID_TOKEN');
      assert.equal(await text(page, '#error-description'), `id token is invalid: ${reason}`);
      assert.deepEqual(await storageEntries(page), [], 'nothing stored after a refused sign-in');
      const html = await page.evaluate(() => document.documentElement.outerHTML);
      assert.equal(html.includes(op.lastIdToken), false);
    }
    assert.equal(op.jwksFetches, jwksFetches, 'JWKS requests');
    assert.deepEqual(problems, []);
  });
}

test('every scenario of the bad provider is covered', () => {
  assert.deepEqual(Object.keys(EXPECTED).sort(), Object.keys(SCENARIOS).sort());
});

test('the bad provider is strict about everything but the ID token: PKCE, single-use codes, CORS', async () => {
  const { op, redirectUri } = stack;
  op.setScenario('good');
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'; // RFC 7636 Appendix B
  const authorize = async (params = {}) => {
    const url = new URL(`${op.issuer}/authorize`);
    const all = {
      response_type: 'code', client_id: CLIENT_ID, redirect_uri: redirectUri, scope: 'openid',
      state: 's', nonce: 'n', code_challenge: challenge, code_challenge_method: 'S256', ...params,
    };
    for (const [k, v] of Object.entries(all)) if (v !== undefined) url.searchParams.set(k, v);
    return fetch(url, { redirect: 'manual' });
  };
  const codeFrom = (response) => new URL(response.headers.get('location')).searchParams.get('code');
  const exchange = (code, codeVerifier, origin = new URL(redirectUri).origin) => fetch(`${op.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: CLIENT_ID, code_verifier: codeVerifier,
    }),
  });

  const discovery = await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json();
  assert.deepEqual(discovery.code_challenge_methods_supported, ['S256']);
  assert.equal(discovery.jwks_uri, `${op.issuer}/jwks`);
  assert.equal(discovery.authorization_response_iss_parameter_supported, true);

  const answer = new URL((await authorize()).headers.get('location'));
  assert.equal(`${answer.origin}${answer.pathname}`, redirectUri);
  assert.equal(answer.searchParams.get('state'), 's');
  assert.equal(answer.searchParams.get('iss'), op.issuer);
  assert.equal((await authorize({ code_challenge_method: 'plain' })).headers.get('location').includes('error=invalid_request'), true);
  assert.equal((await authorize({ redirect_uri: `${redirectUri}x` })).status, 400, 'no redirect to an unregistered URI');

  const wrongVerifier = await exchange(codeFrom(await authorize()), `${verifier.slice(0, -1)}A`);
  assert.equal(wrongVerifier.status, 400);
  assert.equal((await wrongVerifier.json()).error, 'invalid_grant');

  const code = codeFrom(await authorize());
  const ok = await exchange(code, verifier);
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('access-control-allow-origin'), new URL(redirectUri).origin);
  assert.ok((await ok.json()).id_token);
  assert.equal((await exchange(code, verifier)).status, 400, 'a code is single use');

  const foreign = await exchange(codeFrom(await authorize()), verifier, 'https://evil.example');
  assert.equal(foreign.headers.get('access-control-allow-origin'), null);
});

// Issue 8 finding 4: an edited transaction in sessionStorage sent the code and code_verifier to
// the edited token endpoint. Each edit is refused before any token request, wherever it points.
for (const [edit, change] of Object.entries({
  token_endpoint: (tx, issuer) => ({ ...tx, token_endpoint: `${issuer}/steal` }),
  redirect_uri: (tx) => ({ ...tx, redirect_uri: `${tx.redirect_uri}?elsewhere=1` }),
  iss_supported: (tx) => ({ ...tx, iss_supported: false }),
})) {
  test(`a transaction whose ${edit} was edited in sessionStorage is refused and nothing is sent`, { timeout: 30_000 }, async (t) => {
    const { op, redirectUri } = stack;
    const { context, page } = await freshPage(t, 'good');
    const requests = [];
    context.on('request', (request) => requests.push(request.url()));

    assert.equal(await openDemo(page, redirectUri), 'signed-out');
    // Hold the navigation to the provider (a 204 does not leave the page) and edit the stored
    // transaction as page script could.
    let held;
    const authorize = new Promise((resolve) => { held = resolve; });
    await page.route(`${op.issuer}/authorize?**`, async (route) => {
      await route.fulfill({ status: 204 });
      held(route.request().url());
    }, { times: 1 });
    await page.click('#sign-in');
    const authorizeUrl = await authorize;
    await page.waitForFunction(() => Object.keys(sessionStorage).some((k) => k.startsWith('browser-oauth:tx:')));
    const [key, stored] = await page.evaluate(() => {
      const name = Object.keys(sessionStorage).find((k) => k.startsWith('browser-oauth:tx:'));
      return [name, sessionStorage.getItem(name)];
    });
    const edited = JSON.stringify(change(JSON.parse(stored), op.issuer));
    await page.evaluate(([name, value]) => sessionStorage.setItem(name, value), [key, edited]);

    await page.goto(authorizeUrl);
    await page.waitForFunction(() => ['signed-in', 'error'].includes(document.getElementById('status')?.dataset.status));
    assert.equal(await text(page, '#error-code'), 'OAUTH_TRANSACTION_INVALID');
    assert.equal(op.tokenRequests, 0, 'no code exchange');
    assert.deepEqual(requests.filter((u) => u.includes('/steal') || u.includes('/token')), []);
  });
}
