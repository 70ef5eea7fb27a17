// The session through the public client (`createClient` from js/index.js) in headless Chromium,
// against a provider stubbed by Playwright routing at https://op.example: the cached token and
// the purge of an edited entry, sign-out and pending sign-ins, the lagging localStorage copy at
// forgetTokens and signOut, and the signature check of a refreshed ID token. Ported from the
// session tests of tests/browser_session.rs (its store and lock tests are in
// tests/e2e/store.test.mjs). Entries are written with the library's own store, sealed as the
// client seals them, so what refuses an edited entry here is the core's check of its content.
//
// Related tests against the real provider (oidc-provider) in tests/e2e/session.test.mjs, which
// do not cover these cases in full: "a tampered stored session is purged …" (entries written as
// page script would, refused by the seal before the core sees them), "sign-out in one tab signs
// out the other …" (no pending sign-ins, no lagging copy), "refresh with rotation …" (a correct
// ID token only).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';

import { OP, OPTS, SESSION_KEY, discovery, fresh, now, storedAccount, useStubStack } from './stub-harness.mjs';

useStubStack();

const WELL_KNOWN = '/.well-known/openid-configuration';

/** The client of the Rust fixtures (tests/support/mod.rs): `app` at the stub, explicit endpoints. */
const explicit = (storage) => ({
  issuer: OP,
  authorizationEndpoint: `${OP}/a`,
  tokenEndpoint: `${OP}/t`,
  clientId: 'app',
  redirectUri: 'https://app.example/cb',
  scopes: ['api'],
  storage,
});

/** The same client with its endpoints from the stub's discovery document. */
const discovered = (storage) => ({ issuer: OP, clientId: 'app', redirectUri: 'https://app.example/cb', scopes: ['api'], storage });

/** Puts `client` (made from `cfg`) and `store` (the same storage) on the page's window. */
function makeClient(page, cfg) {
  return page.evaluate(async (config) => {
    window.store = S.storeFromOptions(config);
    window.client = await O.createClient(config);
    window.events = [];
    for (const type of ['storagepurged', 'refreshed', 'signedout']) client.addEventListener(type, (e) => events.push({ type, ...e.detail }));
    // The account module, loaded now: the calls below must not wait for it (see the lag tests).
    await loader.load('account');
  }, cfg);
}

/**
 * This tab's localStorage copy of the session shows `stale` (sealed as the library seals), while
 * the latest write, of `latest` through the library, arrives 150 ms later: another tab rotated
 * the refresh token, and this renderer has not seen it yet.
 */
function lagBehind(page, latest, stale) {
  return page.evaluate(async ([KEY, newer, older]) => {
    await store.set(KEY, newer);
    const written = localStorage.getItem(KEY);
    localStorage.setItem(KEY, await E.seal(KEY, older));
    setTimeout(() => localStorage.setItem(KEY, written), 150);
  }, [SESSION_KEY, latest, stale]);
}

/** The stored session, opened with the library's store, parsed (`null` when none). */
const storedSession = (page) => page.evaluate(async (KEY) => JSON.parse(await store.getLatest(KEY)), SESSION_KEY);

test('a cached token is served and a tampered entry is purged', OPTS, async (t) => {
  const { page, op, problems } = await fresh(t);
  await makeClient(page, explicit('local'));
  const at = now();
  const r = await page.evaluate(async ([KEY, good, edited]) => {
    await store.set(KEY, good);
    const served = await settle(() => client.getToken(['api']));
    const cached = await settle(() => client.getToken(['api']));
    const other = await settle(() => client.getToken(['other']));
    await store.set(KEY, edited);
    const tampered = await settle(() => client.getToken(['api']));
    const left = localStorage.getItem(KEY);
    return { served, cached, other, tampered, left, after: await settle(() => client.getToken(['api'])), events };
  }, [SESSION_KEY, storedAccount({ at }), storedAccount({ at }).replace('"client_id":"app"', '"client_id":"evil"')]);
  assert.deepEqual(r.served.value, { accessToken: 'at-1', tokenType: 'bearer', scopes: ['api'], expiresAt: at + 3600, refreshed: false });
  assert.deepEqual(r.cached, r.served);
  assert.equal(r.other.code, 'OAUTH_SCOPE_NOT_GRANTED');
  // The core refused the entry (well sealed, bound to another client): removed, and the app is
  // told to sign in again.
  assert.equal(r.tampered.code, 'OAUTH_INTERACTION_REQUIRED');
  assert.deepEqual(r.tampered.cause, { code: 'OAUTH_STORED_ENTRY_INVALID', message: 'a stored session entry was invalid and removed: bound to another issuer or client' });
  assert.deepEqual(r.events, [{ type: 'storagepurged', ...r.tampered.cause }]);
  assert.equal(r.left, null, 'purged');
  assert.equal(r.after.code, 'OAUTH_INTERACTION_REQUIRED');
  assert.equal(r.after.reason, 'not signed in');
  assert.deepEqual(op.log, [], 'nothing fetched');
  assert.deepEqual(problems, []);
});

test('sign out forgets the session and pending sign-ins', OPTS, async (t) => {
  const { page, op } = await fresh(t);
  await makeClient(page, explicit('session'));
  const r = await page.evaluate(async ([KEY, good, config]) => {
    await store.set(KEY, good);
    // A pending sign-in of another client of the origin, one of this client, and an entry that
    // is nobody's: only this client's goes.
    const other = await O.createClient({ ...config, clientId: 'other-app' });
    const otherState = new URL(await other.authorizationUrl()).searchParams.get('state');
    const state = new URL(await client.authorizationUrl({ scopes: ['api'] })).searchParams.get('state');
    sessionStorage.setItem('browser-oauth:tx:someone-else', '{"v":1,"issuer":"https://x.example"}');
    const before = S.txKeys().sort();
    const url = await settle(() => client.signOut({ navigate: false }));
    return { otherState, state, before, url, account: await settle(() => client.account()), entry: sessionStorage.getItem(KEY), left: S.txKeys().sort(), events };
  }, [SESSION_KEY, storedAccount(), explicit('session')]);
  assert.equal(r.before.length, 3);
  assert.ok(r.before.includes(`browser-oauth:tx:${r.state}`));
  assert.deepEqual(r.url, { value: null }, 'no end_session_endpoint: local sign-out only');
  assert.deepEqual(r.account, { value: null });
  assert.equal(r.entry, null);
  assert.deepEqual(r.left, [`browser-oauth:tx:${r.otherState}`, 'browser-oauth:tx:someone-else'].sort());
  assert.deepEqual(r.events, [{ type: 'signedout', otherTab: false }]);
  assert.deepEqual(op.log, [], 'no revocation endpoint: nothing sent');
});

test('forgetting tokens never writes back a refresh token another tab replaced', OPTS, async (t) => {
  const { page, op } = await fresh(t);
  await makeClient(page, explicit('local'));
  const at = now();
  await lagBehind(page, storedAccount({ at, refreshToken: 'rt-2' }), storedAccount({ at, refreshToken: 'rt-1' }));
  const count = await page.evaluate(() => client.forgetTokens(undefined, { revoke: false }));
  assert.equal(count, 1);
  const kept = await storedSession(page);
  assert.equal(kept.refresh_token, 'rt-2', 'the rotated token survives');
  assert.deepEqual(kept.tokens, []);
  assert.deepEqual(op.log, []);
});

// Checklist item 38 at forgetTokens, as Session::forget_tokens removed it (its load_latest
// validated the entry like every other read): an entry the core refuses is gone, not kept.
test('forgetting tokens removes an entry the core refuses', OPTS, async (t) => {
  const { page, op } = await fresh(t);
  await makeClient(page, explicit('local'));
  const r = await page.evaluate(async ([KEY, edited]) => {
    await store.set(KEY, edited);
    const refused = await settle(() => client.forgetTokens(undefined, { revoke: false }));
    return { refused, left: localStorage.getItem(KEY), after: await settle(() => client.getToken(['api'])) };
  }, [SESSION_KEY, storedAccount().replace('"client_id":"app"', '"client_id":"evil"')]);
  assert.deepEqual(r.refused, { code: 'OAUTH_STORED_ENTRY_INVALID', message: 'a stored session entry was invalid and removed: bound to another issuer or client', name: 'BrowserOAuthError' });
  assert.equal(r.left, null, 'removed, as the error says');
  assert.equal(r.after.reason, 'not signed in');
  assert.deepEqual(op.log, []);
});

test('sign out revokes the refresh token another tab rotated to', OPTS, async (t) => {
  const { page, op } = await fresh(t, {
    routes: {
      [WELL_KNOWN]: discovery({ revocation_endpoint: `${OP}/revoke` }),
      '/revoke': () => ({ status: 200, body: '' }),
    },
  });
  await makeClient(page, discovered('local'));
  const at = now();
  await lagBehind(page, storedAccount({ at, refreshToken: 'rt-2', tokens: [] }), storedAccount({ at, refreshToken: 'rt-1', tokens: [] }));
  assert.deepEqual(await page.evaluate(() => settle(() => client.signOut({ navigate: false }))), { value: null });
  // The revocation requests, as the provider saw them.
  const revoked = op.log.filter((e) => e.path === '/revoke').map((e) => e.body);
  assert.equal(revoked.length, 1, revoked.join('\n'));
  assert.ok(revoked[0].includes('token=rt-2'), revoked[0]);
  assert.ok(!revoked.some((body) => body.includes('token=rt-1')), revoked.join('\n'));
  assert.equal(await storedSession(page), null);
});

// ---- a refreshed ID token is signature-checked like the first (issue 8 finding 5) -------------

/**
 * A stub provider for refreshes: discovery with a JWKS (one fresh RSA key, or `jwk(key)` in its
 * place) and a token endpoint whose ID token (sub alice, name Mallory) is signed with that key,
 * its signature garbled while `provider.bad` is true.
 */
function refreshingProvider({ jwk = (key) => key } = {}) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const b64 = (data) => Buffer.from(data).toString('base64url');
  const provider = { bad: true };
  provider.routes = {
    [WELL_KNOWN]: discovery({ jwks_uri: `${OP}/jwks` }),
    '/jwks': () => ({ json: { keys: [jwk({ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' })] } }),
    '/token': () => {
      const at = now();
      const input = `${b64(JSON.stringify({ alg: 'RS256', kid: 'k1' }))}.${b64(JSON.stringify({ iss: OP, aud: 'app', sub: 'alice', name: 'Mallory', iat: at, exp: at + 600 }))}`;
      const signature = sign('sha256', Buffer.from(input), privateKey);
      if (provider.bad) signature[100] ^= 1;
      return { json: { access_token: 'at-refreshed', token_type: 'Bearer', expires_in: 3600, refresh_token: 'rt-new', id_token: `${input}.${b64(signature)}` } };
    },
  };
  return provider;
}

/** A signed-in session due for a refresh: refresh token `rt-old`, no cached token, no identity. */
async function dueForRefresh(page) {
  await makeClient(page, discovered('local'));
  await page.evaluate(([KEY, due]) => store.set(KEY, due), [SESSION_KEY, storedAccount({ refreshToken: 'rt-old', tokens: [] })]);
}

/** Asserts the stored session is still the one `dueForRefresh` wrote. */
async function assertUnchanged(page) {
  const kept = await storedSession(page);
  assert.equal(kept.identity, undefined, 'no name taken from the unverified token');
  assert.equal(kept.refresh_token, 'rt-old');
  assert.deepEqual(kept.tokens, []);
  assert.equal(kept.id_token, undefined);
  assert.equal((await page.evaluate(() => client.account())).name, undefined);
}

test('a refreshed id token with a bad signature is refused and the account is unchanged', OPTS, async (t) => {
  const provider = refreshingProvider();
  const { page, op, problems } = await fresh(t, { routes: provider.routes });
  await dueForRefresh(page);

  const refused = await page.evaluate(() => settle(() => client.getToken(['api'])));
  assert.deepEqual(refused, { code: 'OAUTH_INVALID_ID_TOKEN', message: 'id token is invalid: signature does not verify', name: 'BrowserOAuthError' });
  assert.deepEqual(op.log.map((e) => e.path), [WELL_KNOWN, '/token', '/jwks']);
  assert.match(op.log[1].body, /(^|&)refresh_token=rt-old(&|$)/);
  await assertUnchanged(page);

  // Control: the same refresh, correctly signed (the same key, already fetched), is applied; the
  // refresh token presented is still the one kept.
  provider.bad = false;
  const ok = await page.evaluate(() => settle(() => client.getToken(['api'])));
  assert.equal(ok.value?.accessToken, 'at-refreshed', JSON.stringify(ok));
  assert.equal(ok.value.refreshed, true);
  assert.deepEqual(op.log.slice(3).map((e) => e.path), ['/token'], 'the JWKS is not fetched again');
  assert.match(op.log[3].body, /(^|&)refresh_token=rt-old(&|$)/);
  assert.equal((await page.evaluate(() => client.account())).name, 'Mallory');
  assert.equal((await storedSession(page)).refresh_token, 'rt-new');
  assert.deepEqual(await page.evaluate(() => events.map((e) => e.type)), ['refreshed']);
  assert.deepEqual(problems, []);
});

// tests/browser_webcrypto.rs an_unimportable_key_is_a_typed_error, through the client: verify.js
// reports the key WebCrypto refused (an RSA exponent of zero), and the refresh fails typed.
test('an unimportable key is a typed error through a refresh, and the account is unchanged', OPTS, async (t) => {
  const provider = refreshingProvider({ jwk: (key) => ({ ...key, e: 'AAAA' }) });
  provider.bad = false;
  const { page, op } = await fresh(t, { routes: provider.routes });
  await dueForRefresh(page);
  const refused = await page.evaluate(() => settle(() => client.getToken(['api'])));
  assert.deepEqual(refused, { code: 'OAUTH_INVALID_ID_TOKEN', message: 'id token is invalid: the jwks key cannot be imported', name: 'BrowserOAuthError' });
  assert.deepEqual(op.log.map((e) => e.path), [WELL_KNOWN, '/token', '/jwks']);
  await assertUnchanged(page);
});
