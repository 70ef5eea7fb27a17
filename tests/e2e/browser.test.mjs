// The test harness itself, in Chromium, without the package: the CSP the dev server sends is
// enforced as intended, and the provider's login/consent pages can be driven to a code or to
// access_denied. The code is then redeemed from node to pin the provider's token behaviour
// (refresh token for offline_access, rotation on use).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startProvider } from '../../www/dev/provider.mjs';
import { startStaticServer } from '../../www/dev/server.mjs';
import {
  launchChromium, submitLogin, completeProviderInteraction, cancelInteraction,
} from '../../www/dev/browser.mjs';

const CLIENT_ID = 'browser-test';
const OPTS = { timeout: 60_000 };

const PLAIN_HTML = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>plain</title>
<link rel="icon" href="data:,">
<script>window.inlineScriptRan = true;</script>
<script type="module" src="/www/plain.js"></script>
</head><body><p id="styled" style="color: rgb(255, 0, 0)">x</p></body></html>`;

const PLAIN_JS = `const results = {};
try { eval('1'); results.eval = 'allowed'; } catch (e) { results.eval = e.name; }
try {
  await WebAssembly.instantiate(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  results.wasm = 'ok';
} catch (e) { results.wasm = e.name; }
results.inlineScript = window.inlineScriptRan ? 'ran' : 'blocked';
results.inlineStyle = getComputedStyle(document.getElementById('styled')).color;
try {
  await fetch('/demo-config.json');
  results.fetchSelf = 'ok';
} catch (e) { results.fetchSelf = e.name; }
document.body.dataset.results = JSON.stringify(results);
`;

let dir;
let app;
let provider;
let browser;
let redirectUri;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'browser-oauth-browser-'));
  await mkdir(join(dir, 'www'));
  await writeFile(join(dir, 'www', 'plain.html'), PLAIN_HTML);
  await writeFile(join(dir, 'www', 'plain.js'), PLAIN_JS);
  await writeFile(join(dir, 'www', 'callback.html'), '<!DOCTYPE html><title>callback</title>');
  app = await startStaticServer({ root: dir });
  redirectUri = `${app.origin}/www/callback.html`;
  provider = await startProvider({ clients: [{ client_id: CLIENT_ID, redirect_uris: [redirectUri] }] });
  app.setDemoConfig({ issuer: provider.issuer, clientId: CLIENT_ID, redirectUri });
  browser = await launchChromium();
});

after(async () => {
  await Promise.allSettled([browser?.close(), app?.close(), provider?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function newPage(t) {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  t.after(() => context.close());
  return context.newPage();
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeUrl({ challenge, state }) {
  const url = new URL(`${provider.issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: 'openid profile email offline_access',
    state,
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    prompt: 'consent',
  });
  return url.href;
}

async function tokenRequest(params) {
  const response = await fetch(`${provider.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: app.origin },
    body: new URLSearchParams({ client_id: CLIENT_ID, ...params }),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: await response.json() };
}

test('the dev server CSP allows self scripts and wasm, blocks eval, inline script and inline style', OPTS, async (t) => {
  const page = await newPage(t);
  const violations = [];
  page.on('console', (msg) => { if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text()); });
  await page.goto(`${app.origin}/www/plain.html`);
  await page.waitForFunction(() => document.body.dataset.results);
  const results = JSON.parse(await page.evaluate(() => document.body.dataset.results));
  assert.deepEqual(results, {
    eval: 'EvalError',
    wasm: 'ok',
    inlineScript: 'blocked',
    inlineStyle: 'rgb(0, 0, 0)',
    fetchSelf: 'ok',
  });
  assert.ok(violations.length >= 2, 'the blocked inline script and style are reported');
});

test('login and consent at the provider yield a code with state and iss; offline_access gives a rotating refresh token', OPTS, async (t) => {
  const page = await newPage(t);
  const { verifier, challenge } = pkce();
  const state = randomBytes(16).toString('base64url');
  provider.resetTokenLog();

  await page.goto(authorizeUrl({ challenge, state }));
  await completeProviderInteraction(page, { issuer: provider.issuer, login: 'alice' });
  await page.waitForURL((url) => url.href.startsWith(redirectUri));

  const callback = new URL(page.url());
  assert.equal(callback.searchParams.get('state'), state);
  assert.equal(callback.searchParams.get('iss'), provider.issuer);
  const code = callback.searchParams.get('code');
  assert.ok(code);

  const first = await tokenRequest({
    grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier,
  });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.body.token_type, 'Bearer');
  assert.ok(first.body.access_token && first.body.id_token && first.body.refresh_token);
  assert.equal(first.body.expires_in, 3600);
  assert.deepEqual(first.body.scope.split(' ').sort(), ['email', 'offline_access', 'openid', 'profile']);
  const claims = JSON.parse(Buffer.from(first.body.id_token.split('.')[1], 'base64url'));
  assert.equal(claims.sub, 'alice');
  assert.equal(claims.iss, provider.issuer);
  assert.equal(claims.aud, CLIENT_ID);

  // Refresh rotates: a new refresh token, and the old one no longer works; reusing the old one
  // revokes the whole grant, so the new one dies too (reuse detection).
  const refreshed = await tokenRequest({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
  assert.equal(refreshed.status, 200, JSON.stringify(provider.tokenLog.at(-1)));
  assert.ok(refreshed.body.refresh_token);
  assert.notEqual(refreshed.body.refresh_token, first.body.refresh_token);
  const reused = await tokenRequest({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
  assert.equal(reused.body.error, 'invalid_grant');
  assert.equal(provider.tokenLog.at(-1).detail, 'refresh token already used');
  const afterReuse = await tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token });
  assert.equal(afterReuse.body.error, 'invalid_grant');

  // The code is single-use.
  const replay = await tokenRequest({
    grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier,
  });
  assert.equal(replay.body.error, 'invalid_grant');

  assert.deepEqual(provider.tokenLog.map((e) => e.grantType), [
    'authorization_code', 'refresh_token', 'refresh_token', 'refresh_token', 'authorization_code',
  ]);
});

test('cancelling consent at the provider yields access_denied with state and iss', OPTS, async (t) => {
  const page = await newPage(t);
  const state = randomBytes(16).toString('base64url');
  await page.goto(authorizeUrl({ challenge: pkce().challenge, state }));
  await submitLogin(page, { issuer: provider.issuer });
  await cancelInteraction(page, { issuer: provider.issuer, prompt: 'consent' });
  await page.waitForURL((url) => url.href.startsWith(redirectUri));

  const callback = new URL(page.url());
  assert.equal(callback.searchParams.get('error'), 'access_denied');
  assert.equal(callback.searchParams.get('error_description'), 'End-User aborted interaction');
  assert.equal(callback.searchParams.get('state'), state);
  assert.equal(callback.searchParams.get('iss'), provider.issuer);
  assert.equal(callback.searchParams.get('code'), null);
});
