// The record page: every approved sign-in in chrome.storage.local, with where to revoke it and
// "Forget this record". Rendered as text only (the entries come from URLs).
import { RECORD_KEY, revokeLinks } from './record.js';

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

function fact(dl, term, ...value) {
  dl.append(el('dt', { textContent: term }), el('dd', {}, ...value));
}

function entryView(entry) {
  const li = el('li', { className: 'card' });
  li.dataset.clientId = entry.clientId;
  li.dataset.id = entry.id;
  li.append(el('h2', {}, 'App ', el('code', { textContent: entry.clientId })));
  const dl = el('dl', { className: 'facts' });
  fact(dl, 'Sends you back to', el('code', { textContent: entry.redirectOrigin }));
  fact(dl, 'Signed in at', el('code', { className: 'host', textContent: entry.authority?.host ?? '' }),
    entry.authority?.tenant ? ` (tenant ${entry.authority.tenant})` : '');
  fact(dl, 'Approved', new Date(entry.approvedAt).toLocaleString());
  if (entry.verdict !== 'ok') fact(dl, 'Guard verdict', `${entry.verdict}: you continued past the guard's card`);
  li.append(dl);
  const scopes = el('ul', { className: 'scopes' });
  for (const s of entry.scopes ?? []) {
    const item = el('li', {}, el('code', { textContent: s.scope }), s.title ? ` — ${s.title}` : '');
    if (s.highPrivilege) item.append(el('span', { className: 'badge', textContent: 'high privilege' }));
    item.dataset.scope = s.scope;
    scopes.append(item);
  }
  li.append(el('h3', { textContent: 'Permissions' }), scopes);
  const links = revokeLinks(entry.authority);
  const revoke = el('p', { className: 'revoke' }, 'Revoke: ');
  if (links.length === 0) revoke.append(`at ${entry.authority?.host ?? 'the provider'} (the guard knows no revocation page there)`);
  links.forEach((l, i) => {
    if (i) revoke.append(' · ');
    revoke.append(el('a', { href: l.href, target: '_blank', rel: 'noopener noreferrer', textContent: l.label }));
  });
  const forget = el('button', { type: 'button', className: 'secondary forget', textContent: 'Forget this record' });
  forget.addEventListener('click', () => forgetEntry(entry.id));
  li.append(revoke, el('div', { className: 'row' }, forget));
  return li;
}

async function forgetEntry(id) {
  const record = (await chrome.storage.local.get(RECORD_KEY))[RECORD_KEY] ?? [];
  await chrome.storage.local.set({ [RECORD_KEY]: record.filter((e) => e.id !== id) });
}

async function show() {
  const record = (await chrome.storage.local.get(RECORD_KEY))[RECORD_KEY];
  const entries = Array.isArray(record) ? record : [];
  $('approvals').replaceChildren(...entries.map(entryView));
  $('status').dataset.status = 'ready';
  $('status').dataset.count = String(entries.length);
  $('status').textContent = entries.length ? `${entries.length} approved sign-in${entries.length === 1 ? '' : 's'}.` : 'No approved sign-ins recorded yet.';
}

chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && Object.hasOwn(changes, RECORD_KEY)) show();
});
show().catch((e) => {
  $('status').dataset.status = 'error';
  $('status').textContent = String(e?.message ?? e);
});
