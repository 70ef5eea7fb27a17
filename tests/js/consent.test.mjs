// Consent checks and legacy Azure DevOps OAuth through the package: the report's shape, stable
// codes for the checks that matter, and typed errors (never a crash) on garbage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loaded } from './helpers.mjs';
import * as glue from '../../dist/wasm-consent/browser_oauth_consent.js';

const m = await loaded();

const ID = '499b84ac-1321-427f-aa17-267ca6975798';
const CLIENT = '11111111-2222-3333-4444-555555555555';
const REDIRECT = 'https://app.example/callback';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

function entraUrl({ host = 'login.microsoftonline.com', tenant = 'organizations', scopes = ['openid', 'offline_access', `${ID}/vso.work`], ...extra } = {}) {
  const q = new URLSearchParams({
    client_id: CLIENT, response_type: 'code', redirect_uri: REDIRECT, scope: scopes.join(' '), state: 's1',
    code_challenge: CHALLENGE, code_challenge_method: 'S256', ...extra,
  });
  return `https://${host}/${tenant}/oauth2/v2.0/authorize?${q}`;
}

const codes = (r) => r.findings.map((f) => f.code);
const isTyped = (code) => (e) => e instanceof m.BrowserOAuthError && e.code === code;

test('a legitimate Entra request with Azure DevOps scopes: ok, described in plain words', () => {
  const r = m.checkAuthorizationRequest(entraUrl(), { clientId: CLIENT, redirectUri: REDIRECT });
  assert.equal(r.verdict, 'ok', JSON.stringify(r.findings));
  assert.deepEqual(r.authority, { host: 'login.microsoftonline.com', kind: 'entra-global', tenant: 'organizations' });
  assert.equal(r.clientId, CLIENT);
  assert.equal(r.redirectUri, REDIRECT);
  assert.deepEqual(r.scopes.map((s) => [s.scope, s.resource, s.known]), [
    ['openid', 'oidc', false], ['offline_access', 'oidc', false], [`${ID}/vso.work`, 'azure-devops', true],
  ]);
  const work = r.scopes[2];
  assert.equal(work.status, 'current');
  assert.equal(work.area, 'Work Items');
  assert.equal(work.highPrivilege, false);
  assert.ok(work.title && work.description);
  assert.equal(r.scopes[0].area, undefined);
});

test('high-privilege and full-access scopes warn, each with its own line', () => {
  const r = m.checkAuthorizationRequest(entraUrl({ scopes: ['openid', `${ID}/vso.code_manage`, `${ID}/vso.code`] }));
  assert.equal(r.verdict, 'warn');
  const high = r.findings.find((f) => f.code === 'SCOPE_HIGH_PRIVILEGE');
  assert.equal(high.severity, 'warn');
  assert.match(high.message, /vso\.code_manage/);
  assert.ok(codes(r).includes('SCOPE_NOT_MINIMAL'), 'vso.code is already in vso.code_manage');
  assert.equal(r.scopes.find((s) => s.scope.endsWith('vso.code_manage')).highPrivilege, true);
  const full = m.checkAuthorizationRequest(entraUrl({ scopes: [`${ID}/user_impersonation`] }));
  assert.ok(codes(full).includes('SCOPE_FULL_ACCESS'));
  assert.equal(full.scopes[0].fullAccess, true);
  assert.equal(full.scopes[0].broad, true);
});

test('a lookalike authority is blocked, with a finding that names the real host', () => {
  const r = m.checkAuthorizationRequest(entraUrl({ host: 'login.microsoftonline.com.evil.example' }));
  assert.equal(r.verdict, 'block');
  assert.equal(r.authority.kind, 'unknown');
  assert.ok(codes(r).includes('AUTHORITY_UNKNOWN_HOST'));
  const look = r.findings.find((f) => f.code === 'AUTHORITY_LOOKALIKE');
  assert.equal(look.severity, 'block');
  assert.match(look.message, /login\.microsoftonline\.com\.evil\.example/);
});

test('expectations: another client or redirect is blocked; trusted hosts and the loud dev flag', () => {
  const r = m.checkAuthorizationRequest(entraUrl(), { clientId: 'other', redirectUri: 'https://app.example/other' });
  assert.equal(r.verdict, 'block');
  assert.ok(codes(r).includes('CLIENT_ID_MISMATCH') && codes(r).includes('REDIRECT_URI_MISMATCH'));

  const generic = `https://accounts.example.com/authorize?client_id=a&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=openid&state=s&code_challenge=${CHALLENGE}&code_challenge_method=S256`;
  assert.equal(m.checkAuthorizationRequest(generic).verdict, 'block');
  const trusted = m.checkAuthorizationRequest(generic, { trustedAuthorityHosts: ['accounts.example.com'] });
  assert.equal(trusted.verdict, 'ok', JSON.stringify(trusted.findings));
  assert.equal(trusted.authority.kind, 'trusted');

  const local = generic.replace('https://accounts.example.com', 'http://127.0.0.1:4000');
  assert.equal(m.checkAuthorizationRequest(local).verdict, 'block');
  const dev = m.checkAuthorizationRequest(local, { dangerouslyAllowHttpLoopbackAuthority: true });
  assert.equal(dev.verdict, 'warn');
  assert.ok(codes(dev).includes('AUTHORITY_DEV_LOOPBACK'));
});

test('request parameters: implicit, no PKCE, secrets in the URL, duplicates are blocked', () => {
  const cases = [
    [entraUrl({ response_type: 'token' }), 'RESPONSE_TYPE_NOT_CODE'],
    [entraUrl({ code_challenge_method: 'plain' }), 'PKCE_NOT_S256'],
    [entraUrl({ client_secret: 'x' }), 'SECRET_IN_URL'],
    [`${entraUrl()}&state=again`, 'PARAM_DUPLICATED'],
    [entraUrl({ scopes: ['openid', 'vso.code'] }), 'ENTRA_SCOPE_NOT_PREFIXED'],
  ];
  for (const [url, code] of cases) {
    const r = m.checkAuthorizationRequest(url);
    assert.ok(codes(r).includes(code), `${code}: ${codes(r)}`);
    assert.notEqual(r.verdict, 'ok');
    assert.ok(r.findings.every((f) => typeof f.message === 'string' && f.message.length > 0 && ['info', 'warn', 'block'].includes(f.severity)));
  }
});

test('a request object (request / request_uri) is blocked unless allowRequestObject says it is expected', () => {
  const exp = { clientId: CLIENT, redirectUri: REDIRECT };
  for (const extra of [{ request: 'eyJhbGciOiJub25lIn0.e30.' }, { request_uri: 'https://evil.example/req/1' }]) {
    const r = m.checkAuthorizationRequest(entraUrl(extra), exp);
    assert.equal(r.verdict, 'block', JSON.stringify(r.findings));
    const f = r.findings.find((x) => x.code === 'REQUEST_OBJECT');
    assert.equal(f.severity, 'block');
    assert.match(f.message, new RegExp(Object.keys(extra)[0]));
    const allowed = m.checkAuthorizationRequest(entraUrl(extra), { ...exp, allowRequestObject: true });
    assert.equal(allowed.verdict, 'ok', JSON.stringify(allowed.findings));
    assert.equal(allowed.findings.find((x) => x.code === 'REQUEST_OBJECT').severity, 'info');
  }
  assert.throws(() => m.checkAuthorizationRequest(entraUrl(), { allowRequestObject: 'yes' }), isTyped('OAUTH_INVALID_OPTION'));
});

test('any string gives a report; only malformed expectations throw, with a typed error', () => {
  for (const url of ['', 'x', 'javascript:alert(1)', 'https://', 'https://login.microsoftonline.com', 'https://lоgin.microsoftonline.com/x?a=b',
    `https://login.microsoftonline.com/o/oauth2/v2.0/authorize?${'a=1&'.repeat(5000)}`, `https://h/?${'%'.repeat(100_000)}`, '\u0000'.repeat(10)]) {
    const r = m.checkAuthorizationRequest(url);
    assert.equal(r.verdict, 'block', url.slice(0, 40));
    assert.ok(r.findings.length > 0);
  }
  assert.equal(m.checkAuthorizationRequest('not a url').authority, null);
  for (const bad of [undefined, null, 5, {}, ['https://x']]) {
    assert.throws(() => m.checkAuthorizationRequest(bad), isTyped('OAUTH_INVALID_OPTION'));
  }
  for (const bad of [5, 'x', { clientId: 5 }, { trustedAuthorityHosts: 'a' }, { trustedAuthorityHosts: [1] }, { dangerouslyAllowHttpLoopbackAuthority: 'yes' }]) {
    assert.throws(() => m.checkAuthorizationRequest(entraUrl(), bad), isTyped('OAUTH_INVALID_OPTION'), JSON.stringify(bad));
  }
  assert.throws(() => glue.checkAuthorizationRequest(entraUrl(), 7), (e) => e.code === 'OAUTH_INVALID_OPTION');
  assert.equal(m.checkAuthorizationRequest(entraUrl(), null).verdict, 'ok');
});

test('legacy Azure DevOps OAuth: the authorize URL (response_type=Assertion)', () => {
  const url = m.legacyAuthorizationUrl({ clientId: CLIENT, redirectUri: REDIRECT, scopes: ['vso.code', 'vso.work_write'], state: 'st' });
  const u = new URL(url);
  assert.equal(`${u.origin}${u.pathname}`, 'https://app.vssps.visualstudio.com/oauth2/authorize');
  assert.deepEqual([...u.searchParams], [
    ['client_id', CLIENT], ['response_type', 'Assertion'], ['state', 'st'], ['scope', 'vso.code vso.work_write'], ['redirect_uri', REDIRECT],
  ]);
  assert.ok(!/secret/i.test(url));
  // The consent check recognises it for what it is.
  const r = m.checkAuthorizationRequest(url);
  assert.equal(r.authority.kind, 'legacy-azure-devops');
  assert.ok(codes(r).includes('LEGACY_ADO_OAUTH'));

  const good = { clientId: CLIENT, redirectUri: REDIRECT, scopes: ['vso.code'], state: 'st' };
  const cases = [
    [{ ...good, redirectUri: 'http://app.example/cb' }, 'OAUTH_INSECURE_URL'],
    [{ ...good, clientId: 'not-a-guid' }, 'OAUTH_INVALID_OPTION'],
    [{ ...good, state: '' }, 'OAUTH_MISSING_OPTION'],
    [{ ...good, state: undefined }, 'OAUTH_MISSING_OPTION'],
    [{ ...good, scopes: undefined }, 'OAUTH_MISSING_OPTION'],
    [{ ...good, scopes: [`${ID}/vso.code`] }, 'OAUTH_INVALID_SCOPE'],
    [{ ...good, scopes: ['vso.chat_write'] }, 'OAUTH_INVALID_SCOPE'],
    [{ ...good, scopes: [] }, 'OAUTH_INVALID_SCOPE'],
    [{ ...good, scopes: 'vso.code' }, 'OAUTH_INVALID_OPTION'],
    [{ ...good, clientId: 5 }, 'OAUTH_INVALID_OPTION'],
    [{ ...good, clientSecret: 'x', client_secret: 'x' }, null],
  ];
  for (const [request, code] of cases) {
    if (code === null) {
      assert.ok(!m.legacyAuthorizationUrl(request).includes('secret'), 'a secret given is never sent');
      continue;
    }
    assert.throws(() => m.legacyAuthorizationUrl(request), isTyped(code), JSON.stringify(request));
  }
  for (const bad of [undefined, null, 5, 'x']) {
    assert.throws(() => m.legacyAuthorizationUrl(bad), (e) => e instanceof m.BrowserOAuthError);
  }
});

test('legacy Azure DevOps OAuth: the callback gives the code only after every check', () => {
  const check = (url) => m.validateLegacyCallback(url, 'st', REDIRECT);
  assert.equal(check(`${REDIRECT}?code=abc&state=st`), 'abc');
  const cases = [
    [`${REDIRECT}?code=abc&state=other`, 'OAUTH_STATE_MISMATCH'],
    [`${REDIRECT}?code=abc`, 'OAUTH_STATE_MISSING'],
    [`${REDIRECT}?state=st`, 'OAUTH_CODE_MISSING'],
    [`${REDIRECT}?code=a&code=b&state=st`, 'OAUTH_DUPLICATE_PARAMETER'],
    [`https://app.example/elsewhere?code=abc&state=st`, 'OAUTH_REDIRECT_URI_MISMATCH'],
    [REDIRECT, 'OAUTH_NO_AUTHORIZATION_RESPONSE'],
    ['not a url', 'OAUTH_INVALID_URL'],
  ];
  for (const [url, code] of cases) assert.throws(() => check(url), isTyped(code), url);
  assert.throws(
    () => check(`${REDIRECT}?error=access_denied&error_description=User+denied&state=st`),
    (e) => e instanceof m.OAuthServerError && e.error === 'access_denied' && e.errorDescription === 'User denied',
  );
  assert.throws(() => m.validateLegacyCallback(`${REDIRECT}?code=abc&state=st`, '', REDIRECT), isTyped('OAUTH_MISSING_OPTION'));
  for (const bad of [undefined, null, 5, {}]) {
    assert.throws(() => m.validateLegacyCallback(bad, 'st', REDIRECT), isTyped('OAUTH_INVALID_OPTION'));
    assert.throws(() => m.validateLegacyCallback(`${REDIRECT}?code=abc&state=st`, bad, REDIRECT), isTyped('OAUTH_INVALID_OPTION'));
    assert.throws(() => m.validateLegacyCallback(`${REDIRECT}?code=abc&state=st`, 'st', bad), isTyped('OAUTH_INVALID_OPTION'));
  }
  assert.equal(check(`${REDIRECT}?code=abc&state=st`), 'abc', 'still alive after garbage');
});
