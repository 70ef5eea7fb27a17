// A tiny static file server for the demo and the end-to-end tests (development only).
//
// Serves the repository's www/, js/ and dist/ folders from 127.0.0.1 with the headers a real
// deployment of a browser OAuth client should have: a strict Content-Security-Policy (no inline
// script or style, no eval; only 'wasm-unsafe-eval' for the WebAssembly module), no referrer, no
// caching. `/demo-config.json` tells the demo page which authorization server to use.

import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { listen } from './listen.mjs';

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.d.ts': 'text/plain; charset=utf-8',
};

const ENTRA_ORIGIN = 'https://login.microsoftonline.com';

/** The origin of the authorization server a demo config points at (used in the CSP). */
export function authorizationServerOrigin(demoConfig) {
  if (demoConfig?.issuer) return new URL(demoConfig.issuer).origin;
  if (demoConfig?.entra) return ENTRA_ORIGIN;
  return null;
}

/** The `resourceOrigins` of a demo config (APIs the page calls with the token), as origins. */
export function resourceOrigins(demoConfig) {
  const list = Array.isArray(demoConfig?.resourceOrigins) ? demoConfig.resourceOrigins : [];
  return list.map((o) => new URL(o).origin);
}

export function contentSecurityPolicy(asOrigin, apiOrigins = []) {
  const connect = [asOrigin, ...apiOrigins].filter(Boolean).map((o) => ` ${o}`).join('');
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    `connect-src 'self'${connect}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    `form-action ${asOrigin ?? "'none'"}`,
  ].join('; ');
}


/**
 * Starts the server on 127.0.0.1.
 *
 * @param {object} options
 * @param {string} options.root the repository root.
 * @param {number} [options.port=0] 0 picks a free port.
 * @param {object|(() => object)} [options.demoConfig] served at /demo-config.json; a function is
 *   called per request, so the config may name ports known only after start-up.
 * @param {string[]} [options.folders] top-level folders that may be served.
 * @param {(pathname: string) => object} [options.headersFor] further response headers for a file
 *   (tests: a redirect page with its own Cross-Origin-Opener-Policy).
 * @returns {Promise<{origin: string, port: number, setDemoConfig(config: object): void,
 *   close(): Promise<void>}>}
 */
export async function startStaticServer({
  root,
  port = 0,
  demoConfig,
  folders = ['www', 'js', 'dist'],
  headersFor = () => ({}),
} = {}) {
  if (!root) throw new TypeError('startStaticServer needs root');
  const rootDir = await realpath(root);
  let config = demoConfig;
  const currentConfig = () => (typeof config === 'function' ? config() : config);

  async function handle(req, res) {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Content-Type-Options', 'nosniff');

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }

    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }

    if (pathname === '/') {
      res.writeHead(302, { Location: '/www/index.html' }).end();
      return;
    }
    if (pathname === '/demo-config.json') {
      const body = JSON.stringify(currentConfig() ?? null);
      res.writeHead(200, { 'Content-Type': MIME_TYPES['.json'] });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }

    const file = await resolveFile(pathname);
    if (!file) {
      res.writeHead(404, { 'Content-Type': MIME_TYPES['.txt'] }).end('not found\n');
      return;
    }

    const headers = {
      ...headersFor(pathname),
      'Content-Type': mimeType(file.path),
      'Content-Length': file.size,
    };
    if (headers['Content-Type'].startsWith('text/html')) {
      headers['Content-Security-Policy'] = contentSecurityPolicy(
        authorizationServerOrigin(currentConfig()),
        resourceOrigins(currentConfig()),
      );
      headers['X-Frame-Options'] = 'DENY';
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file.path).on('error', () => res.destroy()).pipe(res);
  }

  // Only regular files under an allowed top-level folder; no dotfiles, no `..`, no directory
  // listing, and symlinks must stay inside the root.
  async function resolveFile(pathname) {
    const segments = pathname.split('/').slice(1);
    if (segments.length < 2 || !folders.includes(segments[0])) return null;
    if (segments.some((s) => s === '' || s.startsWith('.') || s.includes('\\') || s.includes('\0'))) {
      return null;
    }
    const candidate = resolve(rootDir, ...segments);
    if (!candidate.startsWith(rootDir + sep)) return null;
    try {
      const real = await realpath(candidate);
      if (!real.startsWith(rootDir + sep)) return null;
      const info = await stat(real);
      return info.isFile() ? { path: real, size: info.size } : null;
    } catch {
      return null;
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      console.error('static server error:', err);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const boundPort = await listen(server, port);

  let closing;
  return {
    origin: `http://127.0.0.1:${boundPort}`,
    port: boundPort,
    setDemoConfig(next) { config = next; },
    close() {
      closing ??= new Promise((resolveClose, reject) => {
        server.close((err) => (err ? reject(err) : resolveClose()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function mimeType(path) {
  if (path.endsWith('.d.ts')) return MIME_TYPES['.d.ts'];
  return MIME_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}
