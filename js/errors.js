// Typed errors. Every error the library throws has a stable string `.code` (OAUTH_…); the
// server's own `error`, `error_description` and `error_uri` are kept intact on OAuthServerError.
import { own } from './own.js';

/** Any error raised by browser-oauth. */
export class BrowserOAuthError extends Error {
  constructor(code, message, options) {
    super(message, options);
    this.name = 'BrowserOAuthError';
    /** Stable machine-readable code, e.g. `OAUTH_STATE_MISMATCH`. */
    this.code = code;
  }
}

/**
 * The authorization server answered with an OAuth error: at the redirect
 * (`OAUTH_AUTHORIZATION_ERROR`, RFC 6749 §4.1.2.1) or at the token endpoint
 * (`OAUTH_TOKEN_ERROR`, RFC 6749 §5.2). `errorDescription` is plain text: never render it as HTML.
 */
export class OAuthServerError extends BrowserOAuthError {
  constructor(code, message, fields, options) {
    super(code, message, options);
    this.name = 'OAuthServerError';
    this.error = own(fields, 'error');
    this.errorDescription = own(fields, 'errorDescription');
    this.errorUri = own(fields, 'errorUri');
    /** Microsoft Entra AADSTS number found in the description: a hint, the numbers change. */
    this.aadsts = own(fields, 'aadsts');
    /** HTTP status of a token-endpoint error. */
    this.status = own(fields, 'status');
  }
}

/**
 * Turns what the wasm module threw into a typed error; anything else passes through. Only the
 * error's own fields count: an inherited `code` or `reason` would come from elsewhere in the page.
 */
export function typed(e) {
  const code = own(e, 'code');
  if (e instanceof BrowserOAuthError || typeof code !== 'string') return e;
  const message = own(e, 'message');
  if (code === 'OAUTH_AUTHORIZATION_ERROR' || code === 'OAUTH_TOKEN_ERROR') {
    return new OAuthServerError(code, message, e);
  }
  const typedError = new BrowserOAuthError(code, message);
  const reason = own(e, 'reason');
  if (typeof reason === 'string') typedError.reason = reason;
  // A refused refresh (OAUTH_INTERACTION_REQUIRED) keeps the server's answer that said why.
  for (const field of ['error', 'errorDescription', 'aadsts']) {
    const value = own(e, field);
    if (value !== undefined) typedError[field] = value;
  }
  return typedError;
}

/** Calls `fn`, converting thrown errors and rejections to typed errors. */
export function guard(fn) {
  try {
    const out = fn();
    return out && typeof out.then === 'function' ? out.catch((e) => { throw typed(e); }) : out;
  } catch (e) {
    throw typed(e);
  }
}

/** @internal A rejection handler for a chunk of code that did not load. */
export const loadFailed = (what) => (e) => {
  throw new BrowserOAuthError('OAUTH_INIT_FAILED', `could not load the ${what} code: ${e?.message ?? e}`);
};
