// The typed errors of the storage layer, with the codes and messages of the Rust `Error::detail`.
import { BrowserOAuthError } from '../errors.js';

const fail = (code, message) => new BrowserOAuthError(`OAUTH_${code}`, message);

/** @internal Storage threw or refused (disabled, quota, sandboxed iframe, a broken adapter). */
export const unavailable = () => fail('STORAGE_UNAVAILABLE', 'browser storage is unavailable');

/** @internal A platform API is missing here (`what`: `crypto.subtle`, `indexedDB`, …). */
export const missing = (what) => fail('PLATFORM_UNAVAILABLE', `${what} is not available in this context`);

/** @internal The code of `invalid`: the one failure a sealed store answers by removing the entry. */
export const INVALID = 'OAUTH_STORED_ENTRY_INVALID';

/** @internal A stored entry that can never be read again (forged, edited, moved, its key rotated). */
export const invalid = (reason) => fail('STORED_ENTRY_INVALID', `a stored session entry was invalid and removed: ${reason}`);

/** @internal A configuration error. */
export const badOption = (name, reason) => fail('INVALID_OPTION', `option ${name} is invalid: ${reason}`);
