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

/** The demo served in its Entra configuration for `tenant`, and a page of a fresh Chromium. */
async function openEntraDemo(t, tenant, scopes) {
  const app = await startStaticServer({ root: ROOT });
  t.after(() => app.close());
  // Entra allows http redirect URIs only on `localhost`.
  const redirectUri = `http://localhost:${app.port}/www/index.html`;
  app.setDemoConfig({ entra: { tenant }, clientId: CLIENT_ID, redirectUri, scopes, responseMode: 'query', allowHttpLoopback: true });
  const browser = await launchChromium();
  t.after(() => browser.close());
  const page = await browser.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  return { page, redirectUri };
}

test('the Entra demo sends an authorization-code + PKCE request to the tenant endpoint', { timeout: 60_000 }, async (t) => {
  const { page, redirectUri } = await openEntraDemo(t, 'organizations', ['openid', 'profile', 'offline_access']);

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

const CONTOSO = '72f988bf-86f1-41af-91ab-2d7cd011db47';

/** The demo configured with the domain tenant `contoso.com`; `issuer` is what its discovery document says. */
async function openDomainTenantDemo(t, issuer) {
  const { page, redirectUri } = await openEntraDemo(t, 'contoso.com', ['openid', 'profile']);
  const seen = { discovery: 0, authorize: null };
  await page.route('https://login.microsoftonline.com/**', async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/contoso.com/v2.0/.well-known/openid-configuration') {
      seen.discovery += 1;
      const base = `https://login.microsoftonline.com/${CONTOSO}`;
      await route.fulfill({
        status: 200,
        contentType: 'application/json',
        headers: { 'access-control-allow-origin': '*' },
        body: JSON.stringify({
          issuer,
          authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          token_endpoint: `${base}/oauth2/v2.0/token`,
          jwks_uri: `${base}/discovery/v2.0/keys`,
          response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
          id_token_signing_alg_values_supported: ['RS256'],
        }),
      });
      return;
    }
    seen.authorize = url;
    await route.fulfill({ status: 200, contentType: 'text/plain', body: 'stub' });
  });
  return { page, redirectUri, seen };
}

test('a domain tenant is resolved to its tenant id through discovery before sign-in', { timeout: 60_000 }, async (t) => {
  const { page, redirectUri, seen } = await openDomainTenantDemo(t, `https://login.microsoftonline.com/${CONTOSO}/v2.0`);
  assert.equal(await openDemo(page, redirectUri), 'signed-out');
  assert.equal(seen.discovery, 1);
  await page.click('#sign-in');
  await page.waitForURL((url) => url.hostname === 'login.microsoftonline.com');
  assert.equal(`${seen.authorize.origin}${seen.authorize.pathname}`,
    `https://login.microsoftonline.com/${CONTOSO}/oauth2/v2.0/authorize`);
});

test('a domain tenant whose discovery document names the multi-tenant template is refused', { timeout: 60_000 }, async (t) => {
  const { page, redirectUri, seen } = await openDomainTenantDemo(t, 'https://login.microsoftonline.com/{tenantid}/v2.0');
  assert.equal(await openDemo(page, redirectUri), 'error');
  assert.equal(seen.discovery, 1);
  assert.equal(await page.locator('#error-code').textContent(), 'OAUTH_ISSUER_MISMATCH');
});
