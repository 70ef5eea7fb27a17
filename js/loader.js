// Loads the wasm module once. Every API call goes through `wasm()`, which throws a clear,
// typed error when init() has not finished, instead of failing deep inside the glue.
import initGlue, * as glue from '../dist/wasm/browser_oauth.js';
import { BrowserOAuthError } from './errors.js';

let loading = null;
let ready = false;

/**
 * Loads and instantiates the WebAssembly module. Safe to call many times: one load happens.
 * @param {URL | string | Request | Response | BufferSource | WebAssembly.Module} [input]
 *   Where the .wasm file is; by default next to the generated glue (`dist/wasm/`).
 */
export function init(input) {
  if (!loading) {
    loading = initGlue(input === undefined ? undefined : { module_or_path: input }).then(
      () => { ready = true; },
      (e) => { loading = null; throw new BrowserOAuthError('OAUTH_INIT_FAILED', `could not load the browser-oauth wasm module: ${e?.message ?? e}`); },
    );
  }
  return loading;
}

/** @returns {typeof glue} */
export function wasm() {
  if (!ready) {
    throw new BrowserOAuthError('OAUTH_NOT_INITIALIZED', 'browser-oauth is not initialised: await init() first');
  }
  return glue;
}
