// Loads the wasm modules, each once and only when needed. Sign-in is split by when it is
// needed (issue "Weight"):
// - `start` (dist/wasm-start/): begin a sign-in, what a signed-out page loads.
// - `account` (dist/wasm-account/): the redirect and the session, what a redirect page loads
//   (without the start module). `session` (dist/wasm-session/) is the same without the redirect,
//   what a signed-in page without a response loads.
// Each of the three has a build with the Microsoft Entra rules (`start-entra`, `account-entra`,
// `session-entra`), loaded instead of it for Entra providers.
// Each glue but the start module's (below) is imported dynamically, so that bundlers give it a
// chunk of its own that only the pages that need it fetch, and its .wasm is fetched at the same
// time as the glue, not after it: a page pays one round trip after the app's bundle, as with a
// static import.
// - `consent` (dist/wasm-consent/, js/consent.js): the consent check and the scope operations.
// - `dpop` (dist/wasm-dpop/): DPoP proofs, made with `wasmModule` below but in js/dpop.js, so that
//   an app without `dpop: true` carries nothing of it, not even its URL.
// Every synchronous API call goes through an accessor that throws a clear, typed error when its
// module has not been loaded, instead of failing deep inside the glue.
import startWasm from '../dist/wasm-start/browser_oauth_start_url.js';
import startEntraWasm from '../dist/wasm-start-entra/browser_oauth_start_entra_url.js';
import accountWasm from '../dist/wasm-account/browser_oauth_account_url.js';
import sessionWasm from '../dist/wasm-session/browser_oauth_session_url.js';
import accountEntraWasm from '../dist/wasm-account-entra/browser_oauth_account_entra_url.js';
import sessionEntraWasm from '../dist/wasm-session-entra/browser_oauth_session_entra_url.js';
import { BrowserOAuthError } from './errors.js';
import { own } from './own.js';
// The start glue is the one imported statically (named imports: a namespace object would put a
// helper in a chunk that every page fetches first). A signed-out page then fetches only the
// start .wasm after the app's bundle, or nothing more when the page preloads it (README "Preload
// hints"): one round trip less before the first authorization URL, and 0.25 KB gzip less on that
// page (one file less to compress); the other pages carry its 1.4 KB gzip unused (issue
// "Weight", docs/weight-plan.md §9).
import initStart, { startSignIn } from '../dist/wasm-start/browser_oauth_start.js';

// Where the package itself was served from over the network: its .wasm files can be fetched
// early from next to it (not under node, where `init` is given the bytes).
const served = !import.meta.url.startsWith('file:');

// A start .wasm, once fetched, is compiled at once with `new WebAssembly.Module` rather than by
// the glue's `instantiateStreaming`. V8 compiles a function at its first call, so this only
// decodes and validates the module's 37 to 48 KB on the main thread (Chromium allows up to 8 MB
// there), and it spares the streaming path's hand-offs between threads: a signed-out page's cold
// start is 3 to 4 ms shorter (docs/weight-plan.md §10). The larger modules keep streaming
// compilation, which validates off the main thread while the bytes arrive. A failed response goes
// to the glue as it is, which reports its status; bytes that are not wasm fail here, as
// OAUTH_INIT_FAILED.
const compiled = (response) => (response.ok ? response.arrayBuffer().then((bytes) => new WebAssembly.Module(bytes)) : response);

/**
 * @internal A loader for one generated module: `load(input)` instantiates it once (`glue()`
 * resolves to the glue module; `wasm()`, when given, is the URL of its .wasm, fetched alongside
 * unless `input` says where it is; `small`: compiled as soon as it is in, see `compiled`), `get()`
 * returns its exports after that.
 */
export function wasmModule(glue, initName, wasm, small) {
  let loading = null;
  let exports = null;
  return {
    load(input) {
      if (!loading) {
        const fetched = input === undefined && wasm && served && fetch(wasm());
        const source = fetched ? (small ? fetched.then(compiled) : fetched) : input;
        loading = Promise.all([glue(), source])
          .then(async ([g, from]) => {
            await g.default(from === undefined ? undefined : { module_or_path: from });
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

// The `*_url.js` files (written by scripts/build next to each .wasm) say where the .wasm is, as
// the glue would find it: it is fetched while the glue loads. Each sign-in module comes in two
// builds, the second with the Microsoft Entra rules.
const modules = {
  start: wasmModule(() => Promise.resolve({ default: initStart, startSignIn }), 'init', startWasm, true),
  'start-entra': wasmModule(
    glueOf('start-entra', () => import('../dist/wasm-start-entra/browser_oauth_start_entra.js')),
    'init',
    startEntraWasm,
    true,
  ),
  account: wasmModule(glueOf('account', () => import('../dist/wasm-account/browser_oauth_account.js')), 'init', accountWasm),
  'account-entra': wasmModule(
    glueOf('account-entra', () => import('../dist/wasm-account-entra/browser_oauth_account_entra.js')),
    'init',
    accountEntraWasm,
  ),
  session: wasmModule(glueOf('session', () => import('../dist/wasm-session/browser_oauth_session.js')), 'init', sessionWasm),
  'session-entra': wasmModule(
    glueOf('session-entra', () => import('../dist/wasm-session-entra/browser_oauth_session_entra.js')),
    'init',
    sessionEntraWasm,
  ),
};
const named = (kind, entra) => modules[entra ? `${kind}-entra` : kind];

/** @internal Loads the `kind` module ('start', 'account', 'session'; `entra`: the build with
 * the Microsoft Entra rules); resolves to its exports. */
export const load = (kind, entra = false) => named(kind, entra).load();
/** @internal The loaded start module's exports. */
export const start = (entra = false) => named('start', entra).get();
/** @internal The loaded (plain) account module's exports. */
export const account = () => modules.account.get();

/**
 * @internal Runs `use(exports)` with the `kind` module that fits `config`: the plain build, or
 * the one with the Microsoft Entra rules when `config` names `entra` or when the plain build
 * refuses the provider (`OAUTH_ENTRA_BUILD_REQUIRED`: an Entra authority reached through
 * `issuer`). The Rust side decides which provider needs the rules; this only loads what it asked
 * for; `known` says the Entra build is already known to be needed. Resolves to
 * `[result, entra, exports]`.
 */
export async function withRules(kind, config, use, known = false) {
  let entra = known || own(config, 'entra') !== undefined;
  for (;;) {
    const exports = await load(kind, entra);
    try {
      return [await use(exports), entra, exports];
    } catch (e) {
      if (entra || own(e, 'code') !== 'OAUTH_ENTRA_BUILD_REQUIRED') throw e;
      entra = true;
    }
  }
}

/**
 * Loads the sign-in modules, for the low-level steps (the client loads what it needs by itself):
 * start and account. The builds with the Microsoft Entra rules and the session modules follow by
 * themselves when needed, or load now when `startEntra`, `accountEntra`, `session` or
 * `sessionEntra` say where they are (a bundler moved them, or bytes under node). Safe to call
 * many times: one load each.
 * @param {{ start?: any, startEntra?: any, account?: any, accountEntra?: any, session?: any, sessionEntra?: any }} [input]
 *   Where each .wasm file is (a URL, Response, BufferSource or WebAssembly.Module); by default
 *   next to its glue.
 */
export async function init(input) {
  const optional = [['start-entra', 'startEntra'], ['account-entra', 'accountEntra'], ['session', 'session'], ['session-entra', 'sessionEntra']];
  await Promise.all([
    modules.start.load(own(input, 'start')),
    modules.account.load(own(input, 'account')),
    ...optional.map(([name, option]) => (own(input, option) === undefined ? null : modules[name].load(own(input, option)))),
  ]);
}
