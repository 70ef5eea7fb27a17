// What js/client.js hands the session's chunk when it loads it (see js/session-lib.js, which
// says why the chunk imports none of these itself).
import { BrowserOAuthError, guard, typed } from './errors.js';
import { inherent, own } from './own.js';
import { send } from './platform/http.js';
import { exchange, forgetTransactions, redirect } from './signin.js';
import { signatureCheck } from './platform/verify.js';
import { INVALID, invalid, missing, unavailable } from './platform/fail.js';
import { memory, method, needsSealing, peek, sealingCode, storageOptions, web } from './platform/storage.js';

/** @internal The session chunk's share of the package, for `useLib`. */
export const SESSION_LIB = Object.freeze({
  BrowserOAuthError, guard, typed, inherent, own, send, exchange, forgetTransactions, redirect, signatureCheck,
  INVALID, invalid, missing, unavailable, memory, method, needsSealing, peek, sealingCode, storageOptions, web,
});
