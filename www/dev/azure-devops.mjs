// A stand-in for a few Azure DevOps REST operations (www/dev/entra/azure-devops-data.mjs) on
// loopback, reached by the test browser as https://dev.azure.com (www/dev/entra/route.mjs). It
// accepts only an access token the Entra emulator (www/dev/entra.mjs) signed, for the Azure DevOps
// resource, of the organization's tenant, unexpired, whose `scp` grants the operation (any listed
// scope, or one that includes it; user_impersonation grants all). Otherwise: 401 with
// `WWW-Authenticate: Bearer authorization_uri=…`, or, for an anonymous GET, the 203 + HTML sign-in
// page Azure DevOps answers browsers with (and, with `misbehave.signInPage`, any refused request:
// what Azure DevOps does for a browser that does not send `X-TFS-FedAuthRedirect: Suppress`).
// Development tooling only.

import { createServer } from 'node:http';
import { createPublicKey, verify } from 'node:crypto';

import { INCLUDES, OPERATIONS } from './entra/azure-devops-data.mjs';
import { AZURE_DEVOPS, ENTRA_ORIGIN, TENANTS } from './entra/directory.mjs';
import { listen } from './listen.mjs';

/** The organizations the stand-in hosts: name → tenant and projects. */
export const ORGANIZATIONS = Object.freeze({
  'contoso-dev': {
    tenantId: TENANTS.contoso.id,
    projects: [
      { id: '6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c', name: 'Website', repositories: ['website', 'infra'] },
      { id: '8f5b6b8e-1c1a-4d2a-9c7e-0b0a7d1f2e3c', name: 'Mobile', repositories: ['app'] },
    ],
  },
  // Another tenant's organization: a Contoso token is refused there.
  'fabrikam-dev': {
    tenantId: TENANTS.fabrikam.id,
    projects: [{ id: '0c7d5e3a-9b1f-4e2a-8d6c-5a4b3c2d1e0f', name: 'Shop', repositories: ['shop'] }],
  },
});

const patternOf = (template) => new RegExp(`^${template
  .replace(/\$\{[^}]+\}/g, '\\$([^/]+)')
  .replace(/\{[^}]+\}/g, '([^/]+)')}$`);
const ROUTES = OPERATIONS.map((op) => ({ ...op, pattern: patternOf(op.path) }));

/** Every scope `scopes` grants, following the documented inclusions. */
function closure(scopes) {
  const out = new Set();
  const queue = [...scopes];
  while (queue.length) {
    const s = queue.pop();
    if (out.has(s)) continue;
    out.add(s);
    queue.push(...(INCLUDES[s] ?? []));
  }
  return out;
}

const decode = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

/** The token's claims when `jwt` is a valid Azure DevOps token from `keys`; else a reason. */
function checkToken(jwt, keys, now) {
  const parts = jwt.split('.');
  if (parts.length !== 3) return { reason: 'not a JWT' };
  let header;
  let claims;
  try {
    [header, claims] = [decode(parts[0]), decode(parts[1])];
  } catch {
    return { reason: 'not a JWT' };
  }
  const jwk = keys.find((k) => k.kid === header.kid);
  if (header.alg !== 'RS256' || !jwk) return { reason: 'unknown signing key' };
  const signed = verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(parts[2], 'base64url'));
  if (!signed) return { reason: 'bad signature' };
  if (![AZURE_DEVOPS.id, AZURE_DEVOPS.uri].includes(claims.aud)) return { reason: 'not an Azure DevOps token' };
  if (typeof claims.exp !== 'number' || claims.exp <= now) return { reason: 'expired' };
  if (claims.iss !== `https://sts.windows.net/${claims.tid}/`) return { reason: 'unexpected issuer' };
  return { claims };
}


const SIGN_IN_PAGE = '<!DOCTYPE html><html><head><title>Azure DevOps Services | Sign In</title></head>'
  + '<body><p>Sign in to continue to Azure DevOps.</p></body></html>';

/**
 * Starts the stand-in. `jwks()` resolves to the Entra emulator's public keys (fetched per request,
 * so a restarted emulator's keys are followed).
 * @returns {Promise<{url: string, port: number, log: object[], close(): Promise<void>}>}
 */
export async function startAzureDevOps({ port = 0, jwks }) {
  const log = [];
  const workItems = [];
  const misbehave = { signInPage: false };

  async function handle(req, res) {
    const url = new URL(req.url, 'https://dev.azure.com');
    const origin = req.headers.origin;
    const cors = origin ? { 'access-control-allow-origin': origin, 'access-control-expose-headers': 'WWW-Authenticate', vary: 'Origin' } : {};
    const send = (status, body, headers = {}) => {
      const json = typeof body !== 'string';
      res.writeHead(status, { 'content-type': json ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8', ...cors, ...headers });
      res.end(json ? JSON.stringify(body) : body);
    };
    if (req.method === 'OPTIONS') {
      send(204, '', { 'access-control-allow-methods': 'GET, POST, PATCH, DELETE', 'access-control-allow-headers': 'authorization, content-type', 'access-control-max-age': '3600' });
      return;
    }
    const route = ROUTES.find((r) => r.method === req.method && r.pattern.test(url.pathname));
    const entry = { method: req.method, path: url.pathname, operationId: route?.operationId };
    log.push(entry);
    const [, orgName] = url.pathname.split('/');
    const org = Object.hasOwn(ORGANIZATIONS, orgName) ? ORGANIZATIONS[orgName] : null;
    if (!route || !org) {
      send(404, { message: 'VS800075: The project or resource does not exist.', typeKey: 'ProjectDoesNotExistException' });
      return;
    }
    const challenge = { 'www-authenticate': `Bearer authorization_uri=${ENTRA_ORIGIN}/${org.tenantId}, Basic realm="https://dev.azure.com/"` };
    const refuse = (reason) => {
      entry.reason = reason;
      if (misbehave.signInPage) {
        entry.status = 203;
        send(203, SIGN_IN_PAGE, challenge);
        return;
      }
      entry.status = 401;
      send(401, { message: `TF400813: The user is not authorized to access this resource (${reason}).`, typeKey: 'UnauthorizedRequestException' }, challenge);
    };
    const auth = req.headers.authorization;
    if (!auth) {
      if (req.method === 'GET') {
        entry.status = 203;
        send(203, SIGN_IN_PAGE, challenge);
      } else refuse('anonymous');
      return;
    }
    const [scheme, jwt] = auth.split(' ');
    if (scheme.toLowerCase() !== 'bearer' || !jwt) {
      refuse('not a bearer token');
      return;
    }
    const { claims, reason } = checkToken(jwt, (await jwks()).keys, Math.floor(Date.now() / 1000));
    if (!claims) {
      refuse(reason);
      return;
    }
    if (claims.tid !== org.tenantId) {
      refuse('token from another tenant');
      return;
    }
    const granted = closure(String(claims.scp ?? '').split(' ').filter(Boolean));
    if (!granted.has('user_impersonation') && !route.scopes.some((s) => granted.has(s))) {
      refuse(`scope ${route.scopes.join(' or ')} required`);
      return;
    }
    entry.status = 200;
    entry.scp = claims.scp;
    const [, , projectName] = url.pathname.split('/');
    const project = org.projects.find((p) => p.name === decodeURIComponent(projectName) || p.id === projectName);
    switch (route.operationId) {
      case 'Projects_List':
        send(200, { count: org.projects.length, value: org.projects.map(({ id, name }) => ({ id, name, state: 'wellFormed', visibility: 'private' })) });
        return;
      case 'Repositories_List':
        if (!project) break;
        send(200, { count: project.repositories.length, value: project.repositories.map((name) => ({ name, project: { id: project.id, name: project.name } })) });
        return;
      case 'Work Items_Create': {
        if (!project) break;
        const body = await new Promise((resolve) => {
          const chunks = [];
          req.on('data', (c) => chunks.push(c));
          req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        });
        let patch;
        try {
          patch = JSON.parse(body);
        } catch {
          patch = null;
        }
        if (!Array.isArray(patch)) {
          send(400, { message: 'VS403000: the body must be a JSON Patch document.' });
          return;
        }
        const fields = Object.fromEntries(patch.filter((op) => op?.op === 'add' && typeof op.path === 'string' && op.path.startsWith('/fields/')).map((op) => [op.path.slice(8), op.value]));
        const item = { id: workItems.length + 1, rev: 1, fields: { ...fields, 'System.WorkItemType': decodeURIComponent(url.pathname.split('/').pop().slice(1)), 'System.TeamProject': project.name, 'System.CreatedBy': claims.upn } };
        workItems.push(item);
        send(200, item);
        return;
      }
      default:
        break;
    }
    send(404, { message: 'VS800075: The project or resource does not exist.', typeKey: 'ProjectDoesNotExistException' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      console.error('azure devops stand-in:', err);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const boundPort = await listen(server, port);
  let closing;
  return {
    url: `http://127.0.0.1:${boundPort}`,
    port: boundPort,
    /** One entry per request: method, path, operationId, status, reason or scp. */
    log,
    /** `signInPage: true`: refused requests get the 203 sign-in page instead of a 401. */
    misbehave,
    close() {
      closing ??= new Promise((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
