// npm's `prepack` (run by `npm pack` and `npm publish`): a package is never packed without its
// wasm or with files from different builds. Every entry of package.json `files` must exist; the
// dist/ ones must be the files that one complete run of scripts/build wrote (dist/build-stamp.json,
// see scripts/build-stamp.mjs) and newer than the Rust sources. Otherwise this builds, when the
// toolchain is here, or stops naming what is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { ROOT, stampProblems, staleSources } from './build-stamp.mjs';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const fail = (lines) => {
  console.error(['', 'browser-oauth prepack: not packing.', ...lines.map((l) => `  ${l}`), ''].join('\n'));
  process.exit(1);
};

/** The files one `files` entry names: a path, or a `*` glob in its last segment. */
function expand(entry) {
  if (!entry.includes('*')) return existsSync(join(ROOT, entry)) ? [entry] : [];
  const dir = dirname(entry);
  const pattern = new RegExp(`^${entry.slice(dir.length + 1).split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
  if (!existsSync(join(ROOT, dir))) return [];
  return readdirSync(join(ROOT, dir)).filter((name) => pattern.test(name)).map((name) => `${dir}/${name}`);
}

// The registry page links the repository; Cargo.toml names the same one.
const cargoRepository = readFileSync(join(ROOT, 'Cargo.toml'), 'utf8').match(/^repository = "([^"]*)"/m)?.[1];
if (pkg.repository?.url !== cargoRepository) {
  fail([`package.json repository.url (${pkg.repository?.url}) differs from Cargo.toml repository (${cargoRepository}): keep them in sync.`]);
}

const notFound = pkg.files.filter((entry) => expand(entry).length === 0);
const sourceMissing = notFound.filter((entry) => !entry.startsWith('dist/'));
if (sourceMissing.length) fail([`files named in package.json "files" are missing: ${sourceMissing.join(', ')}`]);

const distFiles = pkg.files.filter((entry) => entry.startsWith('dist/'));
function buildProblems() {
  const problems = stampProblems(distFiles);
  if (problems.length) return problems;
  const stale = staleSources();
  return stale.length ? [`the build is older than ${stale.slice(0, 5).join(', ')}${stale.length > 5 ? ', …' : ''}`] : [];
}

const run = (cmd, args) => spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8' });

/** What scripts/build needs and this machine lacks, as sentences. */
function missingToolchain() {
  const missing = [];
  if (run('cargo', ['--version']).status !== 0) missing.push('cargo (Rust: https://rustup.rs)');
  const pinned = readFileSync(join(ROOT, 'Cargo.toml'), 'utf8').match(/^wasm-bindgen = "=([0-9.]+)"/m)?.[1];
  const bindgen = run('wasm-bindgen', ['--version']);
  if (bindgen.status !== 0 || bindgen.stdout.trim().split(' ')[1] !== pinned) {
    missing.push(`wasm-bindgen ${pinned} (cargo install wasm-bindgen-cli --version ${pinned})`);
  }
  if (process.env.BROWSER_OAUTH_STABLE_BUILD !== '1') {
    const nightly = readFileSync(join(ROOT, 'scripts/nightly-version'), 'utf8').trim();
    const components = run('rustup', ['component', 'list', '--installed', '--toolchain', nightly]);
    if (components.status !== 0 || !/^rust-src/m.test(components.stdout)) {
      missing.push(`the ${nightly} toolchain with rust-src (or BROWSER_OAUTH_STABLE_BUILD=1 for a larger stable build)`);
    }
  } else {
    const targets = run('rustup', ['target', 'list', '--installed']);
    if (targets.status !== 0 || !/^wasm32-unknown-unknown$/m.test(targets.stdout)) missing.push('the wasm32-unknown-unknown target (rustup target add wasm32-unknown-unknown)');
  }
  if (!existsSync(join(ROOT, 'node_modules/.bin/wasm-opt'))) missing.push('wasm-opt from the npm package binaryen (npm ci)');
  return missing;
}

const problems = buildProblems();
if (problems.length) {
  const missing = missingToolchain();
  if (missing.length) {
    fail([
      'dist/ is not one complete, current build of the wasm modules:',
      ...problems.map((p) => `- ${p}`),
      'and it cannot be built here; missing:',
      ...missing.map((m) => `- ${m}`),
      'Run `bash scripts/setup` (installs all of it and builds), then `npm pack` again.',
    ]);
  }
  console.error(`browser-oauth prepack: building (${problems[0]})`);
  const build = spawnSync('bash', ['scripts/build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (build.status !== 0) fail([`bash scripts/build failed (exit ${build.status ?? build.signal})`]);
  const after = buildProblems();
  if (after.length) fail(['scripts/build did not produce a complete package:', ...after.map((p) => `- ${p}`)]);
}
