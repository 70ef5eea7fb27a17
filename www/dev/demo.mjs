// Runs the demo: the static server for www/ and, unless ENTRA_CLIENT_ID is set, a local OpenID
// provider. `--check` starts everything, fetches the page and the discovery document once, prints
// OK and exits (used by tests and CI).
//
// With ENTRA_EMULATOR=1: the Entra emulator and the Azure DevOps stand-in instead
// (www/dev/demo-entra.mjs). Only a Playwright browser routed to them reaches them as
// https://login.microsoftonline.com and https://dev.azure.com, so the command opens one: a Chromium
// window when there is a display, otherwise headless Chromium with a scripted sign-in that prints
// what the page shows (the projects, the token's resource and scopes) and exits.
//
// Environment:
//   DEMO_PORT (8410), PROVIDER_PORT (8411)        ports on 127.0.0.1 (0 = any free port)
//   ENTRA_CLIENT_ID                                use Microsoft Entra ID instead of the local provider
//   ENTRA_TENANT (organizations), ENTRA_SCOPES     tenant and space-separated scopes for Entra
//   ENTRA_EMULATOR=1                               the Entra emulator and Azure DevOps stand-in
//   DEMO_HEADLESS=1                                with ENTRA_EMULATOR=1: the scripted run even with a display

import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startProvider } from './provider.mjs';
import { startStaticServer } from './server.mjs';
import { launchChromium, hasDisplay } from './browser.mjs';
import { startEntraDemo, routeEntraDemo, tour, DEMO_ORGANIZATION } from './demo-entra.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLIENT_ID = 'browser-oauth-demo';
const CHECK_TIMEOUT_MS = 10_000;

const check = process.argv.includes('--check');
const emulated = process.env.ENTRA_EMULATOR === '1';

function portFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be a port number, got ${JSON.stringify(raw)}`);
  }
  return port;
}

function entraConfig(appPort) {
  const scopes = (process.env.ENTRA_SCOPES || 'openid profile offline_access')
    .split(/[\s,]+/).filter(Boolean);
  return {
    entra: { tenant: process.env.ENTRA_TENANT || 'organizations' },
    clientId: process.env.ENTRA_CLIENT_ID,
    // Entra accepts http only for `localhost` redirect URIs (register it as "Single-page application").
    redirectUri: `http://localhost:${appPort}/www/index.html`,
    scopes,
    responseMode: 'query',
    allowHttpLoopback: true,
  };
}

async function start() {
  // In --check mode, default to free ports so a running demo does not get in the way.
  const appPort = portFromEnv('DEMO_PORT', check ? 0 : 8410);
  const providerPort = portFromEnv('PROVIDER_PORT', check ? 0 : 8411);
  const stack = [];

  if (emulated) {
    if (process.env.ENTRA_CLIENT_ID) throw new Error('set ENTRA_EMULATOR=1 or ENTRA_CLIENT_ID, not both');
    const emulator = await startEntraDemo({ root: ROOT, port: appPort });
    return { stack: [emulator], app: emulator.app, emulator, config: emulator.config, url: emulator.url };
  }

  try {
    const app = await startStaticServer({ root: ROOT, port: appPort });
    stack.push(app);

    if (process.env.ENTRA_CLIENT_ID) {
      const config = entraConfig(app.port);
      app.setDemoConfig(config);
      return { stack, app, config, url: config.redirectUri };
    }

    const redirectUri = `${app.origin}/www/index.html`;
    const provider = await startProvider({
      port: providerPort,
      clients: [{ client_id: CLIENT_ID, redirect_uris: [redirectUri, `${app.origin}/www/account.html`] }],
    });
    stack.push(provider);
    const config = {
      issuer: provider.issuer,
      clientId: CLIENT_ID,
      redirectUri,
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      responseMode: 'query',
      allowHttpLoopback: true,
    };
    app.setDemoConfig(config);
    return { stack, app, provider, config, url: redirectUri };
  } catch (err) {
    await stopAll(stack);
    throw err;
  }
}

async function stopAll(stack) {
  await Promise.allSettled(stack.reverse().map((s) => s.close()));
}

async function fetchOk(url, expectedType) {
  const response = await fetch(url, { signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  const type = response.headers.get('content-type') ?? '';
  if (expectedType && !type.startsWith(expectedType)) {
    throw new Error(`GET ${url}: content-type ${type}, expected ${expectedType}`);
  }
  return response;
}

async function runCheck({ app, provider, emulator, config }) {
  const page = await fetchOk(`${app.origin}/`, 'text/html');
  if (!page.headers.get('content-security-policy')) throw new Error('the page has no CSP');
  await fetchOk(`${app.origin}/www/demo.js`, 'text/javascript');
  await fetchOk(`${app.origin}/js/index.js`, 'text/javascript');
  const served = await (await fetchOk(`${app.origin}/demo-config.json`, 'application/json')).json();
  if (served.clientId !== config.clientId) throw new Error('demo-config.json does not match');
  if (provider) {
    const discovery = await (await fetchOk(`${provider.issuer}/.well-known/openid-configuration`)).json();
    if (discovery.issuer !== provider.issuer) throw new Error('discovery issuer mismatch');
  }
  if (emulator) {
    const discovery = await (await fetchOk(`${emulator.entra.url}/organizations/v2.0/.well-known/openid-configuration`)).json();
    if (discovery.issuer !== 'https://login.microsoftonline.com/{tenantid}/v2.0') throw new Error('the emulator\'s discovery issuer is not the multi-tenant one');
    // Anonymous: the stand-in answers with its sign-in page, as Azure DevOps does.
    const anonymous = await fetch(`${emulator.devops.url}/${DEMO_ORGANIZATION}/_apis/projects`, { signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
    if (anonymous.status !== 203) throw new Error(`the Azure DevOps stand-in answered ${anonymous.status} to an anonymous call, not 203`);
  }
}

/** Prints what the scripted run saw and did; resolves to whether the projects were listed. */
function report(shown, { entra, devops }) {
  console.log(`  Status: ${shown.statusText}`);
  if (shown.state === 'listed') {
    console.log(`  Azure DevOps projects of ${DEMO_ORGANIZATION}: ${shown.projects.join(', ')}`);
    console.log(`  Token used: resource ${shown.tokenResource}, scopes ${shown.tokenScopes.join(' ')} (its value is never shown)`);
  } else if (shown.error !== undefined) {
    console.log(`  Error: ${shown.error}${shown.errorCode ? ` (${shown.errorCode})` : ''}`);
  }
  if (shown.tokens?.length) console.log(`  Tokens held: ${shown.tokens.join('; ')}`);
  console.log(`  Token endpoint: ${entra.tokenLog.map((e) => `${e.grantType} ${e.status}${e.aadsts ? ` AADSTS${e.aadsts}` : ''}`).join(', ') || 'no requests'}`);
  console.log(`  Azure DevOps: ${devops.log.map((e) => `${e.operationId ?? e.path} ${e.status}`).join(', ') || 'no requests'}`);
  return shown.state === 'listed';
}

/** ENTRA_EMULATOR=1 without --check: a routed Chromium, headed or scripted. */
async function runWithEmulator(running, onClosed) {
  const { emulator, url } = running;
  const headed = hasDisplay() && process.env.DEMO_HEADLESS !== '1';
  let browser;
  try {
    browser = await launchChromium({ headless: !headed });
  } catch (err) {
    if (!headed) throw err;
    const display = process.env.DISPLAY ? `DISPLAY=${process.env.DISPLAY}` : `WAYLAND_DISPLAY=${process.env.WAYLAND_DISPLAY}`;
    throw new Error(`could not open a Chromium window on ${display} (DEMO_HEADLESS=1 runs the scripted sign-in instead): ${err.message.split('\n')[0]}`);
  }
  running.stack.push(browser);
  const context = await browser.newContext(headed ? { viewport: null } : {});
  await routeEntraDemo(context, emulator);
  const page = await context.newPage();

  console.log('Entra emulator: login.microsoftonline.com and dev.azure.com are local stand-ins, reachable');
  console.log('only from the Chromium this command starts (Playwright routes its requests to them).');
  if (!headed) {
    const why = process.env.DEMO_HEADLESS === '1' ? 'DEMO_HEADLESS=1' : 'no display: DISPLAY and WAYLAND_DISPLAY are unset';
    console.log(`\nNo browser window (${why}), so a scripted sign-in runs in headless Chromium instead:`);
    console.log(`  open ${url}, Sign in (Graph User.Read, Azure DevOps consent collected too),`);
    console.log('  log in as alice and consent at the emulator, then "List my Azure DevOps projects".\n');
    let ok = false;
    try {
      ok = report(await tour(page, { url }), emulator);
    } finally {
      await stopAll(running.stack);
    }
    process.exit(ok ? 0 : 1);
  }
  console.log(`\nChromium opens ${url}`);
  console.log('Sign in, log in as alice (any password; bob belongs to another tenant), consent, then');
  console.log('press "List my Azure DevOps projects". Untick the Azure DevOps box before signing in to');
  console.log('see the consent error. Close the window or press Ctrl-C to stop.');
  // Closing the window closes its pages, not always the browser: stop with the last page.
  const closed = () => { if (context.pages().length === 0) onClosed(); };
  page.on('close', closed);
  context.on('page', (p) => p.on('close', closed));
  browser.on('disconnected', onClosed);
  await page.goto(url);
}

async function main() {
  const running = await start();

  if (check) {
    try {
      await runCheck(running);
      console.log('OK');
    } finally {
      await stopAll(running.stack);
    }
    return;
  }

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await stopAll(running.stack);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  if (running.emulator) {
    await runWithEmulator(running, stop);
    return;
  }

  if (running.provider) {
    console.log(`Local OpenID provider: ${running.provider.issuer} (log in with any name, e.g. alice)`);
  } else {
    console.log(`Microsoft Entra ID, tenant ${running.config.entra.tenant}, client ${running.config.clientId}`);
    console.log(`Register this redirect URI as a "Single-page application": ${running.config.redirectUri}`);
  }
  console.log(`\nOpen ${running.url}\n\nPress Ctrl-C to stop.`);
}

main().catch((err) => {
  console.error(`demo: ${err.message}`);
  process.exit(1);
});
