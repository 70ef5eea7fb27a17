// Prints what a user ships: the wasm, the generated glue and the JS package, raw, gzip -9 and
// brotli -q 11, and the same for one esbuild bundle of the sign-in entry (JS only; the wasm is
// fetched beside it). Usage: node scripts/size.mjs [--json]
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const files = [
  'dist/wasm/browser_oauth_bg.wasm',
  'dist/wasm/browser_oauth.js',
  ...readdirSync(join(root, 'js')).filter((f) => f.endsWith('.js')).sort().map((f) => `js/${f}`),
];

function measure(buf) {
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const rows = files.map((f) => ({ file: f, ...measure(readFileSync(join(root, f))) }));
const sum = (k) => rows.reduce((n, r) => n + r[k], 0);
const total = { file: 'total (each file compressed alone)', raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli') };
const js = rows.filter((r) => r.file.endsWith('.js'));
const jsAll = measure(Buffer.concat(js.map((r) => readFileSync(join(root, r.file)))));
const wasm = rows[0];
const shipped = { file: 'wasm + JS (JS concatenated, as a bundler would)', raw: wasm.raw + jsAll.raw, gzip: wasm.gzip + jsAll.gzip, brotli: wasm.brotli + jsAll.brotli };

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ rows, total, shipped }, null, 2));
} else {
  const pad = (s, n) => String(s).padStart(n);
  console.log(`${'file'.padEnd(50)}${pad('raw', 10)}${pad('gzip', 10)}${pad('brotli', 10)}`);
  for (const r of [...rows, total, shipped]) console.log(`${r.file.padEnd(50)}${pad(r.raw, 10)}${pad(r.gzip, 10)}${pad(r.brotli, 10)}`);
}
