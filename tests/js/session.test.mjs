// The session API through the package in node: memory store, no network. Every entry point
// turns garbage into a typed error, and the module keeps working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loaded } from './helpers.mjs';

const m = await loaded();
const CONFIG = {
  issuer: 'https://op.example', authorizationEndpoint: 'https://op.example/auth', tokenEndpoint: 'https://op.example/token',
  clientId: 'app', redirectUri: 'https://app.example/cb', scopes: ['openid', 'api'],
};

const typed = (code) => (e) => e instanceof m.BrowserOAuthError && e.code === code;

test('not signed in: getToken asks for interaction, account is null, sign-out is local only', async (t) => {
  const client = await m.createClient(CONFIG);
  t.after(() => client.close());
  await assert.rejects(client.getToken(), (e) => typed('OAUTH_INTERACTION_REQUIRED')(e) && e.reason === 'not signed in');
  assert.equal(await client.account(), null);
  assert.equal(await client.signOut({ navigate: false }), null, 'no end_session_endpoint: no logout URL');
  assert.equal(await client.forgetTokens(), 0);
});

test('the storage option is validated', async () => {
  for (const storage of ['disk', 42, true]) {
    await assert.rejects(m.createClient({ ...CONFIG, storage }), typed('OAUTH_INVALID_OPTION'), String(storage));
  }
  const adapter = { get: () => null, set() {}, remove() {} };
  // Node has no IndexedDB: a persistent store cannot be sealed, so it is refused at creation
  // rather than kept unauthenticated, unless the app opts out loudly (issue 8).
  await assert.rejects(m.createClient({ ...CONFIG, storage: adapter }), typed('OAUTH_PLATFORM_UNAVAILABLE'));
  await assert.rejects(m.createClient({ ...CONFIG, storage: adapter, storageIntegrity: 'none' }), typed('OAUTH_INVALID_OPTION'));
  await assert.rejects(m.createClient({ ...CONFIG, storage: adapter, storageIntegrity: 'none-unsafe', encrypt: true }), typed('OAUTH_INVALID_OPTION'));
  const client = await m.createClient({ ...CONFIG, storage: adapter, storageIntegrity: 'none-unsafe' });
  client.close();
  assert.equal(await client.account(), null);
});

test('garbage arguments are typed errors and the module keeps working', async (t) => {
  const client = await m.createClient(CONFIG);
  t.after(() => client.close());
  for (const scopes of ['api', 42, [1, 2], {}, [null]]) {
    await assert.rejects(client.getToken(scopes), typed('OAUTH_INVALID_OPTION'), JSON.stringify(scopes));
    await assert.rejects(client.forgetTokens(scopes), typed('OAUTH_INVALID_OPTION'), JSON.stringify(scopes));
  }
  await assert.rejects(client.signOut({ postLogoutRedirectUri: 'http://evil.example/', navigate: false }), typed('OAUTH_INSECURE_URL'));
  await assert.rejects(client.signOut({ postLogoutRedirectUri: 5, navigate: false }), typed('OAUTH_INVALID_OPTION'));
  await assert.rejects(client.fetch('http://['), typed('OAUTH_INVALID_URL'));
  await assert.rejects(client.fetch('https://op.example/api'), typed('OAUTH_ORIGIN_NOT_ALLOWED'));
  await assert.rejects(m.createClient({ ...CONFIG, resourceOrigins: 'https://api.example' }), typed('OAUTH_INVALID_OPTION'));
  assert.equal(m.generatePkce().codeChallengeMethod, 'S256', 'still alive');
});

test('beginSignIn keeps the transaction inside the library and completes once', async (t) => {
  const client = await m.createClient(CONFIG);
  t.after(() => client.close());
  const pending = client.beginSignIn({ prompt: 'consent' });
  const url = new URL(pending.url);
  assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
  assert.deepEqual(Object.keys(pending).sort(), ['complete', 'url'], 'no verifier, state or nonce handed to JS');
  const state = url.searchParams.get('state');
  await assert.rejects(pending.complete(`https://app.example/cb?code=c&state=forged`), typed('OAUTH_STATE_MISMATCH'));
  await assert.rejects(pending.complete(`https://app.example/cb?code=c&state=${state}`), typed('OAUTH_TRANSACTION_NOT_FOUND'), 'a pending sign-in is used once, even when it failed');
  const second = client.beginSignIn();
  await assert.rejects(second.complete(42), typed('OAUTH_INVALID_OPTION'));
  await assert.rejects(second.complete('garbage'), (e) => e instanceof m.BrowserOAuthError);
  assert.throws(() => client.beginSignIn({ scopes: 'openid' }), typed('OAUTH_INVALID_OPTION'));
});
