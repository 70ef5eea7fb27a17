// A short soak (issue 13; `node benches/soak.mjs` runs the long one): three tabs, access tokens of
// three seconds, random 503 pages and dropped connections on the token endpoint. No refresh
// token may be refused (one sent twice would be), no session may be lost, and refreshes happen.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { assertPackageBuilt } from './harness.mjs';
import { soak } from './soak-harness.mjs';

before(assertPackageBuilt);

const SECONDS = Number(process.env.SOAK_SECONDS ?? 20);

test(`soak: 3 tabs for ${SECONDS} s with faults: no refresh token refused, no session lost`, { timeout: (SECONDS + 90) * 1000 }, async () => {
  const r = await soak({ seconds: SECONDS, tabs: 3, faultRate: 0.4 });
  console.log(`# soak: ${JSON.stringify(r)}`);
  assert.equal(r.refreshesRefused, 0, 'no refresh token sent twice');
  assert.equal(r.lostSessions, 0, 'no session lost');
  assert.deepEqual(r.otherErrors, []);
  assert.ok(r.refreshesGranted >= Math.floor(SECONDS / 4), `refreshes happened (${r.refreshesGranted})`);
  assert.ok(r.faults.served503 + r.faults.dropped > 0, 'faults were injected');
  assert.ok(r.ok > r.calls / 2, 'most calls served');
});
