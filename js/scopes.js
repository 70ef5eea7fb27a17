// Scopes: set operations that honour the Azure DevOps inclusion graph, the Microsoft Entra scope
// helpers (the catalog's texts are in consent.js). Every operation takes scopes bare (`vso.code`) or
// with an Azure DevOps resource prefix (`499b84ac-…/vso.code`, `https://app.vssps.visualstudio.com/vso.code`).
import { wasm } from './consent.js';
import { BrowserOAuthError, guard } from './errors.js';
import { ownStrings } from './own.js';

function invalid(name, reason) {
  return new BrowserOAuthError('OAUTH_INVALID_OPTION', `option ${name} is invalid: ${reason}`);
}

// Values cross into wasm only with the type the boundary expects; anything else is refused
// here with a typed error rather than coerced by the glue.
/** @internal */
export function text(name, value) {
  if (typeof value !== 'string') throw invalid(name, 'must be a string');
  return value;
}

/** @internal A copy of a real array of strings (own elements, read by index). */
export function list(name, value) {
  const copy = ownStrings(value);
  if (copy === null) throw invalid(name, 'must be an array of strings');
  return copy;
}

/** `true` when `granted` carries every scope of `required` (`vso.code_manage` covers `vso.code`). */
export function scopeCovers(granted, required) {
  return guard(() => wasm().scopeCovers(list('granted', granted), list('required', required)));
}

/** The scopes of `required` that `granted` does not carry, in order, without duplicates. */
export function scopeMissing(granted, required) {
  return guard(() => wasm().scopeMissing(list('granted', granted), list('required', required)));
}

/** The least a request needs: drops scopes another listed scope includes, and duplicates. */
export function scopeMinimize(scopes) {
  return guard(() => wasm().scopeMinimize(list('scopes', scopes)));
}

/** The scopes plus everything they include, each added one in the form of the scope that brought it. */
export function scopeExpand(scopes) {
  return guard(() => wasm().scopeExpand(list('scopes', scopes)));
}

/**
 * Granted versus requested (RFC 6749 §3.3, §5.1). `responseScope` is the token response's
 * `scope`; omit it when the response had none (the grant is then exactly the request).
 */
export function compareGrantedScopes(requested, responseScope) {
  if (responseScope !== undefined && responseScope !== null) text('responseScope', responseScope);
  return guard(() => wasm().compareGrantedScopes(list('requested', requested), responseScope ?? undefined));
}

/** `['vso.code', 'vso.work_write']` → the Entra request scopes `['499b84ac-…/vso.code', …]`. */
export function toEntraScopes(scopes) {
  return guard(() => wasm().toEntraScopes(list('scopes', scopes)));
}

/** Throws `OAUTH_ENTRA_SCOPE_RULE` when Microsoft Entra would refuse these scopes in one request. */
export function validateEntraScopes(scopes) {
  guard(() => wasm().validateEntraScopes(list('scopes', scopes)));
}

/** Each scope's resource as Entra reads it, the Entra rules broken, and the broad scopes; never throws on rules. */
export function analyzeEntraScopes(scopes) {
  return guard(() => wasm().analyzeEntraScopes(list('scopes', scopes)));
}
