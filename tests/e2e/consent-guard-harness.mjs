// Set-up for the consent guard end-to-end tests: the example extension www/consent-guard copied
// with the package into a temp folder, given a fixed key, and loaded unpacked into Chromium (new
// headless mode), next to oidc-provider and a plain app server (the redirect URI) on loopback.

import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

import { buildExtension } from '../../scripts/build-extension.mjs';
import { startProvider } from '../../www/dev/provider.mjs';
import { CHROMIUM_FLAGS } from '../../www/dev/browser.mjs';
import { STEP_TIMEOUT } from './harness.mjs';
import { extensionKey } from './extension-harness.mjs';

export const GUARD_CLIENT_ID = 'consent-guard-e2e';
export const ADO = '499b84ac-1321-427f-aa17-267ca6975798';

/** A page any path of the app server answers with (the redirect URI among them). */
const APP_PAGE = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>app</title><link rel="icon" href="data:,"></head><body><p>app page</p></body></html>';

function startAppServer() {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(APP_PAGE);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({
      origin: `http://127.0.0.1:${server.address().port}`,
      close: () => new Promise((done) => { server.close(() => done()); server.closeAllConnections(); }),
    }));
  });
}

/** PKCE (RFC 7636 §4.2, S256), state and nonce of a well-formed request. */
export function requestSecrets() {
  const verifier = randomBytes(32).toString('base64url');
  return {
    verifier,
    challenge: createHash('sha256').update(verifier).digest('base64url'),
    state: randomBytes(16).toString('base64url'),
    nonce: randomBytes(16).toString('base64url'),
  };
}

/** An authorization request URL: `base` plus `params` in order (RFC 6749 §4.1.1). */
export function authorizationUrl(base, params) {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.href;
}

/**
 * Starts the provider (client redirect URI on the app server), the app server, and Chromium
 * with the guard loaded; resolves once the guard's rules are installed. `stop()` never throws.
 */
export async function startGuardStack() {
  const started = [];
  let temp;
  const stop = async () => {
    const results = await Promise.allSettled(started.reverse().map((close) => close()));
    if (temp) results.push(...await Promise.allSettled([rm(temp, { recursive: true, force: true, maxRetries: 3 })]));
    for (const r of results) if (r.status === 'rejected') console.error('teardown:', r.reason);
  };

  try {
    temp = await mkdtemp(join(tmpdir(), 'browser-oauth-guard-'));
    const dir = await buildExtension({ out: join(temp, 'consent-guard'), extension: 'consent-guard' });
    const { key, id } = extensionKey();
    const origin = `chrome-extension://${id}`;

    const app = await startAppServer();
    started.push(() => app.close());
    const redirectUri = `${app.origin}/callback`;
    const provider = await startProvider({ clients: [{ client_id: GUARD_CLIENT_ID, redirect_uris: [redirectUri] }] });
    started.push(() => provider.close());

    const manifestPath = join(dir, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    manifest.key = key;
    await writeFile(manifestPath, JSON.stringify(manifest, null, 2));

    const context = await chromium.launchPersistentContext(join(temp, 'profile'), {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      headless: false, // --headless=new in CHROMIUM_FLAGS runs extensions
      ignoreDefaultArgs: ['--disable-extensions'],
      args: [...CHROMIUM_FLAGS, `--disable-extensions-except=${dir}`, `--load-extension=${dir}`],
      timeout: 30_000,
    });
    started.push(() => context.close());
    context.setDefaultTimeout(STEP_TIMEOUT);
    context.setDefaultNavigationTimeout(STEP_TIMEOUT);

    const worker = context.serviceWorkers().find((w) => w.url().startsWith(origin))
      ?? await context.waitForEvent('serviceworker', { predicate: (w) => w.url().startsWith(origin), timeout: STEP_TIMEOUT });
    // The guard's redirect rules are in place before any test navigates.
    const deadline = Date.now() + STEP_TIMEOUT;
    while ((await worker.evaluate(() => chrome.declarativeNetRequest.getDynamicRules())).length < 3) {
      if (Date.now() > deadline) throw new Error('the guard did not install its rules');
      await new Promise((r) => { setTimeout(r, 50); });
    }

    // CSP violations and uncaught errors on extension pages: must stay empty.
    const problems = [];
    context.on('page', (page) => {
      page.on('console', (msg) => {
        if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) problems.push(msg.text());
      });
      page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    });

    return { id, origin, dir, app, redirectUri, provider, issuer: provider.issuer, context, worker, problems, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The tab id of `page`, found by its URL through the extension. */
export async function tabIdOf(stack, page) {
  const ids = await stack.worker.evaluate((url) => chrome.tabs.query({}).then((tabs) => tabs.filter((t) => t.url === url).map((t) => t.id)), page.url());
  if (ids.length !== 1) throw new Error(`${ids.length} tabs show ${page.url()}`);
  return ids[0];
}

/** The badge text the guard set on `page`'s tab, read in the service worker. */
export async function badgeText(stack, page) {
  const tabId = await tabIdOf(stack, page);
  return stack.worker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
}

/** The interstitial's settled state: its status and the card's data. */
export async function interstitial(stack, page) {
  await page.waitForURL((url) => url.href.startsWith(`${stack.origin}/check.html`));
  await page.waitForFunction(() => !['loading', undefined].includes(document.getElementById('status')?.dataset.status));
  return page.evaluate(() => ({
    status: document.getElementById('status').dataset.status,
    host: document.getElementById('host').textContent,
    findings: [...document.querySelectorAll('#findings li')].map((li) => li.dataset.code),
    scopes: [...document.querySelectorAll('#scopes li')].map((li) => ({ scope: li.dataset.scope, highPrivilege: li.dataset.highPrivilege === 'true', text: li.textContent })),
    focused: document.activeElement?.id,
  }));
}

/** Everything the extension keeps in chrome.storage (local and session). */
export function extensionStorage(stack) {
  return stack.worker.evaluate(async () => ({
    local: await chrome.storage.local.get(null),
    session: await chrome.storage.session.get(null),
  }));
}

/** Counts requests that reach `origin` from the browser (fulfilled with `body`). */
export async function standIn(context, origin, body = '<!DOCTYPE html><title>stand-in</title><p>sign-in page stand-in</p>') {
  const seen = [];
  await context.route((url) => url.origin === origin, (route) => {
    seen.push(route.request().url());
    return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body });
  });
  return seen;
}
