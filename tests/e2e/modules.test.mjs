// Which wasm modules each page fetches (issue "Weight", README "The low-level steps"): a signed-out
// page the start module only; the redirect page the account module and not start; a signed-in
// page (a stored session, no response) the session module only; and none of them the others'.
// The sealing code (js/platform/sealing.js: encryption at rest, the localStorage lag) is fetched
// only by pages whose store needs it, and alongside the module rather than after it.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { assertPackageBuilt } from './harness.mjs';
import { startSessionStack, openAccount, signIn, sleep } from './session-harness.mjs';

before(assertPackageBuilt);

/** The wasm modules (`start`, `account`, `session`, …) `page` requests while `run()` runs, and
 * `sealing` when it requests js/platform/sealing.js. */
async function modulesFetched(page, run) {
  const seen = new Set();
  const onRequest = (r) => {
    const m = /browser_oauth_(start_entra|start|account_entra|account|session_entra|session|consent|dpop)_bg\.wasm|\/js\/platform\/(sealing)\.js/.exec(r.url());
    if (m) seen.add(m[1] ?? m[2]);
  };
  page.on('request', onRequest);
  try {
    await run();
  } finally {
    page.off('request', onRequest);
  }
  return [...seen].sort();
}

test('each page fetches only its module: signed-out start, redirect account, signed-in session', { timeout: 90_000 }, async (t) => {
  const stack = await startSessionStack();
  t.after(stack.stop);
  const { page, context } = stack;

  const signedOut = await modulesFetched(page, async () => {
    assert.equal(await openAccount(page, stack.url({ storage: 'local' })), 'signed-out');
  });
  assert.deepEqual(signedOut, ['start']);

  // The sign-in's redirect page: the response is handled by the account module.
  const redirect = await modulesFetched(page, async () => {
    assert.equal(await signIn(page, stack), 'signed-in');
  });
  assert.deepEqual(redirect, ['account', 'sealing']);

  // A new tab of the same profile: a stored session, no response in the URL. The session
  // module's .wasm is held back half a second: the sealing code must be asked for meanwhile, not
  // once the module is ready.
  const other = await context.newPage();
  let wasmServed = Infinity;
  let sealingAsked = Infinity;
  await other.route('**/browser_oauth_session_bg.wasm', async (route) => {
    await sleep(500);
    wasmServed = Date.now();
    await route.continue();
  });
  other.on('request', (r) => {
    if (r.url().endsWith('/js/platform/sealing.js')) sealingAsked = Math.min(sealingAsked, Date.now());
  });
  const signedIn = await modulesFetched(other, async () => {
    assert.equal(await openAccount(other, stack.url({ storage: 'local' })), 'signed-in');
    await other.evaluate(() => document.getElementById('get-token').click());
    await other.waitForFunction(() => Number(document.getElementById('last-action').dataset.seq) > 0);
  });
  assert.deepEqual(signedIn, ['sealing', 'session']);
  assert.ok(sealingAsked < wasmServed, `sealing.js asked for ${sealingAsked - wasmServed} ms after the module was served`);
});

test('a session kept in memory never fetches the sealing code', { timeout: 90_000 }, async (t) => {
  const stack = await startSessionStack();
  t.after(stack.stop);
  const { page } = stack;
  const signedOut = await modulesFetched(page, async () => {
    assert.equal(await openAccount(page, stack.url({ storage: 'memory' })), 'signed-out');
  });
  assert.deepEqual(signedOut, ['start']);
  const redirect = await modulesFetched(page, async () => {
    assert.equal(await signIn(page, stack), 'signed-in');
    await page.evaluate(() => document.getElementById('get-token').click());
    await page.waitForFunction(() => document.getElementById('last-action').dataset.outcome === 'ok');
  });
  assert.deepEqual(redirect, ['account']);
});

test('a .wasm served with another type than application/wasm still loads (from its bytes)', { timeout: 90_000 }, async (t) => {
  const stack = await startSessionStack();
  t.after(stack.stop);
  const { page } = stack;
  let served = 0;
  await page.route('**/browser_oauth_start_bg.wasm', async (route) => {
    const response = await route.fetch();
    served += 1;
    await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
  });
  assert.equal(await openAccount(page, stack.url({ storage: 'memory' })), 'signed-out');
  assert.equal(served, 1);
  assert.equal(await signIn(page, stack), 'signed-in');
});

test('a start .wasm that fails to load fails createClient with OAUTH_INIT_FAILED saying why; the next page load works', { timeout: 90_000 }, async (t) => {
  const stack = await startSessionStack();
  t.after(stack.stop);
  const { page } = stack;
  const failure = async () => ({
    status: await openAccount(page, stack.url({ storage: 'memory' })),
    code: await page.locator('#error-code').textContent(),
    message: await page.locator('#error-description').textContent(),
  });
  // Not WebAssembly: the package compiles the bytes it fetched itself (js/loader.js), and says so.
  await page.route('**/browser_oauth_start_bg.wasm', (route) => route.fulfill({ status: 200, contentType: 'application/wasm', body: '<!doctype html>' }));
  let seen = await failure();
  assert.equal(seen.status, 'error');
  assert.equal(seen.code, 'OAUTH_INIT_FAILED');
  assert.match(seen.message, /^could not load the browser-oauth wasm module: WebAssembly\.Module\(\): expected magic word/);
  // A failed response: its status, as the glue reports it.
  await page.unroute('**/browser_oauth_start_bg.wasm');
  await page.route('**/browser_oauth_start_bg.wasm', (route) => route.fulfill({ status: 404, body: 'missing' }));
  seen = await failure();
  assert.equal(seen.code, 'OAUTH_INIT_FAILED');
  assert.match(seen.message, /^could not load the browser-oauth wasm module: failed to fetch Wasm: 404 /);
  await page.unroute('**/browser_oauth_start_bg.wasm');
  assert.equal(await openAccount(page, stack.url({ storage: 'memory' })), 'signed-out');
  assert.equal(await signIn(page, stack), 'signed-in');
});

test('when the sealing code cannot be loaded, nothing is stored unsealed: the sign-in fails with OAUTH_INIT_FAILED', { timeout: 90_000 }, async (t) => {
  const stack = await startSessionStack();
  t.after(stack.stop);
  const { page } = stack;
  assert.equal(await openAccount(page, stack.url({ storage: 'local', encrypt: '1' })), 'signed-out');
  await page.route('**/js/platform/sealing.js', (route) => route.abort());
  assert.equal(await signIn(page, stack), 'signed-out');
  assert.equal(await page.locator('#error-code').textContent(), 'OAUTH_INIT_FAILED');
  const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('browser-oauth:session:')));
  assert.deepEqual(stored, []);
});
