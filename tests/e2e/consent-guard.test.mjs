// End to end: the consent guard (www/consent-guard), loaded unpacked into Chromium, checks every
// top-level navigation that looks like an authorization request before it leaves the browser.
// Microsoft's hosts (and the lookalikes) are Playwright stand-ins that count the requests which
// reach them: a stopped request must never arrive. The record is made by a real sign-in against
// oidc-provider on loopback, trusted through the guard's options page (its test-only switch).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { ROOT, assertPackageBuilt } from './harness.mjs';
import { submitLogin, submitConsent } from '../../www/dev/browser.mjs';
import {
  startGuardStack, requestSecrets, authorizationUrl, badgeText, interstitial, extensionStorage, standIn,
  GUARD_CLIENT_ID, ADO,
} from './consent-guard-harness.mjs';

const OPTS = { timeout: 60_000 };
const ARTIFACTS = join(ROOT, 'artifacts');
const ENTRA = 'https://login.microsoftonline.com';
const LOOKALIKE = 'https://login-microsoftonline.com';
const LEGACY = 'https://app.vssps.visualstudio.com';
const OTHER = 'https://accounts.example.org';
const APP_ID = '11111111-2222-3333-4444-555555555555';

let stack;
const reached = {};

before(async () => {
  assertPackageBuilt();
  stack = await startGuardStack();
  for (const origin of [ENTRA, 'http://login.microsoftonline.com', LOOKALIKE, LEGACY, OTHER]) reached[origin] = await standIn(stack.context, origin);
  await mkdir(ARTIFACTS, { recursive: true });
});
after(() => stack?.stop());

/** A well-formed Entra request for Azure DevOps scopes, at `origin`, with `overrides`. */
function entraRequest(origin = ENTRA, overrides = {}) {
  const s = requestSecrets();
  return authorizationUrl(`${origin}/organizations/oauth2/v2.0/authorize`, {
    client_id: APP_ID,
    response_type: 'code',
    redirect_uri: 'https://app.example/callback',
    scope: `openid offline_access ${ADO}/vso.code ${ADO}/vso.work`,
    state: s.state,
    nonce: s.nonce,
    code_challenge: s.challenge,
    code_challenge_method: 'S256',
    ...overrides,
  });
}

async function open(url) {
  const page = await stack.context.newPage();
  // The navigation ends on the check page (or goes on from it): no response to wait for here.
  await page.goto(url, { waitUntil: 'commit' }).catch((e) => {
    if (!/interrupted|aborted/i.test(e.message)) throw e;
  });
  return page;
}

test('a lookalike authorization URL is stopped before it loads: the interstitial names the real host and the lookalike finding', OPTS, async () => {
  const page = await open(entraRequest(LOOKALIKE, { scope: `openid ${ADO}/vso.code_write ${ADO}/vso.work` }));
  const card = await interstitial(stack, page);
  assert.equal(card.status, 'block');
  assert.equal(card.host, 'login-microsoftonline.com');
  assert.ok(card.findings.includes('AUTHORITY_LOOKALIKE'), card.findings.join());
  assert.equal(card.focused, 'go-back', '"Go back" is the default');
  const codeWrite = card.scopes.find((s) => s.scope === `${ADO}/vso.code_write`);
  assert.ok(codeWrite?.highPrivilege, 'vso.code_write is shown as high privilege');
  assert.match(codeWrite.text, /source code/i, 'the scope says what it unlocks');
  assert.deepEqual(reached[LOOKALIKE], [], 'nothing reached the lookalike host');
  await page.screenshot({ path: join(ARTIFACTS, 'consent-guard-interstitial.png'), fullPage: true });

  // "Go back" returns to where the tab was before (here the new tab's about:blank), never to the request.
  await Promise.all([page.waitForURL('about:blank'), page.click('#go-back')]);
  assert.deepEqual(reached[LOOKALIKE], []);
  await page.close();
});

test('a plain-http authority and an implicit-flow request are stopped before anything is sent', OPTS, async () => {
  // Sent by a web page (a link or script, as phishing is): the redirect target must be
  // web-accessible for this one, unlike for a typed address.
  const http = await stack.context.newPage();
  await http.goto(`${stack.app.origin}/start`);
  await http.evaluate((u) => { location.href = u; }, entraRequest('http://login.microsoftonline.com'));
  const httpCard = await interstitial(stack, http);
  assert.equal(httpCard.status, 'block');
  assert.ok(httpCard.findings.includes('AUTHORITY_NOT_HTTPS'), httpCard.findings.join());
  assert.deepEqual(reached['http://login.microsoftonline.com'], []);
  await http.close();

  const before = reached[ENTRA].length;
  const implicit = await open(entraRequest(ENTRA, { response_type: 'token' }));
  const implicitCard = await interstitial(stack, implicit);
  assert.equal(implicitCard.status, 'block');
  assert.equal(implicitCard.host, 'login.microsoftonline.com');
  assert.ok(implicitCard.findings.includes('RESPONSE_TYPE_NOT_CODE'), implicitCard.findings.join());
  assert.equal(reached[ENTRA].length, before, 'nothing reached login.microsoftonline.com');
  await implicit.close();
});

test('"continue anyway" on a blocked request works only through its second, explicit step', OPTS, async () => {
  const url = entraRequest(LOOKALIKE);
  const page = await open(url);
  await interstitial(stack, page);
  assert.equal(await page.locator('#confirm').isVisible(), false);
  await page.click('#continue');
  // The first step only asks.
  await page.locator('#confirm').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#continue').isDisabled(), true);
  await page.waitForTimeout(300);
  assert.ok(page.url().startsWith(`${stack.origin}/check.html`), 'still on the interstitial');
  assert.deepEqual(reached[LOOKALIKE], []);
  await page.screenshot({ path: join(ARTIFACTS, 'consent-guard-confirm.png'), fullPage: true });
  // A message without the confirmation is refused by the service worker as well.
  const refused = await page.evaluate((u) => chrome.runtime.sendMessage({ type: 'continue', url: u }), url);
  assert.match(refused.error ?? '', /confirmation/);

  await Promise.all([page.waitForURL(url), page.click('#confirm-continue')]);
  assert.deepEqual(reached[LOOKALIKE], [url], 'the request went out once, after the confirmation');
  await page.waitForLoadState('load');
  await assertBadge(page, '!');
  await page.close();
});

/** Waits for the badge the guard sets once the page has loaded. */
async function assertBadge(page, expected) {
  const deadline = Date.now() + 5_000;
  let text;
  while ((text = await badgeText(stack, page)) !== expected && Date.now() < deadline) await page.waitForTimeout(100);
  assert.equal(text, expected, `badge of ${page.url()}`);
}

test('a legitimate Entra request for Azure DevOps scopes loads, with an OK badge', OPTS, async () => {
  const url = entraRequest();
  const page = await open(url);
  await page.waitForURL(url);
  await page.waitForLoadState('load');
  assert.equal(await page.textContent('p'), 'sign-in page stand-in');
  assert.equal(reached[ENTRA].filter((u) => u === url).length, 1, 'the request went out once');
  await assertBadge(page, 'OK');
  // The one-time allowance is spent: the same URL in the same tab is checked again.
  const session = (await extensionStorage(stack)).session;
  const rules = await stack.worker.evaluate(() => chrome.declarativeNetRequest.getSessionRules());
  assert.deepEqual(rules, [], `no allowance left: ${JSON.stringify(session)}`);
  await page.close();
});

test('a warning shows the card and one click continues (legacy Azure DevOps OAuth)', OPTS, async () => {
  const url = authorizationUrl(`${LEGACY}/oauth2/authorize`, {
    client_id: APP_ID, response_type: 'Assertion', state: requestSecrets().state, scope: 'vso.code vso.work_write', redirect_uri: 'https://app.example/callback',
  });
  const page = await open(url);
  const card = await interstitial(stack, page);
  assert.equal(card.status, 'warn');
  assert.equal(card.host, 'app.vssps.visualstudio.com');
  assert.ok(card.findings.includes('LEGACY_ADO_OAUTH'), card.findings.join());
  assert.equal(card.focused, 'go-back');
  await Promise.all([page.waitForURL(url), page.click('#continue')]);
  assert.deepEqual(reached[LEGACY], [url]);
  await page.waitForLoadState('load');
  await assertBadge(page, '!');
  await page.close();
});

test("another provider's own sign-in request loads unjudged, without a card or a badge", OPTS, async () => {
  const url = authorizationUrl(`${OTHER}/o/oauth2/auth`, { response_type: 'code', client_id: 'abc', redirect_uri: 'https://app.example/cb', scope: 'email' });
  const page = await open(url);
  await page.waitForURL(url);
  await page.waitForLoadState('load');
  assert.deepEqual(reached[OTHER], [url]);
  assert.equal(await badgeText(stack, page), '');
  await page.close();
});

test('the record lists the apps approved in completed sign-ins (oidc-provider, an Entra stand-in), and holds no code, token or state', OPTS, async () => {
  // An Entra sign-in the stand-in completes at once: it answers the (ok) request with a redirect
  // to the app carrying an authorization response, as Entra does after consent.
  const entraState = requestSecrets().state;
  const entraCode = `stand-in-code-${requestSecrets().state}`;
  const entra = await stack.context.newPage();
  await entra.route((u) => u.origin === ENTRA, (route) => route.fulfill({
    status: 302, headers: { location: `${stack.redirectUri}?code=${entraCode}&state=${entraState}` },
  }));
  await entra.goto(entraRequest(ENTRA, { redirect_uri: stack.redirectUri, state: entraState }), { waitUntil: 'commit' }).catch(() => {});
  await entra.waitForURL((u) => u.href.startsWith(stack.redirectUri));

  // The test-only option: trust the loopback provider (plain http) through the options page.
  const options = await stack.context.newPage();
  await options.goto(`${stack.origin}/options.html`);
  await options.waitForFunction(() => document.getElementById('status').dataset.status === 'ready');
  await options.fill('#trusted', '127.0.0.1');
  await options.check('#loopback');
  await options.click('button[type="submit"]');
  await options.waitForFunction(() => document.getElementById('status').dataset.status === 'saved');
  await options.close();

  const s = requestSecrets();
  const url = authorizationUrl(`${stack.issuer}/auth`, {
    client_id: GUARD_CLIENT_ID, response_type: 'code', redirect_uri: stack.redirectUri, scope: 'openid profile email',
    state: s.state, nonce: s.nonce, code_challenge: s.challenge, code_challenge_method: 'S256',
  });
  const page = await open(url);
  const card = await interstitial(stack, page);
  assert.equal(card.status, 'warn', 'a trusted loopback provider gets a warning, not a pass');
  assert.deepEqual(card.findings, ['AUTHORITY_DEV_LOOPBACK']);
  await page.click('#continue');
  await submitLogin(page, { issuer: stack.issuer });
  await submitConsent(page, { issuer: stack.issuer });
  await page.waitForURL((u) => u.href.startsWith(stack.redirectUri));
  const response = new URL(page.url());
  const code = response.searchParams.get('code');
  assert.ok(code, 'the provider answered with a code');
  assert.equal(response.searchParams.get('state'), s.state);

  const record = await stack.context.newPage();
  await record.goto(`${stack.origin}/approvals.html`);
  await record.waitForFunction(() => document.getElementById('status').dataset.count === '2');
  const entries = record.locator('.approvals > li');
  assert.deepEqual(await entries.evaluateAll((els) => els.map((e) => e.dataset.clientId)), [GUARD_CLIENT_ID, APP_ID], 'newest first');
  const provider = await entries.nth(0).textContent();
  assert.ok(provider.includes(new URL(stack.redirectUri).origin) && provider.includes('127.0.0.1'), provider);
  const entraLinks = await entries.nth(1).locator('.revoke a').evaluateAll((as) => as.map((a) => a.href));
  assert.deepEqual(entraLinks, ['https://myapps.microsoft.com/', 'https://account.live.com/consent/Manage']);
  await record.screenshot({ path: join(ARTIFACTS, 'consent-guard-record.png'), fullPage: true });

  const storage = await extensionStorage(stack);
  const [fromProvider, fromEntra] = storage.local.approvals;
  for (const stored of [fromProvider, fromEntra]) {
    assert.deepEqual(Object.keys(stored).sort(), ['approvedAt', 'authority', 'clientId', 'id', 'redirectOrigin', 'scopes', 'verdict']);
    assert.equal(stored.redirectOrigin, new URL(stack.redirectUri).origin);
  }
  assert.equal(fromProvider.clientId, GUARD_CLIENT_ID);
  assert.deepEqual(fromProvider.authority, { host: '127.0.0.1', kind: 'trusted' });
  assert.deepEqual(fromProvider.scopes.map((x) => x.scope), ['openid', 'profile', 'email']);
  assert.equal(fromEntra.verdict, 'ok');
  assert.deepEqual(fromEntra.authority, { host: 'login.microsoftonline.com', kind: 'entra-global', tenant: 'organizations' });
  assert.deepEqual(fromEntra.scopes.filter((x) => x.title).map((x) => [x.scope, x.title]), [[`${ADO}/vso.code`, 'Read source code'], [`${ADO}/vso.work`, 'Read work items']]);
  const everything = JSON.stringify(storage);
  for (const secret of [code, s.state, s.nonce, s.challenge, s.verifier, entraCode, entraState]) {
    assert.ok(!everything.includes(secret), 'no code, state, nonce or PKCE value in chrome.storage');
  }
  assert.doesNotMatch(everything, /code=|access_token|id_token|refresh_token/);

  await entries.nth(0).locator('.forget').click();
  await record.waitForFunction(() => document.getElementById('status').dataset.count === '1');
  assert.deepEqual((await extensionStorage(stack)).local.approvals.map((e) => e.clientId), [APP_ID]);
  for (const p of [record, page, entra]) await p.close();
  assert.deepEqual(stack.problems, []);
});
