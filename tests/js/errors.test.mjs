// Errors across the boundary (src/core/error.rs, src/bindings/convert.rs): the wasm hands over
// the message's pieces and JS joins them, so the texts must be exactly the fixed ones, for the
// typed error and for the raw error the generated glue throws alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { loaded, CLIENT, explicitProvider } from './helpers.mjs';
import * as consentGlue from '../../dist/wasm-consent/browser_oauth_consent.js';

const m = await loaded();
const provider = await explicitProvider(m);

const is = (code, message) => (e) => {
  assert.ok(e instanceof m.BrowserOAuthError, 'typed');
  assert.equal(e.code, code);
  assert.equal(e.message, message);
  return true;
};

test('messages with fixed text, static fields, a caller string and a number are joined exactly', () => {
  const build = (client, request) => () => m.buildAuthorizationUrl(provider, client, request);
  assert.throws(build({ ...CLIENT, responseMode: 'form_post' }), is('OAUTH_INVALID_OPTION', 'option responseMode is invalid: must be query or fragment'));
  assert.throws(build({ ...CLIENT, clientId: undefined }), is('OAUTH_MISSING_OPTION', 'option clientId is required'));
  assert.throws(build({ ...CLIENT, redirectUri: 'https://app.example/cb#x' }), is('OAUTH_FORBIDDEN_URL', 'redirect_uri is not allowed: fragment'));
  assert.throws(build(CLIENT, { extraParams: { state: 'x' } }), is('OAUTH_RESERVED_PARAMETER', 'extra parameter state is set by the library and cannot be overridden'));
  assert.throws(build(CLIENT, { extraParams: { ui_locales: 'x'.repeat(8193) } }), is('OAUTH_INPUT_TOO_LARGE', 'extra parameter is larger than 8192 bytes'));
});

test('redirect errors: fixed messages, and the server error code in the message of a server error', () => {
  const { state, transaction } = m.buildAuthorizationUrl(provider, CLIENT);
  const check = (query) => () => m.validateAuthorizationResponse(provider, 'app', `https://app.example/cb?${query}`, transaction);
  assert.throws(check('code=c&state=wrong'), is('OAUTH_STATE_MISMATCH', 'state in the response does not match the request'));
  assert.throws(check(`error=access_denied&state=${state}`), (e) => is('OAUTH_AUTHORIZATION_ERROR', 'authorization server returned access_denied')(e) && e.error === 'access_denied');
});

test('a token endpoint status without an OAuth body: the status is in the message; 5xx says the server is unavailable', async (t) => {
  let status = 503;
  const server = createServer((req, res) => { res.writeHead(status, { 'content-type': 'text/html' }); res.end('<html>'); });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const base = `http://127.0.0.1:${server.address().port}`;
  const loopback = await m.resolveProvider({ issuer: base, authorizationEndpoint: `${base}/a`, tokenEndpoint: `${base}/t`, allowHttpLoopback: true });
  const { state, transaction } = m.buildAuthorizationUrl(loopback, CLIENT);
  const v = m.validateAuthorizationResponse(loopback, 'app', `https://app.example/cb?code=c&state=${state}`, transaction);
  await assert.rejects(m.exchangeCode(loopback, v), is('OAUTH_SERVER_UNAVAILABLE', 'the token endpoint is unavailable (http status 503)'));
  status = 404;
  const again = m.buildAuthorizationUrl(loopback, CLIENT);
  const w = m.validateAuthorizationResponse(loopback, 'app', `https://app.example/cb?code=c&state=${again.state}`, again.transaction);
  await assert.rejects(m.exchangeCode(loopback, w), is('OAUTH_HTTP_STATUS', 'unexpected http status 404'));
});

test('the consent module: the raw error of the generated glue carries the same message and code', () => {
  assert.throws(() => m.legacyAuthorizationUrl({ clientId: '11111111-2222-3333-4444-555555555555', redirectUri: 'https://app.example/cb', scopes: ['vso.code'] }),
    is('OAUTH_MISSING_OPTION', 'option state is required'));
  assert.throws(() => consentGlue.checkAuthorizationRequest('https://x', 7), (e) => {
    assert.ok(e instanceof Error && !(e instanceof m.BrowserOAuthError), 'raw');
    assert.equal(e.code, 'OAUTH_INVALID_OPTION');
    assert.equal(e.message, 'option options is invalid: must be an object');
    return true;
  });
});
