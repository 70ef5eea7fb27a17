// Set-up for the session end-to-end tests: the "manage authorizations" page (www/account.html) in
// headless Chromium against the local oidc-provider, plus helpers that drive the page like a user
// and read what the browser and the provider hold.

import { setTimeout as sleep } from 'node:timers/promises';

import { startProvider } from '../../www/dev/provider.mjs';
import { startStaticServer } from '../../www/dev/server.mjs';
import { launchChromium, submitLogin, submitConsent } from '../../www/dev/browser.mjs';
import { ROOT, CLIENT_ID, STEP_TIMEOUT } from './harness.mjs';

export { sleep };

/**
 * Starts the static server, a provider on which both demo pages are registered redirect URIs,
 * and Chromium with one browser context (shared storage, cookies and Web Locks between its
 * pages, like the tabs of one profile). `ttl` is passed to oidc-provider. `stop()` never throws.
 */
export async function startSessionStack({ ttl } = {}) {
  const started = [];
  const stop = async () => {
    const results = await Promise.allSettled(started.reverse().map((close) => close()));
    for (const r of results) if (r.status === 'rejected') console.error('teardown:', r.reason);
  };

  try {
    const app = await startStaticServer({ root: ROOT });
    started.push(() => app.close());
    const accountUri = `${app.origin}/www/account.html`;
    const provider = await startProvider({
      clients: [{ client_id: CLIENT_ID, redirect_uris: [accountUri, `${app.origin}/www/index.html`] }],
      ttl,
    });
    started.push(() => provider.close());
    app.setDemoConfig({
      issuer: provider.issuer,
      clientId: CLIENT_ID,
      redirectUri: `${app.origin}/www/index.html`,
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      responseMode: 'query',
      allowHttpLoopback: true,
    });

    const browser = await launchChromium();
    started.push(() => browser.close());
    const context = await browser.newContext();
    context.setDefaultTimeout(STEP_TIMEOUT);
    context.setDefaultNavigationTimeout(STEP_TIMEOUT);

    // CSP violations and uncaught errors, from every page: must stay empty.
    const problems = [];
    context.on('page', (page) => {
      page.on('console', (msg) => {
        if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) problems.push(msg.text());
      });
      page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    });
    const page = await context.newPage();

    return {
      app,
      provider,
      issuer: provider.issuer,
      browser,
      context,
      page,
      problems,
      accountUri,
      /** The storage key of the session (src/platform/session.rs). */
      sessionKey: `browser-oauth:session:${CLIENT_ID}@${provider.issuer}`,
      lockName: `browser-oauth:refresh:${CLIENT_ID}@${provider.issuer}`,
      /** The account page with these query parameters, e.g. `{ storage: 'local' }`. */
      url(params = {}) {
        const u = new URL(accountUri);
        u.search = new URLSearchParams(params);
        return u.href;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Waits until the page has settled (status not "loading") and returns the status. */
export async function pageStatus(page) {
  await page.waitForFunction(() => {
    const status = document.getElementById('status')?.dataset.status;
    return status && status !== 'loading';
  }, undefined, { timeout: STEP_TIMEOUT });
  return page.locator('#status').getAttribute('data-status');
}

/** Opens the account page and returns its settled status. */
export async function openAccount(page, url) {
  await page.goto(url);
  return pageStatus(page);
}

/** Waits until the status is `status` (e.g. after an event from another tab). */
export async function waitForStatus(page, status) {
  await page.waitForFunction((s) => document.getElementById('status')?.dataset.status === s, status, { timeout: STEP_TIMEOUT });
}

/**
 * Presses "Sign in" and passes the provider's pages as alice: the login page when the provider
 * has no session yet, then consent (the page asks with prompt=consent). Returns the settled
 * status back on the account page.
 */
export async function signIn(page, stack, { login = 'alice' } = {}) {
  const { issuer, accountUri } = stack;
  const onInteraction = (url) => url.origin === issuer && url.pathname.startsWith('/interaction/');
  await page.click('#sign-in');
  await page.waitForURL(onInteraction);
  for (let step = 0; step < 3; step += 1) {
    const prompt = await page.locator('input[name="prompt"]').first().getAttribute('value');
    const before = page.url();
    if (prompt === 'login') await submitLogin(page, { issuer, login });
    else if (prompt === 'consent') await submitConsent(page, { issuer });
    else throw new Error(`unexpected provider page (prompt ${prompt}) at ${before}`);
    await page.waitForURL((url) => url.href !== before && (url.href.startsWith(accountUri) || onInteraction(url)));
    if (page.url().startsWith(accountUri)) return pageStatus(page);
  }
  throw new Error(`still at the provider after login and consent: ${page.url()}`);
}

const lastAction = (page) => page.evaluate(() => ({ ...document.getElementById('last-action').dataset }));

/**
 * Clicks the button `id` without waiting for the action, and returns `{ done }`: a promise of the
 * action's outcome (`{ name, outcome: 'ok'|'error', code, seq, … }` from #last-action).
 */
export async function startAction(page, id) {
  const before = Number((await lastAction(page)).seq);
  await page.evaluate((button) => document.getElementById(button).click(), id);
  const done = page
    .waitForFunction((n) => Number(document.getElementById('last-action').dataset.seq) > n, before, { timeout: STEP_TIMEOUT })
    .then(() => lastAction(page));
  return { done };
}

/** Clicks the button `id` and waits for the action's outcome. */
export async function act(page, id) {
  const { done } = await startAction(page, id);
  return done;
}

/** Fetches `url` through the page's "Call an API" form (client.fetch). */
export async function fetchThroughPage(page, url) {
  await page.fill('#fetch-url', url);
  const result = await act(page, 'fetch-send');
  return { ...result, status: await page.locator('#fetch-result').getAttribute('data-status') };
}

/** The raw stored session (`area` is `local` or `session`), or `null`. */
export function rawEntry(page, stack, area = 'local') {
  return page.evaluate(([key, where]) => (where === 'local' ? localStorage : sessionStorage).getItem(key), [stack.sessionKey, area]);
}

/**
 * The stored session opened and parsed, or `null`. Persistent stores are sealed (AES-GCM,
 * `bo-enc1.` + base64url(iv || ciphertext), the storage key as additional data): opened here as
 * any script on the page can, with the non-extractable key from IndexedDB.
 */
export async function entry(page, stack, area = 'local') {
  const raw = await rawEntry(page, stack, area);
  return raw === null ? null : JSON.parse(await openSealed(page, stack.sessionKey, raw));
}

/** Opens a sealed value stored under `name` with the origin's key for it. */
export function openSealed(page, name, sealed) {
  return page.evaluate(async ([keyName, value]) => {
    const key = await new Promise((resolve, reject) => {
      const open = indexedDB.open('browser-oauth');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const get = open.result.transaction('keys').objectStore('keys').get(keyName);
        get.onerror = () => { open.result.close(); reject(get.error); };
        get.onsuccess = () => { open.result.close(); resolve(get.result); };
      };
    });
    if (!value.startsWith('bo-enc1.')) throw new Error('not a sealed entry');
    const bytes = Uint8Array.from(atob(value.slice(8).replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: bytes.slice(0, 12), additionalData: new TextEncoder().encode(keyName) }, key, bytes.slice(12),
    );
    return new TextDecoder().decode(plain);
  }, [name, sealed]);
}

/**
 * Writes the stored session as page script would: a string as is, anything else as plain JSON
 * (which the sealed stores refuse as forged).
 */
export function writeEntry(page, stack, value, area = 'local') {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return page.evaluate(([key, where, v]) => (where === 'local' ? localStorage : sessionStorage).setItem(key, v), [stack.sessionKey, area, text]);
}

/** The events the page listed: `[{ type, otherTab }]`. */
export function pageEvents(page) {
  return page.evaluate(() => [...document.querySelectorAll('#events li')]
    .map((li) => ({ type: li.dataset.type, otherTab: li.dataset.otherTab === 'true' })));
}

/** Waits until the page lists an event of `type` from this (`otherTab` false) or another tab. */
export async function waitForEvent(page, type, otherTab) {
  await page.waitForSelector(`#events li[data-type="${type}"][data-other-tab="${otherTab}"]`, { state: 'attached', timeout: STEP_TIMEOUT });
}

/** A token request made from node (as another party holding the refresh token would). */
export async function tokenRequestFromNode(issuer, params) {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: CLIENT_ID, ...params }),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: await response.json() };
}

/** The whole document as HTML, to check that no secret ended up in the page. */
export const pageHtml = (page) => page.evaluate(() => document.documentElement.outerHTML);

/** The Web Locks state of the refresh lock, seen from `page`: `{ held, pending }` counts. */
export function refreshLockState(page, stack) {
  return page.evaluate(async (name) => {
    const { held, pending } = await navigator.locks.query();
    return { held: held.filter((l) => l.name === name).length, pending: pending.filter((l) => l.name === name).length };
  }, stack.lockName);
}
