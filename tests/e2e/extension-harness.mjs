// Set-up for the extension end-to-end tests: the example extension (www/extension) copied with the
// package into a temp folder, given a fixed key (so its id, and with it its redirect URI
// https://<id>.chromiumapp.org/, is known before Chromium starts) and a config.json naming the
// local oidc-provider; then loaded unpacked into Chromium (persistent context, --load-extension,
// new headless mode). chrome.identity.launchWebAuthFlow opens its sign-in window as an ordinary
// page of the browser context, so the provider's login and consent pages are clicked like in the
// other tests, and Chromium itself catches the redirect to chromiumapp.org.

import { generateKeyPairSync, createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

import { buildExtension } from '../../scripts/build-extension.mjs';
import { startProvider } from '../../www/dev/provider.mjs';
import { CHROMIUM_FLAGS, submitLogin, submitConsent, cancelInteraction } from '../../www/dev/browser.mjs';
import { STEP_TIMEOUT, rewriteAuthorizationResponse as rewriteInTarget } from './harness.mjs';

export const EXTENSION_CLIENT_ID = 'browser-oauth-extension-e2e';
export const SCOPES = ['openid', 'profile', 'email', 'offline_access'];

/** A manifest `key` and the extension id Chromium derives from it (SHA-256 of the key, a–p). */
export function extensionKey() {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const id = [...createHash('sha256').update(der).digest('hex').slice(0, 32)]
    .map((c) => String.fromCharCode(97 + parseInt(c, 16)))
    .join('');
  return { key: der.toString('base64'), id };
}

/**
 * Starts oidc-provider (the extension's redirect URI registered, CORS open to its
 * chrome-extension:// origin), prepares the extension copy and launches Chromium with it.
 * `csp: null` removes the manifest's content_security_policy (the MV3 default then applies).
 * `stop()` never throws.
 */
export async function startExtensionStack({ csp, ttl } = {}) {
  const started = [];
  let temp;
  const stop = async () => {
    const results = await Promise.allSettled(started.reverse().map((close) => close()));
    // The folder last, once Chromium has stopped writing its profile there.
    if (temp) results.push(...await Promise.allSettled([rm(temp, { recursive: true, force: true, maxRetries: 3 })]));
    for (const r of results) if (r.status === 'rejected') console.error('teardown:', r.reason);
  };

  try {
    temp = await mkdtemp(join(tmpdir(), 'browser-oauth-ext-'));
    const dir = await buildExtension({ out: join(temp, 'extension') });

    const { key, id } = extensionKey();
    const origin = `chrome-extension://${id}`;
    const redirectUri = `https://${id}.chromiumapp.org/`;

    const provider = await startProvider({
      clients: [{ client_id: EXTENSION_CLIENT_ID, redirect_uris: [redirectUri], extraOrigins: [origin] }],
      ttl,
    });
    started.push(() => provider.close());

    const manifestPath = join(dir, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    manifest.key = key;
    if (csp === null) delete manifest.content_security_policy;
    await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
    await writeFile(join(dir, 'config.json'), JSON.stringify({
      issuer: provider.issuer,
      clientId: EXTENSION_CLIENT_ID,
      scopes: SCOPES,
      prompt: 'consent', // oidc-provider grants offline_access only with prompt=consent
      allowHttpLoopback: true,
    }, null, 2));

    const context = await chromium.launchPersistentContext(join(temp, 'profile'), {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      // New headless mode runs extensions; Playwright's own headless switch is replaced by it.
      headless: false,
      ignoreDefaultArgs: ['--disable-extensions'],
      args: [...CHROMIUM_FLAGS, `--disable-extensions-except=${dir}`, `--load-extension=${dir}`],
      timeout: 30_000,
    });
    started.push(() => context.close());
    context.setDefaultTimeout(STEP_TIMEOUT);
    context.setDefaultNavigationTimeout(STEP_TIMEOUT);

    const worker = context.serviceWorkers().find((w) => w.url().startsWith(origin))
      ?? await context.waitForEvent('serviceworker', { predicate: (w) => w.url().startsWith(origin), timeout: STEP_TIMEOUT });

    // CSP violations and uncaught errors on extension pages: must stay empty.
    const problems = [];
    context.on('page', (page) => {
      page.on('console', (msg) => {
        if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) problems.push(msg.text());
      });
      page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    });

    // Authorization requests the provider accepted (none may arrive before the user agreed).
    const authorizations = [];
    provider.provider.on('authorization.accepted', (ctx) => authorizations.push(ctx.oidc?.params?.redirect_uri));

    return {
      id, origin, redirectUri, dir, provider, issuer: provider.issuer, context, worker, problems, authorizations, stop,
      optionsUrl: `${origin}/options.html`,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Opens the extension page and waits until it has settled (status not "loading"). */
export async function openOptions(stack) {
  const page = await stack.context.newPage();
  await page.goto(stack.optionsUrl);
  await pageStatus(page);
  return page;
}

/** The settled status of the extension page. */
export async function pageStatus(page) {
  await page.waitForFunction(() => {
    const status = document.getElementById('status')?.dataset.status;
    return status && status !== 'loading';
  }, undefined, { timeout: STEP_TIMEOUT });
  return page.locator('#status').getAttribute('data-status');
}

const lastAction = (page) => page.evaluate(() => ({ ...document.getElementById('last-action').dataset }));

/** Clicks a button of the extension page; `done` resolves to the action's outcome. */
export async function startAction(page, id) {
  const before = Number((await lastAction(page)).seq);
  await page.click(`#${id}`);
  const done = page
    .waitForFunction((n) => Number(document.getElementById('last-action').dataset.seq) > n, before, { timeout: 30_000 })
    .then(() => lastAction(page));
  return { done };
}

/** The next page of the context that shows the provider: launchWebAuthFlow's sign-in window. */
export function nextAuthWindow(stack) {
  return stack.context.waitForEvent('page', { timeout: STEP_TIMEOUT }).then(async (page) => {
    await page.waitForURL((url) => url.origin === stack.issuer, { timeout: STEP_TIMEOUT });
    return page;
  });
}

/**
 * In the sign-in window: login as `login` and consent, as many as the provider asks for. The
 * window then closes by itself (Chromium caught the redirect to chromiumapp.org).
 */
export async function approveInAuthWindow(window, stack, { login = 'alice' } = {}) {
  const { issuer } = stack;
  const closed = window.waitForEvent('close', { timeout: 30_000 }).then(() => 'closed', () => 'still open');
  for (let step = 0; step < 4; step += 1) {
    // The provider's next page (its URL may not change when a test routes the form POSTs).
    const prompt = await Promise.race([
      closed,
      window.locator('input[name="prompt"]').first().getAttribute('value').catch(() => closed),
    ]);
    if (prompt === 'closed' || prompt === 'still open') break;
    const navigated = window.waitForEvent('framenavigated', { predicate: (f) => f === window.mainFrame() }).catch(() => null);
    if (prompt === 'login') await submitLogin(window, { issuer, login });
    else if (prompt === 'consent') await submitConsent(window, { issuer });
    else throw new Error(`unexpected provider page (prompt ${prompt})`);
    await Promise.race([closed, navigated]);
  }
  if ((await closed) !== 'closed') throw new Error(`the sign-in window did not close: ${window.url()}`);
}

/** In the sign-in window: "[ Cancel ]" on the provider's login page (`error=access_denied`). */
export async function denyInAuthWindow(window, stack) {
  await cancelInteraction(window, { issuer: stack.issuer, prompt: 'login' });
  if (!window.isClosed()) await window.waitForEvent('close', { timeout: STEP_TIMEOUT });
}

/**
 * Lets `rewrite(url)` change the authorization response on its way from the provider to
 * chromiumapp.org, for every page of the context (the sign-in window is one): harness.mjs's
 * `rewriteAuthorizationResponse` applied to the whole context.
 */
export function rewriteAuthorizationResponse(stack, rewrite) {
  const { context, issuer, redirectUri } = stack;
  return rewriteInTarget(context, { issuer, redirectUri, rewrite });
}

/** Everything in chrome.storage.session and chrome.storage.local, read in the service worker. */
export function extensionStorage(worker) {
  return worker.evaluate(async () => ({
    session: await chrome.storage.session.get(null),
    local: await chrome.storage.local.get(null),
  }));
}

/** Sends a message to the service worker from an extension page, as the page's buttons do. */
export function messageWorker(page, message) {
  return page.evaluate((m) => chrome.runtime.sendMessage(m), message);
}
