// A static server for one built consumer app on 127.0.0.1: its output folder as a web root
// (`/` is index.html, as the app's redirect URI), /config.json naming the provider, the content
// types a production server sends (application/wasm among them), nothing outside
// the root, and a log of every request that was not found.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

/** Serves `root`; resolves to { origin, notFound, setConfig(config), close() }. */
export async function serveApp(root) {
  const rootDir = await realpath(root);
  const notFound = [];
  let config = null;

  async function file(pathname) {
    const path = resolve(rootDir, `.${pathname === '/' ? '/index.html' : pathname}`);
    if (path !== rootDir && !path.startsWith(rootDir + sep)) return null;
    try {
      const real = await realpath(path);
      const info = await stat(real);
      return info.isFile() ? { path: real, size: info.size } : null;
    } catch {
      return null;
    }
  }

  const server = createServer(async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (pathname === '/config.json') {
      res.writeHead(200, { 'Content-Type': TYPES['.json'] }).end(JSON.stringify(config));
      return;
    }
    const found = await file(pathname);
    if (!found) {
      notFound.push(pathname);
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(found.path)] ?? 'application/octet-stream',
      'Content-Length': found.size,
    });
    createReadStream(found.path).on('error', () => res.destroy()).pipe(res);
  });

  await new Promise((done, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', done);
  });
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    notFound,
    setConfig(next) { config = next; },
    close: () => new Promise((done) => {
      server.close(() => done());
      server.closeAllConnections();
    }),
  };
}
