// The consumer matrix: the package as a user gets it. `npm pack` once (its prepack check
// included), read the tarball's file list, then for each bundler a fresh app in a temp folder
// (tests/package/apps/<name>/ plus apps/shared/index.js, the README's SPA quick start) with the
// tarball installed by npm, built with its default config plus only what the README's "Bundlers"
// section says, served on loopback, opened in headless Chromium and signed in for real against
// oidc-provider on loopback. Prints a table (bundler × build × wasm found × sign-in × gzip bytes
// the signed-out page loads) and "N passed, N failed"; exits 1 on any failure.
// The bundlers are pinned in tests/package/package.json (installed by scripts/setup).
// Usage: node tests/package/matrix.mjs [name…]   (names: the folders of apps/, default all)
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { launchChromium, completeProviderInteraction } from '../../www/dev/browser.mjs';
import { startProvider } from '../../www/dev/provider.mjs';
import { serveApp } from './server.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const STEP = 20_000;
const APPS = [
  ['vite', 'Vite'],
  ['webpack', 'webpack 5'],
  ['esbuild', 'esbuild'],
  ['esbuild-init', 'esbuild + init({ start, account, session })'],
  ['rollup', 'Rollup'],
  ['parcel', 'Parcel'],
  ['importmap', 'plain page + import map'],
];
const only = process.argv.slice(2);
const apps = APPS.filter(([name]) => only.length === 0 || only.includes(name));

if (!existsSync(join(HERE, 'node_modules'))) {
  console.error('tests/package/node_modules is missing: run bash scripts/setup (it installs the pinned bundlers)');
  process.exit(1);
}

/** Runs a command; resolves to { ok, output, stdout, seconds } (never rejects). */
function run(cmd, args, { cwd, timeout = 180_000 } = {}) {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (d) => { output += d; stdout += d; });
    child.stderr.on('data', (d) => { output += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ ok: code === 0, output: output + (signal ? `\n(killed: ${signal})` : ''), stdout, seconds: (Date.now() - started) / 1000 });
    });
  });
}

const work = mkdtempSync(join(tmpdir(), 'browser-oauth-matrix-'));
const failures = [];
const fail = (what, detail) => failures.push(`${what}: ${detail}`);

// 1. Pack, as a publisher would (npm runs prepack: the build check, which may rebuild the wasm).
const packed = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT, timeout: 900_000 });
if (!packed.ok) {
  console.error(packed.output);
  console.error('npm pack failed');
  process.exit(1);
}
const tarball = join(work, JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')))[0].filename);

// 2. The tarball holds exactly the package's files: every `files` entry, every `exports` target.
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const listed = new Set(execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').map((f) => f.replace(/^package\//, '')));
function expand(entry) {
  if (!entry.includes('*')) return [entry];
  const dir = dirname(entry);
  const pattern = new RegExp(`^${entry.slice(dir.length + 1).split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
  return readdirSync(join(ROOT, dir)).filter((n) => pattern.test(n)).map((n) => `${dir}/${n}`);
}
const expected = new Set(['package.json', ...pkg.files.flatMap(expand)]);
const targets = Object.values(pkg.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t))).map((t) => t.replace(/^\.\//, ''));
for (const file of [...expected, ...targets]) if (!listed.has(file)) fail('tarball', `${file} is missing`);
for (const file of listed) if (!expected.has(file)) fail('tarball', `${file} is not a package file`);
console.log(`tarball: ${listed.size} files (${[...listed].filter((f) => f.endsWith('.wasm')).length} .wasm), ${failures.length === 0 ? 'every package.json file and export target present' : 'INCOMPLETE'}`);

// 3. One fresh app per bundler: template + shared app code, the tarball installed, the bundlers linked.
const bundlers = join(HERE, 'node_modules');
const rows = [];
for (const [name, label] of apps) {
  const dir = join(work, name);
  cpSync(join(HERE, 'apps', name), dir, { recursive: true });
  // A template with its own src/index.js runs something first and imports the shared app as app.js.
  const own = existsSync(join(dir, 'src', 'index.js'));
  mkdirSync(join(dir, 'src'), { recursive: true });
  cpSync(join(HERE, 'apps', 'shared', 'index.js'), join(dir, 'src', own ? 'app.js' : 'index.js'));
  const row = { name, label, dir, build: false, wasm: false, signIn: false, bytes: null, seconds: null };
  rows.push(row);
  const installed = await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: dir });
  if (!installed.ok) {
    fail(label, `npm install of the tarball failed\n${installed.output}`);
    continue;
  }
  // The pinned bundlers, as if installed in the app (npm would fetch them again otherwise).
  for (const entry of readdirSync(bundlers)) {
    if (entry.startsWith('.') && entry !== '.bin') continue;
    if (!existsSync(join(dir, 'node_modules', entry))) symlinkSync(join(bundlers, entry), join(dir, 'node_modules', entry));
  }
  const app = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (!app.scripts?.build) {
    row.build = 'none needed';
    continue;
  }
  const built = await run('npm', ['run', '--silent', 'build'], { cwd: dir });
  row.seconds = built.seconds;
  if (built.ok) row.build = true;
  else fail(label, `build failed\n${built.output.slice(-3000)}`);
}

// The wasm, glue and URL files are importable by their stable subpaths (for `init({ start })`).
const requireInApp = createRequire(join(rows[0].dir, 'package.json'));
for (const subpath of Object.keys(pkg.exports).filter((s) => s.startsWith('./wasm/'))) {
  try {
    if (!existsSync(requireInApp.resolve(`browser-oauth${subpath.slice(1)}`))) fail('exports', `${subpath} resolves to no file`);
  } catch (e) {
    fail('exports', `${subpath}: ${e.message}`);
  }
}

// 4. Serve what was built, one provider for all, and sign in in each app.
const servers = [];
let provider;
let browser;
const text = (page, id) => page.locator(`#${id}`).textContent();
async function settled(page) {
  await page.waitForFunction(() => (document.getElementById('status')?.dataset.status ?? 'loading') !== 'loading', undefined, { timeout: STEP });
  return page.locator('#status').getAttribute('data-status');
}
try {
  const ready = rows.filter((r) => r.build);
  for (const row of ready) {
    const app = JSON.parse(readFileSync(join(row.dir, 'package.json'), 'utf8'));
    row.server = await serveApp(join(row.dir, app.browserOAuthMatrix.serve));
    servers.push(row.server);
  }
  if (ready.length) {
    provider = await startProvider({ clients: ready.map((r) => ({ client_id: `matrix-${r.name}`, redirect_uris: [`${r.server.origin}/`] })) });
    browser = await launchChromium();
  }
  for (const row of ready) {
    const { server } = row;
    server.setConfig({ issuer: provider.issuer, clientId: `matrix-${row.name}` });
    const context = await browser.newContext();
    context.setDefaultTimeout(STEP);
    const page = await context.newPage();
    const loaded = [];
    const bad = [];
    page.on('response', (response) => {
      if (!response.url().startsWith(server.origin)) return;
      if (response.status() >= 400) bad.push(`${response.status()} ${response.url()}`);
      if (/\.(m?js|wasm)(\?|$)/.test(new URL(response.url()).pathname)) {
        // A body the page never reads (a failed .wasm) may never arrive: wait a bounded time.
        const body = Promise.race([response.body(), new Promise((_, reject) => { setTimeout(reject, 5000); })]);
        loaded.push(body.then((b) => ({ url: response.url(), body: b }), () => null));
      }
    });
    page.on('pageerror', (e) => bad.push(`pageerror: ${e.message}`));
    try {
      await page.goto(`${server.origin}/`);
      const status = await settled(page);
      const bodies = (await Promise.all(loaded)).filter(Boolean);
      const wasm = bodies.filter((b) => b.url.endsWith('.wasm') && b.body.subarray(0, 4).equals(Buffer.from('\0asm')));
      row.bytes = bodies.reduce((sum, b) => sum + gzipSync(b.body, { level: 9 }).length, 0);
      row.wasm = status === 'signed-out' && wasm.length > 0 && bad.length === 0 && server.notFound.length === 0;
      if (!row.wasm) {
        fail(row.label, `signed-out page: status ${status} ${await text(page, 'error-code')} ${await text(page, 'error-message')}; wasm loaded: ${wasm.map((b) => b.url).join(', ') || 'none'}; errors: ${[...bad, ...server.notFound.map((p) => `404 ${p}`)].join('; ') || 'none'}`);
        continue;
      }
      await page.click('#sign-in');
      await completeProviderInteraction(page, { issuer: provider.issuer, login: 'alice' });
      await page.waitForURL((url) => url.href.startsWith(`${server.origin}/`));
      const after = await settled(page);
      const account = await text(page, 'account');
      const token = await text(page, 'token');
      row.signIn = after === 'signed-in' && account === 'alice' && token === 'access token received' && bad.length === 0 && server.notFound.length === 0;
      if (!row.signIn) {
        fail(row.label, `after sign-in: status ${after}, account ${account}, token ${token}, ${await text(page, 'error-code')} ${await text(page, 'error-message')}; errors: ${[...bad, ...server.notFound.map((p) => `404 ${p}`)].join('; ') || 'none'}`);
      }
    } catch (e) {
      fail(row.label, `${e.message.split('\n')[0]}; errors: ${bad.join('; ') || 'none'}`);
    } finally {
      await context.close();
    }
  }
} finally {
  await browser?.close();
  await provider?.close();
  await Promise.all(servers.map((s) => s.close()));
}

// 5. The table (Markdown, as in the README's "Bundlers" section) and the verdict.
const mark = (v) => (v === true ? 'yes' : v || 'NO');
console.log('\n| bundler | build | wasm found | sign-in | shipped gzip (JS + wasm, signed-out page) |');
console.log('|---|---|---|---|---|');
for (const r of rows) {
  const build = r.build === true ? `yes (${r.seconds.toFixed(1)} s)` : mark(r.build);
  console.log(`| ${r.label} | ${build} | ${mark(r.wasm)} | ${mark(r.signIn)} | ${r.bytes === null ? '-' : `${r.bytes.toLocaleString('en-US')} B`} |`);
}
for (const f of failures) console.log(`\nFAILED ${f}`);
// The package itself (tarball contents, export subpaths) counts as one more check.
const packageOk = !failures.some((f) => f.startsWith('tarball') || f.startsWith('exports'));
const passed = rows.filter((r) => r.build && r.wasm && r.signIn).length + (packageOk ? 1 : 0);
const total = rows.length + 1;
if (failures.length === 0) rmSync(work, { recursive: true, force: true });
else console.log(`\n(apps kept for inspection in ${work})`);
console.log(`\nmatrix: ${passed} passed, ${total - passed} failed`);
process.exit(failures.length === 0 ? 0 : 1);
