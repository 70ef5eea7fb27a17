// The low-level steps, one function per protocol step, for apps that orchestrate themselves.
import { wasm } from './loader.js';
import { BrowserOAuthError, guard } from './errors.js';

// Strings cross into wasm as UTF-8; anything else is refused here with a typed error rather
// than coerced by the glue.
function text(name, value) {
  if (typeof value !== 'string') {
    throw new BrowserOAuthError('OAUTH_INVALID_OPTION', `option ${name} is invalid: must be a string`);
  }
  return value;
}

/** A fresh PKCE pair (RFC 7636 §4.1, §4.2): `{ codeVerifier, codeChallenge, codeChallengeMethod: 'S256' }`. */
export function generatePkce() {
  return guard(() => wasm().generatePkce());
}

/** The S256 `code_challenge` of a caller-supplied verifier, validated first (RFC 7636 §4.1). */
export function pkceChallenge(codeVerifier) {
  return guard(() => wasm().pkceChallenge(text('codeVerifier', codeVerifier)));
}

/**
 * A provider from `{ issuer }` (OpenID Connect Discovery, exact issuer match),
 * `{ issuer, authorizationEndpoint, tokenEndpoint }`, or `{ entra: { tenant, host? } }`.
 */
export async function resolveProvider(config) {
  return guard(() => wasm().WasmProvider.create(config));
}

/**
 * Builds an authorization URL (RFC 6749 §4.1.1, RFC 7636 §4.3). Returns `{ url, state, transaction }`:
 * keep `transaction` (it holds the code verifier) until the redirect comes back, then drop it.
 */
export function buildAuthorizationUrl(provider, client, request) {
  return guard(() => wasm().buildAuthorizationUrl(provider, client, request));
}

/**
 * Validates a redirect URL against its transaction (RFC 6749 §4.1.2, RFC 9207). Returns an
 * opaque validated response: the only thing `exchangeCode` accepts.
 */
export function validateAuthorizationResponse(provider, clientId, url, transaction) {
  return guard(() => wasm().validateAuthorizationResponse(provider, text('clientId', clientId), text('url', url), text('transaction', transaction)));
}

/** Exchanges the code of a validated response (RFC 6749 §4.1.3), once. */
export async function exchangeCode(provider, validated) {
  return guard(() => wasm().exchangeCode(provider, validated));
}

/** `url` without the OAuth response parameters, or `null` when there are none. */
export function stripResponseParams(url, responseMode = 'query') {
  return guard(() => wasm().stripResponseParams(text('url', url), text('responseMode', responseMode)) ?? null);
}
