// End to end through the Entra emulator (www/dev/entra.mjs): the library's Entra preset, unchanged,
// signs in at "https://login.microsoftonline.com" and calls "https://dev.azure.com", both reached
// through request routing in Chromium (www/dev/entra/route.mjs). The page is served on
// http://localhost (Entra allows http redirect URIs only there). Each test gets its own emulator
// and browser context; the browser and the static server are shared.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';

import { startEntraEmulator, ENTRA_ORIGIN, TENANTS, AZURE_DEVOPS, GRAPH, SPA_REFRESH_LIFETIME } from '../../www/dev/entra.mjs';
import { startAzureDevOps } from '../../www/dev/azure-devops.mjs';
import { routeToLoopback } from '../../www/dev/entra/route.mjs';
import { startStaticServer } from '../../www/dev/server.mjs';
import { launchChromium, submitLogin, submitConsent } from '../../www/dev/browser.mjs';
import { ROOT, STEP_TIMEOUT, assertPackageBuilt } from './harness.mjs';

const OPTS = { timeout: 60_000 };
const CLIENT_ID = '7e57c11e-0000-4000-8000-00000000a991';
const DEVOPS = 'https://dev.azure.com';
const ADO = (name) => `${AZURE_DEVOPS.id}/${name}`;
const OIDC = ['openid', 'profile', 'offline_access'];

let app;
let browser;
let redirectUri;

before(async () => {
  assertPackageBuilt();
  app = await startStaticServer({ root: ROOT });
  redirectUri = `http://localhost:${app.port}/www/dev/blank.html`;
  // The page's CSP lets it reach both origins.
  app.setDemoConfig({ entra: { tenant: 'organizations' }, resourceOrigins: [DEVOPS] });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await app?.close();
});

const decode = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));

/** A fresh emulator, Azure DevOps stand-in and browser context routed to them, for one test. */
async function world(t, { onRequest } = {}) {
  const entra = await startEntraEmulator({ clients: [{ client_id: CLIENT_ID, spa_redirect_uris: [redirectUri] }] });
  t.after(() => entra.close());
  const devops = await startAzureDevOps({ jwks: () => entra.jwks() });
  t.after(() => devops.close());
  const context = await browser.newContext();
  t.after(() => context.close());
  context.setDefaultTimeout(STEP_TIMEOUT);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT);
  // The dev login page asks for a web font; nothing leaves the machine.
  await context.route('https://fonts.googleapis.com/**', (route) => route.abort());
  await routeToLoopback(context, { [ENTRA_ORIGIN]: entra.url, [DEVOPS]: devops.url }, { onRequest });
  const page = await context.newPage();
  return { entra, devops, context, page };
}

const configFor = (tenant) => ({ entra: { tenant }, clientId: CLIENT_ID, redirectUri, allowHttpLoopback: true, resourceOrigins: [DEVOPS] });

/**
 * Makes a client from `config` in the page (as `window.testClient`, with `window.outcome(promise)`:
 * `{ value }` or `{ error }` with the typed error's fields), then runs `fn(arg)` there.
 */
async function inPage(page, config, fn, arg) {
  await page.evaluate(async (cfg) => {
    const m = await import('/js/index.js');
    window.testClient = await m.createClient(cfg);
    window.outcome = async (p) => {
      try {
        return { value: await p };
      } catch (e) {
        return { error: { code: e.code, message: e.message, error: e.error, aadsts: e.aadsts, reason: e.reason, description: e.errorDescription } };
      }
    };
  }, config);
  return page.evaluate(fn, arg);
}

/** Opens the app, starts the sign-in, logs in as `login` (and consents when asked): back on the app. */
async function signIn(page, config, { login = 'alice', scopes = OIDC, prompt, consent = true, extra, loginForm = true } = {}) {
  await page.goto(redirectUri);
  const options = { scopes, ...(prompt ? { prompt } : {}), ...(extra ? { extraScopesToConsent: extra } : {}) };
  inPage(page, config, (a) => window.testClient.signIn(a), options).catch(() => {});
  if (prompt !== 'none') {
    // With a session at the emulator (a second sign-in), only the consent page shows.
    if (loginForm) await submitLogin(page, { issuer: ENTRA_ORIGIN, login });
    if (consent) await submitConsent(page, { issuer: ENTRA_ORIGIN });
  }
  await page.waitForURL((url) => url.href.startsWith(`${redirectUri}?`));
}

/** handleRedirect on the current page, then the account and a token (or the error). */
function completeSignIn(page, config) {
  return inPage(page, config, async () => {
    const client = window.testClient;
    const r = await window.outcome(client.handleRedirect());
    if (r.error) return r;
    return {
      value: {
        claims: r.value.claims,
        scopes: r.value.scopes,
        accessToken: r.value.accessToken,
        account: await client.account(),
        token: await window.outcome(client.getToken()),
      },
    };
  });
}

/** `client.fetch(url, init)` in the page: status, the challenge header and the body text. */
function apiCall(page, config, url, init) {
  return inPage(page, config, async ([u, i]) => {
    const r = await window.outcome(window.testClient.fetch(u, i));
    if (r.error) return r;
    return { status: r.value.status, challenge: r.value.headers.get('www-authenticate'), body: await r.value.text() };
  }, [url, init]);
}

test('organizations: sign-in, tokens and account through the emulator; Azure DevOps answers the token by its scopes', OPTS, async (t) => {
  const { entra, devops, page } = await world(t);
  const config = configFor('organizations');
  await signIn(page, config, { scopes: [...OIDC, ADO('vso.project'), ADO('vso.work_write')] });
  const { value, error } = await completeSignIn(page, config);
  assert.equal(error, undefined, JSON.stringify(error));

  const tid = TENANTS.contoso.id;
  assert.equal(value.claims.tid, tid);
  assert.equal(value.claims.iss, `${ENTRA_ORIGIN}/${tid}/v2.0`);
  assert.equal(value.claims.ver, '2.0');
  assert.ok(value.claims.oid);
  assert.equal(value.account.tenantId, tid);
  assert.equal(value.account.issuer, `${ENTRA_ORIGIN}/${tid}/v2.0`);
  assert.equal(value.account.hasRefreshToken, true);
  assert.equal(value.account.refreshExpiresAt - value.account.signedInAt, SPA_REFRESH_LIFETIME);
  assert.equal(value.token.value.accessToken, value.accessToken, 'getToken serves the cached token');
  const at = decode(value.accessToken);
  assert.equal(at.aud, AZURE_DEVOPS.id);
  assert.equal(at.tid, tid);
  assert.deepEqual(at.scp.split(' ').sort(), ['vso.project', 'vso.work_write']);
  assert.deepEqual(entra.tokenLog.map((e) => [e.grantType, e.status, e.origin]), [['authorization_code', 200, app.origin.replace('127.0.0.1', 'localhost')]]);

  // vso.project lists projects; vso.work_write creates a work item; no vso.code: no repositories.
  const projects = await apiCall(page, config, `${DEVOPS}/contoso-dev/_apis/projects`);
  assert.equal(projects.status, 200, JSON.stringify(projects));
  assert.deepEqual(JSON.parse(projects.body).value.map((p) => p.name), ['Website', 'Mobile']);
  const created = await apiCall(page, config, `${DEVOPS}/contoso-dev/Website/_apis/wit/workitems/$Task`, {
    method: 'POST',
    headers: { 'content-type': 'application/json-patch+json' },
    body: JSON.stringify([{ op: 'add', path: '/fields/System.Title', value: 'From the emulator' }]),
  });
  assert.equal(created.status, 200, JSON.stringify(created));
  assert.equal(JSON.parse(created.body).fields['System.Title'], 'From the emulator');
  // The token lacks vso.code, which listing repositories needs, and the user never consented to
  // it: client.fetch refuses before the request leaves.
  const repos = await apiCall(page, config, `${DEVOPS}/contoso-dev/Website/_apis/git/repositories`);
  assert.equal(repos.error?.code, 'OAUTH_SCOPE_NOT_GRANTED', JSON.stringify(repos));
  assert.match(repos.error.message, new RegExp(`needs ${ADO('vso.code')}`.replace(/\./g, '\\.')));
  assert.deepEqual(devops.log.map((e) => [e.operationId, e.status]), [['Projects_List', 200], ['Work Items_Create', 200]]);
  // Sent anyway (plain fetch with the token), Azure DevOps refuses it by its scopes.
  const direct = await page.evaluate(async ([url, token]) => {
    const r = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    return { status: r.status, challenge: r.headers.get('www-authenticate'), body: await r.text() };
  }, [`${DEVOPS}/contoso-dev/Website/_apis/git/repositories`, value.accessToken]);
  assert.equal(direct.status, 401);
  assert.equal(direct.challenge, `Bearer authorization_uri=${ENTRA_ORIGIN}/${tid}, Basic realm="https://dev.azure.com/"`);
  assert.match(direct.body, /vso\.code required/);

  // Anonymous: the sign-in page with 203, as Azure DevOps answers browsers.
  const anonymous = await page.evaluate(async (url) => {
    const r = await fetch(url);
    return { status: r.status, type: r.headers.get('content-type'), body: await r.text() };
  }, `${DEVOPS}/contoso-dev/_apis/projects`);
  assert.equal(anonymous.status, 203);
  assert.match(anonymous.type, /^text\/html/);
  assert.match(anonymous.body, /Sign In/);
});

/** `client.fetch(url, init)` in the page: status and body, or the typed error with its fields. */
function adoFetch(page, config, url, init) {
  return inPage(page, config, async ([u, i]) => {
    try {
      const r = await window.testClient.fetch(u, i);
      return { status: r.status, body: await r.text() };
    } catch (e) {
      return { error: { name: e.name, code: e.code, message: e.message, status: e.status, challenge: e.challenge, scopes: e.scopes, cause: e.cause?.code } };
    }
  }, [url, init]);
}

test('client.fetch to Azure DevOps: a token without the operation\'s scope is swapped for a consented one before the request leaves', OPTS, async (t) => {
  const { entra, devops, page } = await world(t);
  const config = configFor('organizations');
  // The sign-in is for Microsoft Graph; consent was collected for vso.code too.
  await signIn(page, config, { scopes: [...OIDC, 'User.Read'], extra: [ADO('vso.code')] });
  const signedIn = await completeSignIn(page, config);
  assert.equal(signedIn.error, undefined, JSON.stringify(signedIn.error));
  assert.equal(decode(signedIn.value.accessToken).aud, GRAPH.id);

  // The client's token is Graph's, which lacks vso.code: a vso.code token is fetched first.
  const repos = await adoFetch(page, config, `${DEVOPS}/contoso-dev/Website/_apis/git/repositories?api-version=7.1`);
  assert.equal(repos.status, 200, JSON.stringify(repos));
  assert.deepEqual(JSON.parse(repos.body).value.map((r) => r.name), ['website', 'infra']);
  // One request, with a vso.code token from a refresh: never a 401 first.
  assert.deepEqual(devops.log.map((e) => [e.operationId, e.status, e.scp]), [['Repositories_List', 200, 'vso.code']]);
  assert.deepEqual(entra.tokenLog.map((e) => [e.grantType, e.status]), [['authorization_code', 200], ['refresh_token', 200]]);
  // Again: the Azure DevOps token is cached, no token request.
  assert.equal((await adoFetch(page, config, `${DEVOPS}/contoso-dev/Website/_apis/git/repositories`)).status, 200);
  assert.equal(entra.tokenLog.length, 2);

  // A work item needs vso.work: never consented, so the call never leaves.
  const item = await adoFetch(page, config, `${DEVOPS}/contoso-dev/Website/_apis/wit/workitems/1?api-version=7.1`);
  assert.equal(item.error?.code, 'OAUTH_SCOPE_NOT_GRANTED', JSON.stringify(item));
  assert.equal(item.error.name, 'BrowserOAuthError');
  assert.deepEqual(item.error.scopes, [ADO('vso.work')]);
  assert.match(item.error.message, /vso\.work/);
  assert.equal(item.error.cause, 'OAUTH_INTERACTION_REQUIRED', 'the consent error (AADSTS65001) is the cause');
  assert.equal(devops.log.length, 2, 'nothing sent for the work item');
  assert.equal(entra.tokenLog.at(-1).aadsts, 65001);
});

test('client.fetch to Azure DevOps: a refused token (401 Bearer, or the 203 sign-in page) is OAUTH_RESOURCE_UNAUTHORIZED', OPTS, async (t) => {
  const { devops, page } = await world(t);
  const config = configFor('organizations');
  await signIn(page, config, { scopes: [...OIDC, ADO('vso.project')] });
  assert.equal((await completeSignIn(page, config)).error, undefined);

  // Another tenant's organization: the scope is right, the tenant is not.
  const other = `${DEVOPS}/fabrikam-dev/_apis/projects?api-version=7.1`;
  const refused = await adoFetch(page, config, other);
  assert.equal(refused.error?.code, 'OAUTH_RESOURCE_UNAUTHORIZED', JSON.stringify(refused));
  assert.equal(refused.error.status, 401);
  assert.match(refused.error.challenge, /^Bearer authorization_uri=/);
  assert.deepEqual(refused.error.scopes, [ADO('vso.profile'), ADO('vso.project')]);
  assert.equal(devops.log.at(-1).reason, 'token from another tenant');

  devops.misbehave.signInPage = true;
  const page203 = await adoFetch(page, config, other);
  assert.equal(page203.error?.code, 'OAUTH_RESOURCE_UNAUTHORIZED', JSON.stringify(page203));
  assert.equal(page203.error.status, 203);
  assert.match(page203.error.message, /sign-in page/);

  // An anonymous request gets the same page (Azure DevOps' answer to browsers); plain fetch shows it.
  const anonymous = await page.evaluate((url) => fetch(url).then((r) => r.status), `${DEVOPS}/contoso-dev/_apis/projects`);
  assert.equal(anonymous, 203);
  // Its own organization still answers the same token.
  devops.misbehave.signInPage = false;
  assert.equal((await adoFetch(page, config, `${DEVOPS}/contoso-dev/_apis/projects`)).status, 200);
});

test('a tenant id or domain: its users sign in; a user of another tenant is refused at the authority (AADSTS50020)', OPTS, async (t) => {
  const { page } = await world(t);
  const config = configFor(TENANTS.contoso.id);
  await signIn(page, config);
  const ok = await completeSignIn(page, config);
  assert.equal(ok.error, undefined, JSON.stringify(ok.error));
  assert.equal(ok.value.account.tenantId, TENANTS.contoso.id);
  assert.ok(ok.value.token.value.accessToken);

  // The tenant's domain resolves to its id through its discovery document.
  const byDomain = await world(t);
  const domainConfig = configFor(TENANTS.contoso.domain);
  await signIn(byDomain.page, domainConfig);
  const viaDomain = await completeSignIn(byDomain.page, domainConfig);
  assert.equal(viaDomain.error, undefined, JSON.stringify(viaDomain.error));
  assert.equal(viaDomain.value.account.tenantId, TENANTS.contoso.id);

  const other = await world(t);
  await signIn(other.page, config, { login: 'bob' });
  const refused = await completeSignIn(other.page, config);
  assert.equal(refused.error?.code, 'OAUTH_AUTHORIZATION_ERROR', JSON.stringify(refused));
  assert.equal(refused.error.aadsts, 50020);
  assert.deepEqual(other.entra.tokenLog, [], 'no code was issued to exchange');
});

test('tid resolution: an ID token whose iss names another tenant than its tid is refused', OPTS, async (t) => {
  const { entra, page } = await world(t);
  entra.misbehave.issTenant = TENANTS.fabrikam.id;
  const config = configFor('organizations');
  await signIn(page, config);
  const r = await completeSignIn(page, config);
  assert.equal(r.error?.code, 'OAUTH_INVALID_ID_TOKEN', JSON.stringify(r));
  assert.match(r.error.message, /tid|iss/);
  assert.equal(entra.tokenLog.length, 1, 'the code was exchanged, the ID token then refused');
  assert.equal(await inPage(page, config, () => window.testClient.account()), null, 'nothing kept');
});

test('a single-tenant configuration refuses a token from another tenant', OPTS, async (t) => {
  const { entra, page } = await world(t);
  entra.misbehave.crossTenant = true; // the emulator lets bob (Fabrikam) through Contoso's authority
  const config = configFor(TENANTS.contoso.id);
  await signIn(page, config, { login: 'bob' });
  const r = await completeSignIn(page, config);
  assert.equal(r.error?.code, 'OAUTH_INVALID_ID_TOKEN', JSON.stringify(r));
  assert.match(r.error.message, /iss/);
  assert.equal(entra.tokenLog.length, 1);
  assert.equal(await inPage(page, config, () => window.testClient.account()), null);
});

test('the SPA refresh token: refreshed and rotated within 24 h; after them AADSTS700084 → OAUTH_INTERACTION_REQUIRED', OPTS, async (t) => {
  const { entra, page } = await world(t);
  const config = configFor('organizations');
  await signIn(page, config, { scopes: [...OIDC, ADO('vso.project')] });
  assert.equal((await completeSignIn(page, config)).error, undefined);

  const refresh = async () => {
    await window.testClient.forgetTokens(undefined, { revoke: false });
    return window.outcome(window.testClient.getToken());
  };
  const first = await inPage(page, config, refresh);
  assert.equal(first.value?.refreshed, true, JSON.stringify(first));
  assert.equal(decode(first.value.accessToken).aud, AZURE_DEVOPS.id);

  entra.advanceClock(SPA_REFRESH_LIFETIME - 60);
  const later = await inPage(page, config, refresh);
  assert.equal(later.value?.refreshed, true, JSON.stringify(later));

  entra.advanceClock(61);
  const expired = await inPage(page, config, refresh);
  assert.equal(expired.error?.code, 'OAUTH_INTERACTION_REQUIRED', JSON.stringify(expired));
  assert.equal(expired.error.reason, 'the refresh token was refused');
  assert.deepEqual(entra.tokenLog.map((e) => [e.grantType, e.status, e.aadsts]), [
    ['authorization_code', 200, undefined], ['refresh_token', 200, undefined], ['refresh_token', 200, undefined], ['refresh_token', 400, 700084],
  ]);
  assert.equal(await inPage(page, config, () => window.testClient.account()), null, 'the session ended');
  // The provider's answer stays on the error: which AADSTS code ended the session.
  assert.equal(expired.error.aadsts, 700084);
  assert.equal(expired.error.error, 'invalid_grant');
});

test('one refresh token, many resources: a Graph sign-in that collected Azure DevOps consent gets its token without interaction', OPTS, async (t) => {
  const { entra, page } = await world(t);
  const config = configFor('organizations');
  await signIn(page, config, { scopes: [...OIDC, 'User.Read'], extra: [ADO('vso.project')] });
  const first = await completeSignIn(page, config);
  assert.equal(first.error, undefined, JSON.stringify(first.error));
  assert.equal(decode(first.value.accessToken).aud, GRAPH.id, 'the code redeemed for the first resource');

  const r = await inPage(page, config, async (scope) => {
    const ado = await window.outcome(window.testClient.getToken([scope]));
    const graph = await window.outcome(window.testClient.getToken(['User.Read']));
    return { ado, graph, account: await window.testClient.account() };
  }, ADO('vso.project'));
  assert.equal(r.ado.error, undefined, JSON.stringify(r.ado.error));
  assert.equal(r.ado.value.refreshed, true, 'a refresh for the other resource');
  assert.equal(decode(r.ado.value.accessToken).aud, AZURE_DEVOPS.id);
  assert.equal(decode(r.graph.value.accessToken).aud, GRAPH.id, 'the Graph token is still served');
  assert.equal(r.graph.value.refreshed, false);
  assert.deepEqual(r.account.tokens.map((x) => x.resource).sort(), ['azure-devops', 'microsoft-graph']);
  assert.deepEqual(entra.tokenLog.map((e) => [e.grantType, e.status]), [['authorization_code', 200], ['refresh_token', 200]], 'one interaction, one refresh');

  // client.fetch with the Azure DevOps scope sends that resource's cached token.
  const projects = await inPage(page, config, async ([url, scope]) => {
    const res = await window.testClient.fetch(url, undefined, { scopes: [scope] });
    return res.status;
  }, [`${DEVOPS}/contoso-dev/_apis/projects?api-version=7.1`, ADO('vso.project')]);
  assert.equal(projects, 200);
  assert.equal(entra.tokenLog.length, 2, 'no further token request');
});

test('a resource without consent: OAUTH_INTERACTION_REQUIRED (65001) keeps the session; signing in for it joins the same account, another user is refused', OPTS, async (t) => {
  const { page } = await world(t);
  // The session outlives the redirect page: sessionStorage (sealed).
  const config = { ...configFor('organizations'), storage: 'session' };
  await signIn(page, config, { scopes: [...OIDC, 'User.Read'] });
  assert.equal((await completeSignIn(page, config)).error, undefined);

  const missing = await inPage(page, config, async (scope) => ({
    ado: await window.outcome(window.testClient.getToken([scope])),
    graph: await window.outcome(window.testClient.getToken(['User.Read'])),
    account: await window.testClient.account(),
  }), ADO('vso.code'));
  assert.equal(missing.ado.error?.code, 'OAUTH_INTERACTION_REQUIRED', JSON.stringify(missing.ado));
  assert.equal(missing.ado.error.reason, 'consent is required for the requested scopes');
  assert.equal(missing.ado.error.aadsts, 65001);
  assert.equal(missing.graph.error, undefined, 'the session stays');
  assert.notEqual(missing.account, null);
  const sub = missing.account.sub;

  // Incremental consent: the same person signs in for the Azure DevOps scope.
  await signIn(page, config, { scopes: [...OIDC, ADO('vso.code')], loginForm: false });
  const more = await completeSignIn(page, config);
  assert.equal(more.error, undefined, JSON.stringify(more.error));
  assert.equal(more.value.account.sub, sub, 'the same account');
  assert.deepEqual(more.value.account.tokens.map((x) => x.resource).sort(), ['azure-devops', 'microsoft-graph'], 'the Graph token kept');
  assert.ok(more.value.account.grantedScopes.includes('User.Read') && more.value.account.grantedScopes.includes(ADO('vso.code')));

  // Another user, while the session can still refresh: refused, the session untouched.
  await signIn(page, config, { login: 'bob', scopes: [...OIDC, 'User.Read'], prompt: 'login' });
  const other = await completeSignIn(page, config);
  assert.equal(other.error?.code, 'OAUTH_ACCOUNT_MISMATCH', JSON.stringify(other));
  const after = await inPage(page, config, () => window.testClient.account());
  assert.equal(after.sub, sub);
});

test('AADSTS65001: a silent request for a resource the user never consented to', OPTS, async (t) => {
  const { page } = await world(t);
  const config = configFor('organizations');
  await signIn(page, config, { scopes: [...OIDC, 'User.Read'] });
  const ok = await completeSignIn(page, config);
  assert.equal(ok.error, undefined, JSON.stringify(ok.error));
  assert.equal(decode(ok.value.accessToken).aud, GRAPH.id);

  // The emulator's session is still there: prompt=none answers at once, with the consent error.
  await signIn(page, config, { scopes: [...OIDC, ADO('vso.code')], prompt: 'none' });
  const r = await completeSignIn(page, config);
  assert.equal(r.error?.code, 'OAUTH_AUTHORIZATION_ERROR', JSON.stringify(r));
  assert.equal(r.error.error, 'consent_required');
  assert.equal(r.error.aadsts, 65001);
});

test('AADSTS54005: a code redeemed by someone else first is refused, as the library reports it', OPTS, async (t) => {
  let stolen = 0;
  const { entra, page } = await world(t, {
    // An attacker who saw the code redeems it first, with the same request.
    async onRequest({ url, method, headers, body }) {
      if (method !== 'POST' || !url.pathname.endsWith('/oauth2/v2.0/token')) return;
      if (new URLSearchParams(body.toString()).get('grant_type') !== 'authorization_code') return;
      stolen += 1;
      const res = await fetch(`${entra.url}${url.pathname}`, { method, headers, body });
      assert.equal(res.status, 200);
    },
  });
  const config = configFor('organizations');
  await signIn(page, config);
  const r = await completeSignIn(page, config);
  assert.equal(stolen, 1);
  assert.equal(r.error?.code, 'OAUTH_TOKEN_ERROR', JSON.stringify(r));
  assert.equal(r.error.error, 'invalid_grant');
  assert.equal(r.error.aadsts, 54005);
  assert.deepEqual(entra.tokenLog.map((e) => [e.status, e.aadsts]), [[200, undefined], [400, 54005]]);
});

/** PKCE pair for the node-level requests. */
function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

test('the emulator: one refresh token for every consented resource, rotated, old ones valid; Origin and scope rules', OPTS, async (t) => {
  const { entra, page } = await world(t);
  const origin = new URL(redirectUri).origin;
  const tokenUrl = `${entra.url}/organizations/oauth2/v2.0/token`;
  const post = (params, headers = { origin }) => fetch(tokenUrl, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(params),
  }).then(async (res) => ({ status: res.status, cors: res.headers.get('access-control-allow-origin'), body: await res.json() }));

  // One interactive request that collects consent for Graph and Azure DevOps (as MSAL's
  // extraScopesToConsent does), sent by the test since the library asks for one resource.
  const { verifier, challenge } = pkce();
  const authorize = new URL(`${ENTRA_ORIGIN}/organizations/oauth2/v2.0/authorize`);
  authorize.search = new URLSearchParams({
    client_id: CLIENT_ID, response_type: 'code', redirect_uri: redirectUri, state: 's', nonce: 'n',
    code_challenge: challenge, code_challenge_method: 'S256',
    scope: ['openid', 'offline_access', 'User.Read', ADO('vso.project')].join(' '),
  });
  await page.goto(authorize.href);
  await submitLogin(page, { issuer: ENTRA_ORIGIN, login: 'alice' });
  await submitConsent(page, { issuer: ENTRA_ORIGIN });
  await page.waitForURL((url) => url.href.startsWith(`${redirectUri}?`));
  const callback = new URL(page.url()).searchParams;
  assert.equal(callback.has('iss'), false, 'Entra sends no RFC 9207 iss');
  assert.deepEqual(entra.consents('alice', CLIENT_ID), { [GRAPH.id]: ['User.Read'], [AZURE_DEVOPS.id]: ['vso.project'] });

  const code = { grant_type: 'authorization_code', client_id: CLIENT_ID, code: callback.get('code'), redirect_uri: redirectUri, code_verifier: verifier };
  // A SPA redirect URI without Origin: AADSTS9002327, whatever the code.
  const noOrigin = await post(code, {});
  assert.equal(noOrigin.status, 400);
  assert.equal(noOrigin.body.error, 'invalid_request');
  assert.deepEqual(noOrigin.body.error_codes, [9002327]);
  assert.match(noOrigin.body.error_description, /^AADSTS9002327: /);
  for (const field of ['trace_id', 'correlation_id', 'timestamp', 'error_uri']) assert.ok(noOrigin.body[field], field);
  // Scopes of two resources in one token request: refused.
  const twoResources = await post({ ...code, scope: `User.Read ${ADO('vso.project')}` });
  assert.deepEqual(twoResources.body.error_codes, [700022]);

  const first = await post(code);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.cors, origin, 'CORS for the SPA redirect URI origin');
  assert.equal(decode(first.body.access_token).aud, GRAPH.id, 'no scope: the first resource requested');
  assert.equal(decode(first.body.id_token).tid, TENANTS.contoso.id);

  // The same refresh token, for the other consented resource.
  const ado = await post({ grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: first.body.refresh_token, scope: `${ADO('vso.project')} offline_access` });
  assert.equal(ado.status, 200, JSON.stringify(entra.tokenLog.at(-1)));
  const adoToken = decode(ado.body.access_token);
  assert.equal(adoToken.aud, AZURE_DEVOPS.id);
  assert.equal(adoToken.scp, 'vso.project');
  assert.notEqual(ado.body.refresh_token, first.body.refresh_token, 'rotated');

  // The old refresh token still works (Entra does not revoke it), here for Graph.
  const graph = await post({ grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: first.body.refresh_token, scope: 'User.Read' });
  assert.equal(graph.status, 200, JSON.stringify(graph.body));
  assert.equal(decode(graph.body.access_token).aud, GRAPH.id);
  assert.equal(decode(graph.body.access_token).scp, 'User.Read');

  // Never consented: AADSTS65001 with consent_required. Without Origin: 9002327. Another origin: no CORS.
  const unconsented = await post({ grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: ado.body.refresh_token, scope: ADO('vso.code') });
  assert.equal(unconsented.body.error, 'invalid_grant');
  assert.equal(unconsented.body.suberror, 'consent_required');
  assert.deepEqual(unconsented.body.error_codes, [65001]);
  const refreshNoOrigin = await post({ grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: ado.body.refresh_token }, {});
  assert.deepEqual(refreshNoOrigin.body.error_codes, [9002327]);
  const foreign = await post({ grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: ado.body.refresh_token }, { origin: 'https://evil.example' });
  assert.equal(foreign.cors, null, 'no CORS for an origin that is no SPA redirect URI\'s');

  // Consent outlives the session: another browser signs in without a consent page, and consents
  // to one more Azure DevOps scope; the refresh token issued before that is redeemable for it.
  const other = await browser.newContext();
  t.after(() => other.close());
  await routeToLoopback(other, { [ENTRA_ORIGIN]: entra.url });
  await other.route('https://fonts.googleapis.com/**', (route) => route.abort());
  const second = await other.newPage();
  const again = new URL(authorize);
  again.searchParams.set('scope', 'openid offline_access User.Read');
  await second.goto(again.href);
  await submitLogin(second, { issuer: ENTRA_ORIGIN, login: 'alice' });
  await second.waitForURL((url) => url.href.startsWith(`${redirectUri}?`));
  assert.ok(new URL(second.url()).searchParams.has('code'), 'no consent page for consented scopes');
  again.searchParams.set('scope', `openid offline_access ${ADO('vso.work')}`);
  await second.goto(again.href);
  await submitConsent(second, { issuer: ENTRA_ORIGIN });
  await second.waitForURL((url) => url.href.startsWith(`${redirectUri}?`));
  assert.deepEqual(entra.consents('alice', CLIENT_ID)[AZURE_DEVOPS.id], ['vso.project', 'vso.work']);
  const incremental = await post({ grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: first.body.refresh_token, scope: ADO('vso.work') });
  assert.equal(incremental.status, 200, JSON.stringify(incremental.body));
  assert.equal(decode(incremental.body.access_token).scp, 'vso.work');

  // 24 h after the sign-in, every refresh token of the chain has expired.
  entra.advanceClock(SPA_REFRESH_LIFETIME);
  const late = await post({ grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: graph.body.refresh_token });
  assert.deepEqual(late.body.error_codes, [700084]);

  // The code once more: AADSTS54005 (and, as oidc-provider does, RFC 6749 §4.1.2, the tokens it
  // led to are revoked).
  const replay = await post(code);
  assert.deepEqual(replay.body.error_codes, [54005]);
});
