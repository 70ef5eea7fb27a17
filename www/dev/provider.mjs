// A real OpenID provider on loopback for the demo and the end-to-end tests.
//
// npm `oidc-provider` (OpenID certified) configured like a strict authorization server for a
// browser app: a public client (no secret), exact redirect URIs, PKCE S256 required, RFC 9207
// `iss` in every authorization response, rotating refresh tokens for `offline_access`, and CORS
// only for the client's own origins. Its development login/consent pages (devInteractions) accept
// any login name; tests click through them (see browser.mjs).
//
// Development tooling only: never deploy this configuration.

import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { listen } from './listen.mjs';

// oidc-provider warns at import time that node 20 is not its preferred runtime (it works), and at
// start-up that devInteractions and the in-memory store are for development. All three are
// expected here; hide only those.
const EXPECTED_WARNINGS = [
  'Unsupported runtime',
  'devInteractions is enabled',
  'in-memory adapter is used',
];

export async function withoutExpectedWarnings(fn) {
  const { warn } = console;
  console.warn = (...args) => {
    const text = String(args[0] ?? '');
    if (text.startsWith('oidc-provider WARNING') && EXPECTED_WARNINGS.some((w) => text.includes(w))) {
      return;
    }
    warn(...args);
  };
  try {
    return await fn();
  } finally {
    console.warn = warn;
  }
}

let providerModule;
/** `import('oidc-provider')` once, without its expected warnings. */
export function loadProvider() {
  providerModule ??= withoutExpectedWarnings(() => import('oidc-provider'));
  return providerModule;
}

/** The fixed test user. Any login name works on the dev login page; `alice` gets these claims. */
export const TEST_USER = Object.freeze({
  sub: 'alice',
  name: 'Alice Example',
  given_name: 'Alice',
  family_name: 'Example',
  email: 'alice@example.test',
  email_verified: true,
});

function accountFor(id) {
  const claims = id === TEST_USER.sub
    ? { ...TEST_USER }
    : { sub: id, name: id, email: `${id}@example.test`, email_verified: false };
  return {
    accountId: id,
    async claims() { return claims; },
  };
}

function signingKey() {
  // Generated at every start, so no key material is ever committed.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    ...privateKey.export({ format: 'jwk' }),
    kid: `dev-${randomBytes(6).toString('hex')}`,
    use: 'sig',
    alg: 'RS256',
  };
}

/** Metadata of a public browser client; `client` supplies at least client_id and redirect_uris. */
function spaClient(client) {
  if (!client?.client_id || !Array.isArray(client.redirect_uris) || client.redirect_uris.length === 0) {
    throw new TypeError('each client needs client_id and a non-empty redirect_uris array');
  }
  return {
    application_type: 'web',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    ...client,
  };
}


async function createProvider(issuer, spaClients, allowedOrigins, ttl, dpop) {
  const { default: Provider } = await loadProvider();
  return withoutExpectedWarnings(() => new Provider(issuer, {
    clients: spaClients,
    jwks: { keys: [signingKey()] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    findAccount: async (ctx, id) => accountFor(id),
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name'],
      email: ['email', 'email_verified'],
    },
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    // Put the profile/email claims of the granted scopes into the ID token too (as Entra ID does),
    // so an app can show who signed in without a userinfo request.
    conformIdTokenClaims: false,
    responseTypes: ['code'], // no implicit or hybrid flows at all
    pkce: { required: () => true }, // oidc-provider 9 supports S256 only.
    clientBasedCORS(ctx, origin, client) {
      return allowedOrigins.get(client.clientId)?.has(origin) ?? false;
    },
    features: {
      devInteractions: { enabled: true },
      // DPoP (RFC 9449): oidc-provider 9 has it on by default (ES256 among its algorithms), without
      // nonces. `dpop: false` turns it off (a provider without DPoP); `dpop.nonce` adds server
      // nonces (a secret to derive them, and `requireNonce` as the test sets it).
      ...(dpop === false ? { dPoP: { enabled: false } } : {}),
      ...(dpop?.nonce ? { dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => dpop.nonce.required } } : {}),
      revocation: {
        enabled: true,
        // Only the client a token was issued to may revoke it (oidc-provider's default for public
        // clients, stated explicitly so it does not print a notice).
        allowedPolicy: async (ctx, client, token) => token.clientId === client.clientId,
      },
      // RFC 9207 `iss` is always on in oidc-provider 9 (authorization_response_iss_parameter_supported).
    },
    issueRefreshToken: async (ctx, client, code) => client.grantTypeAllowed('refresh_token')
      && code.scopes.has('offline_access'),
    rotateRefreshToken: true,
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 600,
      IdToken: 3600,
      RefreshToken: 24 * 3600,
      Interaction: 600,
      Session: 3600,
      Grant: 24 * 3600,
      ...ttl,
    },
    renderError(ctx, out) {
      // Plain text: no HTML built from request data.
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = Object.entries(out).map(([k, v]) => `${k}: ${v}`).join('\n');
    },
  }));
}

/**
 * Starts the provider on 127.0.0.1.
 *
 * @param {object} options
 * @param {number} [options.port=0] 0 picks a free port.
 * @param {Array<{client_id: string, redirect_uris: string[], extraOrigins?: string[]}>} options.clients
 *   public SPA clients; other oidc-provider client metadata may be added and wins over the
 *   defaults. `extraOrigins` (not client metadata) are origins allowed by CORS besides those of
 *   the redirect URIs, e.g. `chrome-extension://<id>` for an extension whose redirect URI is
 *   `https://<id>.chromiumapp.org/`.
 * @param {object} [options.ttl] overrides of oidc-provider's `ttl` (seconds).
 * @param {false|{nonce?: {required: boolean}}} [options.dpop] `false`: no DPoP at all; `{ nonce }`:
 *   DPoP with server nonces, demanded while `nonce.required` is true (the caller may flip it).
 *   Absent: oidc-provider's default (DPoP without nonces).
 * @returns {Promise<{issuer: string, port: number, provider: object, tokenRequests: number,
 *   tokenLog: Array<{grantType?: string, status: number, origin?: string, error?: string,
 *     detail?: string}>,
 *   resetTokenLog(): void,
 *   revocationLog: Array<{tokenTypeHint?: string, status: number, origin?: string,
 *     revoked?: 'RefreshToken'|'AccessToken', error?: string}>,
 *   resetRevocationLog(): void, close(): Promise<void>}>}
 */
export async function startProvider({ port = 0, clients, ttl = {}, dpop } = {}) {
  const spaClients = (clients ?? []).map(({ extraOrigins, ...client }) => spaClient(client));
  if (spaClients.length === 0) throw new TypeError('startProvider needs at least one client');

  const allowedOrigins = new Map(spaClients.map((c, i) => [
    c.client_id,
    new Set([...c.redirect_uris.map((uri) => new URL(uri).origin), ...(clients[i].extraOrigins ?? [])]),
  ]));

  // Listen first: the issuer must carry the actual port, and port 0 is only known after binding.
  let handler = (req, res) => { res.statusCode = 503; res.end(); };
  const server = createServer((req, res) => handler(req, res));
  const boundPort = await listen(server, port);
  const issuer = `http://127.0.0.1:${boundPort}`;

  let provider;
  try {
    provider = await createProvider(issuer, spaClients, allowedOrigins, ttl, dpop);
  } catch (err) {
    await new Promise((done) => { server.close(done); });
    throw err;
  }

  const tokenLog = [];
  const revocationLog = [];
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.method === 'POST' && ctx.path === '/token/revocation') {
      const entities = ctx.oidc?.entities ?? {};
      revocationLog.push({
        tokenTypeHint: ctx.oidc?.params?.token_type_hint,
        status: ctx.status,
        origin: ctx.get('origin') || undefined,
        // What the token turned out to be, when the provider knew it (unknown tokens: undefined).
        revoked: ['RefreshToken', 'AccessToken'].find((kind) => entities[kind]),
        error: ctx.body?.error,
      });
    }
    if (ctx.method === 'POST' && ctx.path === '/token') {
      tokenLog.push({
        grantType: ctx.oidc?.params?.grant_type,
        status: ctx.status,
        origin: ctx.get('origin') || undefined,
        error: ctx.body?.error,
        // The reason oidc-provider keeps out of the response ("refresh token already used", …).
        detail: ctx.state.errorDetail,
      });
    }
  });
  provider.on('grant.error', (ctx, err) => { ctx.state.errorDetail = err.error_detail; });
  // Unexpected server errors must not vanish silently in tests.
  provider.on('server_error', (ctx, err) => console.error('oidc-provider server_error:', err));

  handler = provider.callback();

  let closing;
  return {
    issuer,
    port: boundPort,
    provider,
    /** Number of POSTs to the token endpoint so far (any grant type, any outcome). */
    get tokenRequests() { return tokenLog.length; },
    /** One entry per token request: { grantType, status, origin, error, detail }. */
    tokenLog,
    resetTokenLog() { tokenLog.length = 0; },
    /** One entry per revocation request (RFC 7009): { tokenTypeHint, status, origin, revoked, error }. */
    revocationLog,
    resetRevocationLog() { revocationLog.length = 0; },
    close() {
      closing ??= new Promise((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
