// The static dev server: MIME types, security headers, no traversal, no listing.
// Node only: no browser. Serves a temporary root, so it does not depend on the build.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';

import { startStaticServer } from '../../www/dev/server.mjs';

const OPTS = { timeout: 20_000 };
let dir;
let secretDir;
let server;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'browser-oauth-static-'));
  secretDir = await mkdtemp(join(tmpdir(), 'browser-oauth-secret-'));
  await mkdir(join(dir, 'www'));
  await mkdir(join(dir, 'js'));
  await mkdir(join(dir, 'dist', 'wasm'), { recursive: true });
  await mkdir(join(dir, 'src'));
  await writeFile(join(dir, 'www', 'index.html'), '<!DOCTYPE html><title>t</title>');
  await writeFile(join(dir, 'www', '.env'), 'SECRET=1');
  await writeFile(join(dir, 'js', 'index.js'), 'export {};');
  await writeFile(join(dir, 'js', 'index.d.ts'), 'export {};');
  await writeFile(join(dir, 'dist', 'wasm', 'm.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  await writeFile(join(dir, 'src', 'lib.rs'), '// not served');
  await writeFile(join(dir, 'package.json'), '{}');
  await writeFile(join(secretDir, 'secret.txt'), 'outside');
  await symlink(join(secretDir, 'secret.txt'), join(dir, 'www', 'link.txt'));
  server = await startStaticServer({
    root: dir,
    demoConfig: { issuer: 'http://127.0.0.1:8411', clientId: 'c' },
  });
});

after(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
  await rm(secretDir, { recursive: true, force: true });
});

const get = (path, init) => fetch(`${server.origin}${path}`, {
  redirect: 'manual', signal: AbortSignal.timeout(10_000), ...init,
});

/** A raw request, so the path reaches the server exactly as written (fetch would normalise it). */
function rawGet(path) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

test('binds 127.0.0.1 only', OPTS, () => {
  assert.match(server.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
});

test('/ redirects to the demo page', OPTS, async () => {
  const response = await get('/');
  assert.equal(response.status, 302);
  assert.equal(response.headers.get('location'), '/www/index.html');
});

test('HTML pages carry a strict CSP and no-referrer, no-store', OPTS, async () => {
  const response = await get('/www/index.html');
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(response.headers.get('cache-control'), 'no-store');
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(
    response.headers.get('content-security-policy'),
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' http://127.0.0.1:8411; "
      + "style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
      + 'form-action http://127.0.0.1:8411',
  );
});

test('JavaScript and WebAssembly have the MIME types browsers require', OPTS, async () => {
  const js = await get('/js/index.js');
  assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
  const wasm = await get('/dist/wasm/m.wasm');
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  assert.equal((await wasm.arrayBuffer()).byteLength, 8);
});

test('/demo-config.json returns the configuration', OPTS, async () => {
  const response = await get('/demo-config.json');
  assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.deepEqual(await response.json(), { issuer: 'http://127.0.0.1:8411', clientId: 'c' });
});

test('no directory listing, no files outside www/js/dist, no dotfiles, no traversal', OPTS, async () => {
  for (const path of [
    '/www/', '/www', '/js/', '/dist/wasm/', '/package.json', '/src/lib.rs', '/www/.env',
    '/www/link.txt', '/www/missing.html',
  ]) {
    assert.equal((await get(path)).status, 404, path);
  }
  for (const path of [
    '/www/../package.json', '/www/%2e%2e/package.json', '/www/..%2fpackage.json',
    '/www/..%5cpackage.json', '/www/%00index.html', '//etc/passwd', '/www/../../etc/passwd',
  ]) {
    assert.equal(await rawGet(path), 404, path);
  }
  assert.equal(await rawGet('/www/%E0%A4%A'), 400);
});

test('only GET and HEAD', OPTS, async () => {
  assert.equal((await get('/www/index.html', { method: 'POST', body: 'x' })).status, 405);
  const head = await get('/www/index.html', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.ok(head.headers.get('content-security-policy'));
});
