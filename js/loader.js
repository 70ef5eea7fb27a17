// Loads the wasm modules, each once and only when needed. Sign-in is split by when it is
// needed (issue "Weight"):
// - `start` (dist/wasm-start/): begin a sign-in, tell whether a URL carries a response. Its glue
//   is imported statically: every page that can sign in needs it.
// - `account` (dist/wasm-account/): the redirect and the session. Its glue is imported
//   dynamically, so bundlers put it in a chunk of its own that a signed-out page never fetches.
// - `consent` (dist/wasm-consent/, js/consent.js): the consent check and the scope operations.
// Every synchronous API call goes through an accessor that throws a clear, typed error when its
// module has not been loaded, instead of failing deep inside the glue.
import initStart, * as startGlue from '../dist/wasm-start/browser_oauth_start.js';
import { BrowserOAuthError } from './errors.js';
import { own } from './own.js';

/**
 * @internal A loader for one generated module: `load(input)` instantiates it once (`glue()`
 * resolves to the glue module), `get()` returns its exports after that.
 */
export function wasmModule(glue, initName) {
  let loading = null;
  let exports = null;
  return {
    load(input) {
      if (!loading) {
        loading = glue()
          .then(async (g) => {
            await g.default(input === undefined ? undefined : { module_or_path: input });
            exports = g;
            return g;
          })
          .catch((e) => {
            loading = null;
            throw new BrowserOAuthError('OAUTH_INIT_FAILED', `could not load the browser-oauth wasm module: ${e?.message ?? e}`);
          });
      }
      return loading;
    },
    get() {
      if (!exports) {
        throw new BrowserOAuthError('OAUTH_NOT_INITIALIZED', `browser-oauth is not initialised: await ${initName}() first`);
      }
      return exports;
    },
  };
}

// Glue modules imported statically by `browser-oauth/eager` (for service workers, which have no
// dynamic `import()`), by name.
const provided = {};

/** @internal Registers a statically imported glue module (see js/eager.js). */
export function provide(name, glue) {
  provided[name] = glue;
}

/** @internal The glue module `name`: the one provided, else `load()` (a dynamic import). */
export const glueOf = (name, load) => () => (provided[name] ? Promise.resolve(provided[name]) : load());

const startModule = wasmModule(() => Promise.resolve({ ...startGlue, default: initStart }), 'init');
const accountModule = wasmModule(glueOf('account', () => import('../dist/wasm-account/browser_oauth_account.js')), 'init');

/** @internal Loads the start module; resolves to its exports. */
export const loadStart = (input) => startModule.load(input);
/** @internal Loads the account module; resolves to its exports. */
export const loadAccount = (input) => accountModule.load(input);
/** @internal */
export const start = () => startModule.get();
/** @internal */
export const account = () => accountModule.get();

/**
 * Loads both sign-in modules, for the low-level steps (the client loads what it needs by
 * itself). Safe to call many times: one load each.
 * @param {{ start?: any, account?: any }} [input] Where each .wasm file is (a URL, Response,
 *   BufferSource or WebAssembly.Module); by default next to its glue.
 */
export async function init(input) {
  await Promise.all([startModule.load(own(input, 'start')), accountModule.load(own(input, 'account'))]);
}
