// Prints what a user ships: the two wasm modules, their generated glue and the JS package, raw,
// gzip -9 and brotli -q 11, and the totals for an app that signs in and for a page that only
// checks consent. (benches/run.mjs measures real esbuild bundles next to the peers.)
// Usage: node scripts/size.mjs [--json] [--check]
// --check compares the gzip figures with scripts/size-budgets.json and exits 1 when one is over.
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const jsFiles = readdirSync(join(root, 'js')).filter((f) => f.endsWith('.js')).sort().map((f) => `js/${f}`);
const files = [
  'dist/wasm/browser_oauth_bg.wasm',
  'dist/wasm/browser_oauth.js',
  'dist/wasm-consent/browser_oauth_bg.wasm',
  'dist/wasm-consent/browser_oauth.js',
  ...jsFiles,
];

function measure(buf) {
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const rows = files.map((f) => ({ file: f, ...measure(readFileSync(join(root, f))) }));
const sum = (list, k) => list.reduce((n, r) => n + r[k], 0);
const total = { file: 'total (each file compressed alone)', raw: sum(rows, 'raw'), gzip: sum(rows, 'gzip'), brotli: sum(rows, 'brotli') };

// What an app ships: one .wasm, fetched on its own, and its JS, concatenated as a bundler would.
function shipped(file, wasmFile, js) {
  const w = measure(readFileSync(join(root, wasmFile)));
  const j = measure(Buffer.concat(js.map((f) => readFileSync(join(root, f)))));
  return { file, raw: w.raw + j.raw, gzip: w.gzip + j.gzip, brotli: w.brotli + j.brotli };
}
// An app that signs in: the sign-in module and every JS file but the consent module's.
const signIn = shipped('sign-in: wasm + JS (concatenated, without consent)', 'dist/wasm/browser_oauth_bg.wasm',
  ['dist/wasm/browser_oauth.js', ...jsFiles.filter((f) => f !== 'js/consent.js')]);
// A page that only checks requests: the consent module, its glue, consent.js and what it imports.
const consent = shipped('consent check only: wasm + JS (concatenated)', 'dist/wasm-consent/browser_oauth_bg.wasm',
  ['dist/wasm-consent/browser_oauth.js', 'js/consent.js', 'js/loader.js', 'js/errors.js', 'js/own.js', 'js/scopes.js']);

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ rows, total, signIn, consent }, null, 2));
} else {
  const pad = (s, n) => String(s).padStart(n);
  console.log(`${'file'.padEnd(50)}${pad('raw', 10)}${pad('gzip', 10)}${pad('brotli', 10)}`);
  for (const r of [...rows, total, signIn, consent]) console.log(`${r.file.padEnd(50)}${pad(r.raw, 10)}${pad(r.gzip, 10)}${pad(r.brotli, 10)}`);
}

if (process.argv.includes('--check')) {
  const budgets = JSON.parse(readFileSync(join(root, 'scripts/size-budgets.json'), 'utf8'));
  const byName = new Map([...rows, signIn, consent].map((r) => [r.file, r]));
  let over = 0;
  console.log('\nsize budgets (gzip bytes):');
  for (const [name, budget] of Object.entries(budgets)) {
    if (name.startsWith('_')) continue;
    const r = byName.get(name);
    if (!r) { console.log(`  MISSING  ${name}`); over++; continue; }
    const ok = r.gzip <= budget;
    if (!ok) over++;
    console.log(`  ${ok ? 'ok  ' : 'OVER'}  ${String(r.gzip).padStart(7)} / ${String(budget).padStart(7)}  ${name}`);
  }
  // Panic locations and other source paths in a shipped module: bytes for nothing, and they name
  // the build machine's folders (scripts/build passes -Zlocation-detail=none).
  for (const f of ['dist/wasm/browser_oauth_bg.wasm', 'dist/wasm-consent/browser_oauth_bg.wasm']) {
    const paths = readFileSync(join(root, f)).toString('latin1').match(/[\w./-]+\.rs\b/g) ?? [];
    console.log(`  ${paths.length ? 'OVER' : 'ok  '}  ${String(paths.length).padStart(7)} source paths  ${f}${paths.length ? `: ${paths.slice(0, 3).join(', ')}` : ''}`);
    if (paths.length) over++;
  }
  if (over) { console.error(`${over} size budget(s) exceeded: see scripts/size-budgets.json`); process.exit(1); }
}
