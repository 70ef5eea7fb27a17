// The demo against the Entra emulator (ENTRA_EMULATOR=1 scripts/demo, and tests/e2e/demo-entra):
// the static server on http://localhost (Entra allows http redirect URIs only there), the Entra
// emulator and the Azure DevOps stand-in on loopback, a demo config that signs in for Microsoft
// Graph and collects Azure DevOps consent at the same time, and the routes a Playwright browser
// context needs to reach the stand-ins as https://login.microsoftonline.com and
// https://dev.azure.com. `tour` clicks through the page as a person would and reports what it
// shows: the command's headless mode prints it. Development tooling only.

import { startEntraEmulator, ENTRA_ORIGIN } from './entra.mjs';
import { startAzureDevOps, ORGANIZATIONS } from './azure-devops.mjs';
import { routeToLoopback } from './entra/route.mjs';
import { startStaticServer } from './server.mjs';
import { submitLogin, submitConsent } from './browser.mjs';

export const DEMO_ENTRA_CLIENT_ID = 'de770000-0000-4000-8000-0000000de770';
export const AZURE_DEVOPS_ORIGIN = 'https://dev.azure.com';
export const DEMO_ORGANIZATION = Object.keys(ORGANIZATIONS)[0];

/**
 * Starts the three servers. `port` is the page's (0: any free one). Resolves to
 * `{ app, entra, devops, config, url, close() }`; `close` stops whatever started.
 */
export async function startEntraDemo({ root, port = 0 }) {
  const stack = [];
  const close = () => Promise.allSettled(stack.reverse().map((s) => s.close()));
  try {
    const app = await startStaticServer({ root, port });
    stack.push(app);
    const origin = `http://localhost:${app.port}`;
    const url = `${origin}/www/index.html`;
    const entra = await startEntraEmulator({
      clients: [{ client_id: DEMO_ENTRA_CLIENT_ID, spa_redirect_uris: [url, `${origin}/www/account.html`] }],
    });
    stack.push(entra);
    const devops = await startAzureDevOps({ jwks: () => entra.jwks() });
    stack.push(devops);
    const config = {
      entra: { tenant: 'organizations' },
      clientId: DEMO_ENTRA_CLIENT_ID,
      redirectUri: url,
      // The token of the sign-in is Graph's; Azure DevOps consent comes with it (demo.js).
      scopes: ['openid', 'profile', 'offline_access', 'User.Read'],
      responseMode: 'query',
      allowHttpLoopback: true,
      resourceOrigins: [AZURE_DEVOPS_ORIGIN],
      azureDevOps: { organization: DEMO_ORGANIZATION },
    };
    app.setDemoConfig(config);
    return { app, entra, devops, config, url, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Makes `context` reach the emulator and the stand-in under their real origins. */
export async function routeEntraDemo(context, { entra, devops }) {
  // The emulator's dev login page asks for a web font; nothing leaves the machine.
  await context.route('https://fonts.googleapis.com/**', (route) => route.abort());
  await routeToLoopback(context, { [ENTRA_ORIGIN]: entra.url, [AZURE_DEVOPS_ORIGIN]: devops.url });
}

const textOf = (page, selector) => page.locator(selector).textContent();

/** Waits until the demo's status has left "loading" (and "signing-out"); returns it. */
export async function settledStatus(page, timeout = 15_000) {
  await page.waitForFunction(() => {
    const status = document.getElementById('status')?.dataset.status;
    return status && status !== 'loading' && status !== 'signing-out';
  }, undefined, { timeout });
  return page.locator('#status').getAttribute('data-status');
}

/** Waits until the Azure DevOps section has an outcome; returns `listed` or `error`. */
export async function projectsOutcome(page, timeout = 15_000) {
  await page.waitForFunction(() => ['listed', 'error'].includes(document.getElementById('azure-devops')?.dataset.state), undefined, { timeout });
  return page.locator('#azure-devops').getAttribute('data-state');
}

/** What the Azure DevOps section shows: projects, the token used, the error (plain words, code). */
export async function projectsShown(page) {
  return {
    state: await page.locator('#azure-devops').getAttribute('data-state'),
    projects: await page.locator('#projects li').allTextContents(),
    tokenResource: await textOf(page, '#ado-token-resource'),
    tokenScopes: (await textOf(page, '#ado-token-scopes')).split(' ').filter(Boolean),
    tokens: await page.locator('#tokens li').allTextContents(),
    error: (await page.locator('#ado-error').isVisible()) ? await textOf(page, '#ado-error-text') : null,
    errorCode: (await page.locator('#ado-error').isVisible()) ? await textOf(page, '#ado-error-code') : null,
  };
}

/**
 * Signs in on the demo page as `login` through the emulator's login and consent pages (with the
 * Azure DevOps box as `allowAzureDevOps` says), then presses "List my Azure DevOps projects".
 * Resolves to `{ status, statusText, ...projectsShown }`.
 */
export async function tour(page, { url, login = 'alice', allowAzureDevOps = true, timeout = 15_000 }) {
  await page.goto(url);
  const before = await settledStatus(page, timeout);
  if (before !== 'signed-out') throw new Error(`the demo page is ${before}, not signed out: ${await textOf(page, '#error-description')}`);
  await page.locator('#ado-consent').setChecked(allowAzureDevOps);
  await page.click('#sign-in');
  await submitLogin(page, { issuer: ENTRA_ORIGIN, login, timeout });
  await submitConsent(page, { issuer: ENTRA_ORIGIN, timeout });
  await page.waitForURL((u) => u.href.startsWith(url), { timeout });
  const status = await settledStatus(page, timeout);
  if (status !== 'signed-in') {
    return { status, statusText: await textOf(page, '#status'), error: await textOf(page, '#error-description') };
  }
  await page.click('#list-projects');
  await projectsOutcome(page, timeout);
  return { status, statusText: await textOf(page, '#status'), ...(await projectsShown(page)) };
}
