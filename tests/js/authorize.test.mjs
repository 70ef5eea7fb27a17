// Building the authorization URL through the package (RFC 6749 §4.1.1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loaded, CLIENT, explicitProvider } from './helpers.mjs';

const m = await loaded();
const provider = await explicitProvider(m);

test('URL carries code, PKCE S256, state, nonce, exact redirect_uri and the options', () => {
  const { url, state, transaction } = m.buildAuthorizationUrl(provider, CLIENT, { prompt: 'consent', loginHint: 'alice', extraParams: { ui_locales: 'fr' } });
  const u = new URL(url);
  const q = u.searchParams;
  assert.equal(u.origin + u.pathname, 'https://op.example/auth');
  assert.equal(q.get('response_type'), 'code');
  assert.equal(q.get('code_challenge_method'), 'S256');
  assert.match(q.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/);
  assert.equal(q.get('state'), state);
  assert.match(q.get('nonce'), /^[A-Za-z0-9_-]{43}$/);
  assert.equal(q.get('redirect_uri'), 'https://app.example/cb');
  assert.equal(q.get('scope'), 'openid profile');
  assert.equal(q.get('prompt'), 'consent');
  assert.equal(q.get('login_hint'), 'alice');
  assert.equal(q.get('ui_locales'), 'fr');
  assert.equal(JSON.parse(transaction).state, state);
});

test('configuration errors are typed', () => {
  const cases = [
    [{ ...CLIENT, redirectUri: 'http://app.example/cb' }, 'OAUTH_INSECURE_URL'],
    [{ ...CLIENT, redirectUri: 'https://app.example/cb#x' }, 'OAUTH_FORBIDDEN_URL'],
    [{ ...CLIENT, redirectUri: '/cb' }, 'OAUTH_INVALID_URL'],
    [{ ...CLIENT, clientId: undefined }, 'OAUTH_MISSING_OPTION'],
    [{ ...CLIENT, scopes: ['a b'] }, 'OAUTH_INVALID_SCOPE'],
    [{ ...CLIENT, responseMode: 'form_post' }, 'OAUTH_INVALID_OPTION'],
    [{ ...CLIENT, scopes: 'openid' }, 'OAUTH_INVALID_OPTION'],
    ['not an object', 'OAUTH_INVALID_OPTION'],
  ];
  for (const [client, code] of cases) {
    assert.throws(() => m.buildAuthorizationUrl(provider, client), (e) => e.code === code, JSON.stringify(client));
  }
  assert.throws(() => m.buildAuthorizationUrl(provider, CLIENT, { extraParams: { code_challenge_method: 'plain' } }), (e) => e.code === 'OAUTH_RESERVED_PARAMETER');
});

test('providers: http only for loopback with the flag, Entra preset', async () => {
  await assert.rejects(m.resolveProvider({ issuer: 'http://op.example', authorizationEndpoint: 'http://op.example/a', tokenEndpoint: 'http://op.example/t' }), (e) => e.code === 'OAUTH_INSECURE_URL');
  await assert.rejects(m.resolveProvider({ issuer: 'http://127.0.0.1:1', authorizationEndpoint: 'http://127.0.0.1:1/a', tokenEndpoint: 'http://127.0.0.1:1/t' }), (e) => e.code === 'OAUTH_INSECURE_URL');
  const loop = await m.resolveProvider({ issuer: 'http://127.0.0.1:1', authorizationEndpoint: 'http://127.0.0.1:1/a', tokenEndpoint: 'http://127.0.0.1:1/t', allowHttpLoopback: true });
  assert.equal(loop.metadata.issuer, 'http://127.0.0.1:1');
  const entra = await m.resolveProvider({ entra: { tenant: 'organizations' } });
  assert.equal(entra.metadata.authorizationEndpoint, 'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize');
  assert.equal(entra.metadata.issuer, 'https://login.microsoftonline.com/{tenantid}/v2.0');
  await assert.rejects(m.resolveProvider({ entra: { tenant: 'common', host: 'login.microsoftonline.com.evil.example' } }), (e) => e.code === 'OAUTH_INVALID_OPTION');
  await assert.rejects(m.resolveProvider({}), (e) => e.code === 'OAUTH_MISSING_OPTION');
});
