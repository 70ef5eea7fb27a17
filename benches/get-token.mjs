#!/usr/bin/env node
// getToken cache hits per second with N cached tokens, per storage backend, and memory per
// cached token. A measurement, not a test: it asserts nothing about speed and is not part of
// scripts/test.
//
//   node benches/get-token.mjs [--sizes 1,100,1000,5000,10000] [--token-length 43]
//                              [--rounds 7] [--round-ms 300] [--warmup-ms 500] [--out FILE]
//
// Needs a built package (dist/wasm/, `bash scripts/build`). In headless Chromium it serves
// benches/get-token.html (which imports /js/index.js), creates one client per backend with
// explicit endpoints (no discovery), seeds the stored account (the JSON stored.rs::to_json
// writes) with N tokens of distinct scopes `api.<k>`, and times `getToken(['api.<k>'])` for
// random k, awaited one after another; every call must return the seeded token with
// `refreshed === false`, and any request the page makes after loading is reported.
// Prints markdown tables and writes benches/get-token-results.json. Everything it starts (a
// static server on 127.0.0.1, Chromium) is stopped before it exits, also on Ctrl-C.

import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launchChromium } from '../www/dev/browser.mjs';
import { startStaticServer } from '../www/dev/server.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WASM = join(ROOT, 'dist/wasm/browser_oauth_bg.wasm');
// src/core/json.rs MAX_LEN: the parser refuses longer documents.
const JSON_MAX_LEN = 1024 * 1024;

const { values: opts } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1,100,1000,5000,10000' },
    'token-length': { type: 'string', default: '43' },
    rounds: { type: 'string', default: '7' },
    'round-ms': { type: 'string', default: '300' },
    'warmup-ms': { type: 'string', default: '500' },
    out: { type: 'string', default: join(ROOT, 'benches', 'get-token-results.json') },
  },
});
const SIZES = opts.sizes.split(',').map(Number);
const TOKEN_LENGTH = Number(opts['token-length']);
const ROUNDS = Number(opts.rounds);
const ROUND_MS = Number(opts['round-ms']);
const WARMUP_MS = Number(opts['warmup-ms']);
const BACKENDS = ['map', 'session', 'local'];
const BACKEND_LABEL = {
  map: 'custom adapter (JS Map, sync)',
  session: "'session' (sessionStorage)",
  local: "'local' (localStorage)",
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const int = (x) => Math.round(x).toLocaleString('en-US');
const kib = (x) => (x / 1024).toLocaleString('en-US', { maximumFractionDigits: 1 });

// ---- clean-up of everything started here ----------------------------------------------------

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
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => { cleanUp().finally(() => process.exit(130)); });
}

// ---- measurement ---------------------------------------------------------------------------

/** Forces a full GC and returns the JS heap in use (CDP Runtime.getHeapUsage). */
async function heapAfterGc(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize;
}

async function measureSize(browser, origin, n, problems) {
  const context = await browser.newContext();
  const closeContext = () => context.close();
  cleanups.push(closeContext);
  try {
    const page = await context.newPage();
    let loaded = false;
    const late = [];
    page.on('request', (r) => {
      if (loaded || !r.url().startsWith(origin)) late.push(r.url());
    });
    page.on('pageerror', (e) => problems.push(`N=${n}: page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`N=${n}: console error: ${m.text()}`); });
    await page.goto(`${origin}/benches/get-token.html`);
    await page.waitForFunction(() => window.benchReady === true, null, { timeout: 30_000 });
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.enable');
    const { wasmMemory: wasm0 } = await page.evaluate(() => window.bench.setup());
    loaded = true;

    // JS heap: after the bench's own bookkeeping exists, then with the entry in the Map adapter
    // (a JS string), then also in sessionStorage, then also in localStorage.
    await page.evaluate(([count, len]) => window.bench.prepare(count, len), [n, TOKEN_LENGTH]);
    const heap0 = await heapAfterGc(cdp);
    const seeded = await page.evaluate(() => window.bench.write(['map']));
    const heapMap = await heapAfterGc(cdp);
    await page.evaluate(() => window.bench.write(['session']));
    const heapSession = await heapAfterGc(cdp);
    await page.evaluate(() => window.bench.write(['local']));
    const heapLocal = await heapAfterGc(cdp);

    const row = {
      n,
      storedBytes: seeded.bytes,
      overJsonLimit: seeded.bytes > JSON_MAX_LEN,
      jsHeap: { baseline: heap0, mapSeeded: heapMap, sessionSeeded: heapSession, localSeeded: heapLocal },
      wasmMemory: { baseline: wasm0 },
      backends: {},
    };

    for (const b of BACKENDS) {
      const check = await page.evaluate((name) => window.bench.check(name), b);
      row.backends[b] = { check, rounds: [] };
      if (!check.ok) problems.push(`N=${n}, ${b}: ${check.error}${check.entryRemoved ? ' — the stored entry was removed' : ''}`);
    }
    // The high-water mark of the first getToken calls (first backend, before the forgetTokens
    // round-trip check, which serialises the account and would raise it further).
    row.wasmMemory.afterFirstCalls = row.backends[BACKENDS[0]].check.wasmAfterGets;

    const ok = BACKENDS.filter((b) => row.backends[b].check.ok);
    for (const b of ok) await page.evaluate(([name, ms]) => window.bench.run(name, ms, 1), [b, WARMUP_MS]);
    for (let r = 0; r < ROUNDS; r += 1) {
      // Rotate the order every round: no backend always runs first or last.
      const order = ok.map((_, i) => ok[(i + r) % ok.length]);
      for (const b of order) {
        const out = await page.evaluate(([name, ms, seed]) => window.bench.run(name, ms, seed), [b, ROUND_MS, 1000 + r]);
        row.backends[b].rounds.push(out.opsPerSec);
      }
    }
    for (const b of ok) {
      const xs = row.backends[b].rounds;
      Object.assign(row.backends[b], { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });
    }
    row.wasmMemory.afterTiming = await page.evaluate(() => window.bench.wasmMemory());
    row.jsHeap.afterTiming = await heapAfterGc(cdp);
    row.requestsAfterLoad = late;
    if (late.length) problems.push(`N=${n}: ${late.length} request(s) after the page loaded, e.g. ${late[0]}`);
    await page.evaluate(() => window.bench.clear());
    return row;
  } finally {
    cleanups.splice(cleanups.indexOf(closeContext), 1);
    await context.close();
  }
}

// ---- main ----------------------------------------------------------------------------------

const wasmBytes = readFileSync(WASM);
const wasmInfo = {
  sha256: createHash('sha256').update(wasmBytes).digest('hex'),
  bytes: wasmBytes.length,
  modified: statSync(WASM).mtime.toISOString(),
};
const loadBefore = loadavg()[0];
const problems = [];
const rows = [];
let chromiumVersion;
try {
  const server = await startStaticServer({ root: ROOT, folders: ['benches', 'js', 'dist'] });
  cleanups.push(() => server.close());
  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  chromiumVersion = browser.version();
  for (const n of SIZES) {
    process.stderr.write(`N=${n}…\n`);
    rows.push(await measureSize(browser, server.origin, n, problems));
  }
} finally {
  await cleanUp();
}
const loadAfter = loadavg()[0];
if (statSync(WASM).mtime.toISOString() !== wasmInfo.modified) {
  problems.push('dist/wasm/browser_oauth_bg.wasm was rebuilt during the run: the pages may have loaded different builds; run again');
}

// ---- report --------------------------------------------------------------------------------

console.log(`\n### getToken cache hits: headless Chromium ${chromiumVersion}, ${ROUNDS} rounds × ${ROUND_MS} ms after ${WARMUP_MS} ms warm-up, median ops/s (min–max)\n`);
console.log(`Each token: ${TOKEN_LENGTH}-character opaque access token, one scope \`api.<k>\`, expiring in an hour; grant = openid, offline_access and every api.<k>.\n`);
console.log(`| cached tokens | stored JSON | ${BACKENDS.map((b) => BACKEND_LABEL[b]).join(' | ')} |`);
console.log(`|---:|---:|${BACKENDS.map(() => '---:').join('|')}|`);
for (const r of rows) {
  const cells = BACKENDS.map((b) => {
    const x = r.backends[b];
    if (!x.check.ok) return `refused${x.check.entryRemoved ? ', entry removed' : ''}`;
    return `${int(x.median)} (${int(x.min)}–${int(x.max)})`;
  });
  console.log(`| ${int(r.n)} | ${kib(r.storedBytes)} KiB | ${cells.join(' | ')} |`);
}

const base = rows.find((r) => r.n === 1);
// Heap deltas below this are within what a GC'd page drifts by between two samples.
const NOISE = 64 * 1024;
const perToken = (delta, count) => (Math.abs(delta) < NOISE ? `< noise (${kib(delta)} KiB)` : int(delta / count));
console.log('\n### Memory per cached token\n');
console.log('JS heap: CDP `HeapProfiler.collectGarbage` ×2, then `Runtime.getHeapUsage` (usedSize). wasm: `memory.buffer.byteLength` of the module, which grows in 64 KiB pages and never shrinks.\n');
console.log('| cached tokens | stored JSON bytes / token | marginal bytes / token (vs N=1) | JS heap / token: + Map adapter | JS heap / token: + sessionStorage | JS heap / token: + localStorage | wasm memory after the first getToken calls (Map backend) | wasm growth / token |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const marginal = base && r.n > 1 ? int((r.storedBytes - base.storedBytes) / (r.n - 1)) : '–';
  const w = r.wasmMemory;
  const grow = w.afterFirstCalls - w.baseline;
  const growCell = !r.backends[BACKENDS[0]].check.ok ? 'refused (text copied, not parsed)' : grow < NOISE * 4 ? '–' : int(grow / r.n);
  console.log(`| ${int(r.n)}${r.overJsonLimit ? ' (over 1 MiB)' : ''} | ${int(r.storedBytes / r.n)} | ${marginal} | ${perToken(r.jsHeap.mapSeeded - r.jsHeap.baseline, r.n)} | ${perToken(r.jsHeap.sessionSeeded - r.jsHeap.mapSeeded, r.n)} | ${perToken(r.jsHeap.localSeeded - r.jsHeap.sessionSeeded, r.n)} | ${kib(w.afterFirstCalls)} KiB (+${kib(grow)}) | ${growCell} |`);
}

// How the per-call cost grows: time per call at each N over time per call at N=1.
if (base) {
  console.log('\nTime per cache hit (µs), and × the N=1 figure:\n');
  for (const b of BACKENDS) {
    if (!base.backends[b].median) continue;
    const parts = rows.filter((r) => r.backends[b].median).map((r) => `N=${int(r.n)}: ${(1e6 / r.backends[b].median).toFixed(1)} µs (×${(base.backends[b].median / r.backends[b].median).toFixed(1)})`);
    console.log(`- ${BACKEND_LABEL[b]}: ${parts.join(', ')}`);
  }
}

const roundTrips = rows.flatMap((r) => BACKENDS.map((b) => r.backends[b].check.roundTrip).filter((x) => x !== undefined));
console.log(`\nSeeded JSON identical to what the library writes back (forgetTokens rewrite): ${roundTrips.every(Boolean) ? 'yes' : 'NO'} (${roundTrips.length} checks)`);
console.log(`dist/wasm/browser_oauth_bg.wasm ${wasmInfo.bytes.toLocaleString('en-US')} bytes, built ${wasmInfo.modified}, sha256 ${wasmInfo.sha256.slice(0, 12)}…`);
console.log(`1-minute load average: ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after (${cpus().length} cores)`);
if (Math.max(loadBefore, loadAfter) > cpus().length / 2) console.log('**Warning**: the machine was busy; the figures are skewed by other work.');
if (problems.length) {
  console.log('\nProblems:');
  for (const p of problems) console.log(`- ${p}`);
}

writeFileSync(opts.out, `${JSON.stringify({
  date: new Date().toISOString(),
  chromium: chromiumVersion,
  node: process.version,
  settings: { sizes: SIZES, tokenLength: TOKEN_LENGTH, rounds: ROUNDS, roundMs: ROUND_MS, warmupMs: WARMUP_MS, jsonMaxLen: JSON_MAX_LEN },
  wasm: wasmInfo,
  load: { before: loadBefore, after: loadAfter, cores: cpus().length },
  memoryMethod: 'JS heap: CDP HeapProfiler.collectGarbage (twice) then Runtime.getHeapUsage.usedSize; wasm: exports.memory.buffer.byteLength',
  rows,
  problems,
}, null, 2)}\n`);
console.error(`wrote ${opts.out}`);
