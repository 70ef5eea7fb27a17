// Lets a Playwright browser context reach loopback stand-ins under their real origins
// (https://login.microsoftonline.com, https://dev.azure.com): every request to such an origin is
// forwarded to the loopback server with its method, headers (Origin and cookies included) and
// body, and the answer comes back as is, Set-Cookie included. Playwright does not route the hops
// of a redirect the browser follows, so a redirect to a routed origin comes back as a page that
// navigates there at once (a meta refresh, always a GET as after 302/303); redirects elsewhere
// (the app's redirect URI) are left to the browser. CORS preflights are
// answered by Playwright itself while a route is set (it allows them), so the CORS decision the
// browser enforces is the stand-in's own `Access-Control-Allow-Origin` on the actual response.

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);
const NOT_FORWARDED_BACK = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive', 'set-cookie']);

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

const attribute = (text) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Routes `targets` ({ 'https://login.microsoftonline.com': 'http://127.0.0.1:1234', … }) for
 * `context` (a BrowserContext or a Page). `onRequest({ url, method, headers, body })`, when
 * given, runs before each forward (tests use it to act as an attacker first).
 */
export async function routeToLoopback(context, targets, { onRequest } = {}) {
  for (const [origin, target] of Object.entries(targets)) {
    await context.route((url) => url.origin === origin, async (route) => {
      const request = route.request();
      const url = new URL(request.url());
      const headers = {};
      for (const [name, value] of Object.entries(await request.allHeaders())) {
        if (!HOP_BY_HOP.has(name) && !name.startsWith(':')) headers[name] = value;
      }
      headers['x-forwarded-proto'] = url.protocol.slice(0, -1);
      headers['x-forwarded-host'] = url.host;
      const body = request.postDataBuffer() ?? undefined;
      const method = request.method();
      if (onRequest) await onRequest({ url, method, headers, body });
      let res;
      try {
        res = await fetch(`${target}${url.pathname}${url.search}`, { method, headers, body, redirect: 'manual' });
      } catch {
        await route.abort('connectionrefused');
        return;
      }
      const out = {};
      res.headers.forEach((value, name) => { if (!NOT_FORWARDED_BACK.has(name)) out[name] = value; });
      const cookies = res.headers.getSetCookie();
      if (cookies.length) out['set-cookie'] = cookies.join('\n');
      const location = REDIRECTS.has(res.status) && out.location ? new URL(out.location, url) : null;
      if (location && Object.hasOwn(targets, location.origin)) {
        delete out.location;
        const page = `<!DOCTYPE html><meta http-equiv="refresh" content="0; url=${attribute(location.href)}">`;
        await route.fulfill({ status: 200, headers: { ...out, 'content-type': 'text/html; charset=utf-8' }, body: page });
        return;
      }
      await route.fulfill({ status: res.status, headers: out, body: Buffer.from(await res.arrayBuffer()) });
    });
  }
}
