// The session's chunk (js/session.js, with the redirect's second half, the signature check and
// the store), and what the package hands it when it loads it (see js/session-lib.js, which says
// why the chunk imports none of these itself).
import { glueOf } from './loader.js';
import { BrowserOAuthError, guard, typed } from './errors.js';
import { azureDevOpsFetchCheck, initConsent } from './consent.js';
import { inherent, own, ownOr } from './own.js';
import { send } from './platform/http.js';
import { INVALID, invalid, missing, unavailable } from './platform/fail.js';
import {
  memory, method, needsSealing, sealingCode, storageOptions, web, TX_PREFIX,
} from './platform/storage.js';

/** @internal The session chunk's share of the package, for `useLib`. */
export const SESSION_LIB = Object.freeze({
  BrowserOAuthError, guard, typed, inherent, own, ownOr, send,
  INVALID, invalid, missing, unavailable, memory, method, needsSealing, sealingCode, storageOptions, web,
  TX_PREFIX,
  // The first fetch to an Azure DevOps host loads js/azure-devops.js (a chunk of its own, or
  // provided statically by js/eager.js), which the consent module's JS decides for.
  azureDevOpsCode: glueOf('azure-devops-js', () => import('./azure-devops.js')),
  initConsent, azureDevOpsFetchCheck,
});

// A chunk of its own (or provided statically by js/eager.js, for service workers).
const sessionModule = glueOf('session-js', () => import('./session.js'));
let sessionLoaded = null;

/** @internal The session's chunk, given its share once; a failed load is tried again at the
 * next use. */
export const sessionCode = () => (sessionLoaded ??= sessionModule().then((m) => {
  m.useLib(SESSION_LIB);
  return m;
}, (e) => {
  sessionLoaded = null;
  throw e;
}));
