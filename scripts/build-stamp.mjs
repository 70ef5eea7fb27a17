// The build stamp: dist/build-stamp.json, written by scripts/build as its last step, lists every
// file that build wrote under dist/ with its SHA-256. A package is "from one build" when every
// dist/ file it ships is in the stamp with the same hash: an interrupted build (no stamp, since
// the build removes it first), a module rebuilt by hand or a file copied in from elsewhere fails.
// Usage: node scripts/build-stamp.mjs write   (scripts/build only)
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const STAMP = 'dist/build-stamp.json';

const sha256 = (path) => createHash('sha256').update(readFileSync(join(ROOT, path))).digest('hex');

function filesUnder(dir) {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/** Records every file now under dist/ (but the stamp itself). */
export function writeStamp() {
  const files = Object.fromEntries(filesUnder('dist').filter((f) => f !== STAMP).sort().map((f) => [f, sha256(f)]));
  writeFileSync(join(ROOT, STAMP), `${JSON.stringify({ builtAt: new Date().toISOString(), files }, null, 2)}\n`);
}

/**
 * Why `paths` (repository-relative dist/ files) are not from the stamped build, as sentences;
 * empty when they all are.
 */
export function stampProblems(paths) {
  if (!existsSync(join(ROOT, STAMP))) return [`${STAMP} is missing: dist/ was not built by a complete run of scripts/build`];
  let files;
  try {
    ({ files } = JSON.parse(readFileSync(join(ROOT, STAMP), 'utf8')));
  } catch (e) {
    return [`${STAMP} is unreadable (${e.message})`];
  }
  return paths.flatMap((path) => {
    if (!Object.hasOwn(files, path)) return [`${path} is not in ${STAMP}`];
    if (!existsSync(join(ROOT, path))) return [`${path} is missing`];
    return sha256(path) === files[path] ? [] : [`${path} changed after the build that wrote ${STAMP}`];
  });
}

/** Sources newer than the stamp: the wasm no longer matches them. */
export function staleSources() {
  const stampTime = statSync(join(ROOT, STAMP)).mtimeMs;
  const inputs = ['Cargo.toml', 'Cargo.lock', 'scripts/build', 'scripts/nightly-version', ...filesUnder('src')];
  return inputs.filter((f) => existsSync(join(ROOT, f)) && statSync(join(ROOT, f)).mtimeMs > stampTime)
    .map((f) => relative(ROOT, join(ROOT, f)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] !== 'write') {
    console.error('usage: node scripts/build-stamp.mjs write');
    process.exit(2);
  }
  writeStamp();
}
