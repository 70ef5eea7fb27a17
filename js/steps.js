// The low-level steps, one function per protocol step, for apps that orchestrate themselves.
// `await init()` first: it loads both sign-in modules (start and account).
import { account, load, start, withRules } from './loader.js';
import { BrowserOAuthError, guard, loadFailed } from './errors.js';
import { own, ownRest } from './own.js';
import { discover } from './signin.js';
import { sessionCode } from './session-deps.js';

// Strings cross into wasm as UTF-8; anything else is refused here with a typed error rather
// than coerced by the glue.
function text(name, value) {
  if (typeof value !== 'string') {
    throw new BrowserOAuthError('OAUTH_INVALID_OPTION', `option ${name} is invalid: must be a string`);
  }
  return value;
}

// What a provider handle holds: its configuration (own properties, copied) and the discovery
// document as fetched; each module checks the document again when it builds the provider.
const providers = new WeakMap();

function held(provider) {
  const p = providers.get(provider);
  if (!p) throw new BrowserOAuthError('OAUTH_INVALID_OPTION', 'option provider is invalid: must come from resolveProvider');
  return p;
}

/** A fresh PKCE pair (RFC 7636 §4.1, §4.2): `{ codeVerifier, codeChallenge, codeChallengeMethod: 'S256' }`. */
export function generatePkce() {
  return guard(() => account().generatePkce());
}

/** The S256 `code_challenge` of a caller-supplied verifier, validated first (RFC 7636 §4.1). */
export function pkceChallenge(codeVerifier) {
  return guard(() => account().pkceChallenge(text('codeVerifier', codeVerifier)));
}

/**
 * A provider from `{ issuer }` (OpenID Connect Discovery, exact issuer match),
 * `{ issuer, authorizationEndpoint, tokenEndpoint }`, or `{ entra: { tenant, host? } }`.
 * Resolves to `{ issuer, metadata }`, a handle for the other steps.
 */
export async function resolveProvider(config) {
  const copy = ownRest(config, []);
  // The provider, checked once here and kept in wasm for every redirect validated against it,
  // by the account module that fits it: the one with the Microsoft Entra rules for Entra.
  let document;
  const [wasm, entra, exports] = await withRules('account', copy, async (x) => {
    document ??= await discover(x, copy);
    return guard(() => new x.ProviderHandle(copy, document[0], document[1]));
  });
  // buildAuthorizationUrl's start module, of the same build.
  await load('start', entra);
  const metadata = guard(() => wasm.metadata);
  const handle = Object.freeze({ issuer: metadata.issuer, metadata });
  providers.set(handle, { config: copy, document, entra, wasm, exports });
  return handle;
}

/**
 * Builds an authorization URL (RFC 6749 §4.1.1, RFC 7636 §4.3). Returns `{ url, state, transaction }`:
 * keep `transaction` (it holds the code verifier) until the redirect comes back, then drop it.
 */
export function buildAuthorizationUrl(provider, client, request) {
  const p = held(provider);
  if (client === null || typeof client !== 'object') throw new BrowserOAuthError('OAUTH_INVALID_OPTION', 'option client is invalid: must be an object');
  const config = { ...ownRest(client, ['issuer', 'entra', 'authorizationEndpoint', 'tokenEndpoint']), ...p.config };
  // Either side's consent to http on loopback (the provider's was checked when it was resolved).
  config.allowHttpLoopback = own(p.config, 'allowHttpLoopback') === true || own(client, 'allowHttpLoopback') === true;
  return guard(() => start(p.entra).startSignIn(config, p.document[0], p.document[1], true, request));
}

// Validated responses: an opaque frozen handle → its provider, the checked inputs and, once
// exchanged, the wasm object that sent the code. Validation keeps nothing in wasm, so a response
// validated many times (or never exchanged) holds no wasm memory until a collection.
const validatedResponses = new WeakMap();

/**
 * Validates a redirect URL against its transaction (RFC 6749 §4.1.2, RFC 9207). Returns an
 * opaque validated response: the only thing `exchangeCode` accepts.
 */
export function validateAuthorizationResponse(provider, clientId, url, transaction) {
  const p = held(provider);
  const args = [text('clientId', clientId), text('url', url), text('transaction', transaction)];
  guard(() => p.wasm.check(...args));
  const handle = Object.freeze(Object.create(null));
  validatedResponses.set(handle, { p, args, exchange: null });
  return handle;
}

/** Exchanges the code of a validated response (RFC 6749 §4.1.3), once. */
export async function exchangeCode(provider, validated) {
  const p = held(provider);
  const v = validatedResponses.get(validated);
  if (v?.p !== p) {
    throw new BrowserOAuthError('OAUTH_INVALID_OPTION', 'option validated is invalid: must come from validateAuthorizationResponse with this provider');
  }
  // Checked again by the object that sends the code, once: a second call finds it used.
  v.exchange ??= guard(() => p.wasm.validate(...v.args));
  // The exchange and the signature check are the session chunk's (js/redirect.js, verify.js).
  const { exchange, signatureCheck } = await sessionCode().catch(loadFailed('session'));
  return exchange(v.exchange, signatureCheck(p.exports));
}

/** `url` without the OAuth response parameters, or `null` when there are none. */
export function stripResponseParams(url, responseMode = 'query') {
  return guard(() => account().stripResponseParams(text('url', url), text('responseMode', responseMode)) ?? null);
}
