#!/usr/bin/env node
// Side-by-side benchmark of browser-oauth and its peers: bundle size, and speed in one headless
// Chromium run. Not a test: it asserts nothing about speed and is not part of scripts/test.
//
//   node benches/run.mjs [--rounds 7] [--round-ms 300] [--warmup-ms 500] [--cold 15] [--out FILE]
//
// Needs a built package (dist/wasm-start/, dist/wasm-account/, dist/wasm-consent/,
// `npm run build`) and the devDependencies (`npm ci`).
// Prints markdown tables and writes benches/results.json. Everything it starts (a static server
// on 127.0.0.1, Chromium, a temporary folder) is stopped or removed before it exits.

import { build, version as esbuildVersion } from 'esbuild';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { parseArgs } from 'node:util';
import { launchChromium } from '../www/dev/browser.mjs';
import { startStaticServer } from '../www/dev/server.mjs';
import { LIBRARIES } from './config.js';
import { closure } from '../scripts/chunks.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCHES = join(ROOT, 'benches');
// The package's wasm modules (issue "Weight"): a page fetches only the ones it needs.
const WASM = {
  start: 'dist/wasm-start/browser_oauth_start_bg.wasm',
  start_entra: 'dist/wasm-start-entra/browser_oauth_start_entra_bg.wasm',
  account: 'dist/wasm-account/browser_oauth_account_bg.wasm',
  account_entra: 'dist/wasm-account-entra/browser_oauth_account_entra_bg.wasm',
  session: 'dist/wasm-session/browser_oauth_session_bg.wasm',
  session_entra: 'dist/wasm-session-entra/browser_oauth_session_entra_bg.wasm',
  consent: 'dist/wasm-consent/browser_oauth_consent_bg.wasm',
};
// How a glue module names its .wasm: `new URL('browser_oauth_<name>_bg.wasm', import.meta.url)`.
const WASM_REF = /browser_oauth_(start|start_entra|account|account_entra|session|session_entra|consent)_bg\.wasm/g;

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    'round-ms': { type: 'string', default: '300' },
    'warmup-ms': { type: 'string', default: '500' },
    cold: { type: 'string', default: '15' },
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
  if (lib === HINTED) return `${label('browser-oauth')}, page with the start .wasm preload hint`;
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

/** Writes `contents` to `path`, and next to it every .wasm it names (the glue finds its .wasm
 * next to the file it ended up in, through `import.meta.url`). */
async function place(path, contents) {
  await writeFile(path, contents);
  for (const name of wasmNames(contents)) {
    await writeFile(join(dirname(path), basename(WASM[name])), wasmSnapshot[name].bytes);
  }
}

/** The wasm modules (`start`, `account`, `consent`) a JS file names. */
function wasmNames(contents) {
  return new Set([...Buffer.from(contents).toString('latin1').matchAll(WASM_REF)].map((m) => m[1]));
}

/** One file: esbuild --bundle --minify --format=esm, as before the split (the peers, the pages). */
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
  await place(outfile, file.contents);
  return Buffer.from(file.contents);
}

/**
 * browser-oauth's entry with `--splitting`, as an app bundler ships it: the package imports the
 * account and consent glue with `import()`, so each lands in a chunk of its own that a page
 * fetches only when it uses it. The entry is `lib-<name>.js` in `dir`, its chunks beside it.
 * Returns the chunks by file name: bytes, whether it is the entry, static and dynamic imports
 * (file names), inputs, and the wasm modules it names.
 */
async function bundleSplit(entry, dir) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    splitting: true,
    minify: true,
    format: 'esm',
    write: false,
    outdir: dir,
    entryNames: 'lib-[name]',
    chunkNames: 'lib-chunk-[hash]',
    metafile: true,
    // Metafile paths are relative to this folder.
    absWorkingDir: ROOT,
    logLevel: 'warning',
  });
  const name = (metaPath) => relative(dir, join(ROOT, metaPath));
  const chunks = {};
  for (const f of result.outputFiles) {
    await place(f.path, f.contents);
    const meta = result.metafile.outputs[relative(ROOT, f.path)];
    chunks[relative(dir, f.path)] = {
      bytes: Buffer.from(f.contents),
      entry: meta.entryPoint === relative(ROOT, entry),
      imports: meta.imports.filter((i) => i.kind === 'import-statement').map((i) => name(i.path)),
      dynamic: meta.imports.filter((i) => i.kind === 'dynamic-import').map((i) => name(i.path)),
      inputs: Object.keys(meta.inputs),
      wasm: [...wasmNames(f.contents)],
    };
  }
  return chunks;
}


// The .wasm files are read once: the size table and the browser see the same bytes even if the
// package is being rebuilt meanwhile.
let wasmSnapshot;
async function snapshotWasm() {
  wasmSnapshot = {};
  for (const [name, file] of Object.entries(WASM)) {
    const path = join(ROOT, file);
    const before = await stat(path);
    const bytes = await readFile(path);
    const after = await stat(path);
    if (before.mtimeMs !== after.mtimeMs || bytes.length !== after.size) {
      throw new Error(`${file} changed while being read (a build is running?): try again`);
    }
    wasmSnapshot[name] = {
      file,
      bytes,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      modified: after.mtime.toISOString(),
    };
  }
  // All three must come from one build: a rebuild between two reads would mix them.
  await wasmUnchanged('while the wasm files were read');
}

/** Throws when a .wasm file differs from its snapshot (a rebuild since): the glue bundled from
 * dist/ and the .wasm files the browser gets would no longer be of one build. */
async function wasmUnchanged(when) {
  for (const s of Object.values(wasmSnapshot)) {
    const now = await stat(join(ROOT, s.file));
    if (now.mtime.toISOString() !== s.modified || now.size !== s.bytes.length) {
      throw new Error(`${s.file} changed ${when} (a build is running?): try again`);
    }
  }
}

const add = (...parts) => ({
  raw: parts.reduce((n, p) => n + p.raw, 0),
  gzip: parts.reduce((n, p) => n + p.gzip, 0),
  brotli: parts.reduce((n, p) => n + p.brotli, 0),
});

// What browser-oauth's pages load: the signed-out page (the entry, its static chunks, the chunk
// with the start glue, the start .wasm), the signed-in page (the entry, the chunks with the
// session glue and the session's JS, the session .wasm) and the redirect page (the same with the
// account glue and .wasm: no start module on either). Each file is compressed on its own, as a
// server sends it.
let splitChunks;
function browserOAuthRows(chunks) {
  const entry = Object.keys(chunks).filter((c) => chunks[c].entry);
  const holding = (file) => Object.keys(chunks).filter((c) => chunks[c].inputs.some((i) => i.endsWith(file)));
  const [start, session, account, sessionJs] = ['browser_oauth_start.js', 'browser_oauth_session.js', 'browser_oauth_account.js', 'js/session.js'].map(holding);
  if (entry.length !== 1 || !start.length || !session.length || !account.length || !sessionJs.length) {
    throw new Error(`browser-oauth bundle: expected one entry, a start, a session, an account and a session-JS chunk, got ${Object.keys(chunks).join(', ')}`);
  }
  const pages = [
    ['signed-out page', closure(chunks, [...entry, ...start]), ['start'], 'JS (entry + start chunks)'],
    ['signed-in page', closure(chunks, [...entry, ...session, ...sessionJs]), ['session'], 'JS (entry + session chunks)'],
    ['redirect page', closure(chunks, [...entry, ...account, ...sessionJs]), ['account'], 'JS (entry + account and session chunks)'],
  ];
  const rows = [];
  const l = label('browser-oauth');
  for (const [page, files, names, jsLabel] of pages) {
    const js = add(...files.map((c) => sizes(chunks[c].bytes)));
    const wasm = add(...names.map((n) => sizes(wasmSnapshot[n].bytes)));
    rows.push({ lib: 'browser-oauth', page, part: 'js', files, label: `${l}, ${page}: ${jsLabel}`, ...js });
    rows.push({ lib: 'browser-oauth', page, part: 'wasm', files: names.map((n) => basename(WASM[n])), label: `${l}, ${page}: ${names.join(' + ')} .wasm`, ...wasm });
    rows.push({ lib: 'browser-oauth', page, part: 'total', label: `${l}, ${page}: JS + wasm`, ...add(js, wasm) });
  }
  return rows;
}

async function buildAll(dir) {
  await snapshotWasm();
  const size = [];
  for (const lib of LIBRARIES) {
    const entry = join(BENCHES, 'entries', `${lib}.js`);
    if (lib === 'browser-oauth') {
      splitChunks = await bundleSplit(entry, dir);
      size.push(...browserOAuthRows(splitChunks));
      continue;
    }
    const js = await bundle(entry, join(dir, `lib-${lib}.js`));
    size.push({ lib, label: label(lib), ...sizes(js) });
  }
  // The bench pages themselves (not measured). One file each: the page's own copy of the
  // package has every glue inlined (its .wasm files are placed beside it).
  await bundle(join(BENCHES, 'page.js'), join(dir, 'page.js'));
  await bundle(join(BENCHES, 'cold.js'), join(dir, 'cold.js'));
  await copyFile(join(BENCHES, 'page.html'), join(dir, 'page.html'));
  await copyFile(join(BENCHES, 'cold.html'), join(dir, 'cold.html'));
  // The glue was bundled from dist/ after the snapshot: both must still be of one build.
  await wasmUnchanged('while the bundles were built');
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
    const query = lib === HINTED ? `lib=browser-oauth&preload=${basename(WASM.start)}` : `lib=${encodeURIComponent(lib)}`;
    // The page reports on the console (benches/cold.js). Waiting for that, not for the load event
    // nor with a polled waitForFunction, has the harness evaluate nothing in the page while it is
    // measured: with waitForFunction, every library's cold start was 10 to 30 ms longer, and noisier.
    const reported = page.waitForEvent('console', { predicate: (m) => m.text().startsWith('__cold '), timeout: 30_000 });
    await page.goto(`${origin}/bench/cold.html?${query}`, { waitUntil: 'commit' });
    const r = JSON.parse((await reported).text().slice('__cold '.length));
    if (r.error) throw new Error(`cold start of ${lib} failed: ${r.error}`);
    return r;
  } finally {
    await context.close();
  }
}

// browser-oauth once more, on a page whose HTML carries the preload hint for its start .wasm
// (README "Preload hints"): fetched alongside the bundle instead of after it.
const HINTED = 'browser-oauth+preload';

async function coldStart(browser, origin, problems) {
  const libs = [...LIBRARIES, HINTED];
  // One discarded pass: the first contexts of a fresh browser pay for its own start-up.
  for (const lib of libs) await coldOnce(browser, origin, lib, []);
  const samples = Object.fromEntries(libs.map((lib) => [lib, []]));
  for (let r = 0; r < COLD_RUNS; r += 1) {
    const order = libs.map((_, k) => libs[(k + r) % libs.length]);
    for (const lib of order) samples[lib].push(await coldOnce(browser, origin, lib, problems));
  }
  process.stderr.write('[bench] cold start done\n');
  return libs.map((lib) => {
    const s = samples[lib];
    const pick = (k) => s.map((x) => x[k]).filter((v) => v !== null);
    return {
      lib,
      label: label(lib),
      libShare: median(pick('libShare')),
      libShareMin: Math.min(...pick('libShare')),
      libShareMax: Math.max(...pick('libShare')),
      bundleInToUrl: pick('bundleInToUrl').length ? median(pick('bundleInToUrl')) : null,
      navToUrl: median(pick('navToUrl')),
      bundleEvaluated: median(pick('bundleEvaluated')),
      setUpAndBegin: median(pick('setUpAndBegin')),
      wasmFetch: pick('wasmFetch').length ? median(pick('wasmFetch')) : null,
      // What the page fetched besides itself (the same in every sample: one load, no cache).
      fetched: [...new Set(s.flatMap((x) => x.fetched))].filter((f) => f !== 'cold.js'),
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

/** One line on the split bundle's chunks: size, what loads it, which .wasm it names. */
function chunkSummary(chunks) {
  const dynamic = new Set(Object.values(chunks).flatMap((m) => m.dynamic));
  const imported = new Set(Object.values(chunks).flatMap((m) => m.imports));
  return Object.entries(chunks).map(([c, m]) => {
    // A chunk nothing imports: esbuild splits at an `import()` that tree shaking then dropped
    // (the consent glue, when the entry uses no consent function); no page fetches it.
    const how = m.entry ? 'entry' : dynamic.has(c) ? 'import()' : imported.has(c) ? 'static' : 'imported by nothing';
    return `${c} ${int(m.bytes.length)} B (${how}${m.wasm.length ? `, names ${m.wasm.join(' + ')} .wasm` : ''})`;
  }).join('; ');
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
    '| library | library share, median ms (bundle fetch start → URL ready) | min–max | bundle in → URL ready | bundle fetched + evaluated | then set-up + first URL | of which wasm fetch | navigation → URL ready |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of cold) {
    lines.push(`| ${r.label} | ${ms1(r.libShare)} | ${ms1(r.libShareMin)}–${ms1(r.libShareMax)} | ${r.bundleInToUrl === null ? '–' : ms1(r.bundleInToUrl)} | ${ms1(r.bundleEvaluated)} | ${ms1(r.setUpAndBegin)} | ${r.wasmFetch === null ? '–' : ms1(r.wasmFetch)} | ${ms1(r.navToUrl)} |`);
  }
  return lines.join('\n');
}

// ---- main ----------------------------------------------------------------------------------

async function main() {
  for (const file of Object.values(WASM)) {
    if (!existsSync(join(ROOT, file))) throw new Error(`${file} is missing: run \`npm run build\` first`);
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
  // A signed-out page that fetched the account module would make the split pointless.
  const accountFetched = cold.find((r) => r.lib === 'browser-oauth').fetched.filter((f) => f === basename(WASM.account) || splitChunks[f]?.inputs.some((i) => i.endsWith('browser_oauth_account.js')));
  if (accountFetched.length) problems.push(`cold browser-oauth: the sign-in start fetched the account module: ${accountFetched.join(', ')}`);
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
    wasm: Object.fromEntries(Object.entries(wasmSnapshot).map(([name, w]) => [name, { file: w.file, bytes: w.bytes.length, sha256: w.sha256, modified: w.modified }])),
    // browser-oauth's split bundle: which chunk holds what, and which .wasm each names.
    chunks: Object.fromEntries(Object.entries(splitChunks).map(([c, m]) => [c, { bytes: m.bytes.length, entry: m.entry, imports: m.imports, dynamic: m.dynamic, wasm: m.wasm }])),
    size,
    speed: speedResults,
    coldStart: cold,
    problems,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  await writeFile(opts.out, `${JSON.stringify(results, null, 2)}\n`);

  console.log(`## Size: esbuild ${esbuildVersion} --bundle --minify --format=esm (browser-oauth: + --splitting, per page load), bytes\n`);
  console.log(sizeTable(size));
  console.log(`\nbrowser-oauth: esbuild --splitting, so the glue of the modules the package imports with \`import()\` is in chunks of its own; each file compressed on its own. Chunks: ${chunkSummary(splitChunks)}.`);
  for (const w of Object.values(results.wasm)) console.log(`(${w.file} ${int(w.bytes)} bytes, built ${w.modified}, sha256 ${w.sha256.slice(0, 12)}…)`);
  console.log(`\n## Speed: headless Chromium ${chromium}, one page, ${ROUNDS} rounds × ${ROUND_MS} ms after ${WARMUP_MS} ms warm-up\n`);
  console.log(speedTable(speedResults));
  console.log(`\n## Cold start: fresh browser context per sample, median of ${COLD_RUNS}\n`);
  console.log(coldTable(cold));
  const bo = cold.find((r) => r.lib === 'browser-oauth');
  console.log(`\nbrowser-oauth's cold start fetched: ${bo.fetched.join(', ')}.`);
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
