// End to end: the consent-check page (www/consent.html) uses the built package in headless
// Chromium. A pasted request is judged and shown as a consent card; the demo shows its own request
// there before it navigates. The card is kept as artifacts/consent-card.png.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';

import { startStaticServer } from '../../www/dev/server.mjs';
import { launchChromium, completeProviderInteraction } from '../../www/dev/browser.mjs';
import {
  ROOT, CLIENT_ID, STEP_TIMEOUT, TEST_TIMEOUT, assertPackageBuilt, startStack, openDemo, demoStatus, text,
} from './harness.mjs';

const OPTS = { timeout: TEST_TIMEOUT };
const ADO = '499b84ac-1321-427f-aa17-267ca6975798';
const APP = '11111111-2222-3333-4444-555555555555';
const REDIRECT = 'https://app.example/callback';
const SCREENSHOT = resolve(ROOT, 'artifacts', 'consent-card.png');

before(assertPackageBuilt);

function entraRequest(host = 'login.microsoftonline.com') {
  const scope = ['openid', 'profile', 'offline_access', ...['vso.code_write', 'vso.work_write', 'vso.build', 'vso.wiki'].map((s) => `${ADO}/${s}`)];
  const q = new URLSearchParams({
    client_id: APP,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: scope.join(' '),
    state: 'k3vQ9xY2',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
    prompt: 'select_account',
  });
  return `https://${host}/organizations/oauth2/v2.0/authorize?${q}`;
}

/** The static server (no authorization server configured) and a Chromium page, stopped with the test. */
async function pageFor(t) {
  const app = await startStaticServer({ root: ROOT });
  t.after(() => app.close());
  const browser = await launchChromium();
  t.after(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 900, height: 900 } });
  context.setDefaultTimeout(STEP_TIMEOUT);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(msg.text()); });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  return { app, page, problems };
}

const settled = (page, status) => page.waitForFunction(
  (want) => document.getElementById('status')?.dataset.status === want, status, { timeout: STEP_TIMEOUT },
);

/** Opens the page, pastes `url` (and the expectations), presses Check, and waits for the card. */
async function pasteAndCheck(page, origin, url, { clientId, redirectUri } = {}) {
  await page.goto(`${origin}/www/consent.html`);
  await settled(page, 'ready');
  await page.fill('#url', url);
  if (clientId || redirectUri) {
    await page.click('#expectations summary');
    if (clientId) await page.fill('#expected-client-id', clientId);
    if (redirectUri) await page.fill('#expected-redirect-uri', redirectUri);
  }
  await page.click('#check');
  await settled(page, 'checked');
}

const attr = (page, selector, name) => page.locator(selector).getAttribute(name);
const all = (page, selector, name) => page.locator(selector).evaluateAll((els, n) => els.map((e) => e.getAttribute(n)), name);

test('consent card: a legitimate Entra request with Azure DevOps scopes, grouped by area with badges', OPTS, async (t) => {
  const { app, page, problems } = await pageFor(t);
  await pasteAndCheck(page, app.origin, entraRequest(), { clientId: APP, redirectUri: REDIRECT });

  assert.equal(await page.locator('#card').isVisible(), true);
  assert.equal(await attr(page, '#verdict', 'data-verdict'), 'warn', 'vso.code_write is high privilege');
  assert.equal(await text(page, '#verdict-title'), 'Look closely');
  assert.equal(await text(page, '#authority-host'), 'login.microsoftonline.com');
  assert.equal(await text(page, '#authority-kind'), 'Microsoft Entra ID (global cloud)');
  assert.match(await text(page, '#authority-tenant'), /^organizations/);
  assert.equal(await text(page, '#client-id'), APP);
  assert.equal(await text(page, '#redirect-uri'), REDIRECT);

  assert.deepEqual(await all(page, '.scope-group', 'data-area'), [
    'Sign-in', 'Azure DevOps: Code', 'Azure DevOps: Work Items', 'Azure DevOps: Build', 'Azure DevOps: Wiki',
  ]);
  assert.equal(await page.locator('.scope').count(), 7);
  const codeWrite = page.locator(`.scope[data-scope="${ADO}/vso.code_write"]`);
  assert.equal(await codeWrite.locator('[data-badge="high"]').textContent(), 'High privilege');
  assert.ok((await codeWrite.locator('.scope-description').textContent()).length > 20);
  assert.equal(await page.locator('[data-badge="high"]').count(), 1, 'only vso.code_write is high privilege');
  assert.equal(await page.locator(`.scope[data-scope="${ADO}/vso.work_write"] [data-badge]`).count(), 0);

  assert.deepEqual(await all(page, '.finding', 'data-code'), ['SCOPE_HIGH_PRIVILEGE']);
  assert.equal(await attr(page, '.finding', 'data-severity'), 'warn');
  assert.equal(await page.locator('#continue').getAttribute('href'), entraRequest());

  await mkdir(resolve(ROOT, 'artifacts'), { recursive: true });
  await page.locator('main').screenshot({ path: SCREENSHOT });
  const { size } = await stat(SCREENSHOT);
  assert.ok(size > 20_000, `screenshot is only ${size} bytes`);
  assert.deepEqual(problems, []);
});

test('consent card: declared Azure DevOps calls show what the request asks beyond them, and what each scope unlocks', OPTS, async (t) => {
  const { app, page, problems } = await pageFor(t);
  const scope = ['openid', 'offline_access', `${ADO}/vso.code_manage`, `${ADO}/vso.build`].join(' ');
  const q = new URLSearchParams({
    client_id: APP, response_type: 'code', redirect_uri: REDIRECT, scope, state: 'k3vQ9xY2',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
  });
  const url = `https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?${q}`;
  // A pull-request dashboard: lists repositories and pull requests, comments on them.
  const calls = [
    'GET https://dev.azure.com/contoso/Website/_apis/git/repositories?api-version=7.1',
    'GET https://dev.azure.com/contoso/Website/_apis/git/pullrequests',
    'POST https://dev.azure.com/contoso/Website/_apis/git/repositories/web/pullRequests/7/threads',
  ];
  const query = new URLSearchParams({ url });
  for (const c of calls) query.append('operations', c);
  await page.goto(`${app.origin}/www/consent.html?${query}`);
  await settled(page, 'checked');

  assert.equal(await page.inputValue('#expected-operations'), calls.join('\n'));
  assert.equal(await attr(page, '#verdict', 'data-verdict'), 'warn');
  const overAsk = page.locator('.finding[data-code="SCOPE_OVER_ASK"]');
  assert.equal(await overAsk.getAttribute('data-severity'), 'warn');
  assert.equal(await overAsk.locator('.message').textContent(), `The request asks for more than the declared calls need; enough: ${ADO}/vso.code_write.`);
  assert.equal(
    await page.locator('.finding[data-code="SCOPE_BROADER_THAN_NEEDED"] .message').textContent(),
    `${ADO}/vso.code_manage is broader than the calls it serves need; ${ADO}/vso.code_write is enough.`,
  );
  assert.match(await page.locator('.finding[data-code="SCOPE_NOT_NEEDED"] .message').textContent(), /vso\.build is not needed/);
  assert.equal(await page.locator('#needed-row').isVisible(), true);
  assert.equal(await text(page, '#needed-scopes'), `${ADO}/vso.code_write`);

  // Examples from the operation table, under each Azure DevOps scope (none for the OIDC ones).
  const examples = (s) => page.locator(`.scope[data-scope="${ADO}/${s}"] .scope-example`).allTextContents();
  const manage = await examples('vso.code_manage');
  assert.ok(manage.includes('delete repositories') && manage.length <= 4, JSON.stringify(manage));
  assert.ok((await examples('vso.build')).length > 0);
  assert.equal(await page.locator('.scope[data-scope="openid"] .scope-example').count(), 0);

  // The same request without declared calls: no judgement of need, examples still shown.
  await page.fill('#expected-operations', '');
  await page.click('#check');
  await settled(page, 'checked');
  assert.equal(await page.locator('.finding[data-code="SCOPE_OVER_ASK"]').count(), 0);
  assert.equal(await page.locator('#needed-row').isVisible(), false);
  assert.ok((await examples('vso.code_manage')).includes('delete repositories'));
  assert.deepEqual(problems, []);
});

test('consent card: a lookalike authority is blocked with the finding text, and no way on', OPTS, async (t) => {
  const { app, page, problems } = await pageFor(t);
  const evil = entraRequest('login.microsoftonline.com.evil.example');
  // Through ?url=, which checks at load.
  await page.goto(`${app.origin}/www/consent.html?${new URLSearchParams({ url: evil })}`);
  await settled(page, 'checked');

  assert.equal(await page.inputValue('#url'), evil);
  assert.equal(await attr(page, '#verdict', 'data-verdict'), 'block');
  assert.equal(await text(page, '#verdict-title'), 'Do not continue');
  assert.equal(await text(page, '#authority-kind'), 'Unknown server');
  const lookalike = page.locator('.finding[data-code="AUTHORITY_LOOKALIKE"]');
  assert.equal(await lookalike.getAttribute('data-severity'), 'block');
  assert.equal(
    await lookalike.locator('.message').textContent(),
    'The host login.microsoftonline.com.evil.example imitates a Microsoft sign-in host but is not one.',
  );
  const severities = await all(page, '.finding', 'data-severity');
  assert.equal(severities[0], 'block', 'blocking findings come first');
  assert.equal(await page.locator('#continue-row').isVisible(), false);
  assert.equal(await page.locator('#continue').getAttribute('href'), null);

  // Text stays text: markup in the URL is shown, never parsed.
  await page.fill('#url', 'https://<img src=x onerror=alert(1)>.example/?a=<b>x</b>');
  await page.click('#check');
  assert.equal(await page.locator('#card img, #card b').count(), 0);
  assert.deepEqual(problems, []);
});

test('the demo shows its own request on the consent page, and can continue to sign in from there', OPTS, async (t) => {
  const stack = await startStack();
  t.after(stack.stop);
  const { page, redirectUri, issuer } = stack;
  assert.equal(await openDemo(page, redirectUri), 'signed-out');

  await page.click('#check-first');
  await page.waitForURL((url) => url.pathname === '/www/consent.html');
  await settled(page, 'checked');

  const requestUrl = new URL(await page.inputValue('#url'));
  assert.equal(requestUrl.origin, issuer);
  assert.equal(await text(page, '#client-id'), CLIENT_ID);
  assert.equal(await text(page, '#redirect-uri'), redirectUri);
  assert.equal(await text(page, '#authority-host'), '127.0.0.1');
  assert.equal(await attr(page, '#authority-kind', 'data-kind'), 'trusted');
  // The local provider is plain http on loopback: allowed only by the loud development flag.
  assert.equal(await attr(page, '#verdict', 'data-verdict'), 'warn');
  assert.deepEqual(await all(page, '.finding', 'data-code'), ['AUTHORITY_DEV_LOOPBACK']);
  assert.deepEqual(await all(page, '.scope', 'data-scope'), ['openid', 'profile', 'email', 'offline_access']);
  assert.deepEqual(await all(page, '.scope-group', 'data-area'), ['Sign-in']);

  // Continuing uses the pending sign-in the demo stored when it built the request.
  await page.click('#continue');
  await completeProviderInteraction(page, { issuer, login: 'alice' });
  await page.waitForURL((url) => url.href.startsWith(redirectUri));
  assert.equal(await demoStatus(page), 'signed-in', await text(page, '#error-description'));
  assert.equal(await text(page, '#account'), 'alice');
  assert.deepEqual(stack.problems, []);
});

test('a crafted link cannot make the page trust a local http sign-in server', OPTS, async (t) => {
  const { app, page } = await pageFor(t);
  // The site is configured for Microsoft Entra: no local provider.
  app.setDemoConfig({ entra: { tenant: 'organizations' }, clientId: APP, redirectUri: REDIRECT });
  const local = entraRequest('127.0.0.1:8411').replace('https://', 'http://');
  const query = new URLSearchParams({ url: local, devLoopback: '1', dangerouslyAllowHttpLoopbackAuthority: 'true' });
  await page.goto(`${app.origin}/www/consent.html?${query}`);
  await settled(page, 'checked');
  assert.equal(await page.isChecked('#dev-loopback'), false, 'nothing in the URL ticks the trust box');
  assert.equal(await attr(page, '#verdict', 'data-verdict'), 'block');
});
