// The demo app: uses browser-oauth exactly as an application would.
// The page is both the start page and the redirect URI. Everything shown comes from the package's
// result or error and is written with textContent, never as HTML. The session is kept in this
// tab's sessionStorage (sealed), so that "Manage authorizations" (account.html?storage=session)
// and a reload see the same sign-in.

import { init, createClient, BrowserOAuthError } from '/js/index.js';

const $ = (id) => document.getElementById(id);

// Azure DevOps (when the demo config names an organization): list the user's projects with a
// token for this one permission, which the sign-in asks consent for next to Microsoft Graph's.
const AZURE_DEVOPS_ORIGIN = 'https://dev.azure.com';
const ADO_PROJECT_SCOPE = '499b84ac-1321-427f-aa17-267ca6975798/vso.project';
const CONSENT_REASON = 'consent is required for the requested scopes';

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
  // Nothing of a past session stays on screen.
  if (status === 'signed-out') {
    $('projects').replaceChildren();
    $('tokens').replaceChildren();
    $('ado-token').hidden = true;
    $('ado-error').hidden = true;
    $('azure-devops').dataset.state = 'idle';
  }
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

/** Every token the library keeps for this account: which resource, which scopes (never values). */
async function showTokens(client) {
  const list = $('tokens');
  list.replaceChildren();
  const account = await client.account();
  for (const token of account?.tokens ?? []) {
    const item = document.createElement('li');
    const resource = document.createElement('code');
    resource.textContent = token.resource ?? 'unknown';
    item.append(resource, `: ${token.scopes.join(' ')}`);
    list.append(item);
  }
}

/** The organization to list projects of, when the config names Azure DevOps and allows its origin. */
function azureDevOpsOrganization(config) {
  const organization = config.azureDevOps?.organization;
  const allowed = Array.isArray(config.resourceOrigins) && config.resourceOrigins.includes(AZURE_DEVOPS_ORIGIN);
  return typeof organization === 'string' && organization !== '' && allowed ? organization : null;
}

/** An Azure DevOps answer other than 200, as an error the page can explain. */
async function azureDevOpsHttpError(response) {
  let message = '';
  try {
    message = String((await response.json())?.message ?? '');
  } catch {
    // 203 answers an HTML sign-in page; its text says nothing more.
  }
  const err = new Error(message || `HTTP ${response.status}`);
  err.code = `HTTP_${response.status}`;
  err.status = response.status;
  return err;
}

/** What went wrong with the projects call, in plain words, and whether consent would fix it. */
function explainAzureDevOpsError(err) {
  const code = err?.code;
  if (code === 'OAUTH_INTERACTION_REQUIRED' && err.reason === CONSENT_REASON) {
    return { consent: true, text: 'You have not allowed this app to read your Azure DevOps projects. Allow it (Microsoft asks you once), then list them again.' };
  }
  if (code === 'OAUTH_INTERACTION_REQUIRED') return { text: 'Your sign-in has ended. Sign in again, then list the projects.' };
  if (code === 'OAUTH_ORIGIN_NOT_ALLOWED') return { text: 'This app is not set up to send your token to dev.azure.com.' };
  if (code === 'OAUTH_NETWORK_ERROR') return { text: 'Azure DevOps or Microsoft could not be reached. Check the connection and try again.' };
  if (err?.status === 203) return { text: 'Azure DevOps answered with its sign-in page instead of your projects: it did not accept the request as signed in.' };
  if (err?.status === 401) return { text: `Azure DevOps refused the token: ${err.message}` };
  if (err?.status === 404) return { text: 'Azure DevOps does not know this organization.' };
  return { text: `Listing the projects did not work: ${err?.message ?? String(err)}` };
}

function showAzureDevOpsError(err) {
  console.error(err);
  const { text, consent } = explainAzureDevOpsError(err);
  const code = [
    typeof err?.code === 'string' ? err.code : 'UNEXPECTED_ERROR',
    err?.aadsts ? `AADSTS${err.aadsts}` : '',
    typeof err?.error === 'string' ? err.error : '',
  ].filter(Boolean).join(', ');
  $('ado-error-text').textContent = text;
  $('ado-error-code').textContent = code;
  $('allow-ado').hidden = !consent;
  $('ado-error').hidden = false;
  $('azure-devops').dataset.state = 'error';
}

/** Lists the projects through client.fetch, then shows which token was used (resource, scopes). */
async function listProjects(client, organization) {
  const section = $('azure-devops');
  const button = $('list-projects');
  button.disabled = true;
  section.dataset.state = 'loading';
  $('ado-error').hidden = true;
  $('ado-token').hidden = true;
  $('projects').replaceChildren();
  try {
    const url = `${AZURE_DEVOPS_ORIGIN}/${encodeURIComponent(organization)}/_apis/projects?api-version=7.1`;
    const response = await client.fetch(url, undefined, { scopes: [ADO_PROJECT_SCOPE] });
    if (response.status !== 200) throw await azureDevOpsHttpError(response);
    const body = await response.json();
    const projects = Array.isArray(body?.value) ? body.value : [];
    for (const project of projects) {
      const item = document.createElement('li');
      item.textContent = String(project?.name ?? '(no name)');
      $('projects').append(item);
    }
    if (projects.length === 0) {
      const item = document.createElement('li');
      item.textContent = 'No projects in this organization.';
      $('projects').append(item);
    }
    // The token client.fetch sent: getToken answers from the same cache entry.
    const token = await client.getToken([ADO_PROJECT_SCOPE]);
    const account = await client.account();
    const same = (a, b) => a.length === b.length && a.every((x) => b.includes(x));
    const held = account?.tokens.find((t) => same(t.scopes, token.scopes));
    $('ado-token-resource').textContent = held?.resource ?? 'unknown';
    $('ado-token-scopes').textContent = token.scopes.join(' ');
    $('ado-token').hidden = false;
    await showTokens(client);
    section.dataset.state = 'listed';
  } catch (err) {
    showAzureDevOpsError(err);
  } finally {
    button.disabled = false;
  }
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
  const organization = azureDevOpsOrganization(config);

  await init();
  const client = await createClient({
    ...(config.issuer ? { issuer: config.issuer } : { entra: config.entra }),
    clientId: config.clientId,
    redirectUri: config.redirectUri,
    scopes: config.scopes,
    responseMode: config.responseMode ?? 'query',
    allowHttpLoopback: config.allowHttpLoopback ?? false,
    storage: 'session',
    ...(organization ? { resourceOrigins: [AZURE_DEVOPS_ORIGIN] } : {}),
  });
  // Another tab of this session signed in or out (sessionStorage is per tab, so mostly the
  // account page opened from here): show what is kept now.
  client.addEventListener('signedout', () => setStatus('signed-out'));

  // `offline_access` needs consent; with Azure DevOps, the same consent page covers its
  // permission too, so its token comes later from the refresh token without another page.
  const signInOptions = () => ({
    prompt: 'consent',
    ...(organization && $('ado-consent').checked ? { extraScopesToConsent: [ADO_PROJECT_SCOPE] } : {}),
  });

  const signIn = $('sign-in');
  signIn.addEventListener('click', async () => {
    signIn.disabled = true;
    try {
      await client.signIn(signInOptions());
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
      const url = await client.authorizationUrl(signInOptions());
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

  if (organization) {
    $('ado-consent-choice').hidden = false;
    $('azure-devops').hidden = false;
    $('ado-organization').textContent = organization;
    $('list-projects').addEventListener('click', () => listProjects(client, organization));
    // Incremental consent: the same user signs in for the Azure DevOps permission.
    $('allow-ado').addEventListener('click', async () => {
      $('allow-ado').disabled = true;
      try {
        await client.signIn({ scopes: ['openid', 'profile', 'offline_access', ADO_PROJECT_SCOPE] });
      } catch (err) {
        showAzureDevOpsError(err);
        $('allow-ado').disabled = false;
      }
    });
  }

  const result = await client.handleRedirect();
  if (result) showSignedIn(result);
  else {
    const account = await client.account();
    if (!account) return setStatus('signed-out');
    showAccount(account);
  }
  await showTokens(client);
}

main().catch(showError);
