// The browser side of the platform layer, now in JS, in headless Chromium: fetch for the
// provider's endpoints (js/platform/http.js `send`), the address bar cleaned without a new
// history entry, and the redirect flow's transactions in sessionStorage (js/signin.js through
// the public client's authorizationUrl / handleRedirect). Ported from the wasm tests of
// tests/browser_platform.rs; requests to https://op.example are answered by Playwright routing.
//
// Not ported here:
// - session_storage_take_reads_once is covered by tests/e2e/store.test.mjs, "transaction helpers
//   read, write, list and take sessionStorage entries" (txTake reads once, txKeys lists by prefix).
// - randomness_is_fresh_and_well_formed, pkce_s256_matches_rfc7636_appendix_b,
//   sha256_matches_fips_180_2_examples and the allocator_* tests check the wasm build itself and
//   stay in Rust.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { OP, OPTS, discovery, fresh, useStubStack } from './stub-harness.mjs';

useStubStack();

const NETWORK_ERROR = { code: 'OAUTH_NETWORK_ERROR', message: 'the request failed before a response arrived', name: 'BrowserOAuthError' };

/** The client configuration of the Rust tests: explicit endpoints, redirect to `origin/cb`. */
const config = (origin, extra = {}) => ({
  issuer: OP,
  authorizationEndpoint: `${OP}/auth`,
  tokenEndpoint: `${OP}/token`,
  clientId: 'app',
  redirectUri: `${origin}/cb`,
  scopes: ['openid'],
  allowHttpLoopback: true,
  ...extra,
});

const stateOf = (url) => new URL(url).searchParams.get('state');

// ---- history ----------------------------------------------------------------------------------

// Checklist item 19: replaceState rewrites the entry without adding one. The redirect cleans the
// address bar before anything is checked, so a response with no pending sign-in shows it too.
test('replace url keeps history length', OPTS, async (t) => {
  const { page, origin, problems } = await fresh(t, { path: '/www/dev/blank.html?app=1&code=c&state=s' });
  const r = await page.evaluate(async (cfg) => {
    const before = history.length;
    const client = await O.createClient(cfg);
    const out = await settle(() => client.handleRedirect());
    return { out, search: location.search, path: location.pathname, hash: location.hash, before, after: history.length };
  }, config(origin, { redirectUri: `${origin}/www/dev/blank.html` }));
  assert.equal(r.out.code, 'OAUTH_TRANSACTION_NOT_FOUND', 'no sign-in is pending');
  assert.equal(r.search, '?app=1');
  assert.equal(r.path, '/www/dev/blank.html');
  assert.equal(r.hash, '');
  assert.equal(r.after, r.before);
  assert.deepEqual(problems, []);
});

// ---- fetch ------------------------------------------------------------------------------------

test('fetch reads status and body', OPTS, async (t) => {
  const { page, op } = await fresh(t, {
    routes: {
      '/json': { a: 1 },
      '/token': (request) => ({ status: 400, json: { error: 'invalid_grant', seen: request.postData() } }),
    },
  });
  const r = await page.evaluate(async (OP) => ({
    get: await settle(() => H.send(`${OP}/json`)),
    post: await settle(() => H.send({ url: `${OP}/token`, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=x&a=%20' })),
  }), OP);
  assert.deepEqual(r.get, { value: [200, '{"a":1}'] });
  // A refusal is a status and a body for the core to read, not an exception.
  assert.deepEqual(r.post, { value: [400, '{"error":"invalid_grant","seen":"grant_type=x&a=%20"}'] });
  assert.deepEqual(op.log.map((e) => [e.method, e.path]), [['GET', '/json'], ['POST', '/token']]);
});

test('fetch failure is a typed network error', OPTS, async (t) => {
  const { page, origin } = await fresh(t, { routes: { '/down': () => 'abort' } });
  // An endpoint that redirects is misconfigured or hijacked: not followed. (A redirect answered
  // by routing is followed past the routes, so it points at a real page of the page's origin.)
  await page.route(`${origin}/moved`, (route) => route.fulfill({ status: 302, headers: { location: '/www/dev/blank.html' } }));
  const r = await page.evaluate(async ([OP, origin]) => [
    await settle(() => H.send(`${OP}/down`)),
    await settle(() => H.send(`${origin}/moved`)),
    // Port 9 on loopback (outside the page's connect-src as well): nothing is reached.
    await settle(() => H.send('http://127.0.0.1:9/x')),
  ], [OP, origin]);
  assert.deepEqual(r, [NETWORK_ERROR, NETWORK_ERROR, NETWORK_ERROR]);
});

// ---- the redirect flow's transactions ---------------------------------------------------------

// Checklist items 13 and 18: a forged state while a sign-in is pending is a mismatch; a second
// use of a consumed transaction finds nothing; the transaction is stored in sessionStorage only.
test('flow consumes transactions once and spots forged state', OPTS, async (t) => {
  const { page, origin, op } = await fresh(t);
  const r = await page.evaluate(async (cfg) => {
    const client = await O.createClient(cfg);
    const url = await client.authorizationUrl();
    const state = new URL(url).searchParams.get('state');
    const keys = S.txKeys();
    const local = localStorage.length;
    const forged = await settle(() => client.handleRedirect(`${cfg.redirectUri}?code=c&state=forged`));
    const keysAfterForged = S.txKeys();
    // The real response with an error: consumed, and typed after the state check.
    const denied = `${cfg.redirectUri}?error=access_denied&state=${state}`;
    return {
      url, state, keys, local, forged, keysAfterForged,
      denied: await settle(() => client.handleRedirect(denied)),
      again: await settle(() => client.handleRedirect(denied)),
      left: S.txKeys(),
    };
  }, config(origin));
  assert.ok(r.url.startsWith(`${OP}/auth?response_type=code&`), r.url);
  assert.equal(stateOf(r.url), r.state);
  assert.deepEqual(r.keys, [`browser-oauth:tx:${r.state}`]);
  assert.equal(r.local, 0, 'nothing in localStorage');
  assert.equal(r.forged.code, 'OAUTH_STATE_MISMATCH');
  assert.deepEqual(r.keysAfterForged, r.keys, 'the pending sign-in is still there');
  assert.equal(r.denied.code, 'OAUTH_AUTHORIZATION_ERROR');
  assert.equal(r.denied.error, 'access_denied');
  assert.equal(r.again.code, 'OAUTH_TRANSACTION_NOT_FOUND');
  assert.deepEqual(r.left, []);
  assert.deepEqual(op.log, [], 'no request to the provider');
});

// Checklist item 38: a corrupt or edited stored transaction is refused and gone, never a panic.
test('tampered transactions are refused and purged', OPTS, async (t) => {
  const { page, origin, op } = await fresh(t);
  const r = await page.evaluate(async (cfg) => {
    const client = await O.createClient(cfg);
    const state = new URL(await client.authorizationUrl()).searchParams.get('state');
    const key = `${S.TX_PREFIX}${state}`;
    const stored = sessionStorage.getItem(key);
    const edited = stored.replace('"client_id":"app"', '"client_id":"evil"');
    sessionStorage.setItem(key, edited);
    sessionStorage.setItem(`${S.TX_PREFIX}junk`, '{not json');
    const refused = await settle(() => client.handleRedirect(`${cfg.redirectUri}?code=c&state=${state}`));
    const left = sessionStorage.getItem(key);
    const junk = sessionStorage.getItem(`${S.TX_PREFIX}junk`);
    await client.authorizationUrl();
    return { edits: edited !== stored, refused, left, junk, pending: S.txKeys().length };
  }, config(origin));
  assert.equal(r.edits, true);
  assert.equal(r.refused.code, 'OAUTH_TRANSACTION_INVALID');
  assert.equal(r.refused.message, 'stored sign-in is invalid: bound to another issuer or client');
  assert.equal(r.left, null);
  assert.equal(r.junk, null, 'the redirect purges corrupt entries');
  assert.equal(r.pending, 1, 'only the new sign-in is pending');
  assert.deepEqual(op.log, [], 'no code exchange');
});

test('a url without a response is not an error', OPTS, async (t) => {
  const { page, origin } = await fresh(t);
  const r = await page.evaluate(async (cfg) => {
    const client = await O.createClient(cfg);
    return settle(() => client.handleRedirect(`${cfg.redirectUri}?tab=1`));
  }, config(origin));
  assert.deepEqual(r, { value: null });
});

// ---- the start module's memory ---------------------------------------------------------------

// The start module allocates with src/platform/frame.rs, a bump allocator that starts again from
// the bottom whenever nothing is live. Every export is synchronous and keeps nothing, so each
// sign-in start reuses the same memory: thousands of them, with a 4 KB parameter, a discovery
// document read at each call and refused requests in between, keep their contents and do not
// grow the memory after the first ones. (A block left live between calls would show as growth.)
test('the start module reuses its memory from one sign-in start to the next, contents intact', OPTS, async (t) => {
  const { page, origin } = await fresh(t, { routes: { '/.well-known/openid-configuration': discovery() } });
  const r = await page.evaluate(async (cfg) => {
    const client = await O.createClient(cfg);
    // The loaded glue hands back the instance's exports: its memory (the one Memory among them,
    // whose export name scripts/build minified) only ever grows.
    const exports = await (await import('/dist/wasm-start/browser_oauth_start.js')).default();
    const memory = Object.values(exports).find((v) => v instanceof WebAssembly.Memory);
    const states = new Set();
    const bad = [];
    let warm = 0;
    for (let i = 0; i < 3000; i += 1) {
      const big = `${'x'.repeat(4000)}${i}`;
      // A non-ASCII hint: the glue passes it with the allocator's realloc (grow, then shrink).
      const hint = `üser${i}@exämple.com`;
      const url = new URL(await client.authorizationUrl({ extraParams: { big }, loginHint: hint }));
      if (url.searchParams.get('big') !== big || url.searchParams.get('login_hint') !== hint) bad.push(i);
      states.add(url.searchParams.get('state'));
      const refused = await settle(() => client.authorizationUrl({ prompt: 5 }));
      if (refused.code !== 'OAUTH_INVALID_OPTION') bad.push(`refused ${i}: ${refused.code}`);
      sessionStorage.clear();
      if (i === 100) warm = memory.buffer.byteLength;
    }
    return { bad, states: states.size, warm, end: memory.buffer.byteLength };
  }, { issuer: OP, clientId: 'app', redirectUri: `${origin}/cb`, scopes: ['openid'], allowHttpLoopback: true });
  assert.deepEqual(r.bad, [], 'every URL carries its own parameters');
  assert.equal(r.states, 3000, 'a fresh state each time');
  assert.ok(r.warm > 0);
  assert.equal(r.end, r.warm, 'the memory did not grow after the first hundred sign-in starts');
});

// README "Preload hints": a page that preloads the start .wasm with `as="fetch"` and `crossorigin`
// has it fetched once: the package's own fetch of that URL takes the preloaded response (a
// preload that did not match its mode and credentials would be fetched a second time).
test('a preloaded start .wasm is fetched once: the package takes the preloaded response', OPTS, async (t) => {
  const { page, origin } = await fresh(t);
  const requests = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/browser_oauth_start_bg.wasm')) requests.push(r.resourceType());
  });
  const url = await page.evaluate(async (cfg) => {
    const link = Object.assign(document.createElement('link'), { rel: 'preload', as: 'fetch', crossOrigin: 'anonymous' });
    link.href = '/dist/wasm-start/browser_oauth_start_bg.wasm';
    const loaded = new Promise((resolve, reject) => { link.onload = resolve; link.onerror = reject; });
    document.head.append(link);
    await loaded;
    const client = await O.createClient(cfg);
    return client.authorizationUrl();
  }, config(origin));
  assert.ok(url.startsWith(`${OP}/auth?response_type=code&`), url);
  assert.equal(requests.length, 1, 'one request, the preload\'s');
});
