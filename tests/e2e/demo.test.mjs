// `scripts/demo --check` starts the demo (static server + local provider), checks it answers, and
// exits 0. SKIP_SETUP=1: the build is the test runner's job, not this test's.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

import { ROOT, assertPackageBuilt } from './harness.mjs';

before(assertPackageBuilt);

function runDemoCheck(env = {}) {
  return new Promise((done) => {
    execFile('bash', [resolve(ROOT, 'scripts/demo'), '--check'], {
      cwd: ROOT,
      env: { ...process.env, SKIP_SETUP: '1', DEMO_PORT: '0', PROVIDER_PORT: '0', ...env },
      timeout: 30_000,
      killSignal: 'SIGKILL',
    }, (error, stdout, stderr) => done({ code: error ? (error.code ?? error.signal) : 0, stdout, stderr }));
  });
}

test('scripts/demo --check serves the page and the local provider, then exits 0', { timeout: 40_000 }, async () => {
  const { code, stdout, stderr } = await runDemoCheck({ ENTRA_CLIENT_ID: '' });
  assert.equal(code, 0, stderr);
  assert.equal(stdout.trim(), 'OK');
});

test('scripts/demo --check with ENTRA_CLIENT_ID serves an Entra configuration without a local provider', { timeout: 40_000 }, async () => {
  const { code, stdout, stderr } = await runDemoCheck({ ENTRA_CLIENT_ID: '11111111-2222-3333-4444-555555555555' });
  assert.equal(code, 0, stderr);
  assert.equal(stdout.trim(), 'OK');
});
