// The guard's settings (chrome.storage.local "settings"), edited on the options page, read by the
// service worker for every check. Both are for providers other than Microsoft's hosts:
// - trustedAuthorityHosts: hosts whose requests are judged as a genuine authorization server;
// - allowHttpLoopbackAuthority: a plain-http provider on 127.0.0.1/localhost is trusted, with a
//   warning. For local development and the end-to-end test only; off by default.
// Neither changes how a Microsoft host, a lookalike or any other request is judged.

export const SETTINGS_KEY = 'settings';

const HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/** Normalised settings from anything (storage is input): unknown or malformed parts are dropped. */
export function normaliseSettings(value) {
  const own = (k) => (value && typeof value === 'object' && Object.hasOwn(value, k) ? value[k] : undefined);
  const hosts = Array.isArray(own('trustedAuthorityHosts')) ? own('trustedAuthorityHosts') : [];
  return {
    trustedAuthorityHosts: [...new Set(hosts.filter((h) => typeof h === 'string').map((h) => h.trim().toLowerCase()).filter((h) => HOST.test(h)))],
    allowHttpLoopbackAuthority: own('allowHttpLoopbackAuthority') === true,
  };
}

/** The expectations passed to checkAuthorizationRequest. */
export function expectationsOf(settings) {
  const exp = { trustedAuthorityHosts: settings.trustedAuthorityHosts };
  if (settings.allowHttpLoopbackAuthority) exp.dangerouslyAllowHttpLoopbackAuthority = true;
  return exp;
}

export async function readSettings() {
  const stored = await chrome.storage.local.get(SETTINGS_KEY);
  return normaliseSettings(stored[SETTINGS_KEY]);
}

export function writeSettings(settings) {
  return chrome.storage.local.set({ [SETTINGS_KEY]: normaliseSettings(settings) });
}
