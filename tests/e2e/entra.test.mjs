// The demo page in its Microsoft Entra ID configuration (what `ENTRA_CLIENT_ID=… scripts/demo`
// serves): without network access, the request that would leave for login.microsoftonline.com is
// caught and checked instead.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { startStaticServer } from '../../www/dev/server.mjs';
import { launchChromium } from '../../www/dev/browser.mjs';
import { ROOT, STEP_TIMEOUT, assertPackageBuilt, openDemo } from './harness.mjs';

const CLIENT_ID = '11111111-2222-3333-4444-555555555555';

before(assertPackageBuilt);

test('the Entra demo sends an authorization-code + PKCE request to the tenant endpoint', { timeout: 60_000 }, async (t) => {
  const app = await startStaticServer({ root: ROOT });
  t.after(() => app.close());
  // Entra allows http redirect URIs only on `localhost`.
  const redirectUri = `http://localhost:${app.port}/www/index.html`;
  app.setDemoConfig({
    entra: { tenant: 'organizations' },
    clientId: CLIENT_ID,
    redirectUri,
    scopes: ['openid', 'profile', 'offline_access'],
    responseMode: 'query',
    allowHttpLoopback: true,
  });
  const browser = await launchChromium();
  t.after(() => browser.close());
  const page = await browser.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);

  let authorize;
  await page.route('https://login.microsoftonline.com/**', async (route) => {
    authorize = new URL(route.request().url());
    await route.fulfill({ status: 200, contentType: 'text/plain', body: 'stub' });
  });

  assert.equal(await openDemo(page, redirectUri), 'signed-out');
  await page.click('#sign-in');
  await page.waitForURL((url) => url.hostname === 'login.microsoftonline.com');

  assert.equal(`${authorize.origin}${authorize.pathname}`,
    'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize');
  const p = authorize.searchParams;
  assert.equal(p.get('response_type'), 'code');
  assert.equal(p.get('client_id'), CLIENT_ID);
  assert.equal(p.get('redirect_uri'), redirectUri);
  assert.equal(p.get('code_challenge_method'), 'S256');
  assert.match(p.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/);
  assert.ok(p.get('state') && p.get('nonce'));
  assert.deepEqual(p.get('scope').split(' '), ['openid', 'profile', 'offline_access']);
});
