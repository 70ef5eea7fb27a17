// Trims the loader part of a wasm-bindgen `--target web` glue file (called by scripts/build for
// each module), rewriting exactly what the package never uses and failing the build when the
// text is not what the pinned wasm-bindgen (Cargo.toml) writes:
// - `initSync` (the package always instantiates asynchronously; js/loader.js calls the default
//   export with `{ module_or_path }`), with the warning for the deprecated positional argument;
// - the `instantiateStreaming` fallback's console warning: a .wasm served with another type than
//   `application/wasm` is still instantiated from its bytes, silently;
// - `passStringToWasm0`'s branch for a call without `realloc`, which no call takes (checked: the
//   build fails if one does);
// - the `TextEncoder.prototype.encodeInto` stand-in: every browser the package supports has it
//   (Chrome 74, Firefox 66, Safari 14.1; the package targets ES2022).
// About 0.25 KB gzip off each glue, which every page loads (measured on the session glue: 3,109
// → 2,857 minified and gzipped). The instantiation itself is the same calls as before.
// Usage: node scripts/glue.mjs <glue.js>
//
// With `--names <map.json>` (after wasm-opt `--minify-imports-and-exports-and-modules`, which
// wrote the map): the glue's import object and its `wasm.<export>` uses take the .wasm's new
// short names instead. wasm-bindgen names each import after the JS it calls plus a hash, which
// gzip cannot shorten, twice: in the .wasm and in the glue (2026-12-04: start module 19,093 →
// 18,437 B gzip, session 44,801 → 43,995). The build fails when a name in the map is not found
// exactly where wasm-bindgen writes it, or when a `wasm.<export>` is left without a new name.
// Usage: node scripts/glue.mjs --names <map.json> <module.wasm> <glue.js>
import { readFileSync, writeFileSync } from 'node:fs';

const names = process.argv[2] === '--names' ? JSON.parse(readFileSync(process.argv[3], 'utf8')) : null;
const file = process.argv[names ? 5 : 2];
let text = readFileSync(file, 'utf8');

function fail(why) {
  console.error(`scripts/glue.mjs: ${file}: ${why}; update the script for this wasm-bindgen or binaryen version`);
  process.exit(1);
}

if (names) {
  // Imports: `        <name>: function(` in `__wbg_get_imports`, once each, all of one module, which
  // is the import object's one key.
  const modules = new Set(names.imports.map(([module]) => module));
  if (modules.size !== 1) fail(`expected imports from one module, got ${[...modules].join(', ')}`);
  const [module] = modules;
  // The module's new name is not in the map: the .wasm says it (binaryen names it "a").
  const renamed = new Set(WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(process.argv[4]))).map((i) => i.module));
  if (renamed.size !== 1) fail(`expected the minified .wasm to import from one module, got ${[...renamed].join(', ')}`);
  const [moduleName] = renamed;
  for (const [, from, to] of names.imports) {
    const key = `\n        ${from}: function(`;
    const at = text.indexOf(key);
    if (at < 0 || text.indexOf(key, at + 1) >= 0) fail(`import ${from} is not in the import object once`);
    text = text.slice(0, at) + `\n        ${to}: function(` + text.slice(at + key.length);
  }
  const moduleKey = `        ${JSON.stringify(module)}: import0,`;
  if (text.split(moduleKey).length !== 2) fail(`the import object's module ${module} is not where expected`);
  text = text.replace(moduleKey, `        ${JSON.stringify(moduleName)}: import0,`);
  // Exports: every `wasm.<name>` gets its new name; none may be left over.
  const exported = new Map(names.exports);
  text = text.replace(/\bwasm\.([A-Za-z_$][\w$]*)/g, (whole, name) => {
    if (!exported.has(name)) fail(`wasm.${name} has no new name`);
    return `wasm.${exported.get(name)}`;
  });
  writeFileSync(file, text);
  process.exit(0);
}

/** Replaces the text from `start` up to (not including) `end` with `by`; fails if either is missing. */
function between(start, end, by) {
  const a = text.indexOf(start);
  const b = a < 0 ? -1 : text.indexOf(end, a);
  if (a < 0 || b < 0 || text.indexOf(start, a + 1) >= 0) {
    console.error(`scripts/glue.mjs: ${file} does not have the expected wasm-bindgen loader (${JSON.stringify(start.slice(0, 40))}); update the script for this wasm-bindgen version`);
    process.exit(1);
  }
  text = text.slice(0, a) + by + text.slice(b);
}

between('async function __wbg_load(module, imports) {', 'let __wbg_init_promise;', `async function __wbg_load(module, imports) {
    if (typeof Response === 'function' && module instanceof Response) {
        if (!module.ok) throw new Error(\`failed to fetch Wasm: \${module.status} \${module.statusText} fetching '\${module.url}'\`);
        try {
            return await WebAssembly.instantiateStreaming(module, imports);
        } catch (e) {
            if (module.bodyUsed || module.headers.get('Content-Type') === 'application/wasm') throw e;
        }
        return await WebAssembly.instantiate(await module.arrayBuffer(), imports);
    }
    const instance = await WebAssembly.instantiate(module, imports);
    return instance instanceof WebAssembly.Instance ? { instance, module } : instance;
}

`);
between(`    if (module_or_path !== undefined) {
        if (Object.getPrototypeOf(module_or_path) === Object.prototype) {`, `    if (module_or_path === undefined) {`, `    if (module_or_path !== undefined) ({module_or_path} = module_or_path);

`);
between('export { initSync, __wbg_init as default };', '\n', 'export { __wbg_init as default };');
const calls = text.match(/passStringToWasm0\([^)]*\)/g) ?? [];
if (calls.some((c) => c !== 'passStringToWasm0(arg, malloc, realloc)' && !c.endsWith(', wasm.__wbindgen_malloc, wasm.__wbindgen_realloc)'))) {
  console.error(`scripts/glue.mjs: ${file} calls passStringToWasm0 without realloc; keep its branch for that`);
  process.exit(1);
}
between(`    if (realloc === undefined) {
        const buf = cachedTextEncoder.encode(arg);`, `    let len = arg.length;`, '');
between(`if (!('encodeInto' in cachedTextEncoder)) {`, `let WASM_VECTOR_LEN = 0;`, '');
writeFileSync(file, text);
