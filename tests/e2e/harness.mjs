// Shared set-up for the end-to-end tests: a local OpenID provider, the static server for the demo
// page and headless Chromium, all on 127.0.0.1 free ports, torn down together.

import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startProvider } from '../../www/dev/provider.mjs';
import { startStaticServer } from '../../www/dev/server.mjs';
import { launchChromium } from '../../www/dev/browser.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLIENT_ID = 'browser-oauth-e2e';
export const STEP_TIMEOUT = 15_000;
export const TEST_TIMEOUT = 90_000;

/** Fails fast, with the fix, when the package has not been built. */
export function assertPackageBuilt() {
  const missing = ['js/index.js', 'dist/wasm-start/browser_oauth_start.js', 'dist/wasm-start/browser_oauth_start_bg.wasm', 'dist/wasm-account/browser_oauth_account.js', 'dist/wasm-account/browser_oauth_account_bg.wasm', 'dist/wasm-consent/browser_oauth_consent.js', 'dist/wasm-consent/browser_oauth_consent_bg.wasm']
    .filter((file) => !existsSync(resolve(ROOT, file)));
  if (missing.length) {
    throw new Error(`the package is not built (missing ${missing.join(', ')}): run bash scripts/setup`);
  }
}

/**
 * Starts provider + static server + Chromium with one page open on nothing yet.
 * Everything started is registered for `stop()`, which never throws.
 */
export async function startStack({ responseMode = 'query' } = {}) {
  const started = [];
  const stop = async () => {
    const results = await Promise.allSettled(started.reverse().map((close) => close()));
    for (const r of results) if (r.status === 'rejected') console.error('teardown:', r.reason);
  };

  try {
    const app = await startStaticServer({ root: ROOT });
    started.push(() => app.close());
    const redirectUri = `${app.origin}/www/index.html`;

    const provider = await startProvider({
      clients: [{ client_id: CLIENT_ID, redirect_uris: [redirectUri] }],
    });
    started.push(() => provider.close());

    app.setDemoConfig({
      issuer: provider.issuer,
      clientId: CLIENT_ID,
      redirectUri,
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      responseMode,
      allowHttpLoopback: true,
    });

    const browser = await launchChromium();
    started.push(() => browser.close());
    const context = await browser.newContext();
    context.setDefaultTimeout(STEP_TIMEOUT);
    context.setDefaultNavigationTimeout(STEP_TIMEOUT);
    const page = await context.newPage();

    // What the page reports: CSP violations and uncaught errors must stay empty.
    const problems = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) problems.push(msg.text());
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));

    return {
      app, provider, browser, context, page, problems, redirectUri, issuer: provider.issuer, stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Opens the demo page and waits until it has settled on a status other than "loading". */
export async function openDemo(page, url) {
  await page.goto(url);
  return demoStatus(page);
}

/** Waits for the demo's status to leave "loading" and returns it. */
export async function demoStatus(page) {
  await page.waitForFunction(
    () => {
      const status = document.getElementById('status')?.dataset.status;
      return status && status !== 'loading';
    },
    undefined,
    { timeout: STEP_TIMEOUT },
  );
  return page.locator('#status').getAttribute('data-status');
}

export const text = (page, selector) => page.locator(selector).textContent();

/** Every Web Storage entry of the page's origin, as [area, key, value]. */
export async function storageEntries(page) {
  return page.evaluate(() => {
    const out = [];
    for (const [area, storage] of [['session', sessionStorage], ['local', localStorage]]) {
      for (let i = 0; i < storage.length; i += 1) {
        const key = storage.key(i);
        out.push([area, key, storage.getItem(key)]);
      }
    }
    return out;
  });
}

/** Entries that look like they hold a token (by name or by one of the given token values). */
export async function storedTokens(page, tokenValues = []) {
  const pattern = /access_?token|refresh_?token|id_?token/i;
  const values = tokenValues.filter(Boolean);
  return (await storageEntries(page)).filter(([, key, value]) => pattern.test(key)
    || pattern.test(value ?? '')
    || values.some((token) => (value ?? '').includes(token)));
}

/** Records the provider's token responses as the browser received them. */
export function recordTokenResponses(page, issuer) {
  const tokens = [];
  page.on('response', async (response) => {
    const request = response.request();
    if (request.method() === 'POST' && response.url() === `${issuer}/token`) {
      try {
        tokens.push(await response.json());
      } catch {
        tokens.push(null);
      }
    }
  });
  return tokens;
}

/** Records the URLs of navigations back to the redirect URI that carry an authorization response. */
export function recordCallbacks(page, redirectUri) {
  const urls = [];
  page.on('request', (request) => {
    if (!request.isNavigationRequest()) return;
    const url = request.url();
    if (url.startsWith(redirectUri) && /[?#&](code|error)=/.test(url)) urls.push(url);
  });
  return urls;
}

/**
 * Lets `rewrite(url)` change the provider's authorization response before the browser sees it.
 *
 * Playwright routes only the first request of a redirect chain, and the response reaches the app
 * through redirects (form POST at the provider → /auth/:uid → redirect URI). So the interaction
 * form POSTs are routed, their redirect hops are followed here with the browser context's cookies,
 * and the browser gets one redirect: to the next provider page, or to the rewritten callback.
 * Returns a record whose `original` and `rewritten` are set once a callback passed through.
 * `target` is a page, or a browser context to cover every page (an extension's sign-in window).
 */
export async function rewriteAuthorizationResponse(target, { issuer, redirectUri, rewrite }) {
  const seen = {};
  await target.route((url) => url.origin === issuer && url.pathname.startsWith('/interaction/'), async (route) => {
    if (route.request().method() !== 'POST') {
      await route.continue();
      return;
    }
    let response = await route.fetch({ maxRedirects: 0 });
    for (let hop = 0; hop < 5; hop += 1) {
      const location = response.headers().location;
      if (!location || ![301, 302, 303, 307, 308].includes(response.status())) break;
      const next = new URL(location, response.url()).href;
      if (next.startsWith(redirectUri)) {
        seen.original = next;
        seen.rewritten = rewrite(new URL(next)).href;
        await route.fulfill({ status: 303, headers: { location: seen.rewritten } });
        return;
      }
      if (!next.startsWith(`${issuer}/`)) break;
      response = await target.request.get(next, { maxRedirects: 0 });
    }
    await route.fulfill({ response });
  });
  return seen;
}
