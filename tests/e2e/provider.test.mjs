// The local OpenID provider behaves like the strict authorization server the e2e tests assume.
// Node only: no browser.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';

import { startProvider } from '../../www/dev/provider.mjs';

const CLIENT_ID = 'provider-test';
const APP_ORIGIN = 'http://127.0.0.1:9';
const REDIRECT_URI = `${APP_ORIGIN}/www/index.html`;
const OPTS = { timeout: 20_000 };

async function withProvider(t) {
  const provider = await startProvider({
    clients: [{ client_id: CLIENT_ID, redirect_uris: [REDIRECT_URI] }],
  });
  t.after(() => provider.close());
  return provider;
}

function authorizeUrl(issuer, params) {
  const url = new URL(`${issuer}/auth`);
  for (const [k, v] of Object.entries({
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid offline_access',
    state: 'state-1',
    nonce: 'nonce-1',
    ...params,
  })) {
    if (v !== undefined) url.searchParams.set(k, v);
  }
  return url;
}

const get = (url) => fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });

test('discovery advertises PKCE S256 only, RFC 9207 iss, code flow only, revocation', OPTS, async (t) => {
  const { issuer } = await withProvider(t);
  assert.match(issuer, /^http:\/\/127\.0\.0\.1:\d+$/);
  const response = await get(`${issuer}/.well-known/openid-configuration`);
  assert.equal(response.status, 200);
  const meta = await response.json();
  assert.equal(meta.issuer, issuer);
  assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
  assert.equal(meta.authorization_response_iss_parameter_supported, true);
  assert.deepEqual(meta.response_types_supported, ['code']);
  assert.ok(meta.grant_types_supported.includes('refresh_token'));
  assert.ok(!meta.grant_types_supported.includes('implicit'));
  assert.equal(meta.revocation_endpoint, `${issuer}/token/revocation`);
  for (const scope of ['openid', 'profile', 'email', 'offline_access']) {
    assert.ok(meta.scopes_supported.includes(scope), scope);
  }
});

test('an authorization request without code_challenge is refused, with iss in the response', OPTS, async (t) => {
  const { issuer } = await withProvider(t);
  const response = await get(authorizeUrl(issuer, {}));
  assert.equal(response.status, 303);
  const location = new URL(response.headers.get('location'));
  assert.equal(`${location.origin}${location.pathname}`, REDIRECT_URI);
  assert.equal(location.searchParams.get('error'), 'invalid_request');
  assert.match(location.searchParams.get('error_description'), /PKCE/);
  assert.equal(location.searchParams.get('state'), 'state-1');
  assert.equal(location.searchParams.get('iss'), issuer);
  assert.equal(location.searchParams.get('code'), null);
});

test('code_challenge_method=plain is refused', OPTS, async (t) => {
  const { issuer } = await withProvider(t);
  const response = await get(authorizeUrl(issuer, {
    code_challenge: 'a'.repeat(43),
    code_challenge_method: 'plain',
  }));
  const location = new URL(response.headers.get('location'));
  assert.equal(location.searchParams.get('error'), 'invalid_request');
  assert.equal(location.searchParams.get('code'), null);
});

test('a redirect_uri that is not registered exactly is refused without redirecting', OPTS, async (t) => {
  const { issuer } = await withProvider(t);
  const challenge = createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
  const response = await get(authorizeUrl(issuer, {
    redirect_uri: `${REDIRECT_URI}/`,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }));
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('location'), null);
});

test('a valid S256 request reaches the login interaction', OPTS, async (t) => {
  const { issuer } = await withProvider(t);
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const response = await get(authorizeUrl(issuer, {
    code_challenge: challenge,
    code_challenge_method: 'S256',
    prompt: 'consent',
  }));
  assert.equal(response.status, 303);
  assert.match(response.headers.get('location'), /^\/interaction\/[\w-]+$/);
});

test('the token endpoint allows CORS for the client origin only, and every request is counted', OPTS, async (t) => {
  const provider = await withProvider(t);
  const tokenRequest = (origin) => fetch(`${provider.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: CLIENT_ID,
      code: 'not-a-code',
      redirect_uri: REDIRECT_URI,
      code_verifier: randomBytes(32).toString('base64url'),
    }),
    signal: AbortSignal.timeout(10_000),
  });

  assert.equal(provider.tokenRequests, 0);
  const allowed = await tokenRequest(APP_ORIGIN);
  assert.equal(allowed.status, 400);
  assert.equal(allowed.headers.get('access-control-allow-origin'), APP_ORIGIN);
  assert.equal((await allowed.json()).error, 'invalid_grant');

  const foreign = await tokenRequest('http://127.0.0.1:1');
  assert.equal(foreign.headers.get('access-control-allow-origin'), null);
  assert.equal((await foreign.json()).error, 'invalid_request');

  assert.equal(provider.tokenRequests, 2);
  assert.deepEqual(provider.tokenLog.map((e) => [e.grantType, e.status]), [
    ['authorization_code', 400],
    ['authorization_code', 400],
  ]);
  provider.resetTokenLog();
  assert.equal(provider.tokenRequests, 0);
});

test('close() resolves and frees the port, also with an idle keep-alive connection open', OPTS, async () => {
  const provider = await startProvider({
    clients: [{ client_id: CLIENT_ID, redirect_uris: [REDIRECT_URI] }],
  });
  await (await fetch(`${provider.issuer}/.well-known/openid-configuration`)).arrayBuffer();
  await provider.close();
  await provider.close(); // idempotent
  await assert.rejects(fetch(`${provider.issuer}/.well-known/openid-configuration`));
});

test('startProvider refuses a client without redirect_uris', OPTS, async () => {
  await assert.rejects(startProvider({ clients: [{ client_id: 'x' }] }), TypeError);
  await assert.rejects(startProvider({}), TypeError);
});
