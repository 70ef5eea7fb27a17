// What the session's chunk (js/session.js, with js/platform/store.js and locks.js)
// takes from the rest of the package: handed in by js/client.js when it loads the chunk
// (`useLib`, with js/session-deps.js's `SESSION_LIB`), never imported. Were the chunk to import
// errors.js, own.js, http.js, fail.js or storage.js, every bundler would move those
// out of the app's entry into a chunk that both share: one more file on every page, fetched one
// round trip after the entry (issue "Weight"). The bindings below are live: each importer sees
// the values once `useLib` has run, which is before any of the chunk's functions is called.
export let BrowserOAuthError;
export let guard;
export let typed;
export let inherent;
export let own;
export let ownOr;
export let send;
export let INVALID;
export let invalid;
export let missing;
export let unavailable;
export let memory;
export let method;
export let needsSealing;
export let sealingCode;
export let storageOptions;
export let web;
export let TX_PREFIX;
export let azureDevOpsCode;
export let initConsent;
export let azureDevOpsFetchCheck;

/** @internal Sets the bindings above from `lib` (js/session-deps.js `SESSION_LIB`). */
export function useLib(lib) {
  ({
    BrowserOAuthError, guard, typed, inherent, own, ownOr, send,
    INVALID, invalid, missing, unavailable, memory, method, needsSealing, sealingCode, storageOptions, web,
    TX_PREFIX, azureDevOpsCode, initConsent, azureDevOpsFetchCheck,
  } = lib);
}
