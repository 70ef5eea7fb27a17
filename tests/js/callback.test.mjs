// Validating the redirect through the package (RFC 6749 §4.1.2, RFC 9207), with garbage input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loaded, CLIENT, explicitProvider } from './helpers.mjs';

const m = await loaded();
const provider = await explicitProvider(m);

function start() {
  return m.buildAuthorizationUrl(provider, CLIENT);
}

test('a good response validates; the validated response is single use', async () => {
  const { state, transaction } = start();
  const v = m.validateAuthorizationResponse(provider, 'app', `https://app.example/cb?code=c&state=${state}`, transaction);
  // No server at op.example: the exchange fails with a typed network error, and a second
  // exchange of the same validated response is refused outright.
  await assert.rejects(m.exchangeCode(provider, v), (e) => e.code === 'OAUTH_NETWORK_ERROR');
  await assert.rejects(m.exchangeCode(provider, v), (e) => e.code === 'OAUTH_TRANSACTION_NOT_FOUND');
});

test('only a handle validateAuthorizationResponse returned is exchanged, and only with its own provider', async () => {
  const { state, transaction } = start();
  const v = m.validateAuthorizationResponse(provider, 'app', `https://app.example/cb?code=c&state=${state}`, transaction);
  assert.ok(Object.isFrozen(v), 'the handle cannot be edited');
  assert.deepEqual(Object.keys(v), [], 'the handle shows nothing of the response');
  // The same issuer and endpoints, resolved again: another provider handle.
  const other = await explicitProvider(m);
  const invalid = (e) => e.code === 'OAUTH_INVALID_OPTION' && /validateAuthorizationResponse/.test(e.message);
  await assert.rejects(m.exchangeCode(other, v), invalid);
  for (const forged of [{}, Object.freeze(Object.create(null)), null, 'code', structuredClone({ ...v })]) {
    await assert.rejects(m.exchangeCode(provider, forged), invalid);
  }
  // Still exchangeable with its own provider afterwards: nothing above used it up.
  await assert.rejects(m.exchangeCode(provider, v), (e) => e.code === 'OAUTH_NETWORK_ERROR');
});

test('each bad response has its own code; server errors keep their fields', () => {
  const { state, transaction } = start();
  const check = (url) => m.validateAuthorizationResponse(provider, 'app', url, transaction);
  const cases = [
    [`https://app.example/cb?code=c&state=wrong`, 'OAUTH_STATE_MISMATCH'],
    [`https://app.example/cb?code=c`, 'OAUTH_STATE_MISSING'],
    [`https://app.example/cb?code=c&state=${state}&state=${state}`, 'OAUTH_DUPLICATE_PARAMETER'],
    [`https://app.example/cb?code=c&state=${state}&access_token=x`, 'OAUTH_IMPLICIT_RESPONSE'],
    [`https://app.example/cb?state=${state}`, 'OAUTH_CODE_MISSING'],
    [`https://app.example/cb?code=c&state=${state}&iss=https%3A%2F%2Fevil.example`, 'OAUTH_ISS_MISMATCH'],
    [`https://app.example/other?code=c&state=${state}`, 'OAUTH_REDIRECT_URI_MISMATCH'],
    [`https://app.example/cb`, 'OAUTH_NO_AUTHORIZATION_RESPONSE'],
  ];
  for (const [url, code] of cases) {
    assert.throws(() => check(url), (e) => e instanceof m.BrowserOAuthError && e.code === code, url);
  }
  assert.throws(
    () => check(`https://app.example/cb?error=consent_required&error_description=%3Cb%3EAADSTS65001%3C%2Fb%3E&error_uri=https%3A%2F%2Fe.example&state=${state}`),
    (e) => e instanceof m.OAuthServerError && e.code === 'OAUTH_AUTHORIZATION_ERROR' && e.error === 'consent_required'
      && e.errorDescription === '<b>AADSTS65001</b>' && e.errorUri === 'https://e.example' && e.aadsts === 65001,
  );
});

test('garbage never crashes the module: every call throws a typed error, and the module keeps working', () => {
  const { transaction } = start();
  const garbage = ['', 'x', '\u0000', 'https://app.example/cb?%', 'https://app.example/cb?code=%ff', 'é'.repeat(10000),
    'https://app.example/cb?' + 'a=1&'.repeat(5000), `https://app.example/cb?code=${'x'.repeat(100000)}`, 'javascript:alert(1)'];
  for (const url of garbage) {
    assert.throws(() => m.validateAuthorizationResponse(provider, 'app', url, transaction), (e) => typeof e.code === 'string');
  }
  for (const tx of ['', '{', 'null', '{"v":1}', JSON.stringify({ ...JSON.parse(transaction), client_id: 'evil' }), 'x'.repeat(2_000_000)]) {
    assert.throws(() => m.validateAuthorizationResponse(provider, 'app', 'https://app.example/cb?code=c&state=s', tx), (e) => e.code === 'OAUTH_TRANSACTION_INVALID');
  }
  for (const bad of [undefined, null, 5, {}, []]) {
    assert.throws(() => m.validateAuthorizationResponse(provider, 'app', bad, transaction), (e) => e instanceof Error);
  }
  assert.equal(m.generatePkce().codeChallengeMethod, 'S256', 'still alive after garbage');
});

test('stripResponseParams keeps the app parameters', () => {
  assert.equal(m.stripResponseParams('https://a.example/cb?tab=1&code=c&state=s&iss=i#top'), 'https://a.example/cb?tab=1#top');
  assert.equal(m.stripResponseParams('https://a.example/cb#code=c&state=s', 'fragment'), 'https://a.example/cb');
  assert.equal(m.stripResponseParams('https://a.example/cb?tab=1'), null);
});

test('a transaction edited to another token endpoint, authorization endpoint or iss support is refused by validateAuthorizationResponse', () => {
  const { state, transaction } = start();
  const url = `https://app.example/cb?code=c&state=${state}&iss=${encodeURIComponent(JSON.parse(transaction).issuer)}`;
  const edits = [
    { token_endpoint: 'https://evil.example/steal' },
    { authorization_endpoint: 'https://evil.example/auth' },
    { iss_supported: !JSON.parse(transaction).iss_supported },
  ];
  for (const edit of edits) {
    const edited = JSON.stringify({ ...JSON.parse(transaction), ...edit });
    assert.throws(() => m.validateAuthorizationResponse(provider, 'app', url, edited),
      (e) => e.code === 'OAUTH_TRANSACTION_INVALID' && /not bound to this provider/.test(e.message), JSON.stringify(edit));
  }
  assert.ok(m.validateAuthorizationResponse(provider, 'app', url, transaction), 'the untouched transaction validates');
});
