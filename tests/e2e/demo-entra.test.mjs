// The demo page through the Entra emulator and the Azure DevOps stand-in, wired as
// `ENTRA_EMULATOR=1 scripts/demo` wires them (www/dev/demo-entra.mjs): a person signs in for
// Microsoft Graph with Azure DevOps consent collected at the same time, presses "List my Azure
// DevOps projects", and sees the stand-in's projects and which token was used (resource, scopes);
// without that consent, the error in plain words with its code, and "Allow Azure DevOps" fixing it.
// Then the command itself, headless (no display here) and with --check.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

import { startEntraDemo, routeEntraDemo, tour, settledStatus, projectsOutcome, projectsShown, DEMO_ORGANIZATION, DEMO_ENTRA_CLIENT_ID } from '../../www/dev/demo-entra.mjs';
import { ORGANIZATIONS } from '../../www/dev/azure-devops.mjs';
import { ENTRA_ORIGIN, AZURE_DEVOPS, GRAPH } from '../../www/dev/entra.mjs';
import { launchChromium, submitConsent } from '../../www/dev/browser.mjs';
import { ROOT, STEP_TIMEOUT, TEST_TIMEOUT, assertPackageBuilt } from './harness.mjs';

const OPTS = { timeout: TEST_TIMEOUT };
const ADO_PROJECT = `${AZURE_DEVOPS.id}/vso.project`;
const PROJECTS = ORGANIZATIONS[DEMO_ORGANIZATION].projects.map((p) => p.name);

let browser;

before(async () => {
  assertPackageBuilt();
  browser = await launchChromium();
});

after(() => browser?.close());

/** The demo's servers and a routed browser context for one test; records token responses. */
async function demo(t) {
  const servers = await startEntraDemo({ root: ROOT });
  t.after(servers.close);
  const context = await browser.newContext();
  t.after(() => context.close());
  context.setDefaultTimeout(STEP_TIMEOUT);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT);
  await routeEntraDemo(context, servers);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  const accessTokens = [];
  context.on('response', async (res) => {
    if (!res.url().startsWith(ENTRA_ORIGIN) || !res.url().endsWith('/oauth2/v2.0/token')) return;
    const body = await res.json().catch(() => ({}));
    if (body.access_token) accessTokens.push(body.access_token);
  });
  return { ...servers, page, problems, accessTokens };
}

const log = (entra) => entra.tokenLog.map((e) => [e.grantType, e.status, e.aadsts]);

test('demo through the Entra emulator: one sign-in (Graph, Azure DevOps consent too), then the projects through client.fetch and the token used: azure-devops, vso.project', OPTS, async (t) => {
  const { entra, devops, page, url, problems, accessTokens } = await demo(t);
  const shown = await tour(page, { url, login: 'alice' });
  assert.equal(shown.status, 'signed-in', shown.error);
  assert.equal(shown.statusText, 'You are signed in as Alice Contoso.');
  assert.equal(shown.state, 'listed', `${shown.error} (${shown.errorCode})`);
  assert.deepEqual(shown.projects, PROJECTS);
  assert.equal(shown.tokenResource, 'azure-devops');
  assert.deepEqual(shown.tokenScopes, [ADO_PROJECT]);
  assert.deepEqual(shown.tokens, ['microsoft-graph: User.Read', `azure-devops: ${ADO_PROJECT}`]);
  assert.equal(shown.error, null);

  // One interaction (one code); the Azure DevOps token came from the refresh token, and the
  // stand-in got that token (its own check: signature, audience, tenant, scp).
  assert.deepEqual(log(entra), [['authorization_code', 200, undefined], ['refresh_token', 200, undefined]]);
  assert.deepEqual(entra.consents('alice', DEMO_ENTRA_CLIENT_ID), { [GRAPH.id]: ['User.Read'], [AZURE_DEVOPS.id]: ['vso.project'] }, 'one consent page, both resources');
  assert.deepEqual(devops.log.map((e) => [e.operationId, e.status, e.scp]), [['Projects_List', 200, 'vso.project']]);

  // The page shows which token, never a token's value.
  assert.equal(accessTokens.length, 2);
  const pageText = await page.locator('body').innerText();
  for (const token of accessTokens) {
    assert.equal(pageText.includes(token), false);
    assert.equal(pageText.includes(token.split('.')[2]), false, 'not even the signature part');
  }

  // Pressed again: the cached token, no further token request.
  await page.click('#list-projects');
  assert.equal(await projectsOutcome(page), 'listed');
  assert.equal(entra.tokenLog.length, 2);
  assert.equal(devops.log.length, 2);
  assert.deepEqual(problems, []);
});

test('demo: a user who did not allow Azure DevOps gets the consent error in plain words with its code; "Allow Azure DevOps" (same user, one consent page) then lists the projects', OPTS, async (t) => {
  const { entra, devops, page, url, problems } = await demo(t);
  const shown = await tour(page, { url, login: 'alice', allowAzureDevOps: false });
  assert.equal(shown.status, 'signed-in', shown.error);
  assert.equal(shown.state, 'error');
  assert.equal(shown.error, 'You have not allowed this app to read your Azure DevOps projects. Allow it (Microsoft asks you once), then list them again.');
  assert.equal(shown.errorCode, 'OAUTH_INTERACTION_REQUIRED, AADSTS65001, invalid_grant');
  assert.deepEqual(shown.projects, []);
  assert.equal(await page.locator('#ado-token').isVisible(), false, 'no token to show');
  assert.deepEqual(log(entra), [['authorization_code', 200, undefined], ['refresh_token', 400, 65001]]);
  assert.deepEqual(devops.log, [], 'nothing was sent to Azure DevOps without a token');
  // Still signed in, with the Graph token.
  assert.equal(await page.locator('#status').getAttribute('data-status'), 'signed-in');
  assert.deepEqual(shown.tokens, ['microsoft-graph: User.Read']);

  // Incremental consent: the emulator still has alice's session, so only its consent page shows.
  await page.click('#allow-ado');
  await submitConsent(page, { issuer: ENTRA_ORIGIN });
  await page.waitForURL((u) => u.href.startsWith(url));
  assert.equal(await settledStatus(page), 'signed-in', await page.locator('#error-description').textContent());
  assert.equal(await page.locator('#status').textContent(), 'You are signed in as Alice Contoso.');
  await page.click('#list-projects');
  assert.equal(await projectsOutcome(page), 'listed');
  const after = await projectsShown(page);
  assert.deepEqual(after.projects, PROJECTS);
  assert.equal(after.tokenResource, 'azure-devops');
  assert.deepEqual(after.tokenScopes, [ADO_PROJECT]);
  assert.equal(after.error, null);
  assert.deepEqual(after.tokens.sort(), [`azure-devops: ${ADO_PROJECT}`, 'microsoft-graph: User.Read'], 'the Graph token kept: same account');
  assert.deepEqual(devops.log.map((e) => [e.operationId, e.status]), [['Projects_List', 200]]);
  assert.deepEqual(problems, []);
});

test('demo: a user of another tenant gets a token Azure DevOps refuses for this organization, said in plain words with the HTTP status', OPTS, async (t) => {
  const { devops, page, url, problems } = await demo(t);
  const shown = await tour(page, { url, login: 'bob' });
  assert.equal(shown.statusText, 'You are signed in as Bob Fabrikam.');
  assert.equal(shown.state, 'error');
  // client.fetch turns Azure DevOps' 401 into a typed error with the status (issue 12).
  assert.match(shown.error, /^Azure DevOps refused the token: Azure DevOps refused the access token \(401\)/);
  assert.equal(shown.errorCode, 'OAUTH_RESOURCE_UNAUTHORIZED');
  assert.equal(await page.locator('#allow-ado').isVisible(), false, 'consent would not help');
  assert.deepEqual(devops.log.map((e) => [e.operationId, e.status, e.reason]), [['Projects_List', 401, 'token from another tenant']]);
  assert.deepEqual(problems, []);
});

// ---- The command -------------------------------------------------------------------------------

function runDemo(args, env = {}) {
  return new Promise((done) => {
    execFile('bash', [resolve(ROOT, 'scripts/demo'), ...args], {
      cwd: ROOT,
      env: { ...process.env, SKIP_SETUP: '1', DEMO_PORT: '0', ENTRA_CLIENT_ID: '', ENTRA_EMULATOR: '1', ...env },
      timeout: 60_000,
      killSignal: 'SIGKILL',
    }, (error, stdout, stderr) => done({ code: error ? (error.code ?? error.signal) : 0, stdout, stderr }));
  });
}

test('ENTRA_EMULATOR=1 scripts/demo --check serves the page, the emulator and the Azure DevOps stand-in, then exits 0', { timeout: 70_000 }, async () => {
  const { code, stdout, stderr } = await runDemo(['--check']);
  assert.equal(code, 0, stderr);
  assert.equal(stdout.trim(), 'OK');
});

test('ENTRA_EMULATOR=1 scripts/demo without a display: says so, signs in headless through the page and prints the projects and the token used', { timeout: 70_000 }, async () => {
  const { code, stdout, stderr } = await runDemo([], { DISPLAY: '', WAYLAND_DISPLAY: '' });
  assert.equal(code, 0, `${stdout}\n${stderr}`);
  assert.match(stdout, /No browser window \(no display: DISPLAY and WAYLAND_DISPLAY are unset\), so a scripted sign-in runs in headless Chromium instead/);
  assert.match(stdout, /Status: You are signed in as Alice Contoso\./);
  assert.match(stdout, new RegExp(`Azure DevOps projects of ${DEMO_ORGANIZATION}: ${PROJECTS.join(', ')}\\n`));
  assert.match(stdout, new RegExp(`Token used: resource azure-devops, scopes ${ADO_PROJECT} \\(its value is never shown\\)`));
  assert.match(stdout, /Token endpoint: authorization_code 200, refresh_token 200\n/);
  assert.match(stdout, /Azure DevOps: Projects_List 200\n/);
});
