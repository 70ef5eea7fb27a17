// Typed errors. Every error the library throws has a stable string `.code` (OAUTH_…); the
// server's own `error`, `error_description` and `error_uri` are kept intact on OAuthServerError.

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
    this.error = fields.error;
    this.errorDescription = fields.errorDescription;
    this.errorUri = fields.errorUri;
    /** Microsoft Entra AADSTS number found in the description: a hint, the numbers change. */
    this.aadsts = fields.aadsts;
    /** HTTP status of a token-endpoint error. */
    this.status = fields.status;
  }
}

/** Turns what the wasm module threw into a typed error; anything else passes through. */
export function typed(e) {
  if (e instanceof BrowserOAuthError || !e || typeof e.code !== 'string') return e;
  if (e.code === 'OAUTH_AUTHORIZATION_ERROR' || e.code === 'OAUTH_TOKEN_ERROR') {
    return new OAuthServerError(e.code, e.message, e);
  }
  const typedError = new BrowserOAuthError(e.code, e.message);
  if (typeof e.reason === 'string') typedError.reason = e.reason;
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
