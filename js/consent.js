// Consent checks: judge an authorization request URL before anyone approves it, describe Azure
// DevOps scopes from the catalog, and the part of legacy Azure DevOps OAuth a browser can do
// safely (build the URL, validate the callback). These live in their own wasm module
// (dist/wasm-consent/), loaded by `initConsent()`, so that apps that only sign in do not
// download the catalog texts and the authority tables.
import consentWasm from '../dist/wasm-consent/browser_oauth_consent_url.js';
import { glueOf, wasmModule } from './loader.js';
import { guard } from './errors.js';
import { text } from './scopes.js';

const consent = wasmModule(
  glueOf('consent', () => import('../dist/wasm-consent/browser_oauth_consent.js')),
  'initConsent',
  consentWasm,
);
/** @internal The consent module's exports (the scope operations live there too). */
export const wasm = () => consent.get();

/**
 * Loads and instantiates the consent module. Safe to call many times: one load happens.
 * Independent of `init()`: a page that only checks requests needs only this one.
 * @param {URL | string | Request | Response | BufferSource | WebAssembly.Module} [input]
 *   Where its .wasm file is; by default next to its glue (`dist/wasm-consent/`).
 */
export function initConsent(input) {
  return consent.load(input);
}

/**
 * A report on an authorization request URL (RFC 6749 §4.1.1, RFC 7636 §4.3, RFC 9700 §4):
 * `{ verdict: 'ok' | 'warn' | 'block', findings, authority, clientId, redirectUri, scopes }`.
 * Any string gives a report; only malformed `expectations` throw. Finding messages quote the
 * URL: render them as text, never as HTML.
 */
export function checkAuthorizationRequest(url, expectations) {
  return guard(() => wasm().checkAuthorizationRequest(text('url', url), expectations));
}

/** The Azure DevOps catalog entry of `scope` (bare or prefixed), or `null` when it is unknown. */
export function describeScope(scope) {
  return guard(() => wasm().describeScope(text('scope', scope)));
}

/** Every current Azure DevOps scope, in the order of the docs table. */
export function azureDevOpsScopes() {
  return guard(() => wasm().azureDevOpsScopes());
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
