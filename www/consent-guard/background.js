// The service worker. It installs the redirect rules (rules.js), judges each redirected request
// for the check page with checkAuthorizationRequest (the consent module, in this worker), lets
// an allowed request through once with a tab-scoped session rule, sets the badge, and keeps the
// record of approved requests (record.js). It sees URLs only: no request body, and of an
// authorization response only its parameter names.
//
// Messages from the extension's own pages: { type: 'check', url } → { proceed, decision, report },
// { type: 'continue', url, confirmed } → { proceed }. `proceed: true` means the page may navigate
// to `url` now (its allowance is in place).
import { initConsent, checkAuthorizationRequest } from './lib/js/eager.js';
import { GUARD_RULE_IDS, guardRules, allowOnceRule, allowRuleId } from './rules.js';
import { decide, BADGES } from './decide.js';
import { RECORD_KEY, PENDING_TTL_MS, pendingFrom, responseAt, recordEntry, withEntry } from './record.js';
import { readSettings, expectationsOf } from './settings.js';

const OWN = chrome.runtime.getURL('');

// Replaced at every start, so the redirect target always names this install's id.
const ready = Promise.all([
  initConsent(),
  chrome.declarativeNetRequest.updateDynamicRules({
    removeRuleIds: GUARD_RULE_IDS,
    addRules: guardRules(chrome.runtime.getURL('check.html')),
  }),
]);

async function judge(url) {
  if (typeof url !== 'string') throw new TypeError('url must be a string');
  await ready;
  const report = checkAuthorizationRequest(url, expectationsOf(await readSettings()));
  return { report, decision: decide(report, url) };
}

const tabKey = (tabId) => `tab:${tabId}`;
async function tabState(tabId) {
  const key = tabKey(tabId);
  return (await chrome.storage.session.get(key))[key] ?? null;
}
const saveTabState = (tabId, state) => (state
  ? chrome.storage.session.set({ [tabKey(tabId)]: state })
  : chrome.storage.session.remove(tabKey(tabId)));

/** Lets `url` load once in `tabId`, and remembers what to watch for in that tab. */
async function allow(tabId, url, report, decision) {
  await chrome.declarativeNetRequest.updateSessionRules({
    removeRuleIds: [allowRuleId(tabId)],
    addRules: [allowOnceRule(tabId, url)],
  });
  const pending = decision === 'other' ? null : pendingFrom(report, decision, Date.now());
  await saveTabState(tabId, { decision, badgeOrigin: new URL(url).origin, allowance: true, pending });
}

const handlers = {
  async check(message, tabId) {
    const { report, decision } = await judge(message.url);
    if (decision === 'ok' || decision === 'other') {
      await allow(tabId, message.url, report, decision);
      return { proceed: true, decision };
    }
    return { proceed: false, decision, report };
  },
  async continue(message, tabId) {
    // Judged again here: the page only asks, it does not say what the verdict was.
    const { report, decision } = await judge(message.url);
    if (decision === 'block' && message.confirmed !== true) throw new Error('a blocked request needs the confirmation step');
    await allow(tabId, message.url, report, decision);
    return { proceed: true, decision };
  },
};

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  // Only this extension's own pages, in a tab.
  if (sender.id !== chrome.runtime.id || !sender.url?.startsWith(OWN) || sender.tab?.id === undefined) return false;
  const handler = Object.hasOwn(handlers, message?.type) ? handlers[message.type] : null;
  if (!handler) return false;
  handler(message, sender.tab.id).then(sendResponse, (e) => sendResponse({ error: String(e?.message ?? e) }));
  return true; // the reply comes later
});

// Tab events arrive in bursts (url, loading, complete): one at a time, so the state stays whole.
let queue = Promise.resolve();
const serially = (fn) => { queue = queue.then(fn, fn).catch((e) => console.error('consent guard:', e)); };

chrome.tabs.onUpdated.addListener((tabId, info, tab) => serially(async () => {
  const state = await tabState(tabId);
  if (!state) return;
  if (info.url && !info.url.startsWith(OWN)) {
    // A page other than the check page committed in the tab: the one-time allowance is spent.
    if (state.allowance) {
      await chrome.declarativeNetRequest.updateSessionRules({ removeRuleIds: [allowRuleId(tabId)] });
      state.allowance = false;
    }
    if (state.pending) {
      const outcome = Date.now() - state.pending.requestedAt > PENDING_TTL_MS ? 'expired' : responseAt(info.url, state.pending);
      if (outcome === 'approved') {
        const record = (await chrome.storage.local.get(RECORD_KEY))[RECORD_KEY];
        await chrome.storage.local.set({ [RECORD_KEY]: withEntry(record, recordEntry(state.pending, Date.now(), crypto.randomUUID())) });
      }
      if (outcome) state.pending = null;
    }
    if (URL.canParse(info.url) && new URL(info.url).origin !== state.badgeOrigin) state.badgeOrigin = null;
    await saveTabState(tabId, state.pending || state.badgeOrigin || state.allowance ? state : null);
  }
  // Chromium clears a tab's badge on every navigation: set it once the page has loaded.
  if (info.status === 'complete' && state.badgeOrigin && URL.canParse(tab.url ?? '')
    && new URL(tab.url).origin === state.badgeOrigin && Object.hasOwn(BADGES, state.decision)) {
    const { text, color } = BADGES[state.decision];
    await chrome.action.setBadgeBackgroundColor({ tabId, color });
    await chrome.action.setBadgeText({ tabId, text });
  }
}));

chrome.tabs.onRemoved.addListener((tabId) => serially(async () => {
  await chrome.declarativeNetRequest.updateSessionRules({ removeRuleIds: [allowRuleId(tabId)] });
  await saveTabState(tabId, null);
}));

chrome.action.onClicked.addListener(() => chrome.tabs.create({ url: chrome.runtime.getURL('approvals.html') }));
