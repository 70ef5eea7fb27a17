// The loader: one init, a clear typed error before it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

test('the consent module loads on its own: its functions need initConsent(), not init()', async () => {
  const m = await import('../../js/index.js');
  const url = 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=app';
  for (const call of [() => m.checkAuthorizationRequest(url), () => m.describeScope('vso.code'), () => m.azureDevOpsScopes()]) {
    assert.throws(call, (e) => e instanceof m.BrowserOAuthError && e.code === 'OAUTH_NOT_INITIALIZED' && /initConsent\(\)/.test(e.message));
  }
  const bytes = await readFile(new URL('../../dist/wasm-consent/browser_oauth_consent_bg.wasm', import.meta.url));
  const a = m.initConsent(bytes);
  assert.equal(m.initConsent(bytes), a, 'one load promise');
  await a;
  assert.equal(m.describeScope('vso.code').area, 'Code');
  assert.ok(['ok', 'warn', 'block'].includes(m.checkAuthorizationRequest(url).verdict));
  // The sign-in modules are separate instances: loading this one does not load them.
  assert.throws(() => m.generatePkce(), (e) => e.code === 'OAUTH_NOT_INITIALIZED' && /await init\(\)/.test(e.message));
  // The scope operations live in the consent module.
  assert.equal(m.scopeCovers(['vso.code_write'], ['vso.code']), true);
  // A module that fails to load is a typed error, and can be retried.
  const { wasmModule } = await import('../../js/loader.js');
  const broken = wasmModule(() => Promise.reject(new Error('no such file')), 'initBroken');
  await assert.rejects(broken.load(), (e) => e.code === 'OAUTH_INIT_FAILED' && /no such file/.test(e.message));
  assert.throws(() => broken.get(), (e) => e.code === 'OAUTH_NOT_INITIALIZED' && /initBroken/.test(e.message));
});

test('calls before init() throw OAUTH_NOT_INITIALIZED, init() is idempotent', async () => {
  const m = await import('../../js/index.js');
  assert.throws(() => m.generatePkce(), (e) => e instanceof m.BrowserOAuthError && e.code === 'OAUTH_NOT_INITIALIZED');
  const bytes = (path) => readFile(new URL(`../../dist/${path}`, import.meta.url));
  const input = { start: await bytes('wasm-start/browser_oauth_start_bg.wasm'), account: await bytes('wasm-account/browser_oauth_account_bg.wasm') };
  const { load } = await import('../../js/loader.js');
  await Promise.all([m.init(input), m.init(input)]);
  assert.equal(load('start'), load('start'), 'one load promise per module');
  assert.equal(load('account'), load('account'), 'one load promise per module');
  assert.equal(m.generatePkce().codeChallengeMethod, 'S256');
});

test('txOpen (run by createClient while the start .wasm downloads) reads sessionStorage once, writes nothing, never throws', async () => {
  const { txOpen, TX_PREFIX } = await import('../../js/platform/storage.js');
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'sessionStorage');
  const reads = [];
  const storage = {
    getItem: (key) => { reads.push(key); return null; },
    setItem: () => assert.fail('txOpen must not write'),
    removeItem: () => assert.fail('txOpen must not remove'),
  };
  try {
    Object.defineProperty(globalThis, 'sessionStorage', { configurable: true, get: () => storage });
    txOpen();
    assert.deepEqual(reads, [TX_PREFIX]);
    // A sandboxed frame's getter throws; a worker has none; a full or broken store throws on use.
    Object.defineProperty(globalThis, 'sessionStorage', { configurable: true, get: () => { throw new Error('SecurityError'); } });
    txOpen();
    Object.defineProperty(globalThis, 'sessionStorage', { configurable: true, value: undefined });
    txOpen();
    Object.defineProperty(globalThis, 'sessionStorage', { configurable: true, value: { getItem: () => { throw new Error('broken'); } } });
    txOpen();
  } finally {
    if (saved) Object.defineProperty(globalThis, 'sessionStorage', saved);
    else delete globalThis.sessionStorage;
  }
});
