// Generates docs/errors.md, the error-code reference, so that it cannot drift from the code:
// every code of `Error::code()` in src/core/error.rs with its message from `Error::detail()`,
// every code only the JS package throws (a quoted 'OAUTH_…' in js/), and for each the texts in
// docs/errors.src.json ("when": when it happens, "fix": what to do). It fails when a code has no
// text, when the data file has a code that does not exist, or when a text names one.
//
//   node scripts/errors-doc.mjs          writes docs/errors.md
//   node scripts/errors-doc.mjs --check  fails when docs/errors.md is not what it would write
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUTPUT = join(root, 'docs', 'errors.md');

/** The body of the Rust function `name` (from its signature to the next `fn` or the impl's end). */
function functionBody(source, name) {
  const start = source.indexOf(`pub fn ${name}(`);
  if (start < 0) throw new Error(`src/core/error.rs: no fn ${name}`);
  const end = source.indexOf('\n    }\n', start);
  return source.slice(start, end);
}

/** The enum's variants in order, each with the group its `// ---- group ----` comment names. */
function variants(source) {
  const start = source.indexOf('pub enum Error {');
  const body = source.slice(start, source.indexOf('\n}\n', start));
  const out = [];
  let group = '';
  for (const line of body.split('\n')) {
    const g = line.match(/^\s*\/\/ ---- (.+?) -+\s*$/);
    if (g) group = g[1];
    const v = line.match(/^ {4}([A-Z]\w*)\b/);
    if (v) out.push({ variant: v[1], group });
  }
  return out;
}

/** A message template from `detail()`'s pieces: fixed text as is, fields as `{name}`. */
function template(pieces) {
  let text = '';
  for (const m of pieces.matchAll(/T\("((?:[^"\\]|\\.)*)"\)|T\(&?(?:\w+\.)?(\w+)\)|N\((?:u64::from\()?\*?(\w+)/g)) {
    text += m[1] !== undefined ? m[1] : `{${m[2] ?? m[3]}}`;
  }
  return text;
}

/** The codes of src/core/error.rs, in enum order, with their message templates and groups. */
export function rustCodes(source) {
  const codeOf = new Map();
  for (const m of functionBody(source, 'code').matchAll(/^\s*(\w+)(?:\s*\{ \.\. \}|\(_\))?\s*=>\s*"(OAUTH_[A-Z0-9_]+)"/gm)) {
    codeOf.set(m[1], m[2]);
  }
  const messageOf = new Map();
  for (const m of functionBody(source, 'detail').matchAll(/^\s*(\w+)(?:\s*\{[^}]*\}|\([^)]*\))?\s*=>\s*\{?\s*\[([\s\S]*?)\],?\s*$/gm)) {
    messageOf.set(m[1], template(m[2]));
  }
  return variants(source).map(({ variant, group }) => {
    const code = codeOf.get(variant);
    const message = messageOf.get(variant);
    if (!code || message === undefined) throw new Error(`src/core/error.rs: ${variant} has no code or no detail`);
    return { code, message: [message], group, origin: 'core' };
  });
}

/** The codes only js/ throws, with every message it gives them (`${…}` shown as `{…}`). */
export function jsOnlyCodes(files, known) {
  const found = new Map();
  for (const source of files) {
    for (const m of source.matchAll(/'(OAUTH_[A-Z0-9_]+)'(?:\s*,\s*(?:'((?:[^'\\]|\\.)*)'|`((?:[^`\\]|\\.)*)`))?/g)) {
      if (known.has(m[1])) continue;
      const messages = found.get(m[1]) ?? new Set();
      const text = m[2] ?? m[3]?.replace(/\$\{[^}]*\}/g, '{…}');
      if (text !== undefined) messages.add(text);
      found.set(m[1], messages);
    }
  }
  return [...found].sort(([a], [b]) => a.localeCompare(b)).map(([code, messages]) => ({
    code,
    message: [...messages].sort(),
    group: 'the JavaScript package (loading, extensions)',
    origin: 'js',
  }));
}

async function jsSources() {
  const out = [];
  for (const dir of ['js', 'js/platform']) {
    for (const name of (await readdir(join(root, dir))).sort()) {
      if (name.endsWith('.js')) out.push(await readFile(join(root, dir, name), 'utf8'));
    }
  }
  return out;
}

/** Every code the package can throw: the core's in enum order, then the JS package's own. */
export async function allCodes() {
  const rust = rustCodes(await readFile(join(root, 'src', 'core', 'error.rs'), 'utf8'));
  return [...rust, ...jsOnlyCodes(await jsSources(), new Set(rust.map((c) => c.code)))];
}

const escapeCell = (s) => s.replace(/\|/g, '\\|');

/** The texts of docs/errors.src.json. */
export async function readTexts() {
  return JSON.parse(await readFile(join(root, 'docs', 'errors.src.json'), 'utf8'));
}

/** docs/errors.md as it should be now; throws on a missing, unknown or dangling text. */
export async function generate(texts) {
  texts ??= await readTexts();
  const codes = await allCodes();
  const names = new Set(codes.map((c) => c.code));
  const problems = [];
  for (const { code } of codes) {
    const t = texts[code];
    if (!t || typeof t.when !== 'string' || typeof t.fix !== 'string' || !t.when || !t.fix) problems.push(`${code}: no "when" and "fix" text in docs/errors.src.json`);
  }
  for (const [key, t] of Object.entries(texts)) {
    if (key.startsWith('//')) continue;
    if (!names.has(key)) problems.push(`docs/errors.src.json: ${key} is not a code the package throws`);
    for (const named of JSON.stringify(t).match(/OAUTH_[A-Z0-9_]+/g) ?? []) {
      if (!names.has(named)) problems.push(`docs/errors.src.json: the text of ${key} names ${named}, which does not exist`);
    }
  }
  if (problems.length) throw new Error(problems.join('\n'));

  const lines = [
    '# Error codes',
    '',
    '<!-- Generated by `node scripts/errors-doc.mjs` from src/core/error.rs, js/ and docs/errors.src.json; edit those, not this file. -->',
    '',
    'Every error browser-oauth throws or rejects with is a `BrowserOAuthError` whose `.code` is one of',
    `the ${codes.length} codes below; codes are never renamed once released. The message is fixed lowercase text`,
    '(a `{field}` is filled in: an option name, a reason from a fixed list, a number, or the server\'s',
    '`error`) and never carries a secret. `OAUTH_AUTHORIZATION_ERROR` and `OAUTH_TOKEN_ERROR` are',
    '`OAuthServerError`s, which also keep the server\'s `error`, `errorDescription`, `errorUri`,',
    '`aadsts` and `status`. Branch on `.code` (and `.error`, `.reason`), never on the message.',
    '',
    '| code | message |',
    '|---|---|',
    ...codes.map((c) => `| [\`${c.code}\`](#${c.code.toLowerCase()}) | ${c.message.map((m) => `\`${escapeCell(m)}\``).join('<br>')} |`),
  ];
  let group = null;
  for (const c of codes) {
    if (c.group !== group) {
      group = c.group;
      lines.push('', `## ${group[0].toUpperCase()}${group.slice(1)}`);
    }
    const t = texts[c.code];
    lines.push(
      '',
      `### ${c.code}`,
      '',
      ...c.message.map((m) => `> \`${m}\``),
      '',
      `**When:** ${t.when}`,
      '',
      `**What to do:** ${t.fix}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = await generate();
  if (process.argv.includes('--check')) {
    const committed = await readFile(OUTPUT, 'utf8').catch(() => '');
    if (committed !== text) {
      console.error('docs/errors.md is out of date: run node scripts/errors-doc.mjs');
      process.exit(1);
    }
    console.log('docs/errors.md is up to date');
  } else {
    await writeFile(OUTPUT, text);
    console.log(`wrote docs/errors.md (${(await allCodes()).length} codes)`);
  }
}
