#!/usr/bin/env node
// Side-by-side benchmark of browser-oauth and its peers: bundle size, and speed in one headless
// Chromium run. Not a test: it asserts nothing about speed and is not part of scripts/test.
//
//   node benches/run.mjs [--rounds 7] [--round-ms 300] [--warmup-ms 500] [--cold 5] [--out FILE]
//
// Needs a built package (dist/wasm/, `npm run build`) and the devDependencies (`npm ci`).
// Prints markdown tables and writes benches/results.json. Everything it starts (a static server
// on 127.0.0.1, Chromium, a temporary folder) is stopped or removed before it exits.

import { build, version as esbuildVersion } from 'esbuild';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { parseArgs } from 'node:util';
import { launchChromium } from '../www/dev/browser.mjs';
import { startStaticServer } from '../www/dev/server.mjs';
import { LIBRARIES } from './config.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCHES = join(ROOT, 'benches');
const WASM = join(ROOT, 'dist/wasm/browser_oauth_bg.wasm');

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    'round-ms': { type: 'string', default: '300' },
    'warmup-ms': { type: 'string', default: '500' },
    cold: { type: 'string', default: '5' },
    out: { type: 'string', default: join(BENCHES, 'results.json') },
  },
});
const ROUNDS = Number(opts.rounds);
const ROUND_MS = Number(opts['round-ms']);
const WARMUP_MS = Number(opts['warmup-ms']);
const COLD_RUNS = Number(opts.cold);

const PACKAGES = {
  oauth4webapi: 'oauth4webapi',
  'oidc-client-ts': 'oidc-client-ts',
  'msal-browser': '@azure/msal-browser',
  'auth0-spa-js': '@auth0/auth0-spa-js',
};
const LABELS = {
  floor: 'plain-JS floor (sign-in start only)',
  oauth4webapi: 'oauth4webapi',
  'oidc-client-ts': 'oidc-client-ts',
  'msal-browser': '@azure/msal-browser',
  'auth0-spa-js': '@auth0/auth0-spa-js',
  'browser-oauth': 'browser-oauth',
};

function packageVersion(name) {
  const path = name === 'browser-oauth' ? join(ROOT, 'package.json') : join(ROOT, 'node_modules', name, 'package.json');
  return JSON.parse(readFileSync(path, 'utf8')).version;
}

function label(lib) {
  const pkg = PACKAGES[lib];
  if (pkg) return `${LABELS[lib]} ${packageVersion(pkg)}`;
  if (lib === 'browser-oauth') return `browser-oauth ${packageVersion('browser-oauth')}`;
  return LABELS[lib];
}

function sizes(buf) {
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const int = (n) => Math.round(n).toLocaleString('en-US');
const ms1 = (n) => n.toFixed(1);

// ---- everything started here is registered for clean-up -----------------------------------

const cleanups = [];
let cleaning;
function cleanUp() {
  cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try { await fn(); } catch (e) { console.error('clean-up:', e?.message ?? e); }
    }
  })();
  return cleaning;
}
// On a signal, Playwright's own handler (registered after this one) kills Chromium and may exit
// at once: the temporary folder is removed synchronously first; the server dies with the process.
let tmpRoot;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    if (tmpRoot) rmSync(tmpRoot, { recursive: true, force: true });
    cleanUp().finally(() => process.exit(130));
  });
}

// ---- 1. bundles and their sizes ------------------------------------------------------------

async function bundle(entry, outfile) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    outfile,
    logLevel: 'warning',
  });
  const file = result.outputFiles.find((f) => f.path === outfile);
  await writeFile(outfile, file.contents);
  return Buffer.from(file.contents);
}

// The .wasm is read once: the size table and the browser see the same bytes even if the
// package is being rebuilt meanwhile.
let wasmSnapshot;
async function snapshotWasm() {
  const before = await stat(WASM);
  const bytes = await readFile(WASM);
  const after = await stat(WASM);
  if (before.mtimeMs !== after.mtimeMs || bytes.length !== after.size) {
    throw new Error('dist/wasm/browser_oauth_bg.wasm changed while being read (a build is running?): try again');
  }
  wasmSnapshot = {
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    modified: after.mtime.toISOString(),
  };
}

async function buildAll(dir) {
  await snapshotWasm();
  const size = [];
  for (const lib of LIBRARIES) {
    const js = await bundle(join(BENCHES, 'entries', `${lib}.js`), join(dir, `lib-${lib}.js`));
    if (lib !== 'browser-oauth') {
      size.push({ lib, label: label(lib), ...sizes(js) });
      continue;
    }
    const wasm = wasmSnapshot.bytes;
    const j = sizes(js);
    const w = sizes(wasm);
    size.push({ lib, part: 'js', label: `${label(lib)}: JS bundle`, ...j });
    size.push({ lib, part: 'wasm', label: `${label(lib)}: .wasm (fetched separately)`, ...w });
    size.push({
      lib, part: 'total', label: `${label(lib)}: JS + wasm (shipped)`,
      raw: j.raw + w.raw, gzip: j.gzip + w.gzip, brotli: j.brotli + w.brotli,
    });
  }
  // The bench pages themselves (not measured).
  await bundle(join(BENCHES, 'page.js'), join(dir, 'page.js'));
  await bundle(join(BENCHES, 'cold.js'), join(dir, 'cold.js'));
  await copyFile(join(BENCHES, 'page.html'), join(dir, 'page.html'));
  await copyFile(join(BENCHES, 'cold.html'), join(dir, 'cold.html'));
  // Next to every bundle that imports the glue: `new URL('browser_oauth_bg.wasm', import.meta.url)`.
  await writeFile(join(dir, 'browser_oauth_bg.wasm'), wasmSnapshot.bytes);
  return size;
}

// ---- 2. the browser ------------------------------------------------------------------------

/** Records page errors and any request that leaves the bench server (there should be none). */
function watch(page, origin, problems, tag) {
  page.on('pageerror', (e) => problems.push(`${tag}: page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${tag}: console error: ${m.text()}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) {
      problems.push(`${tag}: request off the bench server: ${r.url()}`);
    }
  });
}

async function speed(browser, origin, problems) {
  const context = await browser.newContext();
  cleanups.push(() => context.close());
  const page = await context.newPage();
  watch(page, origin, problems, 'speed');
  await page.goto(`${origin}/bench/page.html`);
  await page.waitForFunction(() => window.bench?.setup, null, { timeout: 30_000 });
  const cases = await page.evaluate(() => window.bench.setup());
  const results = {};
  for (const [id, c] of Object.entries(cases)) {
    const rows = Object.fromEntries(c.contenders.map((name) => [name, []]));
    for (const name of c.contenders) {
      await page.evaluate(([i, n, ms]) => window.bench.run(i, n, ms), [id, name, WARMUP_MS]);
    }
    for (let r = 0; r < ROUNDS; r += 1) {
      // Rotate the order every round: no contender always runs first or last.
      const order = c.contenders.map((_, k) => c.contenders[(k + r) % c.contenders.length]);
      for (const name of order) {
        const { n, ms } = await page.evaluate(([i, nm, t]) => window.bench.run(i, nm, t), [id, name, ROUND_MS]);
        rows[name].push((n * 1000) / ms);
      }
    }
    results[id] = {
      title: c.title,
      contenders: c.contenders.map((name) => ({
        name,
        median: median(rows[name]),
        min: Math.min(...rows[name]),
        max: Math.max(...rows[name]),
        rounds: rows[name],
      })),
    };
    process.stderr.write(`[bench] speed: ${id} done\n`);
  }
  await context.close();
  return results;
}

async function coldOnce(browser, origin, lib, problems) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    watch(page, origin, problems, `cold ${lib}`);
    await page.goto(`${origin}/bench/cold.html?lib=${encodeURIComponent(lib)}`);
    await page.waitForFunction(() => window.__cold, null, { timeout: 30_000 });
    const r = await page.evaluate(() => window.__cold);
    if (r.error) throw new Error(`cold start of ${lib} failed: ${r.error}`);
    return r;
  } finally {
    await context.close();
  }
}

async function coldStart(browser, origin, problems) {
  // One discarded pass: the first contexts of a fresh browser pay for its own start-up.
  for (const lib of LIBRARIES) await coldOnce(browser, origin, lib, []);
  const samples = Object.fromEntries(LIBRARIES.map((lib) => [lib, []]));
  for (let r = 0; r < COLD_RUNS; r += 1) {
    const order = LIBRARIES.map((_, k) => LIBRARIES[(k + r) % LIBRARIES.length]);
    for (const lib of order) samples[lib].push(await coldOnce(browser, origin, lib, problems));
  }
  process.stderr.write('[bench] cold start done\n');
  return LIBRARIES.map((lib) => {
    const s = samples[lib];
    const pick = (k) => s.map((x) => x[k]).filter((v) => v !== null);
    return {
      lib,
      label: label(lib),
      libShare: median(pick('libShare')),
      libShareMin: Math.min(...pick('libShare')),
      libShareMax: Math.max(...pick('libShare')),
      navToUrl: median(pick('navToUrl')),
      bundleEvaluated: median(pick('bundleEvaluated')),
      setUpAndBegin: median(pick('setUpAndBegin')),
      wasmFetch: pick('wasmFetch').length ? median(pick('wasmFetch')) : null,
      samples: s.map(({ url, ...rest }) => rest),
    };
  });
}

// ---- 3. report -----------------------------------------------------------------------------

function sizeTable(size) {
  const lines = [
    '| library (minimal sign-in entry) | raw | gzip -9 | brotli -q 11 |',
    '|---|---:|---:|---:|',
  ];
  for (const r of size) {
    const name = r.part === 'total' ? `**${r.label}**` : r.label;
    lines.push(`| ${name} | ${int(r.raw)} | ${int(r.gzip)} | ${int(r.brotli)} |`);
  }
  return lines.join('\n');
}

function speedTable(speedResults) {
  const lines = [
    '| case | contender | median ops/s | min–max ops/s | vs fastest |',
    '|---|---|---:|---:|---:|',
  ];
  for (const c of Object.values(speedResults)) {
    const best = Math.max(...c.contenders.map((x) => x.median));
    for (const x of c.contenders) {
      const rel = x.median === best ? '1.00' : `${(x.median / best).toFixed(2)}`;
      lines.push(`| ${c.title} | ${x.name} | ${int(x.median)} | ${int(x.min)}–${int(x.max)} | ${rel} |`);
    }
  }
  return lines.join('\n');
}

function coldTable(cold) {
  const lines = [
    '| library | library share, median ms (bundle fetch start → URL ready) | min–max | bundle fetched + evaluated | then set-up + first URL | of which wasm fetch | navigation → URL ready |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of cold) {
    lines.push(`| ${r.label} | ${ms1(r.libShare)} | ${ms1(r.libShareMin)}–${ms1(r.libShareMax)} | ${ms1(r.bundleEvaluated)} | ${ms1(r.setUpAndBegin)} | ${r.wasmFetch === null ? '–' : ms1(r.wasmFetch)} | ${ms1(r.navToUrl)} |`);
  }
  return lines.join('\n');
}

// ---- main ----------------------------------------------------------------------------------

async function main() {
  if (!existsSync(WASM)) {
    throw new Error('dist/wasm/browser_oauth_bg.wasm is missing: run `npm run build` first');
  }
  const started = Date.now();
  const loadBefore = loadavg()[0];
  const tmp = await mkdtemp(join(tmpdir(), 'browser-oauth-bench-'));
  tmpRoot = tmp;
  cleanups.push(() => rm(tmp, { recursive: true, force: true }));
  const dir = join(tmp, 'bench');
  await mkdir(dir);

  const size = await buildAll(dir);
  process.stderr.write('[bench] bundles built\n');

  const server = await startStaticServer({ root: tmp, folders: ['bench'] });
  cleanups.push(() => server.close());
  const browser = await launchChromium();
  cleanups.push(() => browser.close());

  const problems = [];
  const speedResults = await speed(browser, server.origin, problems);
  const cold = await coldStart(browser, server.origin, problems);
  const chromium = browser.version();

  const results = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null },
    // 1-minute load average before and after: other work on the machine skews every figure.
    loadAverage: { before: loadBefore, after: loadavg()[0] },
    chromium,
    node: process.version,
    esbuild: esbuildVersion,
    settings: { rounds: ROUNDS, roundMs: ROUND_MS, warmupMs: WARMUP_MS, coldRuns: COLD_RUNS },
    versions: Object.fromEntries(LIBRARIES.filter((l) => l !== 'floor').map((l) => [l, packageVersion(PACKAGES[l] ?? l)])),
    wasm: { bytes: wasmSnapshot.bytes.length, sha256: wasmSnapshot.sha256, modified: wasmSnapshot.modified },
    size,
    speed: speedResults,
    coldStart: cold,
    problems,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  await writeFile(opts.out, `${JSON.stringify(results, null, 2)}\n`);

  console.log(`## Size: esbuild ${esbuildVersion} --bundle --minify --format=esm, bytes\n`);
  console.log(sizeTable(size));
  console.log(`\n(dist/wasm/browser_oauth_bg.wasm built ${results.wasm.modified}, sha256 ${results.wasm.sha256.slice(0, 12)}…)`);
  console.log(`\n## Speed: headless Chromium ${chromium}, one page, ${ROUNDS} rounds × ${ROUND_MS} ms after ${WARMUP_MS} ms warm-up\n`);
  console.log(speedTable(speedResults));
  console.log(`\n## Cold start: fresh browser context per sample, median of ${COLD_RUNS}\n`);
  console.log(coldTable(cold));
  const load = results.loadAverage;
  console.log(`\n${cpus().length} cores (${results.machine.cpuModel}), node ${process.version}; load average ${load.before.toFixed(2)} before, ${load.after.toFixed(2)} after; ${results.seconds} s; results in ${opts.out}`);
  if (Math.max(load.before, load.after) > cpus().length * 0.5) {
    console.log('Note: the machine was busy with other work during the run; compare figures within this run only.');
  }
  if (problems.length) {
    console.log(`\nProblems seen during the run (${problems.length}):`);
    for (const p of [...new Set(problems)].slice(0, 20)) console.log(`- ${p}`);
  }
}

try {
  await main();
} catch (e) {
  process.exitCode = 1;
  console.error(e?.stack ?? e);
} finally {
  await cleanUp();
}
