// Cold start, one library per fresh browser context: from this page's navigation to the first
// authorization URL with PKCE ready. The library's bundle is imported here (its fetch starts
// now), its sign-in is prepared and begun, and the URL it hands to `navigate` is captured.
// The result is logged as one console message, `__cold {…}`, which run.mjs waits for: the harness
// evaluates nothing in the page while it is measured (a polled `waitForFunction` would).
import { configs } from './config.js';

async function main() {
  const query = new URLSearchParams(location.search);
  const lib = query.get('lib');
  const bundle = new URL(`lib-${lib}.js`, import.meta.url).href;
  // `preload`: the .wasm a page would announce in its HTML next to its script (README "Preload
  // hints"), announced here when the bundle is asked for, as the HTML parser would.
  const preload = query.get('preload');
  if (preload) {
    const link = Object.assign(document.createElement('link'), { rel: 'preload', as: 'fetch', crossOrigin: 'anonymous' });
    link.href = new URL(preload, import.meta.url).href;
    document.head.append(link);
  }
  const tImport = performance.now();
  const mod = await import(bundle);
  const tEvaluated = performance.now();
  let url;
  let tUrl;
  const begin = await mod.prepareSignIn(configs(location.origin)[lib], (u) => {
    if (url === undefined) { url = u; tUrl = performance.now(); }
  });
  await begin();
  if (url === undefined) throw new Error(`${lib}: no authorization URL was produced`);
  const q = new URL(url).searchParams;
  if (!q.get('code_challenge') || q.get('code_challenge_method') !== 'S256' || !q.get('state')) {
    throw new Error(`${lib}: URL lacks PKCE S256 or state: ${url}`);
  }
  const entry = performance.getEntriesByName(bundle)[0];
  const bundleStart = entry ? entry.startTime : tImport;
  const resources = performance.getEntriesByType('resource');
  // browser-oauth's sign-in start fetches its start module only: the account module (chunk and
  // .wasm) must not be among these.
  const wasm = resources.filter((e) => e.name.endsWith('.wasm'));
  return {
    lib,
    navToUrl: tUrl, // performance.now() counts from the navigation's start
    libShare: tUrl - bundleStart, // bundle fetch start → URL ready
    // The bundle's last byte in → URL ready: the same end, without the bundle's own download (which
    // a preload competing for the connection slows down).
    bundleInToUrl: entry ? tUrl - entry.responseEnd : null,
    bundleFetch: entry ? entry.responseEnd - entry.startTime : null,
    bundleEvaluated: tEvaluated - bundleStart,
    setUpAndBegin: tUrl - tEvaluated, // client set-up (wasm fetch + compile for browser-oauth) + first URL
    wasmFetch: wasm.length ? Math.max(...wasm.map((e) => e.responseEnd)) - Math.min(...wasm.map((e) => e.startTime)) : null,
    fetched: resources.map((e) => new URL(e.name).pathname.split('/').pop()),
    // Each fetch's start and end, from the bundle's fetch start (ms): where the waiting goes.
    timeline: resources.map((e) => [new URL(e.name).pathname.split('/').pop(), Math.round(e.startTime - bundleStart), Math.round(e.responseEnd - bundleStart)]),
    evaluatedAt: Math.round(tEvaluated - bundleStart),
    url,
  };
}

main().then(
  (r) => console.log(`__cold ${JSON.stringify(r)}`),
  (e) => console.log(`__cold ${JSON.stringify({ error: String(e?.stack ?? e) })}`),
);
