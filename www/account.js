// "Manage authorizations": the session lifecycle of browser-oauth, used exactly as an app would.
//
// The page is a registered redirect URI. It shows who is signed in, the granted scopes and the
// cached tokens (scopes and expiry only: never a token value, at most the first 8 characters of
// an access token), and offers sign-in, getToken, forgetTokens, signOut and the authenticated
// fetch helper. Events from this tab and from other tabs are listed as they arrive.
//
// `?storage=memory|session|local` picks where the session is kept (default memory),
// `?encrypt=1` encrypts it at rest (session or local only) and `?clockSkew=<seconds>` sets how
// early tokens are refreshed. They are remembered in this tab's sessionStorage so that they
// survive the round trip to the provider. Everything shown is written with textContent, never
// as HTML.

import { createClient, BrowserOAuthError } from '/js/index.js';

const $ = (id) => document.getElementById(id);
const STORAGES = ['memory', 'session', 'local'];
const EVENTS = ['signedin', 'refreshed', 'signedout', 'storagepurged'];
const OPTIONS_KEY = 'browser-oauth-demo:account-page';

let client;

// ---- page options ---------------------------------------------------------------------------

function savedOptions() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(OPTIONS_KEY) ?? '{}');
    return saved && typeof saved === 'object' ? saved : {};
  } catch {
    return {};
  }
}

/**
 * `{ storage, encrypt, clockSkew? }` from the query, else from this tab's last visit, else
 * defaults. A query that names a storage without `encrypt=1` turns encryption off.
 */
function pageOptions() {
  const query = new URLSearchParams(location.search);
  const saved = savedOptions();
  const fromQuery = query.has('storage') || query.has('encrypt');
  const options = {
    storage: query.get('storage') ?? saved.storage ?? 'memory',
    encrypt: fromQuery ? query.get('encrypt') === '1' : saved.encrypt === true,
    clockSkew: query.has('clockSkew') ? Number(query.get('clockSkew')) : saved.clockSkew,
  };
  if (!STORAGES.includes(options.storage)) {
    throw new BrowserOAuthError('OAUTH_INVALID_OPTION', `unknown storage ${JSON.stringify(options.storage)}: use memory, session or local`);
  }
  if (options.clockSkew !== undefined && !(Number.isInteger(options.clockSkew) && options.clockSkew >= 0)) {
    throw new BrowserOAuthError('OAUTH_INVALID_OPTION', 'clockSkew must be a whole number of seconds');
  }
  sessionStorage.setItem(OPTIONS_KEY, JSON.stringify(options));
  return options;
}

// ---- rendering ----------------------------------------------------------------------------------

function setStatus(status) {
  $('status').textContent = status;
  $('status').dataset.status = status;
}

/** "12:34:56 (in 3599 s)" for Unix seconds; the raw value is kept in data-at. */
function showTime(el, seconds) {
  if (seconds === undefined || seconds === null) {
    el.textContent = 'not stated';
    delete el.dataset.at;
    return;
  }
  const left = Math.round(seconds - Date.now() / 1000);
  const when = new Date(seconds * 1000).toLocaleTimeString();
  el.textContent = left >= 0 ? `${when} (in ${left} s)` : `${when} (${-left} s ago)`;
  el.dataset.at = String(seconds);
}

/** At most the first 8 characters: enough to tell tokens apart, useless to an onlooker. */
function preview(token) {
  return typeof token === 'string' && token ? `${token.slice(0, 8)}…` : '';
}

function showError(err) {
  console.error(err);
  const known = err instanceof BrowserOAuthError;
  $('error-code').textContent = known ? err.code : 'UNEXPECTED_ERROR';
  $('oauth-error').textContent = (known && err.error) || '';
  $('oauth-error-row').hidden = !(known && err.error);
  $('error-description').textContent = (known && err.errorDescription) || err?.message || String(err);
  $('error').hidden = false;
}

function hideError() {
  $('error').hidden = true;
}

function showAccount(account) {
  $('account').hidden = !account;
  setStatus(account ? 'signed-in' : 'signed-out');
  if (!account) return;
  $('logout').hidden = true;
  $('account-name').textContent = account.name ?? '';
  $('account-username').textContent = account.username ?? '';
  $('account-sub').textContent = account.sub;
  $('account-issuer').textContent = account.issuer;
  showTime($('account-signed-in-at'), account.signedInAt);

  const scopes = account.grantedScopes.map((scope) => {
    const li = document.createElement('li');
    li.textContent = scope;
    return li;
  });
  $('granted-scopes').replaceChildren(...scopes);

  $('refresh-token').textContent = account.hasRefreshToken ? 'held' : 'none';
  $('refresh-token').dataset.held = String(account.hasRefreshToken);
  if (account.refreshExpiresAt !== undefined) showTime($('refresh-expires'), account.refreshExpiresAt);
  else {
    $('refresh-expires').textContent = 'none known';
    delete $('refresh-expires').dataset.at;
  }

  const rows = account.tokens.map((token) => {
    const tr = document.createElement('tr');
    const scopesCell = document.createElement('td');
    scopesCell.textContent = token.scopes.join(' ');
    const expires = document.createElement('td');
    expires.className = 'expires';
    showTime(expires, token.expiresAt);
    const received = document.createElement('td');
    showTime(received, token.receivedAt);
    tr.append(scopesCell, expires, received);
    return tr;
  });
  $('tokens').replaceChildren(...rows);
}

let renderSeq = 0;
/** Shows the current account (re-read from the client; a purged entry shows as signed out). */
async function render() {
  const mine = ++renderSeq;
  let account = null;
  let error = null;
  try {
    account = await client.account();
  } catch (err) {
    error = err;
  }
  if (mine !== renderSeq) return;
  if (error) showError(error);
  showAccount(account);
}

function logEvent(type, detail) {
  const li = document.createElement('li');
  const otherTab = detail?.otherTab === true;
  li.dataset.type = type;
  li.dataset.otherTab = String(otherTab);
  const where = otherTab ? 'another tab' : 'this tab';
  const extra = type === 'storagepurged' && detail?.code ? ` (${detail.code})` : '';
  li.textContent = `${new Date().toLocaleTimeString()} ${type}, ${where}${extra}`;
  $('events').append(li);
}

// ---- actions --------------------------------------------------------------------------------------

let actionSeq = 0;
/** Runs one user action, shows its error if any, re-renders, and records the outcome. */
async function action(name, work) {
  const el = $('last-action');
  el.dataset.state = 'busy';
  delete el.dataset.count;
  el.textContent = `${name}…`;
  let outcome = 'ok';
  let code = '';
  try {
    hideError();
    await work();
  } catch (err) {
    outcome = 'error';
    code = err instanceof BrowserOAuthError ? err.code : 'UNEXPECTED_ERROR';
    showError(err);
  }
  await render();
  actionSeq += 1;
  Object.assign(el.dataset, { seq: String(actionSeq), name, outcome, code, state: 'done' });
  el.textContent = outcome === 'ok' ? `${name}: done` : `${name}: failed (${code})`;
}

async function getToken() {
  const token = await client.getToken();
  $('token-scopes').textContent = token.scopes.join(' ');
  showTime($('token-expires'), token.expiresAt);
  $('token-source').textContent = token.refreshed ? 'refreshed just now' : 'from the cache';
  $('token-source').dataset.refreshed = String(token.refreshed);
  $('token-preview').textContent = preview(token.accessToken);
  $('token-result').hidden = false;
}

async function forgetTokens() {
  const count = await client.forgetTokens(undefined, { revoke: $('revoke').checked });
  $('token-result').hidden = true;
  $('last-action').dataset.count = String(count);
}

async function signOut() {
  const url = await client.signOut({ revoke: $('revoke').checked, navigate: false });
  $('token-result').hidden = true;
  $('logout').hidden = !url;
  if (url) $('logout-link').href = url;
}

async function fetchWithToken() {
  const result = $('fetch-result');
  result.textContent = '…';
  delete result.dataset.status;
  try {
    const response = await client.fetch($('fetch-url').value.trim());
    result.textContent = `HTTP ${response.status} ${response.headers.get('content-type') ?? ''}`;
    result.dataset.status = String(response.status);
    result.dataset.outcome = 'ok';
  } catch (err) {
    result.textContent = `not sent: ${err instanceof BrowserOAuthError ? err.code : err?.message}`;
    result.dataset.outcome = 'error';
    throw err;
  }
}

// ---- start ------------------------------------------------------------------------------------------

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

  const options = pageOptions();
  const select = $('storage');
  select.value = options.storage;
  select.addEventListener('change', () => {
    const next = new URL(location.href);
    next.search = new URLSearchParams({ storage: select.value });
    location.assign(next.href);
  });

  const resourceOrigins = config.resourceOrigins ?? [location.origin];
  $('resource-origins').textContent = resourceOrigins.join(', ');

  client = await createClient({
    ...(config.issuer ? { issuer: config.issuer } : { entra: config.entra }),
    clientId: config.clientId,
    redirectUri: config.accountRedirectUri ?? new URL('/www/account.html', location.origin).href,
    scopes: config.scopes,
    responseMode: config.responseMode ?? 'query',
    allowHttpLoopback: config.allowHttpLoopback ?? false,
    storage: options.storage,
    ...(options.encrypt ? { encrypt: true } : {}),
    ...(options.clockSkew === undefined ? {} : { clockSkew: options.clockSkew }),
    resourceOrigins,
  });

  for (const type of EVENTS) {
    client.addEventListener(type, (event) => {
      logEvent(type, event.detail);
      // Another tab signed in, refreshed or signed out: show what this tab holds now.
      if (event.detail?.otherTab) render();
    });
  }

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
  $('get-token').addEventListener('click', () => action('get-token', getToken));
  $('forget-tokens').addEventListener('click', () => action('forget-tokens', forgetTokens));
  $('sign-out').addEventListener('click', () => action('sign-out', signOut));
  $('fetch-form').addEventListener('submit', (event) => {
    event.preventDefault();
    action('fetch', fetchWithToken);
  });

  try {
    await client.handleRedirect();
  } catch (err) {
    showError(err);
  }
  await render();
  for (const id of ['sign-in', 'get-token', 'forget-tokens', 'sign-out', 'fetch-send']) $(id).disabled = false;
}

main().catch((err) => {
  showError(err);
  setStatus('error');
});
