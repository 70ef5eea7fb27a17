// Which navigations look like authorization requests, as declarativeNetRequest rules. Matching
// top-level GET navigations are redirected, before any request leaves the browser, to the check
// page with the original URL in its fragment (the fragment never reaches a server). No DOM and no
// chrome.* here: the rules are plain data, so the service worker and tests share them.

/** Ids of the dynamic rules below (replaced as a set at every start). */
export const GUARD_RULE_IDS = [1, 2, 3];

/** Above the guard rules: a one-time allowance of one URL in one tab wins over its redirect. */
const ALLOW_PRIORITY = 2;

// RE2 syntax (declarativeNetRequest's regexFilter). Each pattern matches the whole URL, so that
// `\0` in the substitution is the whole original URL.
const PATTERNS = [
  // Entra v2 /{tenant}/oauth2/v2.0/authorize, v1 /{tenant}/oauth2/authorize and legacy Azure
  // DevOps /oauth2/authorize, on any host: a lookalike host keeps the path it imitates.
  String.raw`^https?://[^/?#]+/([^?#]*/)?oauth2/(v2\.0/)?authorize([?].*)?$`,
  // Any request that carries response_type and client_id in its query, in either order.
  String.raw`^https?://[^?#]*\?([^#]*&)?response_type=[^#]*&client_id=.*$`,
  String.raw`^https?://[^?#]*\?([^#]*&)?client_id=[^#]*&response_type=.*$`,
];

/**
 * The guard's rules: matching top-level GET navigations go to `checkPage#<original URL>`.
 * POSTed authorization requests are left alone: their parameters are in the body, which the
 * guard never reads, and a redirect would drop it.
 * @param {string} checkPage chrome.runtime.getURL('check.html')
 */
export function guardRules(checkPage) {
  return PATTERNS.map((regexFilter, i) => ({
    id: GUARD_RULE_IDS[i],
    priority: 1,
    action: { type: 'redirect', redirect: { regexSubstitution: `${checkPage}#\\0` } },
    condition: { regexFilter, isUrlFilterCaseSensitive: false, resourceTypes: ['main_frame'], requestMethods: ['get'] },
  }));
}

/** The session rule id of a tab's one-time allowance. */
export const allowRuleId = (tabId) => tabId + 1;

/**
 * A session rule that lets exactly `url` (without its fragment) load once in tab `tabId`. In a
 * urlFilter `*` and `^` are wildcards; a URL holding them matches a little more, never less.
 */
export function allowOnceRule(tabId, url) {
  const u = new URL(url);
  u.hash = '';
  return {
    id: allowRuleId(tabId),
    priority: ALLOW_PRIORITY,
    action: { type: 'allow' },
    condition: { urlFilter: `|${u.href}|`, tabIds: [tabId], resourceTypes: ['main_frame'] },
  };
}
