// The package's types as a strict TypeScript app sees them: `tsc --strict --noEmit` over
// consumer.ts (the whole public API, misuse included as @ts-expect-error) under moduleResolution
// bundler and node16, the same names in index.js, index.d.ts and consumer.ts, and every ```js /
// ```ts block of README.md type-checked as a module of its own.
// Needs the pinned TypeScript in tests/types/tools (scripts/setup installs it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const tsc = join(here, 'tools', 'node_modules', 'typescript', 'bin', 'tsc');
const run = promisify(execFile);

async function typeCheck(args) {
  assert.ok(existsSync(tsc), `no TypeScript at ${tsc}: run bash scripts/setup`);
  try {
    await run(process.execPath, [tsc, ...args], { cwd: here });
  } catch (e) {
    assert.fail(`tsc ${args.join(' ')} failed:\n${e.stdout}${e.stderr}`);
  }
}

for (const resolution of ['bundler', 'node16']) {
  test(`tsc --strict accepts consumer.ts and rejects every @ts-expect-error line (moduleResolution ${resolution})`, async () => {
    await typeCheck(['-p', `tsconfig.${resolution}.json`]);
  });
}

/** The value names `export { … } from` lists in an entry file. */
function runtimeExports(source) {
  const names = [];
  for (const [, list] of source.matchAll(/export\s*\{([^}]*)\}\s*from/g)) {
    names.push(...list.split(',').map((s) => s.trim()).filter(Boolean));
  }
  return names.sort();
}

test('index.d.ts declares every export of index.js, nothing more, and consumer.ts imports them all', async () => {
  const js = runtimeExports(await readFile(join(root, 'js', 'index.js'), 'utf8'));
  const dts = await readFile(join(root, 'js', 'index.d.ts'), 'utf8');
  const declared = [...dts.matchAll(/^export (?:declare )?(?:async )?(?:function|class|const|let) (\w+)/gm)].map((m) => m[1]);
  assert.deepEqual([...new Set(declared)].sort(), js, 'value exports of index.d.ts against index.js');
  const consumer = await readFile(join(here, 'consumer.ts'), 'utf8');
  const valueImport = consumer.match(/import\s*\{([^}]*)\}\s*from 'browser-oauth';/);
  assert.ok(valueImport, 'consumer.ts imports values from browser-oauth');
  const imported = valueImport[1].split(',').map((s) => s.trim()).filter(Boolean).sort();
  assert.deepEqual(imported, js, 'consumer.ts uses the whole public API');
  assert.doesNotMatch(dts, /__brand/, 'no property that does not exist at runtime');
});

// Names the README's blocks use without defining them: the app's own, or a previous block's.
const README_GLOBALS = `
import type { OAuthClient } from 'browser-oauth';
declare global {
  /** The app's own way of telling the user. */
  function showMessage(text: string): void;
  /** The client a previous block created. */
  const client: OAuthClient;
  /** An authorization request URL the app is about to open. */
  const url: string;
  /** A list element on the app's page. */
  const list: HTMLElement;
  /** The part of the extension API the extension example uses. */
  const chrome: {
    runtime: {
      id: string;
      onMessage: { addListener(fn: (message: unknown, sender: { id?: string }, reply: (response: unknown) => void) => boolean): void };
    };
  };
}
`;
// The extension example imports the package from its copy inside the extension.
const SPECIFIERS = [['./lib/js/eager.js', 'browser-oauth/eager']];

/** Every ```js / ```ts block of a Markdown text, with the line it starts on. */
export function codeBlocks(markdown) {
  const blocks = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i].match(/^```(js|ts|javascript|typescript)\s*$/);
    if (!open) continue;
    const start = i + 1;
    while (++i < lines.length && !lines[i].startsWith('```'));
    blocks.push({ line: start + 1, code: lines.slice(start, i).join('\n') });
  }
  return blocks;
}

test('every ```js and ```ts block of README.md type-checks (tsc --strict, bundler and node16)', async () => {
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  const blocks = codeBlocks(readme);
  assert.ok(blocks.length >= 6, `found ${blocks.length} blocks`);
  // Inside the package, so that 'browser-oauth' resolves to this package by its own name.
  const dir = await mkdtemp(join(here, '.readme-'));
  try {
    const files = ['globals.d.ts'];
    await writeFile(join(dir, 'globals.d.ts'), `${README_GLOBALS}export {};\n`);
    for (const { line, code } of blocks) {
      let source = code;
      for (const [from, to] of SPECIFIERS) source = source.replaceAll(`'${from}'`, `'${to}'`);
      const name = `README.md-line-${line}.ts`;
      files.push(name);
      // Each block is a module of its own (top-level await, no names shared between blocks).
      await writeFile(join(dir, name), `${source}\nexport {};\n`);
    }
    for (const [resolution, module] of [['bundler', 'ESNext'], ['node16', 'Node16']]) {
      const config = {
        compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module, moduleResolution: resolution, lib: ['ES2022', 'DOM'], types: [] },
        files,
      };
      await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(config));
      await typeCheck(['-p', join(dir, 'tsconfig.json')]);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
