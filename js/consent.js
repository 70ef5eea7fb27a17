// Consent checks: judge an authorization request URL before anyone approves it, and the part of
// legacy Azure DevOps OAuth a browser can do safely (build the URL, validate the callback).
import { wasm } from './loader.js';
import { guard } from './errors.js';
import { text } from './scopes.js';

/**
 * A report on an authorization request URL (RFC 6749 §4.1.1, RFC 7636 §4.3, RFC 9700 §4):
 * `{ verdict: 'ok' | 'warn' | 'block', findings, authority, clientId, redirectUri, scopes }`.
 * Any string gives a report; only malformed `expectations` throw. Finding messages quote the
 * URL: render them as text, never as HTML.
 */
export function checkAuthorizationRequest(url, expectations) {
  return guard(() => wasm().checkAuthorizationRequest(text('url', url), expectations));
}

/**
 * The legacy Azure DevOps authorize URL (`response_type=Assertion`) for
 * `{ clientId, redirectUri, scopes, state }`. The redirect URI must be https; the scopes must be
 * current `vso.*` scopes.
 */
export function legacyAuthorizationUrl(request) {
  return guard(() => wasm().legacyAuthorizationUrl(request));
}

/**
 * Validates a legacy Azure DevOps callback (redirect URI, `state`, `error`) and returns its
 * authorization code, for the app's server to redeem with its client secret. The code is a
 * secret: send it to the server at once and do not keep or log it.
 */
export function validateLegacyCallback(url, expectedState, expectedRedirectUri) {
  return guard(() => wasm().validateLegacyCallback(
    text('url', url), text('expectedState', expectedState), text('expectedRedirectUri', expectedRedirectUri),
  ));
}
