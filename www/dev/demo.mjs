// Runs the demo: the static server for www/ and, unless ENTRA_CLIENT_ID is set, a local OpenID
// provider. `--check` starts everything, fetches the page and the discovery document once, prints
// OK and exits (used by tests and CI).
//
// Environment:
//   DEMO_PORT (8410), PROVIDER_PORT (8411)        ports on 127.0.0.1 (0 = any free port)
//   ENTRA_CLIENT_ID                                use Microsoft Entra ID instead of the local provider
//   ENTRA_TENANT (organizations), ENTRA_SCOPES     tenant and space-separated scopes for Entra

import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startProvider } from './provider.mjs';
import { startStaticServer } from './server.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLIENT_ID = 'browser-oauth-demo';
const CHECK_TIMEOUT_MS = 10_000;

const check = process.argv.includes('--check');

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

async function runCheck({ app, provider, config }) {
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

  if (running.provider) {
    console.log(`Local OpenID provider: ${running.provider.issuer} (log in with any name, e.g. alice)`);
  } else {
    console.log(`Microsoft Entra ID, tenant ${running.config.entra.tenant}, client ${running.config.clientId}`);
    console.log(`Register this redirect URI as a "Single-page application": ${running.config.redirectUri}`);
  }
  console.log(`\nOpen ${running.url}\n\nPress Ctrl-C to stop.`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await stopAll(running.stack);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(`demo: ${err.message}`);
  process.exit(1);
});
