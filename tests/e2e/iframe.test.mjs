// Checklist item 24: a redirect sign-in is refused inside a frame (a framed page could be
// clickjacked into starting one, and the redirect would take over the frame, not the tab). The
// same page at the top level may sign in. Parent and child pages are served by Playwright routes
// on the app's own origin; the child imports the built package as an app would.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { startStaticServer } from '../../www/dev/server.mjs';
import { launchChromium } from '../../www/dev/browser.mjs';
import { ROOT, STEP_TIMEOUT, TEST_TIMEOUT, assertPackageBuilt } from './harness.mjs';

before(assertPackageBuilt);

const CHILD = `<!doctype html><meta charset="utf-8"><title>child</title>
<script type="module">
  import { createClient } from '/js/index.js';
  const client = await createClient({
    issuer: 'https://op.example', authorizationEndpoint: 'https://op.example/authorize', tokenEndpoint: 'https://op.example/token',
    clientId: 'app', redirectUri: location.origin + '/cb', allowHttpLoopback: true,
  });
  try {
    const url = await client.authorizationUrl();
    document.body.dataset.result = new URL(url).searchParams.get('response_type');
  } catch (e) {
    document.body.dataset.result = e.code;
  }
</script><body></body>`;

test('redirect sign-in is refused inside a frame, and allowed at the top level', { timeout: TEST_TIMEOUT }, async (t) => {
  const app = await startStaticServer({ root: ROOT });
  t.after(() => app.close());
  const browser = await launchChromium();
  t.after(() => browser.close());
  const context = await browser.newContext();
  context.setDefaultTimeout(STEP_TIMEOUT);
  await context.route(`${app.origin}/frame-test/child.html`, (route) => route.fulfill({ contentType: 'text/html', body: CHILD }));
  await context.route(`${app.origin}/frame-test/parent.html`, (route) => route.fulfill({
    contentType: 'text/html', body: '<!doctype html><title>parent</title><iframe src="/frame-test/child.html"></iframe>',
  }));
  const page = await context.newPage();
  const result = (frame) => frame.waitForFunction(() => document.body?.dataset.result).then((h) => h.jsonValue());

  await page.goto(`${app.origin}/frame-test/parent.html`);
  const child = page.frames().find((f) => f.url().endsWith('/frame-test/child.html'));
  assert.ok(child, 'the child frame loaded');
  assert.equal(await result(child), 'OAUTH_INTERACTION_IN_PROGRESS');
  assert.deepEqual(await child.evaluate(() => Object.keys(sessionStorage)), [], 'no pending sign-in was stored');

  // Control: the same page at the top level builds the request.
  await page.goto(`${app.origin}/frame-test/child.html`);
  assert.equal(await result(page.mainFrame()), 'code');
});
