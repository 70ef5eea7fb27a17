// Which wasm modules each page fetches (issue "Weight", README "The low-level steps"): a signed-out
// page the start module only; the redirect page the account module and not start; a signed-in
// page (a stored session, no response) the session module only; and none of them the others'.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { assertPackageBuilt } from './harness.mjs';
import { startSessionStack, openAccount, signIn } from './session-harness.mjs';

before(assertPackageBuilt);

/** The wasm modules (`start`, `account`, `session`, …) `page` requests while `run()` runs. */
async function modulesFetched(page, run) {
  const seen = new Set();
  const onRequest = (r) => {
    const m = /browser_oauth_(start_entra|start|account_entra|account|session_entra|session|consent|dpop)_bg\.wasm/.exec(r.url());
    if (m) seen.add(m[1]);
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
  assert.deepEqual(redirect, ['account']);

  // A new tab of the same profile: a stored session, no response in the URL.
  const other = await context.newPage();
  const signedIn = await modulesFetched(other, async () => {
    assert.equal(await openAccount(other, stack.url({ storage: 'local' })), 'signed-in');
    await other.evaluate(() => document.getElementById('get-token').click());
    await other.waitForFunction(() => Number(document.getElementById('last-action').dataset.seq) > 0);
  });
  assert.deepEqual(signedIn, ['session']);
});
