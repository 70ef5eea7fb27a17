// What a page loads of an esbuild bundle split at dynamic imports, shared by scripts/size.mjs and
// benches/run.mjs. `chunks` maps each output file to `{ imports }`, its static imports.

/** `starts` and every chunk they import statically: what the browser loads before any `import()`. */
export function closure(chunks, starts) {
  const seen = new Set();
  const visit = (c) => {
    if (seen.has(c) || !chunks[c]) return;
    seen.add(c);
    chunks[c].imports.forEach(visit);
  };
  starts.forEach(visit);
  return [...seen];
}
