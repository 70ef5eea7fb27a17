// The service worker: signs in on a message from the extension's own pages, with no window,
// document, history or Web Storage. The request is checked (checkAuthorizationRequest) before it
// is sent and refused when the verdict is "block"; the session goes to chrome.storage.session,
// where the extension's pages find it too. Replies never carry a token.
//
// Messages: { type: 'sign-in', interactive?: boolean, prompt?: string } → { ok, account, report },
// { type: 'account' } → { ok, account }, { type: 'sign-out' } → { ok }.
import { createExtensionClient, signInWithWebAuthFlow, checkAuthorizationRequest, initConsent } from './lib/js/eager.js';
import { loadConfig, clientConfig, consentExpectations, errorReply, reportSummary } from './shared.js';

let ready = null;

/** The config and the client, made once per service-worker life (the session outlives it). */
function setup() {
  ready ??= (async () => {
    const config = await loadConfig();
    // The consent module too: `confirm` below checks each request with it.
    const [client] = await Promise.all([createExtensionClient(clientConfig(config)), initConsent()]);
    return { config, client };
  })().catch((e) => {
    ready = null;
    throw e;
  });
  return ready;
}

const handlers = {
  async 'sign-in'(message) {
    const { config, client } = await setup();
    let report = null;
    await signInWithWebAuthFlow(client, {
      interactive: message.interactive !== false,
      prompt: message.prompt ?? config.prompt,
      confirm(url) {
        report = checkAuthorizationRequest(url, consentExpectations(config));
        return report.verdict !== 'block';
      },
    }).catch((e) => {
      throw Object.assign(e, { report });
    });
    return { ok: true, account: await client.account(), report: reportSummary(report) };
  },
  async account() {
    const { client } = await setup();
    return { ok: true, account: await client.account() };
  },
  async 'sign-out'() {
    const { client } = await setup();
    await client.signOut({ navigate: false });
    return { ok: true };
  },
};

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  // Only this extension's own pages.
  if (sender.id !== chrome.runtime.id || !sender.url?.startsWith(chrome.runtime.getURL(''))) return false;
  const handler = Object.hasOwn(handlers, message?.type) ? handlers[message.type] : null;
  if (!handler) return false;
  handler(message).then(sendResponse, (e) => sendResponse({ ...errorReply(e), report: reportSummary(e?.report) }));
  return true; // the reply comes later
});

// The toolbar button opens the page (an action popup would close when the sign-in window takes
// the focus, and its sign-in with it).
chrome.action.onClicked.addListener(() => chrome.runtime.openOptionsPage());
