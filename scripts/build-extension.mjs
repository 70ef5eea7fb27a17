#!/usr/bin/env node
// Puts the package into an example extension (www/extension, or www/consent-guard with
// --extension consent-guard), so that it can be loaded unpacked:
//   js/*.js                                  → www/<extension>/lib/js/
//   js/platform/*.js                         → www/<extension>/lib/js/platform/
//   dist/wasm-{start,account,session}[-entra]/, dist/wasm-consent/ and dist/wasm-dpop/:…{.js,_url.js,_bg.wasm} → www/<extension>/lib/dist/wasm-…/
// (the same layout as the package, so the loader finds the wasm next to its glue).
//
//   node scripts/build-extension.mjs              # fills www/extension/lib (git-ignored)
//   node scripts/build-extension.mjs --out DIR    # copies the whole extension, lib included, to DIR
//   node scripts/build-extension.mjs --extension consent-guard [--out DIR]   # the same for the consent guard
//
// Run `bash scripts/build` first: the wasm is taken from dist/ as built.

import { cp, copyFile, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// The example extensions under www/ (each gets the same lib/).
const EXTENSIONS = ['extension', 'consent-guard'];
const WASM = Object.fromEntries(['start', 'start-entra', 'account', 'account-entra', 'session', 'session-entra', 'consent', 'dpop'].map((m) => [`wasm-${m}`, `browser_oauth_${m.replace('-', '_')}`]));

/**
 * Builds an example extension's lib/ folder, in place or in a copy of the extension at `out`.
 * @param {{ out?: string, extension?: 'extension' | 'consent-guard' }} [options]
 * @returns {Promise<string>} the extension folder to load.
 */
export async function buildExtension({ out, extension = 'extension' } = {}) {
  if (!EXTENSIONS.includes(extension)) throw new Error(`unknown extension ${extension}: one of ${EXTENSIONS.join(', ')}`);
  const EXTENSION = join(ROOT, 'www', extension);
  for (const [dir, name] of Object.entries(WASM)) {
    for (const file of [`${name}.js`, `${name}_bg.wasm`]) {
      await stat(join(ROOT, 'dist', dir, file)).catch(() => {
        throw new Error(`dist/${dir}/${file} is missing: run bash scripts/build first`);
      });
    }
  }
  const target = out ? resolve(out) : EXTENSION;
  if (out) {
    const ownLib = join(EXTENSION, 'lib');
    await cp(EXTENSION, target, { recursive: true, filter: (src) => src !== ownLib && !src.startsWith(ownLib + '/') });
  }
  const lib = join(target, 'lib');
  await rm(lib, { recursive: true, force: true });
  await mkdir(join(lib, 'js', 'platform'), { recursive: true });
  for (const sub of ['', 'platform']) {
    for (const file of await readdir(join(ROOT, 'js', sub))) {
      if (file.endsWith('.js')) await copyFile(join(ROOT, 'js', sub, file), join(lib, 'js', sub, file));
    }
  }
  for (const [dir, name] of Object.entries(WASM)) {
    await mkdir(join(lib, 'dist', dir), { recursive: true });
    for (const file of [`${name}.js`, `${name}_url.js`, `${name}_bg.wasm`]) await copyFile(join(ROOT, 'dist', dir, file), join(lib, 'dist', dir, file));
  }
  return target;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const flags = {};
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if (!['--out', '--extension'].includes(flag) || !value || flag.slice(2) in flags) {
      console.error(`usage: node scripts/build-extension.mjs [--out DIR] [--extension ${EXTENSIONS.join('|')}]`);
      process.exit(2);
    }
    flags[flag.slice(2)] = value;
  }
  const dir = await buildExtension(flags);
  console.log(`[build-extension] ${dir}: load it unpacked (chrome://extensions, Developer mode, "Load unpacked")`);
}
