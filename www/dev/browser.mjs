// Chromium for the end-to-end tests (headless) and the demo (headed when there is a display), and helpers that click through oidc-provider's
// development login and consent pages (devInteractions) like a user would.

import { chromium } from 'playwright-core';

export const CHROMIUM_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches the system Chromium (`CHROMIUM_PATH`, default /usr/bin/chromium). `headless: false`
 * opens a window (it needs a display) for a person to use, as `ENTRA_EMULATOR=1 scripts/demo` does.
 */
export async function launchChromium({ timeout = 30_000, headless = true } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless,
    args: headless ? CHROMIUM_FLAGS : CHROMIUM_FLAGS.filter((f) => !f.startsWith('--headless')),
    timeout,
  });
}

/** Whether this process can open a browser window (an X11 or Wayland display is set). */
export const hasDisplay = (env = process.env) => Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);

const onProviderPage = (issuer, pathPrefix) => (url) => {
  const u = new URL(url);
  return u.origin === new URL(issuer).origin && u.pathname.startsWith(pathPrefix);
};

/**
 * On the provider's dev login page: enters `login` (any name; `alice` is the test user) and
 * submits. The dev page accepts any password.
 */
export async function submitLogin(page, { issuer, login = 'alice', password = 'any-password', timeout = 15_000 }) {
  await page.waitForURL(onProviderPage(issuer, '/interaction/'), { timeout });
  const form = page.locator('form:has(input[name="prompt"][value="login"])');
  await form.locator('input[name="login"]').fill(login, { timeout });
  await form.locator('input[name="password"]').fill(password, { timeout });
  await form.locator('button[type="submit"]').click({ timeout });
}

/** On the provider's dev consent page: presses "Continue". */
export async function submitConsent(page, { issuer, timeout = 15_000 }) {
  await page.waitForURL(onProviderPage(issuer, '/interaction/'), { timeout });
  const button = page.locator('form:has(input[name="prompt"][value="consent"]) button[type="submit"]');
  await button.click({ timeout });
}

/**
 * On a provider interaction page (login or consent) of the given kind: follows "[ Cancel ]",
 * which makes the provider answer the client with `error=access_denied`.
 */
export async function cancelInteraction(page, { issuer, prompt = 'consent', timeout = 15_000 }) {
  await page.waitForURL(onProviderPage(issuer, '/interaction/'), { timeout });
  await page.locator(`input[name="prompt"][value="${prompt}"]`).waitFor({ state: 'attached', timeout });
  await page.locator('a[href*="/abort"]').click({ timeout });
}

/** Login as `login`, then consent: the whole interactive part of a sign-in at the provider. */
export async function completeProviderInteraction(page, { issuer, login = 'alice', timeout = 15_000 }) {
  await submitLogin(page, { issuer, login, timeout });
  await submitConsent(page, { issuer, timeout });
}
