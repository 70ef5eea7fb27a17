#!/usr/bin/env node
// How long a consent check takes, and what the scope catalog and consent check cost in wasm.
// Not a test: it asserts nothing and is not part of scripts/test.
//
//   node benches/consent.mjs [--rounds 9] [--round-ms 300] [--warmup-ms 500] [--baseline FILE.wasm]
//
// Times checkAuthorizationRequest in headless Chromium on the consent page (www/consent.html,
// which loads the package as a user would): a realistic Microsoft Entra request with Azure DevOps
// scopes, and a lookalike-host request. Prints the median ops/s over the rounds. Then prints the
// size of the three wasm modules (raw and gzip -9), and of --baseline if given. Needs a built
// package (`npm run build`).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { launchChromium } from '../www/dev/browser.mjs';
import { startStaticServer } from '../www/dev/server.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// The package's modules (issue "Weight"): sign-in is split in two, the consent check is the third.
const MODULES = [
  ['sign-in start module', 'dist/wasm-start/browser_oauth_start_bg.wasm'],
  ['account module (redirect, session)', 'dist/wasm-account/browser_oauth_account_bg.wasm'],
  ['consent module', 'dist/wasm-consent/browser_oauth_consent_bg.wasm'],
];

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '9' },
    'round-ms': { type: 'string', default: '300' },
    'warmup-ms': { type: 'string', default: '500' },
    baseline: { type: 'string' },
  },
});

const ADO = '499b84ac-1321-427f-aa17-267ca6975798';

function entraRequest(host) {
  const scope = ['openid', 'profile', 'offline_access', ...['vso.code_write', 'vso.work_write', 'vso.build_execute', 'vso.wiki', 'vso.packaging'].map((s) => `${ADO}/${s}`)];
  const q = new URLSearchParams({
    client_id: '11111111-2222-3333-4444-555555555555',
    response_type: 'code',
    redirect_uri: 'https://app.example/callback',
    scope: scope.join(' '),
    state: 'mZ3k9QxV7bR2tY8wL1nC4eF6',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
    response_mode: 'query',
    prompt: 'select_account',
    login_hint: 'alice@contoso.example',
    nonce: 'n-0S6_WzA2Mj',
  });
  return `https://${host}/organizations/oauth2/v2.0/authorize?${q}`;
}

const CASES = [
  ['Entra + Azure DevOps request (warn: high privilege)', entraRequest('login.microsoftonline.com')],
  ['lookalike host (block)', entraRequest('login.microsoftonline.com.evil.example')],
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const size = (buf) => ({ raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length });
const n = (x) => x.toLocaleString('en-US');

async function timeChecks() {
  const cleanups = [];
  try {
    const app = await startStaticServer({ root: ROOT });
    cleanups.push(() => app.close());
    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    const page = await browser.newPage();
    await page.goto(`${app.origin}/www/consent.html`);
    await page.waitForFunction(() => document.getElementById('status')?.dataset.status === 'ready');
    const version = browser.version();
    const results = [];
    for (const [name, url] of CASES) {
      const run = (ms) => page.evaluate(async ([u, budget]) => {
        const m = await import('/js/index.js');
        const expectations = { clientId: '11111111-2222-3333-4444-555555555555', redirectUri: 'https://app.example/callback' };
        let ops = 0;
        let verdict;
        const start = performance.now();
        let elapsed;
        do {
          for (let i = 0; i < 20; i += 1) verdict = m.checkAuthorizationRequest(u, expectations).verdict;
          ops += 20;
          elapsed = performance.now() - start;
        } while (elapsed < budget);
        return { opsPerSec: (ops * 1000) / elapsed, verdict };
      }, [url, ms]);
      await run(Number(opts['warmup-ms']));
      const rounds = [];
      let verdict;
      for (let r = 0; r < Number(opts.rounds); r += 1) {
        const out = await run(Number(opts['round-ms']));
        rounds.push(out.opsPerSec);
        verdict = out.verdict;
      }
      results.push({ name, urlLength: url.length, verdict, median: median(rounds), min: Math.min(...rounds), max: Math.max(...rounds) });
    }
    return { version, results };
  } finally {
    for (const close of cleanups.reverse()) await close().catch(() => {});
  }
}

const { version, results } = await timeChecks();
console.log(`checkAuthorizationRequest in headless Chromium ${version}, ${opts.rounds} rounds of ${opts['round-ms']} ms, median (min–max):`);
for (const r of results) {
  console.log(`  ${r.name}, ${r.urlLength} chars → ${r.verdict}: ${n(Math.round(r.median))} ops/s`
    + ` (${n(Math.round(r.min))}–${n(Math.round(r.max))}), ${(1e6 / r.median).toFixed(1)} µs per check`);
}

// The consent check is a module of its own: sign-in apps do not ship it, and a consent page
// ships nothing else.
console.log('\nwasm, raw / gzip -9:');
for (const [label, file] of MODULES) {
  const m = size(readFileSync(join(ROOT, file)));
  console.log(`  ${label} (${file}): ${n(m.raw)} / ${n(m.gzip)} bytes`);
}
if (opts.baseline) {
  const b = size(readFileSync(opts.baseline));
  console.log(`  ${opts.baseline}: ${n(b.raw)} / ${n(b.gzip)} bytes`);
}
