// The demo app: uses browser-oauth exactly as an application would.
// The page is both the start page and the redirect URI. Everything shown comes from the package's
// result or error and is written with textContent, never as HTML.

import { init, createClient, BrowserOAuthError } from '/js/index.js';

const $ = (id) => document.getElementById(id);

function setStatus(status) {
  const el = $('status');
  el.textContent = status;
  el.dataset.status = status;
}

/** At most the first 8 characters: enough to tell tokens apart, useless to an onlooker. */
function preview(token) {
  return token ? `${token.slice(0, 8)}…` : '';
}

function showSignedIn(result) {
  const claims = result.claims ?? {};
  $('account').textContent = claims.sub ?? '(no ID token)';
  $('account-name').textContent = claims.name ?? '';
  $('scopes').textContent = result.scopes.join(' ');
  if (result.expiresAt !== undefined) {
    const expires = new Date(result.expiresAt * 1000);
    $('expires').textContent = `${expires.toLocaleString()} (in ${Math.round(result.expiresAt - Date.now() / 1000)} s)`;
    $('expires').dataset.expiresAt = String(result.expiresAt);
  } else {
    $('expires').textContent = 'not stated by the server';
  }
  $('token-preview').textContent = preview(result.accessToken);
  $('refresh-token').textContent = result.refreshToken ? 'received' : 'none';
  $('signed-in').hidden = false;
  $('error').hidden = true;
  setStatus('signed-in');
}

function showError(err) {
  console.error(err);
  const known = err instanceof BrowserOAuthError;
  $('error-code').textContent = known ? err.code : 'UNEXPECTED_ERROR';
  $('oauth-error').textContent = (known && err.error) || '';
  $('error-description').textContent = (known && err.errorDescription) || err?.message || String(err);
  $('error').hidden = false;
  $('signed-in').hidden = true;
  setStatus('error');
}

async function loadConfig() {
  const response = await fetch('/demo-config.json');
  if (!response.ok) throw new Error(`GET /demo-config.json: HTTP ${response.status}`);
  const config = await response.json();
  if (!config) throw new Error('the server has no demo configuration');
  return config;
}

async function main() {
  const config = await loadConfig();
  $('provider').textContent = config.issuer ?? `Microsoft Entra ID (${config.entra?.tenant})`;

  await init();
  const client = await createClient({
    ...(config.issuer ? { issuer: config.issuer } : { entra: config.entra }),
    clientId: config.clientId,
    redirectUri: config.redirectUri,
    scopes: config.scopes,
    responseMode: config.responseMode ?? 'query',
    allowHttpLoopback: config.allowHttpLoopback ?? false,
  });

  const signIn = $('sign-in');
  signIn.addEventListener('click', async () => {
    signIn.disabled = true;
    try {
      await client.signIn({ prompt: 'consent' }); // `offline_access` needs consent
    } catch (err) {
      showError(err);
      signIn.disabled = false;
    }
  });
  signIn.disabled = false;

  // Builds the same request Sign in would (and keeps its pending sign-in), then shows it on the
  // consent-check page, which offers to continue to it.
  const checkFirst = $('check-first');
  checkFirst.addEventListener('click', async () => {
    try {
      const url = await client.authorizationUrl({ prompt: 'consent' });
      const query = new URLSearchParams({ url, clientId: config.clientId, redirectUri: config.redirectUri });
      location.assign(`/www/consent.html?${query}`);
    } catch (err) {
      showError(err);
    }
  });
  checkFirst.disabled = false;

  const result = await client.handleRedirect();
  if (result) showSignedIn(result);
  else setStatus('signed-out');
}

main().catch(showError);
