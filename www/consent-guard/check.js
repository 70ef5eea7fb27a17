// The check page: the guard's rules send every top-level navigation that looks like an
// authorization request here, with the original URL in the fragment. The service worker judges
// it; 'ok' (and another provider's request) goes on at once, 'warn' and 'block' show the consent
// card. "Go back" is the default; a blocked request continues only through a second,
// explicit confirmation. Everything from the URL or the report is rendered as text.
const $ = (id) => document.getElementById(id);

const KINDS = {
  'entra-global': 'Microsoft Entra ID',
  'entra-us-government': 'Microsoft Entra ID (US Government)',
  'entra-china': 'Microsoft Entra ID (China, 21Vianet)',
  'entra-sovereign': 'Microsoft Entra ID (sovereign cloud)',
  'entra-germany-closed': 'Microsoft Cloud Germany (closed)',
  'legacy-azure-devops': 'legacy Azure DevOps OAuth',
  trusted: 'a host you trust in the options',
  unknown: 'not a Microsoft sign-in host',
};

const HEADLINES = {
  block: ['Stopped: this sign-in request is not safe', 'The guard stopped this page before it loaded.'],
  warn: ['Check this sign-in request before you continue', 'Nothing is wrong enough to stop it, but read this first.'],
};

function setStatus(status, text) {
  $('status').dataset.status = status;
  $('status').textContent = text;
}

function fail(message) {
  setStatus('error', 'The request could not be checked.');
  $('error').hidden = false;
  $('error').textContent = message;
}

/** Leaves the interstitial the safe way: back where the person came from, or a dead end. */
function goBack() {
  if (history.length > 1) {
    history.back();
    return;
  }
  $('card').hidden = true;
  setStatus('stopped', 'The sign-in request was stopped. You can close this tab.');
}

function item(list, text, data = {}) {
  const li = document.createElement('li');
  li.textContent = text;
  Object.assign(li.dataset, data);
  list.append(li);
  return li;
}

function render(url, decision, report) {
  const [headline, summary] = HEADLINES[decision];
  const host = typeof report.authority?.host === 'string' ? report.authority.host : '';
  $('card').dataset.verdict = decision;
  $('headline').textContent = headline;
  $('summary').textContent = summary;
  $('host').textContent = host || '(none)';
  $('authority-kind').textContent = `(${KINDS[report.authority?.kind] ?? 'unknown'})`;
  $('client-id').textContent = report.clientId ?? '(none)';
  $('redirect').textContent = report.redirectUri ?? '(none)';
  $('url').textContent = url;
  for (const f of report.findings ?? []) {
    if (f?.severity !== 'info') item($('findings'), f.message, { code: f.code, severity: f.severity });
  }
  for (const s of report.scopes ?? []) {
    const li = item($('scopes'), '', { scope: s.scope, highPrivilege: String(s.highPrivilege === true) });
    const name = Object.assign(document.createElement('code'), { textContent: s.scope });
    li.append(name);
    if (s.title) li.append(` — ${s.title}`);
    if (s.highPrivilege === true) li.append(Object.assign(document.createElement('span'), { className: 'badge', textContent: 'high privilege' }));
    if (s.description) li.append(Object.assign(document.createElement('p'), { className: 'muted', textContent: s.description }));
  }
  $('confirm-host').textContent = host;
  $('continue').textContent = decision === 'block' ? 'Continue anyway…' : `Continue to ${host}`;
  $('card').hidden = false;
  setStatus(decision, decision === 'block' ? 'Stopped.' : 'Waiting for you.');
  $('go-back').focus();
}

async function proceed(url, message) {
  const reply = await chrome.runtime.sendMessage(message);
  if (!reply?.proceed) throw new Error(reply?.error ?? 'the guard did not let the request through');
  setStatus('proceeding', 'Continuing…');
  location.replace(url);
}

async function main() {
  // Never inside a frame: a page must not be able to put this card under someone's click.
  if (window.top !== window) throw new Error('the check page cannot be framed');
  const url = location.hash.slice(1);
  if (!url) throw new Error('no request to check');
  const reply = await chrome.runtime.sendMessage({ type: 'check', url });
  if (reply?.error) throw new Error(reply.error);
  if (reply.proceed) {
    setStatus('proceeding', 'Looks fine, continuing…');
    location.replace(url);
    return;
  }
  render(url, reply.decision, reply.report);
  $('go-back').addEventListener('click', goBack);
  $('confirm-cancel').addEventListener('click', goBack);
  $('continue').addEventListener('click', () => {
    if (reply.decision === 'block') {
      // The second step: only the confirmation's own button continues.
      $('confirm').hidden = false;
      $('continue').disabled = true;
      $('confirm-cancel').focus();
      return;
    }
    proceed(url, { type: 'continue', url }).catch((e) => fail(e.message));
  });
  $('confirm-continue').addEventListener('click', () => {
    proceed(url, { type: 'continue', url, confirmed: true }).catch((e) => fail(e.message));
  });
}

main().catch((e) => fail(e.message));
