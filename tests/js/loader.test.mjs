// The loader: one init, a clear typed error before it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

test('calls before init() throw OAUTH_NOT_INITIALIZED, init() is idempotent', async () => {
  const m = await import('../../js/index.js');
  assert.throws(() => m.generatePkce(), (e) => e instanceof m.BrowserOAuthError && e.code === 'OAUTH_NOT_INITIALIZED');
  const bytes = await readFile(new URL('../../dist/wasm/browser_oauth_bg.wasm', import.meta.url));
  const a = m.init(bytes);
  const b = m.init(bytes);
  assert.equal(a, b, 'one load promise');
  await a;
  assert.equal(m.generatePkce().codeChallengeMethod, 'S256');
});
