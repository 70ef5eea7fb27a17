// `scripts/demo --check` starts the demo (static server + local provider), checks it answers, and
// exits 0. SKIP_SETUP=1: the build is the test runner's job, not this test's. Then the demo as a
// person uses it: sign in, the same session on "Manage authorizations", sign out; and the
// consent page on a 390 px phone screen (artifacts/consent-390px.png).

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';

import { startStaticServer } from '../../www/dev/server.mjs';
import { launchChromium, completeProviderInteraction } from '../../www/dev/browser.mjs';
import { ROOT, STEP_TIMEOUT, TEST_TIMEOUT, assertPackageBuilt, startStack, openDemo, demoStatus, text } from './harness.mjs';

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

// ---- The demo as a person uses it --------------------------------------------------------------

const onlyVisible = (page, selector) => page.locator(selector).isVisible();

test('demo: after sign-in the page shows the account and Sign out (not Sign in), Manage authorizations sees the same session, and Sign out ends it', { timeout: TEST_TIMEOUT }, async (t) => {
  const stack = await startStack();
  t.after(stack.stop);
  const { page, redirectUri, issuer } = stack;

  assert.equal(await openDemo(page, redirectUri), 'signed-out');
  assert.equal(await text(page, '#status'), 'You are not signed in.');
  assert.equal(await onlyVisible(page, '#sign-in'), true);
  assert.equal(await onlyVisible(page, '#sign-out'), false);

  await page.click('#sign-in');
  await completeProviderInteraction(page, { issuer, login: 'alice' });
  await page.waitForURL((url) => url.href.startsWith(redirectUri));
  assert.equal(await demoStatus(page), 'signed-in', await text(page, '#error-description'));
  assert.equal(await text(page, '#status'), 'You are signed in as Alice Example.');
  assert.equal(await text(page, '#account'), 'alice');
  assert.equal(await onlyVisible(page, '#sign-in'), false, 'Sign in is hidden once signed in');
  assert.equal(await onlyVisible(page, '#check-first'), false);
  assert.equal(await onlyVisible(page, '#sign-out'), true);

  // A reload keeps the session (sessionStorage, sealed) and shows it without a token value.
  await page.reload();
  assert.equal(await demoStatus(page), 'signed-in');
  assert.equal(await text(page, '#account'), 'alice');
  assert.equal(await text(page, '#refresh-token'), 'held');

  // Manage authorizations is the same session, not "signed out".
  await page.click('#manage');
  await page.waitForURL(/\/www\/account\.html/);
  assert.equal(await demoStatus(page), 'signed-in', await text(page, '#error-description'));
  assert.equal(await text(page, '#account-sub'), 'alice');

  await page.goBack();
  assert.equal(await demoStatus(page), 'signed-in');
  await page.click('#sign-out');
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'You are signed out.');
  assert.equal(await page.locator('#status').getAttribute('data-status'), 'signed-out');
  assert.equal(await onlyVisible(page, '#sign-in'), true);
  assert.equal(await onlyVisible(page, '#sign-out'), false);
  await page.reload();
  assert.equal(await demoStatus(page), 'signed-out', 'signed out for good, not only on screen');
  assert.deepEqual(stack.problems, []);
});

test('consent page at 390 px wide: every finding fits (no horizontal overflow), screenshot in artifacts/', { timeout: TEST_TIMEOUT }, async (t) => {
  const app = await startStaticServer({ root: ROOT });
  t.after(() => app.close());
  const browser = await launchChromium();
  t.after(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  context.setDefaultTimeout(STEP_TIMEOUT);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));

  // Many findings with long unbroken text: a lookalike host, plain http, an unexpected
  // redirect URI, no PKCE, a secret in the URL, a long scope list.
  const ADO = '499b84ac-1321-427f-aa17-267ca6975798';
  const q = new URLSearchParams({
    client_id: '11111111-2222-3333-4444-555555555555',
    response_type: 'code token',
    redirect_uri: `http://collector.example/${'x'.repeat(120)}`,
    scope: ['openid', 'offline_access', '.default', `${ADO}/vso.code_full`, `${ADO}/user_impersonation`, 'vso.work_full'].join(' '),
    client_secret: 's3cr3t',
  });
  const request = `http://login.microsoftonline.com.evil-${'a'.repeat(40)}.example/organizations/oauth2/v2.0/authorize?${q}`;
  await page.goto(`${app.origin}/www/consent.html?${new URLSearchParams({ url: request, clientId: 'other', redirectUri: 'https://app.example/cb' })}`);
  await page.waitForFunction(() => document.getElementById('status')?.dataset.status === 'checked', undefined, { timeout: STEP_TIMEOUT });

  const findings = await page.locator('.finding').count();
  assert.ok(findings >= 5, `only ${findings} findings`);
  const overflow = await page.evaluate(() => {
    const out = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
    for (const el of document.querySelectorAll('#card, #card .finding, #card .finding *, #card dd, #card .scope')) {
      const box = el.getBoundingClientRect();
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).display !== 'inline') out.push(`${el.className || el.tagName}: scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}`);
      if (box.right > width + 0.5) out.push(`${el.className || el.tagName} ends at ${Math.round(box.right)} px, past ${width}`);
    }
    return out;
  });
  assert.deepEqual(overflow, []);

  await mkdir(resolve(ROOT, 'artifacts'), { recursive: true });
  const shot = resolve(ROOT, 'artifacts', 'consent-390px.png');
  await page.screenshot({ path: shot, fullPage: true });
  assert.ok((await stat(shot)).size > 10_000, 'the screenshot was written');
  assert.deepEqual(problems, []);
});
