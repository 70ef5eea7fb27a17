#!/usr/bin/env node
// getToken cache hits per second with N cached tokens, per storage backend, what a miss (a
// validation of the stored entry) costs, and memory per cached token. A measurement, not a test:
// it asserts nothing about speed and is not part of scripts/test.
//
//   node benches/get-token.mjs [--sizes 1,100,1000,5000,10000] [--token-length 43]
//                              [--working-set 100] [--rounds 7] [--round-ms 300]
//                              [--warmup-ms 500] [--out FILE]
//
// Needs a built package (dist/wasm-start/ and dist/wasm-account/, `bash scripts/build`). In
// headless Chromium it serves benches/get-token.html (which imports /js/index.js), creates one
// client per backend with explicit endpoints (no discovery), seeds the stored account (the JSON
// stored.rs::to_json writes) with N tokens of distinct scopes `api.<k>`, asks once for each of
// a working set of scopes spread over the N (each a miss: the entry is validated), then times
// `getToken(['api.<k>'])` for random k of that set, awaited one after another; every call must
// return the seeded token with `refreshed === false`, the calls that validated the entry are
// counted (none, when all were cache hits), and any request the page makes after loading is
// reported. Prints markdown tables and writes benches/get-token-results.json. Everything it
// starts (a static server on 127.0.0.1, Chromium) is stopped before it exits, also on Ctrl-C.

import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launchChromium } from '../www/dev/browser.mjs';
import { startStaticServer } from '../www/dev/server.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// The modules the page loads: start (createClient) and account (the session, getToken).
const WASM = ['dist/wasm-start/browser_oauth_start_bg.wasm', 'dist/wasm-account/browser_oauth_account_bg.wasm'];
// src/core/session/stored.rs MAX_STORED_LEN: the largest stored account read back.
const STORED_MAX_LEN = 8 * 1024 * 1024;

const { values: opts } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1,100,1000,5000,10000' },
    'token-length': { type: 'string', default: '43' },
    'working-set': { type: 'string', default: '100' },
    rounds: { type: 'string', default: '7' },
    'round-ms': { type: 'string', default: '300' },
    'warmup-ms': { type: 'string', default: '500' },
    out: { type: 'string', default: join(ROOT, 'benches', 'get-token-results.json') },
  },
});
const SIZES = opts.sizes.split(',').map(Number);
const TOKEN_LENGTH = Number(opts['token-length']);
const WORKING_SET = Number(opts['working-set']);
const ROUNDS = Number(opts.rounds);
const ROUND_MS = Number(opts['round-ms']);
const WARMUP_MS = Number(opts['warmup-ms']);
// memory first: the default, and the backend whose first calls give the wasm memory figure.
const BACKENDS = ['memory', 'session', 'local', 'map'];
const BACKEND_LABEL = {
  memory: "'memory' (default)",
  session: "'session' (sessionStorage)",
  local: "'local' (localStorage)",
  map: 'custom adapter (JS Map, sync)',
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

    // JS heap: after the bench's own bookkeeping exists, then with the entry in the memory store
    // (a JS string in the package's Map), then also in the Map adapter (another string), then
    // also in sessionStorage, then also in localStorage.
    await page.evaluate(([count, len]) => window.bench.prepare(count, len), [n, TOKEN_LENGTH]);
    const heap0 = await heapAfterGc(cdp);
    const seeded = await page.evaluate(() => window.bench.write(['memory']));
    const heapMemory = await heapAfterGc(cdp);
    await page.evaluate(() => window.bench.write(['map']));
    const heapMap = await heapAfterGc(cdp);
    await page.evaluate(() => window.bench.write(['session']));
    const heapSession = await heapAfterGc(cdp);
    await page.evaluate(() => window.bench.write(['local']));
    const heapLocal = await heapAfterGc(cdp);

    const row = {
      n,
      storedBytes: seeded.bytes,
      overStoredLimit: seeded.bytes > STORED_MAX_LEN,
      jsHeap: { baseline: heap0, memorySeeded: heapMemory, mapSeeded: heapMap, sessionSeeded: heapSession, localSeeded: heapLocal },
      wasmMemory: { baseline: wasm0 },
      backends: {},
    };

    for (const b of BACKENDS) {
      const check = await page.evaluate((name) => window.bench.check(name), b);
      row.backends[b] = { check, rounds: [], lookups: 0, calls: 0 };
      if (!check.ok) problems.push(`N=${n}, ${b}: ${check.error}${check.entryRemoved ? ' — the stored entry was removed' : ''}`);
    }
    // The high-water mark of the first getToken calls (first backend, before the forgetTokens
    // round-trip check, which serialises the account and would raise it further).
    row.wasmMemory.afterFirstCalls = row.backends[BACKENDS[0]].check.wasmAfterGets;

    const ok = BACKENDS.filter((b) => row.backends[b].check.ok);
    // The working set, each scope asked once: misses (check() ended with forgetTokens, which
    // empties the client's cache).
    for (const b of ok) {
      const w = await page.evaluate(([name, size]) => window.bench.warm(name, size), [b, WORKING_SET]);
      // The mean, not the median: performance.now() is coarsened to 100 µs in a page that is
      // not cross-origin isolated, so single calls below that cannot be told apart.
      Object.assign(row.backends[b], { missMs: w.ms, missMeanMs: w.ms.reduce((x, y) => x + y, 0) / w.ms.length, missLookups: w.lookups });
    }
    for (const b of ok) await page.evaluate(([name, ms]) => window.bench.run(name, ms, 1), [b, WARMUP_MS]);
    for (let r = 0; r < ROUNDS; r += 1) {
      // Rotate the order every round: no backend always runs first or last.
      const order = ok.map((_, i) => ok[(i + r) % ok.length]);
      for (const b of order) {
        const out = await page.evaluate(([name, ms, seed]) => window.bench.run(name, ms, seed), [b, ROUND_MS, 1000 + r]);
        row.backends[b].rounds.push(out.opsPerSec);
        row.backends[b].calls += out.ops;
        row.backends[b].lookups += out.lookups;
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

/** Each module the page loads: size, date, hash; compared again after the run. */
const wasmInfo = WASM.map((file) => {
  const bytes = readFileSync(join(ROOT, file));
  return {
    file,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    bytes: bytes.length,
    modified: statSync(join(ROOT, file)).mtime.toISOString(),
  };
});
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
for (const w of wasmInfo) {
  if (statSync(join(ROOT, w.file)).mtime.toISOString() !== w.modified) {
    problems.push(`${w.file} was rebuilt during the run: the pages may have loaded different builds; run again`);
  }
}

// ---- report --------------------------------------------------------------------------------

const ws = (n) => Math.min(n, WORKING_SET);
console.log(`\n### getToken cache hits: headless Chromium ${chromiumVersion}, ${ROUNDS} rounds × ${ROUND_MS} ms after ${WARMUP_MS} ms warm-up, median calls/s (min–max)\n`);
console.log(`Each token: ${TOKEN_LENGTH}-character opaque access token, one scope \`api.<k>\`, expiring in an hour; grant = openid, offline_access and every api.<k>. Timed calls: random k among min(N, ${WORKING_SET}) scopes spread over the N, each asked once before.\n`);
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
// Whether the timed calls were hits: a miss validates the entry (AccountClient.lookup in wasm).
console.log('\nTimed calls that validated the stored entry (misses) / all timed calls:\n');
for (const b of BACKENDS) {
  const parts = rows.filter((r) => r.backends[b].check.ok).map((r) => `N=${int(r.n)}: ${int(r.backends[b].lookups)} / ${int(r.backends[b].calls)}`);
  console.log(`- ${BACKEND_LABEL[b]}: ${parts.join(', ')}`);
}

console.log(`\n### A miss: the first getToken for a scope list (the stored entry read and validated in wasm), mean ms over min(N, ${WORKING_SET}) scopes\n`);
console.log('performance.now() has a 100 µs resolution in this page: a mean over 1 call is only a bound. The custom adapter\'s calls/s above are misses too (it has no synchronous read to check a cached token against), timed in rounds.\n');
console.log(`| cached tokens | stored JSON | ${BACKENDS.map((b) => BACKEND_LABEL[b]).join(' | ')} |`);
console.log(`|---:|---:|${BACKENDS.map(() => '---:').join('|')}|`);
for (const r of rows) {
  const cells = BACKENDS.map((b) => {
    const x = r.backends[b];
    if (!x.check.ok) return 'refused';
    return `${x.missMeanMs.toFixed(3)} (${ws(r.n)} call${ws(r.n) === 1 ? '' : 's'})`;
  });
  console.log(`| ${int(r.n)} | ${kib(r.storedBytes)} KiB | ${cells.join(' | ')} |`);
}

const base = rows.find((r) => r.n === 1);
// Heap deltas below this are within what a GC'd page drifts by between two samples.
const NOISE = 64 * 1024;
const perToken = (delta, count) => (Math.abs(delta) < NOISE ? `< noise (${kib(delta)} KiB)` : int(delta / count));
console.log('\n### Memory per cached token\n');
console.log('JS heap: CDP `HeapProfiler.collectGarbage` ×2, then `Runtime.getHeapUsage` (usedSize). wasm: `memory.buffer.byteLength` of the account module, which grows in 64 KiB pages and never shrinks.\n');
console.log('| cached tokens | stored JSON bytes / token | marginal bytes / token (vs N=1) | JS heap / token: + memory store | JS heap / token: + Map adapter | JS heap / token: + sessionStorage | JS heap / token: + localStorage | wasm memory after the first getToken calls (memory backend) | wasm growth / token |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const marginal = base && r.n > 1 ? int((r.storedBytes - base.storedBytes) / (r.n - 1)) : '–';
  const w = r.wasmMemory;
  const grow = w.afterFirstCalls - w.baseline;
  const h = r.jsHeap;
  const growCell = !r.backends[BACKENDS[0]].check.ok ? 'refused' : grow < NOISE * 4 ? '–' : int(grow / r.n);
  console.log(`| ${int(r.n)}${r.overStoredLimit ? ' (over 8 MiB)' : ''} | ${int(r.storedBytes / r.n)} | ${marginal} | ${perToken(h.memorySeeded - h.baseline, r.n)} | ${perToken(h.mapSeeded - h.memorySeeded, r.n)} | ${perToken(h.sessionSeeded - h.mapSeeded, r.n)} | ${perToken(h.localSeeded - h.sessionSeeded, r.n)} | ${kib(w.afterFirstCalls)} KiB (+${kib(grow)}) | ${growCell} |`);
}

// How the per-call cost grows: time per call at each N over time per call at N=1.
if (base) {
  console.log('\nTime per timed call (µs), and × the N=1 figure:\n');
  for (const b of BACKENDS) {
    if (!base.backends[b].median) continue;
    const parts = rows.filter((r) => r.backends[b].median).map((r) => `N=${int(r.n)}: ${(1e6 / r.backends[b].median).toFixed(1)} µs (×${(base.backends[b].median / r.backends[b].median).toFixed(1)})`);
    console.log(`- ${BACKEND_LABEL[b]}: ${parts.join(', ')}`);
  }
}

const roundTrips = rows.flatMap((r) => BACKENDS.map((b) => r.backends[b].check.roundTrip).filter((x) => x !== undefined));
console.log(`\nSeeded JSON identical to what the library writes back (forgetTokens rewrite): ${roundTrips.every(Boolean) ? 'yes' : 'NO'} (${roundTrips.length} checks)`);
for (const w of wasmInfo) console.log(`${w.file} ${w.bytes.toLocaleString('en-US')} bytes, built ${w.modified}, sha256 ${w.sha256.slice(0, 12)}…`);
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
  settings: { sizes: SIZES, tokenLength: TOKEN_LENGTH, workingSet: WORKING_SET, rounds: ROUNDS, roundMs: ROUND_MS, warmupMs: WARMUP_MS, storedMaxLen: STORED_MAX_LEN },
  wasm: wasmInfo,
  load: { before: loadBefore, after: loadAfter, cores: cpus().length },
  memoryMethod: 'JS heap: CDP HeapProfiler.collectGarbage (twice) then Runtime.getHeapUsage.usedSize; wasm: the byteLength of the account module\'s memory (its one Memory export)',
  rows,
  problems,
}, null, 2)}\n`);
console.error(`wrote ${opts.out}`);
