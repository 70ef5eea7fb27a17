// End to end: `client.fetch` and the document's base URL. An injected `<base href>` (HTML
// injection, no script needed) changes where the browser resolves relative URLs; the helper must
// check and fetch the same resolved URL, so the token never reaches an origin off the allow-list.
// The demo's CSP has `base-uri 'none'`, which stops the `<base>` tag by itself; these tests run
// with the CSP bypassed (a page without one) to show that the library does not depend on it. A second loopback
// server stands in for the attacker's origin and records every request it gets.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';

import { assertPackageBuilt, STEP_TIMEOUT } from './harness.mjs';
import { startSessionStack, openAccount, signIn, fetchThroughPage, entry } from './session-harness.mjs';

const OPTS = { timeout: 90_000 };

before(assertPackageBuilt);

/** The attacker's server: permissive CORS, so a browser would send it anything; logs every request. */
async function startRecorder(t) {
  const seen = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization });
    res.writeHead(req.method === 'OPTIONS' ? 204 : 200, {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': 'authorization',
      'access-control-allow-methods': 'GET, POST',
    });
    res.end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }));
  return { origin: `http://127.0.0.1:${server.address().port}`, seen };
}

/**
 * Signs in on the account page in a browser context that ignores CSP; returns that context, its
 * page, the stack and the access token.
 */
async function signedInWithoutCsp(t) {
  const stack = await startSessionStack();
  t.after(stack.stop);
  const context = await stack.browser.newContext({ bypassCSP: true });
  context.setDefaultTimeout(STEP_TIMEOUT);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  await openAccount(page, stack.url({ storage: 'local' }));
  assert.equal(await signIn(page, stack), 'signed-in');
  const accessToken = (await entry(page, stack)).tokens[0].access_token;
  return { stack, context, page, problems, accessToken };
}

/** Puts `<base href>` first in the head, as injected markup would; returns the new base URL. */
function injectBase(page, href) {
  return page.evaluate((h) => {
    for (const old of document.querySelectorAll('base')) old.remove();
    const base = document.createElement('base');
    base.href = h;
    document.head.prepend(base);
    return document.baseURI;
  }, href);
}

test('a relative fetch under an injected base on another origin is refused and never reaches that origin', OPTS, async (t) => {
  const evil = await startRecorder(t);
  const { stack, context, page, problems } = await signedInWithoutCsp(t);
  const { app } = stack;
  const requests = [];
  context.on('request', (request) => requests.push(request.url()));

  assert.equal(await injectBase(page, `${evil.origin}/`), `${evil.origin}/`);
  const relative = {};
  for (const url of ['/api/data', 'api/data', './api/data?x=1']) relative[url] = (await fetchThroughPage(page, url)).code;
  assert.deepEqual(evil.seen, [], 'the attacker origin got no request at all');
  assert.deepEqual(relative, { '/api/data': 'OAUTH_ORIGIN_NOT_ALLOWED', 'api/data': 'OAUTH_ORIGIN_NOT_ALLOWED', './api/data?x=1': 'OAUTH_ORIGIN_NOT_ALLOWED' });

  // The other kinds of input: a Request and a URL carry absolute URLs (resolved against the same
  // base), and any other object is refused rather than turned into a string by fetch.
  const codes = await page.evaluate(async ({ issuer, origin }) => {
    const m = await import(`${origin}/js/index.js`);
    const client = await m.createClient({
      issuer, clientId: 'browser-oauth-e2e', redirectUri: `${origin}/www/index.html`,
      scopes: ['openid'], allowHttpLoopback: true, storage: 'local', resourceOrigins: [origin],
    });
    const code = (p) => p.then(() => 'sent', (e) => e.code ?? String(e));
    const out = {
      request: await code(client.fetch(new Request('/api/data'))),
      url: await code(client.fetch(new URL('api/data', document.baseURI))),
      stringish: await code(client.fetch({ toString: () => '/api/data' })),
    };
    client.close();
    return out;
  }, { issuer: stack.issuer, origin: app.origin });
  assert.deepEqual(codes, { request: 'OAUTH_ORIGIN_NOT_ALLOWED', url: 'OAUTH_ORIGIN_NOT_ALLOWED', stringish: 'OAUTH_INVALID_OPTION' });

  assert.deepEqual(evil.seen, [], 'the attacker origin got no request at all');
  assert.deepEqual(requests.filter((u) => u.startsWith(evil.origin)), []);
  assert.deepEqual(requests.filter((u) => u.includes('/api/')), [], 'no API request left the page');
  assert.deepEqual(problems, []);
});

test('a relative fetch goes to the base-resolved URL when that origin is allowed, and without a base as before', OPTS, async (t) => {
  const evil = await startRecorder(t);
  const { stack, context, page, problems, accessToken } = await signedInWithoutCsp(t);
  const { app } = stack;
  const seen = [];
  await context.route((url) => url.origin === app.origin && url.pathname.includes('/api/'), async (route) => {
    seen.push({ url: route.request().url(), authorization: (await route.request().allHeaders()).authorization });
    await route.fulfill({ status: 200, contentType: 'application/json', body: '{"ok":true}' });
  });

  // Control: no <base>, the page's own origin (allow-listed).
  let res = await fetchThroughPage(page, '/api/me');
  assert.equal(res.outcome, 'ok', res.code);
  assert.equal(res.status, '200');

  // A base on the allowed origin: the relative URL goes where the browser resolves it.
  assert.equal(await injectBase(page, `${app.origin}/www/sub/`), `${app.origin}/www/sub/`);
  res = await fetchThroughPage(page, 'api/data?x=1');
  assert.equal(res.outcome, 'ok', res.code);

  assert.deepEqual(seen, [
    { url: `${app.origin}/api/me`, authorization: `Bearer ${accessToken}` },
    { url: `${app.origin}/www/sub/api/data?x=1`, authorization: `Bearer ${accessToken}` },
  ]);
  assert.deepEqual(evil.seen, []);
  assert.deepEqual(problems, []);
});
