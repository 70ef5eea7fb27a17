// End to end: DPoP-bound tokens (RFC 9449, `dpop: true`) in headless Chromium against oidc-provider
// on loopback, with a resource stand-in (www/dev/dpop-resource.mjs) that verifies every proof and
// asks oidc-provider which key each access token is bound to. The app page is www/dev/blank.html
// with the package imported, signing in by redirect. One static server and browser for the file;
// each test has its own provider, resource and browser context.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startProvider } from '../../www/dev/provider.mjs';
import { startStaticServer } from '../../www/dev/server.mjs';
import { startDpopResource, thumbprint } from '../../www/dev/dpop-resource.mjs';
import { launchChromium, submitLogin, submitConsent } from '../../www/dev/browser.mjs';
import { ROOT, STEP_TIMEOUT, CLIENT_ID, assertPackageBuilt } from './harness.mjs';

const OPTS = { timeout: 120_000 };
const SCOPES = ['openid', 'profile', 'offline_access'];

let app;
let browser;
let redirectUri;

before(async () => {
  assertPackageBuilt();
  app = await startStaticServer({ root: ROOT });
  redirectUri = `${app.origin}/www/dev/blank.html`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await app?.close();
});

/** A provider (`dpop` as for startProvider), the resource stand-in and a browser context. */
async function world(t, { dpop, storage = 'local' } = {}) {
  const provider = await startProvider({ clients: [{ client_id: CLIENT_ID, redirect_uris: [redirectUri] }], dpop });
  t.after(() => provider.close());
  const resource = await startDpopResource({
    allowOrigin: app.origin,
    lookup: async (token) => {
      const at = await provider.provider.AccessToken.find(token);
      return at ? { jkt: at.jkt, sub: at.accountId } : null;
    },
  });
  t.after(() => resource.close());
  // The page's CSP lets it reach the provider and the resource.
  app.setDemoConfig({ issuer: provider.issuer, resourceOrigins: [resource.origin] });
  const context = await browser.newContext();
  t.after(() => context.close());
  context.setDefaultTimeout(STEP_TIMEOUT);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT);
  const problems = [];
  context.on('weberror', (e) => problems.push(e.error().message));
  // What the browser sent: the authorization requests, and the token requests with their proofs.
  const authorizations = [];
  const tokenRequests = [];
  context.on('request', (r) => {
    if (r.url().startsWith(`${provider.issuer}/auth?`)) authorizations.push(new URL(r.url()));
    if (r.method() === 'POST' && r.url() === `${provider.issuer}/token`) tokenRequests.push(r.headers().dpop);
  });
  const config = {
    issuer: provider.issuer, clientId: CLIENT_ID, redirectUri, allowHttpLoopback: true, scopes: SCOPES,
    storage, dpop: true, resourceOrigins: [resource.origin],
  };
  const page = await context.newPage();
  return { provider, resource, context, page, problems, authorizations, tokenRequests, config };
}

/** Opens the app page (`url`, by default the redirect URI) with a client made from `config`:
 * `{ ok }`, or `{ error: { code, message } }` when createClient rejects. */
async function openApp(page, config, url = redirectUri) {
  await page.goto(url);
  return page.evaluate(async (cfg) => {
    const m = await import('/js/index.js');
    try {
      window.client = await m.createClient(cfg);
      return { ok: true };
    } catch (e) {
      return { error: { code: e.code, message: e.message } };
    }
  }, config);
}

/** Runs `client[method](...args)` in the page: `{ value }` or `{ error }`. */
const call = (page, method, ...args) => page.evaluate(async ([name, a]) => {
  try {
    const value = await window.client[name](...a);
    return { value: value && typeof value === 'object' ? JSON.parse(JSON.stringify(value)) : value };
  } catch (e) {
    return { error: { code: e.code, message: e.message } };
  }
}, [method, args]);

/** `client.fetch(url)` in the page: `{ status, body }` or `{ error }`. */
const clientFetch = (page, url) => page.evaluate(async (u) => {
  try {
    const r = await window.client.fetch(u);
    return { status: r.status, body: await r.text() };
  } catch (e) {
    return { error: { code: e.code, message: e.message } };
  }
}, url);

/** Signs in by redirect (with consent, for the refresh token) and handles the response: the
 * sign-in result as the page got it. */
async function signIn(w) {
  const { page, provider, config } = w;
  assert.deepEqual(await openApp(page, config), { ok: true });
  await Promise.all([
    page.waitForURL((u) => u.origin === provider.issuer),
    page.evaluate(() => { window.client.signIn({ prompt: 'consent' }); }),
  ]);
  // Login when the provider has no session yet, then consent.
  const back = (u) => u.href.startsWith(redirectUri) && u.searchParams.has('code');
  for (let step = 0; step < 3 && !back(new URL(page.url())); step += 1) {
    await page.waitForURL((u) => back(u) || (u.origin === provider.issuer && u.pathname.startsWith('/interaction/')));
    if (back(new URL(page.url()))) break;
    const prompt = await page.locator('input[name="prompt"]').first().getAttribute('value');
    const before = page.url();
    if (prompt === 'login') await submitLogin(page, { issuer: provider.issuer });
    else await submitConsent(page, { issuer: provider.issuer });
    await page.waitForURL((u) => u.href !== before);
  }
  await page.waitForURL(back);
  assert.deepEqual(await openApp(page, config, page.url()), { ok: true });
  const done = await call(page, 'handleRedirect');
  assert.equal(done.error, undefined, JSON.stringify(done.error));
  return done.value;
}

/** The DPoP key record this client keeps in IndexedDB (js/platform/dpop-keys.js; `null` when
 * there is none). */
const storedKey = (page, issuer) => page.evaluate((name) => new Promise((resolve, reject) => {
  const open = indexedDB.open('browser-oauth-dpop');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains('keys')) { db.close(); resolve(null); return; }
    const get = db.transaction('keys').objectStore('keys').get(name);
    get.onsuccess = () => {
      db.close();
      const r = get.result;
      resolve(r ? { jwk: r.jwk, extractable: r.privateKey.extractable, algorithm: r.privateKey.algorithm.name, type: r.privateKey.type } : null);
    };
    get.onerror = () => reject(get.error);
  };
}), `dpop:browser-oauth:session:${CLIENT_ID}@${issuer}`);

/** The JWK in a proof's header. */
const proofKey = (proof) => JSON.parse(Buffer.from(proof.split('.')[0], 'base64url').toString()).jwk;

/** Forgets the cached access tokens (no revocation), so that the next getToken refreshes. */
async function refresh(page) {
  assert.deepEqual(await call(page, 'forgetTokens', undefined, { revoke: false }), { value: 1 });
  const token = await call(page, 'getToken');
  assert.equal(token.error, undefined, JSON.stringify(token.error));
  assert.equal(token.value.refreshed, true);
  return token.value;
}

test('dpop sign-in binds the tokens to a non-extractable key; refresh and client.fetch carry proofs the resource verifies', OPTS, async (t) => {
  const w = await world(t);
  const { page, provider, resource } = w;
  const result = await signIn(w);

  // The key: in IndexedDB (persistent session), private half not extractable.
  const key = await storedKey(page, provider.issuer);
  assert.equal(key.extractable, false);
  assert.equal(key.algorithm, 'ECDSA');
  assert.equal(key.type, 'private');
  const jkt = thumbprint(key.jwk);

  // dpop_jkt in the authorization request; a proof with that key on the code exchange.
  assert.equal(w.authorizations.length, 1);
  assert.equal(w.authorizations[0].searchParams.get('dpop_jkt'), jkt);
  assert.equal(w.tokenRequests.length, 1);
  assert.equal(thumbprint(proofKey(w.tokenRequests[0])), jkt);
  assert.equal(provider.tokenLog.at(-1).status, 200);

  // The token is DPoP, and the provider bound it to that key.
  assert.equal(result.tokenType, 'dpop');
  const at = await provider.provider.AccessToken.find(result.accessToken);
  assert.equal(at.jkt, jkt);

  // client.fetch: `Authorization: DPoP` and a proof with `ath`, verified by the resource.
  const me = await clientFetch(page, `${resource.origin}/api/me`);
  assert.equal(me.status, 200, JSON.stringify(me));
  assert.deepEqual(JSON.parse(me.body), { sub: 'alice', jkt });

  // Refresh: a proof on the refresh request; the new token is DPoP-bound to the same key.
  const refreshed = await refresh(page);
  assert.equal(w.tokenRequests.length, 2);
  assert.equal(thumbprint(proofKey(w.tokenRequests[1])), jkt);
  assert.deepEqual(provider.tokenLog.map((e) => [e.grantType, e.status]), [['authorization_code', 200], ['refresh_token', 200]]);
  assert.equal(refreshed.tokenType, 'dpop');
  assert.notEqual(refreshed.accessToken, result.accessToken);
  assert.equal((await provider.provider.AccessToken.find(refreshed.accessToken)).jkt, jkt);
  const again = await clientFetch(page, `${resource.origin}/api/me`);
  assert.equal(again.status, 200, JSON.stringify(again));
  assert.deepEqual(w.problems, []);
});

test('the resource refuses the same access token as Bearer, without a proof, with a replayed proof or one for another URL', OPTS, async (t) => {
  const w = await world(t);
  const { page, resource } = w;
  const { accessToken } = await signIn(w);
  const me = `${resource.origin}/api/me`;

  // A proof the page made for /api/me, captured before it reached the resource.
  let captured;
  await page.route(me, async (route) => {
    captured = route.request().headers().dpop;
    await route.abort();
  });
  assert.equal((await clientFetch(page, me)).error?.code ?? 'network', 'network');
  await page.unroute(me);
  assert.ok(captured);

  const get = (url, headers) => fetch(url, { headers }).then(async (r) => [r.status, r.headers.get('www-authenticate')]);
  // Bearer, and DPoP without a proof: refused.
  assert.equal((await get(me, { authorization: `Bearer ${accessToken}` }))[0], 401);
  assert.equal((await get(me, { authorization: `DPoP ${accessToken}` }))[0], 401);
  // The captured proof for another URL: refused (htu); for its own URL it is good once (the
  // positive control), then refused as a replay (jti).
  assert.equal((await get(`${resource.origin}/api/other`, { authorization: `DPoP ${accessToken}`, dpop: captured }))[0], 401);
  assert.equal((await get(me, { authorization: `DPoP ${accessToken}`, dpop: captured }))[0], 200);
  assert.equal((await get(me, { authorization: `DPoP ${accessToken}`, dpop: captured }))[0], 401);
  assert.deepEqual(resource.log.map((e) => e.reason ?? e.status), ['no DPoP authorization', 'not exactly one DPoP header', 'htu', 200, 'jti replayed']);
  // A proof of another key (made here in node) for the right URL and token: refused, the token
  // is bound to the page's key.
  const { generateKeyPairSync, sign, createHash, randomUUID } = await import('node:crypto');
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${enc({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty, crv, x, y } })}.${enc({
    jti: randomUUID(), htm: 'GET', htu: me, iat: Math.floor(Date.now() / 1000), ath: createHash('sha256').update(accessToken).digest('base64url'),
  })}`;
  const foreign = `${input}.${sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
  assert.equal((await get(me, { authorization: `DPoP ${accessToken}`, dpop: foreign }))[0], 401);
  assert.equal(resource.log.at(-1).reason, 'token not bound to this key');
  // The page itself still gets through.
  assert.equal((await clientFetch(page, me)).status, 200);
});

test('a server nonce is fetched and used: one retry at the token endpoint, one at the resource', OPTS, async (t) => {
  const nonce = { required: true };
  const w = await world(t, { dpop: { nonce } });
  const { page, provider, resource } = w;
  const result = await signIn(w);
  assert.equal(result.tokenType, 'dpop');
  // The code exchange: refused once with use_dpop_nonce, then accepted with the nonce.
  assert.deepEqual(provider.tokenLog.map((e) => [e.grantType, e.status, e.error]), [
    ['authorization_code', 400, 'use_dpop_nonce'], ['authorization_code', 200, undefined],
  ]);
  const nonceOf = (proof) => JSON.parse(Buffer.from(proof.split('.')[1], 'base64url').toString()).nonce;
  assert.equal(nonceOf(w.tokenRequests[0]), undefined);
  assert.ok(nonceOf(w.tokenRequests[1]));

  // The refresh on the same page already has the provider's nonce: no retry.
  await refresh(page);
  assert.deepEqual(provider.tokenLog.slice(2).map((e) => [e.grantType, e.status]), [['refresh_token', 200]]);

  // The resource demands its own nonce: a 401 use_dpop_nonce, then the retry with it succeeds.
  resource.requireNonce(true);
  const me = await clientFetch(page, `${resource.origin}/api/me`);
  assert.equal(me.status, 200, JSON.stringify(me));
  assert.deepEqual(resource.log.map((e) => e.error ?? e.status), ['use_dpop_nonce', 200]);
  // Kept for that origin: the next request needs no retry.
  assert.equal((await clientFetch(page, `${resource.origin}/api/me`)).status, 200);
  assert.deepEqual(resource.log.map((e) => e.error ?? e.status), ['use_dpop_nonce', 200, 200]);
  assert.deepEqual(w.problems, []);
});

test('the key survives a reload with persistent storage and is deleted at sign-out', OPTS, async (t) => {
  const w = await world(t);
  const { page, provider, resource } = w;
  await signIn(w);
  const before = thumbprint((await storedKey(page, provider.issuer)).jwk);

  // A reload: a signed-in page, the same key, and a refresh still works (the refresh token is
  // bound to that key).
  assert.deepEqual(await openApp(page, w.config), { ok: true });
  assert.equal(thumbprint((await storedKey(page, provider.issuer)).jwk), before);
  const refreshed = await refresh(page);
  assert.equal(thumbprint(proofKey(w.tokenRequests.at(-1))), before);
  assert.equal((await provider.provider.AccessToken.find(refreshed.accessToken)).jkt, before);
  assert.equal((await clientFetch(page, `${resource.origin}/api/me`)).status, 200);

  // Sign-out drops the key, and revokes the DPoP-bound refresh token at the provider (RFC 7009
  // asks no proof of a public client, and oidc-provider destroys it).
  provider.resetRevocationLog();
  assert.equal((await call(page, 'signOut', { navigate: false })).error, undefined);
  assert.equal(await storedKey(page, provider.issuer), null);
  assert.ok(provider.revocationLog.some((e) => e.status === 200 && e.revoked === 'RefreshToken'), JSON.stringify(provider.revocationLog));

  // The next sign-in binds its tokens to a new key.
  const next = await signIn(w);
  const after = thumbprint((await storedKey(page, provider.issuer)).jwk);
  assert.notEqual(after, before);
  assert.equal((await provider.provider.AccessToken.find(next.accessToken)).jkt, after);
  assert.equal(w.authorizations.at(-1).searchParams.get('dpop_jkt'), after);
});

test('memory storage: the key stays in the page, no dpop_jkt across the redirect, the token still bound', OPTS, async (t) => {
  const w = await world(t, { storage: 'memory' });
  const { page, provider, resource } = w;
  const result = await signIn(w);
  assert.equal(w.authorizations[0].searchParams.has('dpop_jkt'), false);
  assert.equal(await storedKey(page, provider.issuer), null);
  assert.equal(result.tokenType, 'dpop');
  const jkt = thumbprint(proofKey(w.tokenRequests[0]));
  assert.equal((await provider.provider.AccessToken.find(result.accessToken)).jkt, jkt);
  assert.equal((await clientFetch(page, `${resource.origin}/api/me`)).status, 200);
});

test('a provider without dpop is a configuration error, not a silent downgrade', OPTS, async (t) => {
  const w = await world(t, { dpop: false });
  const opened = await openApp(w.page, w.config);
  assert.equal(opened.error?.code, 'OAUTH_DPOP_UNSUPPORTED', JSON.stringify(opened));
  // Explicit endpoints (no discovery document to show DPoP support) are refused the same way.
  const explicit = await openApp(w.page, { ...w.config, authorizationEndpoint: `${w.provider.issuer}/auth`, tokenEndpoint: `${w.provider.issuer}/token` });
  assert.equal(explicit.error?.code, 'OAUTH_DPOP_UNSUPPORTED');
  // A non-boolean option is refused before anything loads.
  const bad = await openApp(w.page, { ...w.config, dpop: 'yes' });
  assert.equal(bad.error?.code, 'OAUTH_INVALID_OPTION');
});
