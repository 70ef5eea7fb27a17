// The consent-check page: uses browser-oauth exactly as an application would. Everything shown
// comes from the package's report and is written with textContent, never as HTML: finding
// messages quote the URL being checked.
//
// `?url=<authorization URL>` prefills the form and checks at once; `clientId` and `redirectUri`
// prefill the expectations (the demo uses them to show its own request). Trusting a local http
// sign-in server is never taken from the URL, which anyone can craft: it is ticked by hand, or
// pre-ticked when this site's own /demo-config.json says it runs against a local provider.
// `operations` (repeatable) prefills the Azure DevOps calls the app declares: the check then
// says which requested scopes those calls do not need.

import { initConsent, checkAuthorizationRequest, BrowserOAuthError } from '/js/index.js';

const $ = (id) => document.getElementById(id);

/** `document.createElement` with a class and text; never innerHTML. */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function setStatus(status, text = status) {
  $('status').textContent = text;
  $('status').dataset.status = status;
}

const VERDICTS = {
  ok: ['Looks genuine', 'Nothing unusual was found. Approve only if you recognise the app and expect this sign-in.'],
  warn: ['Look closely', 'Something is unusual or grants wide access. Read the findings before you approve.'],
  block: ['Do not continue', 'This request is unsafe or does not come from a genuine sign-in server.'],
};

const AUTHORITY_KINDS = {
  'entra-global': 'Microsoft Entra ID (global cloud)',
  'entra-us-government': 'Microsoft Entra ID (US Government cloud)',
  'entra-china': 'Microsoft Entra ID (China, operated by 21Vianet)',
  'entra-sovereign': 'Microsoft Entra ID (sovereign cloud)',
  'entra-germany-closed': 'Microsoft Cloud Germany (closed in 2021)',
  'legacy-azure-devops': 'Azure DevOps OAuth (legacy, retiring in 2026)',
  trusted: 'A sign-in server you chose to trust',
  unknown: 'Unknown server',
};

const TENANTS = {
  organizations: 'organizations: any work or school account',
  common: 'common: any Microsoft account',
  consumers: 'consumers: personal Microsoft accounts',
};

/** Plain words for the scopes that are not in the Azure DevOps catalog but are common. */
const OIDC = {
  openid: ['Sign you in', 'Lets the app learn who you are.'],
  profile: ['Your basic profile', 'Your name and other basic profile details.'],
  email: ['Your email address', 'The email address of your account.'],
  offline_access: ['Stay signed in', 'Keeps access while you are not using the app (a refresh token).'],
};

const SEVERITY = { block: ['Block', 0], warn: ['Warning', 1], info: ['Note', 2] };

/** The group a scope is shown under: its Azure DevOps area, or what kind of access it is. */
function groupOf(s) {
  if (s.area) return `Azure DevOps: ${s.area}`;
  if (s.resource === 'oidc') return 'Sign-in';
  if (s.resource === 'azure-devops' || s.status !== 'unknown' || s.scope.startsWith('vso.')) return 'Azure DevOps: other';
  if (s.resource === 'microsoft-graph') return 'Microsoft Graph';
  return 'Other APIs';
}

function describe(s) {
  if (s.title) return [s.title, s.description];
  if (OIDC[s.scope]) return OIDC[s.scope];
  if (s.scope.endsWith('/.default')) return ['Everything the app is configured for', 'Every permission the app registration lists, without naming them here.'];
  if (s.fullAccess) return ['Full access as you', 'Acts as you across everything this service offers.'];
  if (s.status === 'retired') return ['Retired Azure DevOps scope', s.note ? `No longer offered: ${s.note}.` : 'No longer offered.'];
  if (s.status === 'manifest-only') return ['Undocumented Azure DevOps scope', 'Listed only for extensions, not for OAuth apps.'];
  return ['Not described', 'This library does not know this permission.'];
}

function badge(kind, text) {
  const b = el('span', `badge badge-${kind}`, text);
  b.dataset.badge = kind;
  return b;
}

function scopeRow(s) {
  const [title, description] = describe(s);
  const row = el('li', 'scope');
  row.dataset.scope = s.scope;
  const head = el('div', 'scope-head');
  head.append(el('span', 'scope-title', title));
  if (s.fullAccess) head.append(badge('full', 'Full access'));
  else if (s.highPrivilege) head.append(badge('high', 'High privilege'));
  else if (s.broad) head.append(badge('broad', 'Broad'));
  if (s.status === 'retired' || s.status === 'manifest-only') head.append(badge('status', s.status));
  row.append(head, el('code', 'scope-name', s.scope), el('p', 'scope-description', description));
  // What the scope unlocks, in words from the Azure DevOps REST operations it grants.
  if (s.examples?.length) {
    const list = el('ul', 'scope-examples');
    list.append(...s.examples.map((e) => el('li', 'scope-example', e)));
    row.append(el('p', 'scope-examples-lead muted', 'Lets the app, for example:'), list);
  }
  return row;
}

function renderScopes(scopes) {
  const groups = new Map();
  for (const s of scopes) {
    const name = groupOf(s);
    if (!groups.has(name)) groups.set(name, []);
    groups.get(name).push(s);
  }
  const nodes = [];
  for (const [name, members] of groups) {
    const group = el('section', 'scope-group');
    group.dataset.area = name;
    const list = el('ul', 'scope-list');
    list.append(...members.map(scopeRow));
    group.append(el('h3', 'scope-area', name), list);
    nodes.push(group);
  }
  if (!nodes.length) nodes.push(el('p', 'muted', 'No scopes are named.'));
  $('scopes').replaceChildren(...nodes);
  const high = scopes.filter((s) => s.highPrivilege || s.fullAccess).length;
  $('scope-count').textContent = `${scopes.length} scope${scopes.length === 1 ? '' : 's'}${high ? `, ${high} high privilege` : ''}`;
}

function renderFindings(findings) {
  const sorted = [...findings].sort((a, b) => SEVERITY[a.severity][1] - SEVERITY[b.severity][1]);
  const items = sorted.map((f) => {
    const li = el('li', `finding finding-${f.severity}`);
    li.dataset.code = f.code;
    li.dataset.severity = f.severity;
    li.append(el('span', 'severity', SEVERITY[f.severity][0]), el('span', 'message', f.message), el('code', 'finding-code', f.code));
    return li;
  });
  if (!items.length) items.push(el('li', 'finding finding-none', 'Nothing to report.'));
  $('findings').replaceChildren(...items);
}

function render(report, url) {
  const [title, text] = VERDICTS[report.verdict];
  $('verdict').dataset.verdict = report.verdict;
  $('card').dataset.verdict = report.verdict;
  $('verdict-title').textContent = title;
  $('verdict-text').textContent = text;

  const a = report.authority;
  $('authority-host').textContent = a?.host ?? 'cannot be read';
  $('authority-kind').textContent = a ? AUTHORITY_KINDS[a.kind] : '';
  $('authority-kind').dataset.kind = a?.kind ?? '';
  $('authority-tenant').textContent = a?.tenant ? (TENANTS[a.tenant.toLowerCase()] ?? a.tenant) : 'not named';
  $('client-id').textContent = report.clientId ?? 'not named';
  $('redirect-uri').textContent = report.redirectUri ?? 'not named';

  renderScopes(report.scopes);
  renderFindings(report.findings);
  $('needed-row').hidden = !report.neededScopes;
  $('needed-scopes').textContent = report.neededScopes?.length ? report.neededScopes.join(' ') : 'no Azure DevOps scope';

  // Offer to go on only when nothing blocks, and only to an http(s) address.
  const safeLink = report.verdict !== 'block' && /^https?:\/\//i.test(url);
  $('continue-row').hidden = !safeLink;
  if (safeLink) $('continue').href = url;
  else $('continue').removeAttribute('href');

  $('error').hidden = true;
  $('card').hidden = false;
}

function showError(err) {
  console.error(err);
  $('error-code').textContent = err instanceof BrowserOAuthError ? err.code : 'UNEXPECTED_ERROR';
  $('error-message').textContent = err?.message ?? String(err);
  $('error').hidden = false;
  $('card').hidden = true;
  setStatus('error');
}

function expectations() {
  const clientId = $('expected-client-id').value.trim();
  const redirectUri = $('expected-redirect-uri').value.trim();
  const operations = $('expected-operations').value.split('\n').map((l) => l.trim()).filter(Boolean);
  return {
    ...(clientId ? { clientId } : {}),
    ...(redirectUri ? { redirectUri } : {}),
    ...(operations.length ? { operations } : {}),
    dangerouslyAllowHttpLoopbackAuthority: $('dev-loopback').checked,
  };
}

function check() {
  const url = $('url').value.trim();
  try {
    render(checkAuthorizationRequest(url, expectations()), url);
    setStatus('checked', '');
  } catch (err) {
    showError(err);
  }
}

function prefill(params) {
  $('url').value = params.get('url') ?? '';
  $('expected-client-id').value = params.get('clientId') ?? '';
  $('expected-redirect-uri').value = params.get('redirectUri') ?? '';
  $('expected-operations').value = params.getAll('operations').join('\n');
  if (params.has('clientId') || params.has('redirectUri') || params.has('operations')) $('expectations').open = true;
}

/** Pre-ticks local-provider trust only when the site itself is configured for one. */
async function trustFromSiteConfig() {
  try {
    const response = await fetch('/demo-config.json', { credentials: 'omit' });
    if (!response.ok) return;
    const config = await response.json();
    const local = typeof config.issuer === 'string' && /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/|$)/.test(config.issuer);
    if (config.allowHttpLoopback === true && local) $('dev-loopback').checked = true;
  } catch {
    // No site configuration: nothing is trusted beyond the known hosts.
  }
}

async function main() {
  const params = new URLSearchParams(location.search);
  prefill(params);
  await trustFromSiteConfig();
  $('check-form').addEventListener('submit', (event) => {
    event.preventDefault();
    check();
  });
  await initConsent();
  $('check').disabled = false;
  setStatus('ready', '');
  if (params.get('url')) check();
}

main().catch(showError);
