// Loads the wasm modules once each. Every API call goes through `wasm()` (or the consent
// module's own accessor), which throws a clear, typed error when the module has not been
// initialised, instead of failing deep inside the glue.
import initGlue, * as glue from '../dist/wasm/browser_oauth.js';
import { BrowserOAuthError } from './errors.js';

/**
 * @internal A loader for one generated module: `load(input)` instantiates it once, `get()`
 * returns its exports after that. `initName` is the public function that loads it.
 */
export function wasmModule(initModule, exports, initName) {
  let loading = null;
  let ready = false;
  return {
    load(input) {
      if (!loading) {
        loading = initModule(input === undefined ? undefined : { module_or_path: input }).then(
          () => { ready = true; },
          (e) => { loading = null; throw new BrowserOAuthError('OAUTH_INIT_FAILED', `could not load the browser-oauth wasm module: ${e?.message ?? e}`); },
        );
      }
      return loading;
    },
    get() {
      if (!ready) {
        throw new BrowserOAuthError('OAUTH_NOT_INITIALIZED', `browser-oauth is not initialised: await ${initName}() first`);
      }
      return exports;
    },
  };
}

const signIn = wasmModule(initGlue, glue, 'init');

/**
 * Loads and instantiates the sign-in module (sign-in, session, scopes). Safe to call many
 * times: one load happens.
 * @param {URL | string | Request | Response | BufferSource | WebAssembly.Module} [input]
 *   Where the .wasm file is; by default next to the generated glue (`dist/wasm/`).
 */
export function init(input) {
  return signIn.load(input);
}

/** @returns {typeof glue} */
export function wasm() {
  return signIn.get();
}
