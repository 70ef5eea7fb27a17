// Consent checks: judge an authorization request URL before anyone approves it, describe Azure
// DevOps scopes from the catalog, and the part of legacy Azure DevOps OAuth a browser can do
// safely (build the URL, validate the callback). These live in their own wasm module
// (dist/wasm-consent/), loaded by `initConsent()`, so that apps that only sign in do not
// download the catalog texts and the authority tables.
import consentWasm from '../dist/wasm-consent/browser_oauth_consent_url.js';
import { glueOf, wasmModule } from './loader.js';
import { BrowserOAuthError, guard } from './errors.js';
import { own, ownRest } from './own.js';
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
  const operations = own(expectations, 'operations');
  const checked = operations === undefined ? expectations : { ...ownRest(expectations, ['operations']), operations: calls('operations', operations) };
  return guard(() => wasm().checkAuthorizationRequest(text('url', url), checked));
}

/**
 * Calls as the consent module reads them: `"METHOD URL"` strings. Each call is such a string
 * (or a bare URL, a GET) or `{ method, url }` (own properties; `method` defaults to GET).
 */
function calls(name, value) {
  if (!Array.isArray(value)) throw new BrowserOAuthError('OAUTH_INVALID_OPTION', `option ${name} is invalid: must be an array of calls`);
  const out = [];
  for (let i = 0; i < value.length; i += 1) {
    const call = Object.hasOwn(value, i) ? value[i] : undefined;
    if (typeof call === 'string') {
      out.push(call);
      continue;
    }
    const method = own(call, 'method') ?? 'GET';
    const url = own(call, 'url');
    if (typeof method !== 'string' || typeof url !== 'string' || method.includes(' ')) {
      throw new BrowserOAuthError('OAUTH_INVALID_OPTION', `option ${name} is invalid: each call is "METHOD URL" or { method, url }`);
    }
    out.push(`${method} ${url}`);
  }
  return out;
}

/**
 * The Azure DevOps REST operation `method` on `url` calls (API 7.1) and the scopes any one of
 * which allows it: `{ kind: 'operation', scopes, method, host, path }`; `{ kind: 'unknown' }` for
 * an Azure DevOps host without such an operation (never a guess); `{ kind: 'not-azure-devops' }`.
 */
export function requiredScopes(method, url) {
  return guard(() => wasm().requiredScopes(text('method', method), text('url', url)));
}

/**
 * The fewest Azure DevOps catalog scopes that allow every call of `calls` (`"GET https://…"` or
 * `{ method, url }`), inclusion honoured: `{ scopes, exact, unknown }`. `entra: true` writes them
 * with the Azure DevOps resource prefix. `exact` is `false` only when the search ran out of its
 * budget (then a greedy-or-better set); `unknown` lists the calls the table does not know.
 */
export function minimalScopes(list, options) {
  const entra = own(options, 'entra') ?? false;
  if (typeof entra !== 'boolean') throw new BrowserOAuthError('OAUTH_INVALID_OPTION', 'option entra is invalid: must be a boolean');
  return guard(() => wasm().minimalScopes(calls('calls', list), entra));
}

/** @internal For client.fetch: whether `tokenScopes` allow `method` on `url`, and which would. */
export function azureDevOpsFetchCheck(method, url, tokenScopes, entra) {
  return guard(() => wasm().azureDevOpsFetchCheck(method, url, tokenScopes, entra));
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
