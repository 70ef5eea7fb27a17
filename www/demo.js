// The demo app: uses browser-oauth exactly as an application would.
// The page is both the start page and the redirect URI. Everything shown comes from the package's
// result or error and is written with textContent, never as HTML. The session is kept in this
// tab's sessionStorage (sealed), so that "Manage authorizations" (account.html?storage=session)
// and a reload see the same sign-in.

import { init, createClient, BrowserOAuthError } from '/js/index.js';

const $ = (id) => document.getElementById(id);

// What the status says to a person; `data-status` keeps the short name tests and styles use.
const STATUS_TEXT = {
  loading: 'Starting…',
  'signed-out': 'You are not signed in.',
  'signed-in': 'You are signed in.',
  'signing-out': 'Signing out…',
  error: 'That did not work. The details are below.',
};

function setStatus(status, text = STATUS_TEXT[status]) {
  const el = $('status');
  el.textContent = text;
  el.dataset.status = status;
  // Sign in while signed out, sign out while signed in: never both.
  $('signed-out-actions').hidden = status === 'signed-in';
  $('signed-in').hidden = status !== 'signed-in';
}

/** At most the first 8 characters: enough to tell tokens apart, useless to an onlooker. */
function preview(token) {
  return token ? `${token.slice(0, 8)}…` : '';
}

function showExpiry(expiresAt) {
  if (expiresAt !== undefined) {
    const expires = new Date(expiresAt * 1000);
    $('expires').textContent = `${expires.toLocaleString()} (in ${Math.round(expiresAt - Date.now() / 1000)} s)`;
    $('expires').dataset.expiresAt = String(expiresAt);
  } else {
    $('expires').textContent = 'not stated by the server';
    delete $('expires').dataset.expiresAt;
  }
}

function signedInAs(who) {
  setStatus('signed-in', `You are signed in as ${who}.`);
  $('error').hidden = true;
}

/** Just back from the provider: everything the sign-in returned. */
function showSignedIn(result) {
  const claims = result.claims ?? {};
  $('account').textContent = claims.sub ?? '(no ID token)';
  $('account-name').textContent = claims.name ?? '';
  $('scopes').textContent = result.scopes.join(' ');
  showExpiry(result.expiresAt);
  $('token-preview').textContent = preview(result.accessToken);
  $('refresh-token').textContent = result.refreshToken ? 'received' : 'none';
  signedInAs(claims.name ?? claims.sub ?? 'an account without an ID token');
}

/** A later visit: the kept session (never token values; the preview says so). */
function showAccount(account) {
  $('account').textContent = account.sub;
  $('account-name').textContent = account.name ?? '';
  $('scopes').textContent = account.grantedScopes.join(' ');
  showExpiry(account.tokens[0]?.expiresAt);
  $('token-preview').textContent = '(kept by the library; not shown)';
  $('refresh-token').textContent = account.hasRefreshToken ? 'held' : 'none';
  signedInAs(account.name ?? account.username ?? account.sub);
}

function showError(err) {
  console.error(err);
  const known = err instanceof BrowserOAuthError;
  $('error-code').textContent = known ? err.code : 'UNEXPECTED_ERROR';
  $('oauth-error').textContent = (known && err.error) || '';
  $('error-description').textContent = (known && err.errorDescription) || err?.message || String(err);
  setStatus('error');
  $('error').hidden = false;
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
    storage: 'session',
  });
  // Another tab of this session signed in or out (sessionStorage is per tab, so mostly the
  // account page opened from here): show what is kept now.
  client.addEventListener('signedout', () => setStatus('signed-out'));

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

  const signOut = $('sign-out');
  signOut.addEventListener('click', async () => {
    signOut.disabled = true;
    setStatus('signing-out');
    try {
      // Revokes the tokens and forgets the session; the demo stays on its own page.
      await client.signOut({ navigate: false });
      setStatus('signed-out', 'You are signed out.');
    } catch (err) {
      showError(err);
    } finally {
      signOut.disabled = false;
      signIn.disabled = false;
    }
  });

  const result = await client.handleRedirect();
  if (result) return showSignedIn(result);
  const account = await client.account();
  if (account) showAccount(account);
  else setStatus('signed-out');
}

main().catch(showError);
