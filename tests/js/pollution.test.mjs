// Options are the caller's own properties only. Each test pollutes `Object.prototype` (as a merge
// bug elsewhere in the page would) with one family of option names, and checks that the library
// behaves exactly as it does without the pollution: an inherited option reads as absent, in the
// wasm boundary and in the JS package alike. The pollution is removed in `finally`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { loaded, CLIENT, explicitProvider } from './helpers.mjs';

const m = await loaded();

const CONFIG = {
  issuer: 'https://op.example', authorizationEndpoint: 'https://op.example/auth', tokenEndpoint: 'https://op.example/token',
  clientId: 'app', redirectUri: 'https://app.example/cb', scopes: ['openid', 'api'],
};
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const REDIRECT = 'https://app.example/callback';

const typed = (code) => (e) => e instanceof m.BrowserOAuthError && e.code === code;
const settle = (p) => Promise.resolve().then(p).then((value) => ({ value }), (e) => ({ code: e?.code ?? String(e) }));

/** Runs `fn` with `props` on `Object.prototype` (enumerable, as an assignment leaves them), then removes them. */
async function polluted(props, fn, proto = Object.prototype) {
  const keys = Reflect.ownKeys(props);
  for (const k of keys) assert.ok(!Object.hasOwn(proto, k), `${String(k)} is already on the prototype`);
  try {
    for (const k of keys) proto[k] = props[k];
    return await fn();
  } finally {
    for (const k of keys) delete proto[k];
  }
}

/** The parameters of an authorization URL that do not change from call to call. */
function stableParams(url) {
  const q = new URL(url).searchParams;
  for (const random of ['state', 'nonce', 'code_challenge']) q.delete(random);
  return `${new URL(url).origin}${new URL(url).pathname}?${[...q].sort().map(([k, v]) => `${k}=${v}`).join('&')}`;
}

/** A discovery document on loopback that counts its requests. */
async function discoveryServer(t) {
  const seen = [];
  const server = createServer((req, res) => {
    seen.push(req.url);
    const issuer = `http://127.0.0.1:${server.address().port}`;
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    res.end(JSON.stringify({
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
    }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return { issuer: `http://127.0.0.1:${server.address().port}`, seen };
}

test('consent options: inherited trustedAuthorityHosts, loopback flag, clientId or redirectUri change no verdict', async () => {
  const generic = `https://accounts.example.com/authorize?client_id=a&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=openid&state=s&code_challenge=${CHALLENGE}&code_challenge_method=S256`;
  const local = generic.replace('https://accounts.example.com', 'http://127.0.0.1:4000');
  const cases = [[generic, {}], [local, {}], [generic, { clientId: 'a' }], [generic, Object.create(null)]];
  const before = cases.map(([url, exp]) => m.checkAuthorizationRequest(url, exp));
  assert.deepEqual(before.map((r) => r.verdict), ['block', 'block', 'block', 'block']);

  const after = await polluted({
    trustedAuthorityHosts: ['accounts.example.com', '127.0.0.1'],
    dangerouslyAllowHttpLoopbackAuthority: true,
    clientId: 'other-client',
    redirectUri: 'https://evil.example/cb',
  }, () => cases.map(([url, exp]) => m.checkAuthorizationRequest(url, exp)));
  assert.deepEqual(after, before, 'the same reports: the lookalike stays blocked');

  // A hole in the hosts array would read Array.prototype: refused, not trusted.
  const sparse = new Array(1);
  await polluted({ 0: 'accounts.example.com' }, () => {
    assert.throws(() => m.checkAuthorizationRequest(generic, { trustedAuthorityHosts: sparse }), typed('OAUTH_INVALID_OPTION'));
  }, Array.prototype);

  // Legacy Azure DevOps: inherited scopes or state do not complete a request.
  await polluted({ scopes: ['vso.code'], state: 's' }, () => {
    assert.throws(() => m.legacyAuthorizationUrl({ clientId: 'c', redirectUri: REDIRECT }), typed('OAUTH_MISSING_OPTION'));
  });
});

test('provider options: inherited endpoints do not skip discovery, inherited entra, host or loopback flag change nothing', async (t) => {
  const op = await discoveryServer(t);
  const discovered = (await m.resolveProvider({ issuer: op.issuer, allowHttpLoopback: true })).metadata;
  assert.equal(op.seen.length, 1);

  const provider = await polluted({
    authorizationEndpoint: 'https://evil.example/authorize',
    tokenEndpoint: 'https://evil.example/token',
    entra: { tenant: 'organizations' },
  }, () => m.resolveProvider({ issuer: op.issuer, allowHttpLoopback: true }));
  assert.equal(op.seen.length, 2, 'discovery ran');
  assert.deepEqual(provider.metadata, discovered);

  // The loopback exception must be asked for by the caller itself.
  const plain = await settle(() => m.resolveProvider({ issuer: op.issuer }));
  assert.equal(plain.code, 'OAUTH_INSECURE_URL');
  assert.deepEqual(await polluted({ allowHttpLoopback: true }, () => settle(() => m.resolveProvider({ issuer: op.issuer }))), plain);
  assert.equal(op.seen.length, 2, 'no request for the http issuer');

  // Entra: an inherited issuer or host is not the caller's.
  const entra = (await m.resolveProvider({ entra: { tenant: 'organizations' } })).metadata;
  const withPollution = await polluted({ issuer: 'https://evil.example', host: 'login.microsoftonline.us' },
    async () => (await m.resolveProvider({ entra: { tenant: 'organizations' } })).metadata);
  assert.deepEqual(withPollution, entra);
  await polluted({ tenant: 'organizations' }, () => assert.rejects(m.resolveProvider({ entra: {} }), typed('OAUTH_MISSING_OPTION')));
});

test('client options: an inherited resourceOrigins gets no token, inherited registration options are missing', async (t) => {
  await polluted({ resourceOrigins: ['https://evil.example'] }, async () => {
    const client = await m.createClient(CONFIG);
    t.after(() => client.close());
    await assert.rejects(client.fetch('https://evil.example/steal'), typed('OAUTH_ORIGIN_NOT_ALLOWED'));
  });

  const { clientId, redirectUri, ...unregistered } = CONFIG;
  await polluted({ clientId, redirectUri }, async () => {
    await assert.rejects(m.createClient(unregistered), typed('OAUTH_MISSING_OPTION'));
    await assert.rejects(m.createClient({ ...unregistered, clientId }), typed('OAUTH_MISSING_OPTION'));
  });

  // Inherited default scopes, response mode or clock skew leave the client as configured.
  const baseline = await m.createClient(CONFIG);
  t.after(() => baseline.close());
  const expected = stableParams(baseline.beginSignIn().url);
  const client = await polluted({ scopes: ['openid', 'evil'], responseMode: 'fragment', clockSkew: 'x' }, () => m.createClient(CONFIG));
  t.after(() => client.close());
  assert.equal(stableParams(client.beginSignIn().url), expected);

  // Sign-out and fetch options: an inherited post-logout URI is not sent anywhere.
  await polluted({ postLogoutRedirectUri: 'http://evil.example/', scopes: 'not-a-list' }, async () => {
    assert.equal(await client.signOut({ navigate: false }), null);
    await assert.rejects(client.fetch('https://app.example/api', {}, {}), typed('OAUTH_ORIGIN_NOT_ALLOWED'));
  });
});

test('sign-in options: inherited prompt, hints, max age, extra parameters or scopes are not in the request', async (t) => {
  const client = await m.createClient(CONFIG);
  t.after(() => client.close());
  const provider = await explicitProvider(m);
  const expectedPending = stableParams(client.beginSignIn({}).url);
  const expectedBuilt = stableParams(m.buildAuthorizationUrl(provider, CLIENT, {}).url);

  await polluted({
    prompt: 'none', loginHint: 'victim@example.com', domainHint: 'evil.example', maxAge: 0,
    extraParams: { resource: 'https://evil.example' }, scopes: ['openid', 'evil'],
  }, () => {
    assert.equal(stableParams(client.beginSignIn({}).url), expectedPending);
    assert.equal(stableParams(m.buildAuthorizationUrl(provider, CLIENT, {}).url), expectedBuilt);
  });

  // The low-level builder's registration: inherited values do not fill in what is missing.
  await polluted({ redirectUri: 'https://evil.example/cb', responseMode: 'fragment' }, () => {
    assert.throws(() => m.buildAuthorizationUrl(provider, { clientId: 'app' }, {}), typed('OAUTH_MISSING_OPTION'));
    assert.equal(stableParams(m.buildAuthorizationUrl(provider, CLIENT, {}).url), expectedBuilt);
  });
});

test('storage options: an inherited store, encrypt flag or adapter method is not used', async (t) => {
  const calls = [];
  const spy = { get: (k) => { calls.push(['get', k]); return null; }, set: (k) => calls.push(['set', k]), remove: (k) => calls.push(['remove', k]) };

  // Inherited `storage` would move the session to the polluter's adapter; inherited `encrypt`
  // would refuse the memory store.
  const client = await polluted({ storage: spy, encrypt: true }, async () => {
    const c = await m.createClient(CONFIG);
    assert.equal(await c.account(), null);
    return c;
  });
  t.after(() => client.close());
  assert.deepEqual(calls, [], 'the memory store was used');

  // An adapter's methods may come from its class, never from Object.prototype.
  const incomplete = { set() {}, remove() {} };
  await polluted({ get: spy.get }, async () => {
    await assert.rejects(m.createClient({ ...CONFIG, storage: incomplete }), typed('OAUTH_INVALID_OPTION'));
  });
  assert.deepEqual(calls, [], 'the inherited get was never called');

  // An inherited `storageIntegrity: 'none-unsafe'` does not turn sealing off: without IndexedDB
  // (node) a persistent adapter is still refused instead of storing unauthenticated entries.
  await polluted({ storageIntegrity: 'none-unsafe' }, async () => {
    await assert.rejects(m.createClient({ ...CONFIG, storage: spy }), typed('OAUTH_PLATFORM_UNAVAILABLE'));
  });
  assert.deepEqual(calls, [], 'the adapter was never written unsealed');

  class MapStore {
    #map = new Map();
    get(key) { return this.#map.get(key) ?? null; }
    set(key, value) { this.#map.set(key, value); }
    remove(key) { this.#map.delete(key); }
  }
  // (node has no IndexedDB, so an adapter is usable here only with sealing loudly turned off.)
  const classy = await m.createClient({ ...CONFIG, storage: new MapStore(), storageIntegrity: 'none-unsafe' });
  t.after(() => classy.close());
  assert.equal(await classy.account(), null, 'a class instance adapter works');
});

test('extension options: inherited identity, redirectUri, interactive or browser global are not used', async (t) => {
  const launched = [];
  const fakeIdentity = (base) => ({
    getRedirectURL: (path = '') => `https://${base}.chromiumapp.org/${path}`,
    launchWebAuthFlow: (details) => {
      launched.push({ base, ...details });
      const state = new URL(details.url).searchParams.get('state');
      return Promise.resolve(`https://${base}.chromiumapp.org/?error=access_denied&state=${state}`);
    },
  });
  const mine = fakeIdentity('mine');
  const { redirectUri, ...config } = CONFIG;

  // createExtensionClient: the redirect URI comes from the caller's identity, not an inherited one.
  const client = await polluted({ redirectUri: 'https://evil.example/cb', storage: 'local' }, () => m.createExtensionClient({
    ...config, identity: mine, storage: { get: () => null, set() {}, remove() {} }, storageIntegrity: 'none-unsafe',
  }));
  t.after(() => client.close());
  assert.equal(new URL(client.beginSignIn().url).searchParams.get('redirect_uri'), 'https://mine.chromiumapp.org/');

  // No identity of the caller and none in this context: nothing is launched through a polluter's.
  const evil = fakeIdentity('evil');
  await polluted({ identity: evil, browser: { identity: evil } }, async () => {
    await assert.rejects(m.signInWithWebAuthFlow(client, {}), typed('OAUTH_PLATFORM_UNAVAILABLE'));
    assert.throws(() => m.extensionRedirectUri(''), typed('OAUTH_PLATFORM_UNAVAILABLE'));
  });
  assert.deepEqual(launched, []);

  // An inherited `interactive: false` or `prompt` does not change the flow.
  await polluted({ interactive: false, prompt: 'none' }, async () => {
    await assert.rejects(m.signInWithWebAuthFlow(client, { identity: mine }), (e) => e.code === 'OAUTH_AUTHORIZATION_ERROR');
  });
  assert.equal(launched.length, 1);
  assert.equal(launched[0].interactive, true);
  assert.equal(new URL(launched[0].url).searchParams.get('prompt'), null);

  // chrome.storage.session: a key the area does not hold reads as absent.
  const area = { get: async () => ({}), set: async () => {}, remove: async () => {} };
  const store = m.chromeSessionStorage(area);
  assert.equal(await polluted({ 'browser-oauth:k': 'forged' }, () => store.get('browser-oauth:k')), null);
});
