// Set-up for the Chromium tests of the JS layer against a stubbed provider: the blank page
// (www/dev/blank.html, served with the dev server's CSP, whose connect-src allows the stub's
// origin) in a fresh browser context, with every request to https://op.example answered in node
// by Playwright request routing and logged. No real provider; each test gets its own context
// (storage, IndexedDB and wasm instances of its own, so an empty JWKS cache).

import { after, before } from 'node:test';

import { ROOT, assertPackageBuilt } from './harness.mjs';
import { startStaticServer } from '../../www/dev/server.mjs';
import { launchChromium } from '../../www/dev/browser.mjs';

/** The stubbed provider's issuer (https, so no `allowHttpLoopback` is needed for it). */
export const OP = 'https://op.example';
export const CLIENT_ID = 'app';
export const SESSION_KEY = `browser-oauth:session:${CLIENT_ID}@${OP}`;
export const OPTS = { timeout: 60_000 };

/** A discovery document of the stub, with `extra` members (`undefined` ones left out). */
export function discovery(extra = {}) {
  const doc = {
    issuer: OP,
    authorization_endpoint: `${OP}/auth`,
    token_endpoint: `${OP}/token`,
    code_challenge_methods_supported: ['S256'],
    response_types_supported: ['code'],
    ...extra,
  };
  return JSON.parse(JSON.stringify(doc));
}

/** Unix seconds. */
export const now = () => Math.floor(Date.now() / 1000);

/**
 * A stored session (src/core/session/stored.rs, version 1) of `app` at the stub for `alice`,
 * granted `api`: with one cached `api` token valid for an hour unless `tokens` is given.
 */
export function storedAccount({ at = now(), refreshToken, tokens, clientId = CLIENT_ID } = {}) {
  return JSON.stringify({
    v: 1,
    issuer: OP,
    client_id: clientId,
    sub: 'alice',
    grant: ['api'],
    ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
    signed_in_at: at,
    tokens: tokens ?? [{ access_token: 'at-1', token_type: 'bearer', scopes: ['api'], expires_at: at + 3600, received_at: at }],
  });
}

let server;
let browser;

/** Starts the static server and Chromium for the file's tests (call at the top level). */
export function useStubStack() {
  before(async () => {
    assertPackageBuilt();
    // The config only sets the CSP's connect-src: 'self' and the stub's origin.
    server = await startStaticServer({ root: ROOT, demoConfig: { issuer: OP } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
}

const CORS = { 'access-control-allow-origin': '*' };

/**
 * A fresh context and a page on the blank page, the library's modules and small helpers on its
 * `window`. `op.routes[path]` answers requests to the stub: a function of the Playwright
 * request returning `{ status?, json?, body? }` or `'abort'` (connection refused), or a value
 * served as JSON. `op.log` lists `{ method, path, body }` of every request that reached it.
 */
export async function fresh(t, { routes = {}, path = '/www/dev/blank.html' } = {}) {
  const context = await browser.newContext();
  t.after(() => context.close());
  const op = { routes, log: [], count: (p) => op.log.filter((r) => r.path === p).length };
  await context.route(`${OP}/**`, async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    op.log.push({ method: request.method(), path: url.pathname, search: url.search, body: request.postData() });
    const handler = op.routes[url.pathname];
    if (handler === undefined) {
      await route.fulfill({ status: 404, headers: CORS, body: 'not found' });
      return;
    }
    const answer = typeof handler === 'function' ? await handler(request) : { json: handler };
    if (answer === 'abort') {
      await route.abort('connectionrefused');
      return;
    }
    const { status = 200, json, body, headers = {} } = answer;
    await route.fulfill({
      status,
      headers: { ...CORS, 'content-type': json === undefined ? 'text/plain' : 'application/json', ...headers },
      body: json === undefined ? body ?? '' : JSON.stringify(json),
    });
  });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) problems.push(msg.text());
  });
  await page.goto(`${server.origin}${path}`);
  await setUp(page);
  return { context, page, op, problems, origin: server.origin };
}

/** Puts the modules and helpers on the page's `window` (again after a reload). */
export function setUp(page) {
  return page.evaluate(async () => {
    // What js/client.js hands the session's chunk when it loads it (js/session-lib.js).
    (await import('/js/session-lib.js')).useLib((await import('/js/session-deps.js')).SESSION_LIB);
    window.S = { ...(await import('/js/platform/store.js')), ...(await import('/js/platform/storage.js')), ...(await import('/js/redirect.js')) };
    window.E = await import('/js/platform/encrypted.js');
    window.H = await import('/js/platform/http.js');
    window.V = await import('/js/platform/verify.js');
    window.O = await import('/js/index.js');
    window.loader = await import('/js/loader.js');
    const outcome = (e) => {
      const out = { code: e?.code, message: e?.message, name: e?.name };
      for (const k of ['reason', 'error']) if (e?.[k] !== undefined) out[k] = e[k];
      if (e?.cause !== undefined) out.cause = { code: e.cause.code, message: e.cause.message };
      return out;
    };
    /** `{ value }` or the `{ code, message, name, … }` of what `f()` resolved to or threw. */
    window.settle = async (f) => {
      try {
        return { value: await f() };
      } catch (e) {
        return outcome(e);
      }
    };
    window.sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });
    window.b64 = (bytes) => E.base64url(new Uint8Array(bytes));
  });
}
