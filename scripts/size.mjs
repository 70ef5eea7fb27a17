// Prints what a user ships, per page load: the app's JS bundled by esbuild (minified, split at the
// package's dynamic imports, as a bundling app ships it), each chunk gzip -9 on its own, plus the
// wasm modules that page fetches. Pages:
// - signed-out: createClient + handleRedirect (nothing there) + signIn → start module only;
// - signed-in: the same app with a stored session → session module and the session's JS, without
//   the start module; again with a persistent store (sealed, or localStorage), which also loads
//   the sealing code (js/platform/sealing.js);
// - redirect: the same app on its redirect page → account module (redirect and session) and the
//   session's JS;
// - consent: a page that only checks an authorization request → consent module;
// - the three sign-in pages again for an app with `dpop: true`: each adds js/dpop.js and the dpop
//   module (the app without DPoP loads neither: its pages above leave them out).
// The first three also with an Entra provider, which loads the build with the Microsoft Entra
// rules instead (`*-entra`), each on its own line.
// Also each wasm file alone. (benches/run.mjs measures the same bundles next to the peers.)
// Usage: node scripts/size.mjs [--json] [--check]
// --check compares with scripts/size-budgets.json and exits 1 when a ceiling is exceeded; the
// issue targets are printed beside them, met or not.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { closure } from './chunks.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const WASM = {
  start: 'dist/wasm-start/browser_oauth_start_bg.wasm',
  'start-entra': 'dist/wasm-start-entra/browser_oauth_start_entra_bg.wasm',
  account: 'dist/wasm-account/browser_oauth_account_bg.wasm',
  'account-entra': 'dist/wasm-account-entra/browser_oauth_account_entra_bg.wasm',
  session: 'dist/wasm-session/browser_oauth_session_bg.wasm',
  'session-entra': 'dist/wasm-session-entra/browser_oauth_session_entra_bg.wasm',
  consent: 'dist/wasm-consent/browser_oauth_consent_bg.wasm',
  dpop: 'dist/wasm-dpop/browser_oauth_dpop_bg.wasm',
};

const APP = `import { createClient } from ${JSON.stringify(join(root, 'js/index.js'))};
const client = await createClient({ issuer: 'https://op.example', clientId: 'app', redirectUri: location.href });
if (!(await client.handleRedirect()) && !(await client.account())) document.body.onclick = () => client.signIn();
else await client.getToken();`;
const CONSENT = `import { initConsent, checkAuthorizationRequest } from ${JSON.stringify(join(root, 'js/index.js'))};
await initConsent();
document.body.textContent = checkAuthorizationRequest(location.href).verdict;`;

/** Bundles `source`; returns the chunks by output path with their gzip size and static imports. */
async function bundle(name, source) {
  const dir = mkdtempSync(join(tmpdir(), 'bo-size-'));
  try {
    writeFileSync(join(dir, `${name}.js`), source);
    const result = await build({
      entryPoints: [join(dir, `${name}.js`)], bundle: true, splitting: true, format: 'esm', minify: true,
      outdir: join(dir, 'out'), metafile: true, write: true, logLevel: 'silent', target: 'es2022',
      loader: { '.wasm': 'file' },
    });
    const chunks = {};
    for (const [out, meta] of Object.entries(result.metafile.outputs)) {
      if (!out.endsWith('.js')) continue;
      chunks[out] = {
        gzip: gz(readFileSync(join(process.cwd(), out))),
        // The app's own entry (dynamically imported glue modules are entry points too).
        entry: Boolean(meta.entryPoint?.endsWith(`bo-size-${dir.split('bo-size-')[1]}/${name}.js`)),
        inputs: Object.keys(meta.inputs),
        imports: meta.imports.filter((i) => i.kind === 'import-statement').map((i) => i.path),
        dynamic: meta.imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path),
      };
    }
    return chunks;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}


/** The dynamic chunk whose inputs include `file` (a glue module). */
const dynamicWith = (chunks, file) => Object.keys(chunks).filter((c) => chunks[c].inputs.some((i) => i.endsWith(file)));

const app = await bundle('app', APP);
const consentApp = await bundle('consent', CONSENT);
const wasm = Object.fromEntries(Object.entries(WASM).map(([k, f]) => [k, gz(readFileSync(join(root, f)))]));
const jsOf = (chunks, set) => [...set].reduce((n, c) => n + chunks[c].gzip, 0);

const appEntry = Object.keys(app).filter((c) => app[c].entry);
const withChunks = (...files) => closure(app, [...appEntry, ...files.flatMap((f) => dynamicWith(app, f))]);
const signedOutJs = withChunks('browser_oauth_start.js');
// The DPoP code's chunks (js/dpop.js and the dpop glue), on top of each page's.
const DPOP = ['js/dpop.js', 'browser_oauth_dpop.js'];
const dpopJs = closure(app, DPOP.flatMap((f) => dynamicWith(app, f)));
const entraJs = withChunks('browser_oauth_start_entra.js');
const signedInJs = withChunks('browser_oauth_session.js', 'js/session.js');
const signedInEntraJs = withChunks('browser_oauth_session_entra.js', 'js/session.js');
const redirectJs = withChunks('browser_oauth_account.js', 'js/session.js');
const redirectEntraJs = withChunks('browser_oauth_account_entra.js', 'js/session.js');
const consentJs = closure(consentApp, [...Object.keys(consentApp).filter((c) => consentApp[c].entry), ...dynamicWith(consentApp, 'browser_oauth_consent.js')]);

const pages = [
  { name: 'signed-out page (start)', js: jsOf(app, signedOutJs), wasm: wasm.start },
  { name: 'signed-out page, Entra provider (start-entra)', js: jsOf(app, entraJs), wasm: wasm['start-entra'] },
  { name: 'signed-in page (session)', js: jsOf(app, signedInJs), wasm: wasm.session },
  { name: 'signed-in page, Entra provider (session-entra)', js: jsOf(app, signedInEntraJs), wasm: wasm['session-entra'] },
  { name: 'signed-in page, persistent store (session + sealing)', js: jsOf(app, withChunks('browser_oauth_session.js', 'js/session.js', 'js/platform/sealing.js')), wasm: wasm.session },
  { name: 'redirect page (account)', js: jsOf(app, redirectJs), wasm: wasm.account },
  { name: 'redirect page, persistent store (account + sealing)', js: jsOf(app, withChunks('browser_oauth_account.js', 'js/session.js', 'js/platform/sealing.js')), wasm: wasm.account },
  { name: 'redirect page, Entra provider (account-entra)', js: jsOf(app, redirectEntraJs), wasm: wasm['account-entra'] },
  { name: 'consent page (consent)', js: jsOf(consentApp, consentJs), wasm: wasm.consent },
  { name: 'signed-out page with dpop: true (start + dpop)', js: jsOf(app, withChunks('browser_oauth_start.js', ...DPOP)), wasm: wasm.start + wasm.dpop },
  { name: 'signed-in page with dpop: true (session + dpop)', js: jsOf(app, withChunks('browser_oauth_session.js', 'js/session.js', ...DPOP)), wasm: wasm.session + wasm.dpop },
  { name: 'redirect page with dpop: true (account + dpop)', js: jsOf(app, withChunks('browser_oauth_account.js', 'js/session.js', ...DPOP)), wasm: wasm.account + wasm.dpop },
].map((p) => ({ ...p, total: p.js + p.wasm }));
const everything = { name: 'everything an app that signs in ships (sum of its pages)', js: Object.values(app).reduce((n, c) => n + c.gzip, 0), wasm: wasm.start + wasm.account + wasm.session };
everything.total = everything.js + everything.wasm;

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ wasm, pages, everything }, null, 2));
} else {
  const pad = (s, n) => String(s).padStart(n);
  console.log(`${'wasm module (gzip -9)'.padEnd(52)}${pad('bytes', 10)}`);
  for (const [k, f] of Object.entries(WASM)) console.log(`${`${k}: ${f}`.padEnd(52)}${pad(wasm[k], 10)}`);
  console.log(`\n${'per page load (gzip -9, JS minified by esbuild)'.padEnd(52)}${pad('JS', 8)}${pad('wasm', 8)}${pad('total', 8)}`);
  for (const p of [...pages, everything]) console.log(`${p.name.padEnd(52)}${pad(p.js, 8)}${pad(p.wasm, 8)}${pad(p.total, 8)}`);
  console.log(`\nDPoP's own JS (js/dpop.js, the dpop glue and what only they import; gzip -9): ${jsOf(app, dpopJs.filter((c) => !signedOutJs.includes(c)))}`);
  // Popup sign-in's code (js/popup.js), loaded by prepareSignIn() in a window: no page above has it.
  const popupJs = closure(app, dynamicWith(app, 'js/popup.js')).filter((c) => !signedOutJs.includes(c));
  console.log(`Popup sign-in's own JS (js/popup.js and what only it imports; gzip -9): ${jsOf(app, popupJs)}`);
  console.log(`\n(JS chunks of the app: ${Object.entries(app).map(([c, m]) => `${relative('.', c).split('/').pop()} ${m.gzip}`).join(', ')})`);
}

if (process.argv.includes('--check')) {
  const budgets = JSON.parse(readFileSync(join(root, 'scripts/size-budgets.json'), 'utf8'));
  const byName = new Map([...pages, everything].map((p) => [p.name, p.total]));
  for (const [k, f] of Object.entries(WASM)) byName.set(f, wasm[k]);
  let over = 0;
  console.log('\nsize ceilings (gzip bytes; exceeding one fails):');
  for (const [name, budget] of Object.entries(budgets.ceilings)) {
    const got = byName.get(name);
    if (got === undefined) { console.log(`  MISSING  ${name}`); over++; continue; }
    if (got > budget) over++;
    console.log(`  ${got <= budget ? 'ok  ' : 'OVER'}  ${String(got).padStart(7)} / ${String(budget).padStart(7)}  ${name}`);
  }
  console.log('issue targets (reported, see the README):');
  for (const [name, target] of Object.entries(budgets.targets)) {
    const got = byName.get(name);
    console.log(`  ${got <= target ? 'met    ' : 'not met'}  ${String(got).padStart(7)} / ${String(target).padStart(7)}  ${name}`);
  }
  // Panic locations and other source paths in a shipped module: bytes for nothing, and they name
  // the build machine's folders (scripts/build passes -Zlocation-detail=none).
  for (const f of Object.values(WASM)) {
    const paths = readFileSync(join(root, f)).toString('latin1').match(/[\w./-]+\.rs\b/g) ?? [];
    console.log(`  ${paths.length ? 'OVER' : 'ok  '}  ${String(paths.length).padStart(7)} source paths  ${f}${paths.length ? `: ${paths.slice(0, 3).join(', ')}` : ''}`);
    if (paths.length) over++;
  }
  if (over) { console.error(`${over} size ceiling(s) exceeded: see scripts/size-budgets.json`); process.exit(1); }
}
