// The extension page: "Sign in" here (the request is shown and checked before it is sent), or
// let the service worker do it; either way the account and the granted scopes appear, read from
// chrome.storage.session. Everything is written with textContent, never as HTML.
import { createExtensionClient, signInWithWebAuthFlow, checkAuthorizationRequest, extensionRedirectUri, initConsent } from './lib/js/index.js';
import { loadConfig, isConfigured, clientConfig, consentExpectations, reportSummary } from './shared.js';

const $ = (id) => document.getElementById(id);
const BUTTONS = ['sign-in', 'sign-in-background', 'sign-in-silent', 'sign-out'];
const EVENTS = ['signedin', 'refreshed', 'signedout', 'storagepurged'];

let config;
let client;
let seq = 0;

function setStatus(status) {
  $('status').textContent = status;
  $('status').dataset.status = status;
}

function item(text, data = {}) {
  const li = document.createElement('li');
  li.textContent = text;
  Object.assign(li.dataset, data);
  return li;
}

function enable(on) {
  for (const id of BUTTONS) $(id).disabled = !on;
}

function showError(e) {
  const el = $('error');
  if (!e) {
    el.hidden = true;
    el.textContent = '';
    delete el.dataset.code;
    delete el.dataset.error;
    return;
  }
  el.hidden = false;
  el.dataset.code = e.code ?? 'UNEXPECTED';
  if (e.error) el.dataset.error = e.error;
  el.textContent = `${e.code ?? 'Error'}: ${e.message}`;
}

function finished(name, outcome, code) {
  seq += 1;
  const el = $('last-action');
  Object.assign(el.dataset, { name, outcome, code: code ?? '', seq: String(seq) });
  el.textContent = outcome === 'ok' ? `${name}: done` : `${name}: failed (${code})`;
}

async function act(name, fn) {
  enable(false);
  showError(null);
  try {
    await fn();
    finished(name, 'ok');
  } catch (e) {
    showError(e);
    finished(name, 'error', e?.code ?? 'UNEXPECTED');
  } finally {
    enable(true);
  }
}

// ---- the consent check ----------------------------------------------------------------------------

/** Shows a consent report; `source` is 'page' (asks) or 'service-worker' (already decided). */
function renderReport(report, source) {
  const section = $('consent');
  section.hidden = false;
  section.dataset.source = source;
  $('consent-verdict').textContent = report.verdict;
  $('consent-verdict').dataset.verdict = report.verdict;
  const authority = report.authority;
  $('consent-authority').textContent = authority ? `${authority.host} (${authority.kind})` : 'unreadable';
  $('consent-client').textContent = report.clientId ?? '(none)';
  $('consent-redirect').textContent = report.redirectUri ?? '(none)';
  $('consent-scopes').replaceChildren(...report.scopes.map((s) => item(
    s.title ? `${s.scope}: ${s.title}` : s.scope,
    { scope: s.scope, highPrivilege: String(s.highPrivilege) },
  )));
  $('consent-findings').replaceChildren(...report.findings.map((f) => item(f.message, { code: f.code, severity: f.severity })));
  $('consent-buttons').hidden = source !== 'page';
}

/** Shows the request's report and resolves to `true` on "Continue", `false` on "Cancel". */
function askConsent(url) {
  const report = checkAuthorizationRequest(url, consentExpectations(config));
  renderReport(reportSummary(report), 'page');
  $('consent').dataset.state = 'asking';
  $('consent-continue').disabled = report.verdict === 'block';
  return new Promise((resolve) => {
    const answer = (approved) => () => {
      $('consent-continue').onclick = null;
      $('consent-cancel').onclick = null;
      $('consent-buttons').hidden = true;
      $('consent').dataset.state = approved ? 'approved' : 'cancelled';
      resolve(approved);
    };
    $('consent-continue').onclick = answer(true);
    $('consent-cancel').onclick = answer(false);
  });
}

// ---- the account --------------------------------------------------------------------------------

async function renderAccount() {
  const account = await client.account();
  $('account').hidden = !account;
  setStatus(account ? 'signed-in' : 'signed-out');
  if (!account) return;
  $('account-name').textContent = account.name ?? '';
  $('account-username').textContent = account.username ?? '';
  $('account-sub').textContent = account.sub;
  $('account-issuer').textContent = account.issuer;
  $('granted-scopes').replaceChildren(...account.grantedScopes.map((s) => item(s, { scope: s })));
  $('refresh-token').textContent = account.hasRefreshToken ? 'held' : 'none';
  $('refresh-token').dataset.held = String(account.hasRefreshToken);
}

/** A service-worker reply as a result, or an error carrying its code. */
function fromWorker(reply) {
  if (reply?.report) renderReport(reply.report, 'service-worker');
  if (reply?.ok) return reply;
  const e = new Error(reply?.message ?? 'the service worker did not answer');
  e.code = reply?.code ?? 'UNEXPECTED';
  e.error = reply?.error;
  throw e;
}

// ---- start --------------------------------------------------------------------------------------

async function start() {
  config = await loadConfig();
  $('provider').textContent = config.issuer ?? (config.entra ? `Microsoft Entra ID (${config.entra.tenant})` : '(none)');
  $('client-id').textContent = config.clientId ?? '(none)';
  $('redirect-uri').textContent = extensionRedirectUri(config.redirectPath ?? '');
  if (!isConfigured(config)) {
    $('unconfigured').hidden = false;
    setStatus('unconfigured');
    return;
  }
  [client] = await Promise.all([createExtensionClient(clientConfig(config)), initConsent()]);
  for (const type of EVENTS) {
    client.addEventListener(type, (e) => {
      $('events').append(item(`${type}${e.detail?.otherTab ? ' (elsewhere)' : ''}`, { type, otherTab: String(Boolean(e.detail?.otherTab)) }));
      if (e.detail?.otherTab) renderAccount().catch(showError);
    });
  }

  $('sign-in').onclick = () => act('sign-in', async () => {
    await signInWithWebAuthFlow(client, { prompt: config.prompt, confirm: askConsent });
    await renderAccount();
  });
  $('sign-in-background').onclick = () => act('sign-in-background', async () => {
    fromWorker(await chrome.runtime.sendMessage({ type: 'sign-in' }));
    await renderAccount();
  });
  $('sign-in-silent').onclick = () => act('sign-in-silent', async () => {
    fromWorker(await chrome.runtime.sendMessage({ type: 'sign-in', interactive: false, prompt: 'none' }));
    await renderAccount();
  });
  $('sign-out').onclick = () => act('sign-out', async () => {
    await client.signOut({ navigate: false });
    await renderAccount();
  });

  await renderAccount();
  enable(true);
}

start().catch((e) => {
  setStatus('error');
  showError(e);
});
