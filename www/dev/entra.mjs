// A Microsoft Entra ID (v2) look-alike for the end-to-end tests and the demo: the real npm
// `oidc-provider`, configured and extended through its own hooks (resource indicators, JWT
// access-token customizer, adapter, findAccount, loadExistingGrant, middleware) to behave as
// Entra does for a single-page app (shared/facts/entra-and-azure-devops.md §2.1–2.6):
//
// - tenant paths `/{tenant}/v2.0/.well-known/openid-configuration`,
//   `/{tenant}/oauth2/v2.0/authorize|token|logout` and `/{tenant}/discovery/v2.0/keys` for
//   `common`, `organizations`, the two tenant ids and their domains (www/dev/entra/directory.mjs);
//   the multi-tenant documents name the literal `{tenantid}` issuer;
// - ID tokens with `tid`, `oid`, `ver: "2.0"` and the user's tenant in `iss`; no RFC 9207 `iss`
//   in authorization responses (Entra sends none);
// - one access token per resource (a JWT, `aud` the resource id, `scp` the bare permission
//   names), a token request naming one resource's scopes only;
// - consent recorded per user + client + resource at the authorize step (several resources in
//   one request record all of them), refresh tokens redeemable for any consented resource,
//   rotated but never revoked by rotation, 24 h fixed from the sign-in for SPA redirect URIs;
// - AADSTS-shaped errors (www/dev/entra/aadsts.mjs); CORS on the token endpoint only for the
//   origins of SPA redirect URIs, and the Origin rules (9002326, 9002327);
// - `Cross-Origin-Opener-Policy: same-origin` on its pages (authorize, sign-in, consent, sign-out),
//   so that a popup opened by an app loses its `window.opener` and reads closed to the app.
//
// It listens on loopback; browsers reach it as https://login.microsoftonline.com through
// www/dev/entra/route.mjs. Development tooling only: never deploy it.

import { createServer, IncomingMessage } from 'node:http';
import { AsyncLocalStorage } from 'node:async_hooks';
import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';

import { loadProvider, withoutExpectedWarnings } from './provider.mjs';
import { aadstsBody, aadstsFor, AADSTS } from './entra/aadsts.mjs';
import {
  ENTRA_ORIGIN, MULTI_TENANT_ISSUER, OIDC_SCOPES, RESOURCES, TENANTS, USERS,
  isMultiTenant, parseScope, scopeStrings, tenantOf,
} from './entra/directory.mjs';
import { listen } from './listen.mjs';

export { ENTRA_ORIGIN, TENANTS, USERS, AZURE_DEVOPS, GRAPH } from './entra/directory.mjs';

/** Entra gives refresh tokens issued to SPA redirect URIs this fixed life (§2.3). */
export const SPA_REFRESH_LIFETIME = 24 * 3600;

const ENDPOINT = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/(?:authorize|token|logout)|discovery\/v2\.0\/keys)$/;
const INTERNAL = { authorize: '/auth', token: '/token', logout: '/session/end', keys: '/jwks' };
// oidc-provider's paths of the pages a browser shows (its redirects included).
const PAGES = /^\/(auth|interaction|session\/end)(\/|$)/;

function signingKey() {
  // Generated at every start, so no key material is ever committed.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: `emu-${randomBytes(6).toString('hex')}`, use: 'sig', alg: 'RS256' };
}

/** The issuer of tokens for tenant `tid` (v2 ID tokens) and of v1 access tokens. */
export const issuerOf = (tid) => `${ENTRA_ORIGIN}/${tid}/v2.0`;
const accessTokenIssuerOf = (tid) => `https://sts.windows.net/${tid}/`;

/** The discovery document of an authority, shaped as Entra's (fields trimmed to the useful ones). */
function discoveryDocument(segment, tenant) {
  const base = `${ENTRA_ORIGIN}/${tenant ? tenant.id : segment}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: tenant ? issuerOf(tenant.id) : MULTI_TENANT_ISSUER,
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'oid', 'email'],
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
  };
}


function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > 64 * 1024) req.destroy(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A request oidc-provider can read again: the same head, the already-read `body`. */
function replayed(req, body) {
  const copy = new IncomingMessage(req.socket);
  Object.assign(copy, {
    method: req.method, url: req.url, headers: req.headers, rawHeaders: req.rawHeaders,
    httpVersion: req.httpVersion, httpVersionMajor: req.httpVersionMajor, httpVersionMinor: req.httpVersionMinor,
    // Already received in full: ending this copy must not be taken as an aborted upload (which
    // would close the connection).
    complete: true,
  });
  copy.push(body);
  copy.push(null);
  return copy;
}

/**
 * The in-memory adapter (oidc-provider's `adapter` hook) with Entra's differences: a refresh token
 * is never consumed by its rotation (old ones stay valid server-side, §2.3a), and every saved
 * grant records consent per user + client + resource in `consents`.
 */
function adapterFactory(store, onGrant) {
  return class EntraAdapter {
    constructor(name) { this.name = name; }

    key(id) { return `${this.name}:${id}`; }

    async upsert(id, payload, expiresIn) {
      store.set(this.key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
      if (payload.grantId) store.set(`grant:${payload.grantId}:${this.key(id)}`, true);
      if (this.name === 'Grant') onGrant(payload);
      if (payload.uid) store.set(`${this.name}:uid:${payload.uid}`, id);
      if (payload.userCode) store.set(`${this.name}:userCode:${payload.userCode}`, id);
    }

    async find(id) {
      const entry = store.get(this.key(id));
      if (!entry || (entry.expiresAt && entry.expiresAt < Date.now())) return undefined;
      return entry.payload;
    }

    async findByUid(uid) { return this.find(store.get(`${this.name}:uid:${uid}`)); }

    async findByUserCode(code) { return this.find(store.get(`${this.name}:userCode:${code}`)); }

    async consume(id) {
      if (this.name === 'RefreshToken') return;
      const entry = store.get(this.key(id));
      if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
    }

    async destroy(id) { store.delete(this.key(id)); }

    async revokeByGrantId(grantId) {
      const prefix = `grant:${grantId}:`;
      for (const k of [...store.keys()]) {
        if (k.startsWith(prefix)) {
          store.delete(k.slice(prefix.length));
          store.delete(k);
        }
      }
    }
  };
}

/** Bare permission names a set of requested scope strings grants for `resource` (`.default` expanded). */
function permissionNames(client, resource, scopes) {
  const names = new Set();
  for (const s of scopes) {
    const parsed = parseScope(s);
    if (parsed?.resource !== resource) continue;
    if (parsed.name === '.default') for (const n of client.permissions[resource.id] ?? []) names.add(n);
    else names.add(parsed.name);
  }
  return names;
}

/** The one resource `scopes` name, `null` for OIDC scopes only, or throws an AADSTS code. */
function resourceOfRequest(scopes) {
  const found = new Set();
  for (const s of scopes) {
    const parsed = parseScope(s);
    if (parsed === null) continue;
    if (parsed.resource === null) throw Object.assign(new Error('unknown scope'), { aadsts: 70011, detail: s });
    found.add(parsed.resource);
  }
  if (found.size > 1) throw Object.assign(new Error('several resources'), { aadsts: 700022 });
  return [...found][0] ?? null;
}

/**
 * Starts the emulator on 127.0.0.1.
 *
 * @param {object} options
 * @param {number} [options.port=0]
 * @param {Array<{client_id: string, spa_redirect_uris: string[], web_redirect_uris?: string[],
 *   permissions?: Record<string, string[]>}>} options.clients app registrations: SPA and web
 *   redirect URIs, and the permissions per resource id configured on the registration (what
 *   `<resource>/.default` asks for).
 * @returns {Promise<object>} `{ url, port, provider, tokenLog, misbehave, advanceClock(seconds),
 *   consents(login, clientId), jwks(), close() }`. `misbehave.issTenant` (a tenant id) makes ID
 *   tokens name that tenant in `iss` whatever their `tid`; `misbehave.crossTenant` lets a user of
 *   another tenant sign in at a tenant's authority. `advanceClock` moves the clock the emulator's
 *   own policies read (the SPA refresh-token lifetime), not oidc-provider's token expiry.
 */
export async function startEntraEmulator({ port = 0, clients } = {}) {
  if (!Array.isArray(clients) || clients.length === 0) throw new TypeError('startEntraEmulator needs at least one client');
  const registrations = new Map(clients.map((c) => {
    const spa = [...(c.spa_redirect_uris ?? [])];
    const web = [...(c.web_redirect_uris ?? [])];
    if (!c.client_id || spa.length + web.length === 0) throw new TypeError('each client needs client_id and redirect URIs');
    return [c.client_id, {
      id: c.client_id, spa, web, spaOrigins: new Set(spa.map((u) => new URL(u).origin)), permissions: { ...c.permissions },
    }];
  }));

  const misbehave = { issTenant: null, crossTenant: false };
  let clockOffset = 0;
  const policyNow = () => Math.floor(Date.now() / 1000) + clockOffset;
  const store = new Map();
  // consent: `${accountId} ${clientId}` → Map(resource id → Set(permission names)).
  const consent = new Map();
  const spaGrants = new Set();
  // PKCE challenges of authorization requests that asked for offline_access: oidc-provider keeps
  // that scope only with prompt=consent (OpenID Connect Core §11), Entra without.
  const offlineRequests = new Set();
  const tokenLog = [];
  const als = new AsyncLocalStorage();

  const recordConsent = (grant) => {
    const client = registrations.get(grant.clientId);
    if (!client) return;
    const key = `${grant.accountId} ${grant.clientId}`;
    const byResource = consent.get(key) ?? new Map();
    for (const [, scope] of Object.entries(grant.resources ?? {})) {
      const list = scope.split(' ');
      for (const r of RESOURCES) {
        const names = permissionNames(client, r, list);
        if (names.size) byResource.set(r.id, new Set([...(byResource.get(r.id) ?? []), ...names]));
      }
    }
    consent.set(key, byResource);
  };

  let handler = (req, res) => { res.statusCode = 503; res.end(); };
  const server = createServer((req, res) => handler(req, res));
  const boundPort = await listen(server, port);

  const { default: Provider } = await loadProvider();
  const provider = await withoutExpectedWarnings(() => new Provider(ENTRA_ORIGIN, {
    adapter: adapterFactory(store, recordConsent),
    clients: [...registrations.values()].map((c) => ({
      client_id: c.id,
      redirect_uris: [...c.spa, ...c.web],
      application_type: 'web',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    })),
    jwks: { keys: [signingKey()] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    async findAccount(ctx, id) {
      const user = USERS[id];
      if (!user) return undefined;
      return {
        accountId: id,
        async claims() {
          return { sub: id, tid: user.tid, oid: user.oid, ver: '2.0', name: user.name, preferred_username: user.preferred_username, email: user.preferred_username };
        },
      };
    },
    claims: {
      openid: ['sub', 'tid', 'oid', 'ver'],
      profile: ['name', 'preferred_username'],
      email: ['email'],
    },
    scopes: [...OIDC_SCOPES],
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: { required: () => true },
    extraParams: ['entra_authority'],
    clientBasedCORS(ctx, origin, client) {
      return registrations.get(client.clientId)?.spaOrigins.has(origin) ?? false;
    },
    // Consent given once is remembered across sessions, as Entra's consent is: a new session
    // starts from what this user already granted this client.
    async loadExistingGrant(ctx) {
      const { oidc } = ctx;
      const grantId = oidc.result?.consent?.grantId || oidc.session.grantIdFor(oidc.client.clientId);
      if (grantId) return oidc.provider.Grant.find(grantId);
      const recorded = consent.get(`${oidc.session.accountId} ${oidc.client.clientId}`);
      if (!recorded) return undefined;
      const grant = new oidc.provider.Grant({ accountId: oidc.session.accountId, clientId: oidc.client.clientId });
      grant.addOIDCScope(OIDC_SCOPES.join(' '));
      for (const r of RESOURCES) {
        const names = recorded.get(r.id);
        if (names) grant.addResourceScope(r.uri, scopeStrings(r).filter((s) => names.has(parseScope(s).name)).join(' '));
      }
      await grant.save();
      return grant;
    },
    features: {
      devInteractions: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // Entra v2 names resources in the scope strings, never in `resource`.
        async defaultResource(ctx, client, oneOf) {
          const requested = (ctx.oidc.params.scope ?? '').split(' ').filter(Boolean);
          const named = [...new Set(requested.map(parseScope).filter((p) => p?.resource).map((p) => p.resource.uri))];
          if (oneOf) return named.find((u) => oneOf.includes(u)) ?? oneOf[0];
          if (named.length === 0) return undefined;
          return named.length === 1 ? named[0] : named;
        },
        async getResourceServerInfo(ctx, indicator) {
          const resource = RESOURCES.find((r) => r.uri === indicator);
          if (!resource) throw new Provider.errors.InvalidTarget();
          return {
            scope: scopeStrings(resource).join(' '),
            audience: resource.id,
            // 60 to 90 minutes, as Entra's access tokens (§2.3).
            accessTokenTTL: randomInt(3600, 5401),
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
        useGrantedResource: async () => true,
      },
    },
    formats: {
      customizers: {
        // Entra's (v1) access token: `scp` with bare names, the user's tenant, no `scope`.
        async jwt(ctx, token, jwt) {
          const user = USERS[token.accountId];
          const client = registrations.get(token.clientId);
          const resource = RESOURCES.find((r) => r.id === jwt.payload.aud);
          const { iat, exp } = jwt.payload;
          jwt.payload = {
            aud: jwt.payload.aud,
            iss: accessTokenIssuerOf(user.tid),
            iat,
            nbf: iat,
            exp,
            appid: token.clientId,
            name: user.name,
            oid: user.oid,
            scp: [...permissionNames(client, resource, (token.scope ?? '').split(' '))].join(' '),
            sub: user.oid,
            tid: user.tid,
            upn: user.preferred_username,
            uti: randomBytes(16).toString('base64url'),
            ver: '1.0',
          };
        },
      },
    },
    issueRefreshToken: async (ctx, client, code) => client.grantTypeAllowed('refresh_token')
      && (code.scopes.has('offline_access') || offlineRequests.has(code.codeChallenge)),
    expiresWithSession: async () => false,
    rotateRefreshToken: true,
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 600,
      IdToken: 3600,
      // Non-SPA refresh tokens live 90 days; the SPA limit is the emulator's own policy below.
      RefreshToken: 90 * 24 * 3600,
      Interaction: 600,
      Session: 24 * 3600,
      Grant: 90 * 24 * 3600,
    },
    renderError(ctx, out) {
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = Object.entries(out).map(([k, v]) => `${k}: ${v}`).join('\n');
    },
  }));
  provider.proxy = true;

  // The issuer oidc-provider writes into ID tokens follows the signed-in user's tenant (or the
  // test switch), so one provider serves every tenant.
  Object.defineProperty(provider, 'issuer', {
    configurable: true,
    enumerable: true,
    get() {
      const ctx = als.getStore();
      const accountId = ctx?.oidc?.entities?.Account?.accountId ?? ctx?.oidc?.entities?.Session?.accountId;
      const tid = USERS[accountId]?.tid;
      if (!tid) return issuerOf('common');
      return issuerOf(misbehave.issTenant ?? tid);
    },
  });

  provider.on('grant.error', (ctx, err) => { ctx.state.errorDetail = err.error_detail; });
  provider.on('server_error', (ctx, err) => console.error('entra emulator server_error:', err));

  provider.use(async (ctx, next) => {
    await als.run(ctx, next);
    if (PAGES.test(ctx.path)) ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
    if (ctx.method === 'POST' && ctx.path === '/token') afterToken(ctx);
    if (ctx.path === '/auth' || ctx.path.startsWith('/auth/')) afterAuthorization(ctx);
  });

  function afterToken(ctx) {
    const body = ctx.body;
    const entry = {
      grantType: ctx.oidc?.params?.grant_type,
      status: ctx.status,
      origin: ctx.get('origin') || undefined,
    };
    if (body?.error && !body.error_codes) {
      const code = aadstsFor(body.error, ctx.state.errorDetail);
      ctx.body = aadstsBody(code, ctx.oidc?.params?.client_id ?? '');
      Object.assign(entry, { error: ctx.body.error, aadsts: code, detail: ctx.state.errorDetail });
    }
    const code = ctx.oidc?.entities?.AuthorizationCode;
    if (ctx.status === 200 && code) {
      const client = registrations.get(code.clientId);
      if (client?.spa.includes(code.redirectUri)) spaGrants.add(code.grantId);
    }
    if (ctx.status === 200) entry.audience = ctx.oidc?.entities?.AccessToken?.aud;
    tokenLog.push(entry);
  }

  // Authorization responses as Entra sends them: no `iss`, AADSTS codes in error descriptions,
  // and a tenant's authority refuses users of other tenants (AADSTS50020).
  function afterAuthorization(ctx) {
    const location = ctx.response.get('location');
    const client = registrations.get(ctx.oidc?.client?.clientId);
    if (!location || !client || ![...client.spa, ...client.web].some((u) => location.startsWith(u))) return;
    const url = new URL(location);
    const inFragment = url.hash.length > 1;
    const params = inFragment ? new URLSearchParams(url.hash.slice(1)) : url.searchParams;
    params.delete('iss');
    const authority = ctx.oidc.params?.entra_authority;
    const tenant = authority && !isMultiTenant(authority) ? tenantOf(authority) : null;
    const user = USERS[ctx.oidc.entities?.Session?.accountId];
    if (params.has('code') && tenant && user && user.tid !== tenant.id && !misbehave.crossTenant) {
      params.delete('code');
      params.set('error', 'invalid_request');
      params.set('error_description', aadstsBody(50020, tenant.name).error_description);
    } else if (params.has('error')) {
      params.set('error_description', aadstsBody(aadstsFor(params.get('error')), client.id).error_description);
    }
    if (inFragment) url.hash = params.toString();
    ctx.set('location', url.href);
  }

  const callback = provider.callback();

  function sendJson(res, status, body, headers = {}) {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
    res.end(JSON.stringify(body));
  }

  /** The Entra checks a token request meets before oidc-provider sees it; an AADSTS code or null. */
  async function tokenPolicy(p, origin, client) {
    const scopes = (p.get('scope') ?? '').split(' ').filter(Boolean);
    let resource = null;
    try {
      resource = resourceOfRequest(scopes);
    } catch (e) {
      return [e.aadsts, e.detail];
    }
    if (p.get('grant_type') === 'authorization_code') {
      const spa = client.spa.includes(p.get('redirect_uri'));
      if (spa && !origin) return [9002327];
      if (!spa && origin) return [9002326, origin];
      return null;
    }
    if (p.get('grant_type') !== 'refresh_token') return null;
    const value = p.get('refresh_token');
    if (!value) return [900144, 'refresh_token'];
    const rt = await provider.RefreshToken.find(value, { ignoreExpiration: true });
    if (!rt || rt.clientId !== client.id) return null; // oidc-provider answers (70000).
    const spa = spaGrants.has(rt.grantId);
    if (spa && !origin) return [9002327];
    if (!spa && origin) return [9002326, origin];
    if (spa && policyNow() >= (rt.iiat ?? rt.iat) + SPA_REFRESH_LIFETIME) return [700084];
    let strings = [];
    if (resource) {
      const wanted = permissionNames(client, resource, scopes);
      const granted = consent.get(`${rt.accountId} ${client.id}`)?.get(resource.id) ?? new Set();
      if ([...wanted].some((n) => !granted.has(n))) return [65001, client.id];
      strings = scopeStrings(resource).filter((s) => granted.has(parseScope(s).name));
    }
    // The refresh token is the user's and the client's, not one resource's (§2.3a), and Entra
    // takes the OIDC scopes in any refresh: let oidc-provider's own checks (the token's and the
    // grant's scopes) see what this user consented to.
    const oidc = scopes.filter((s) => OIDC_SCOPES.includes(s));
    const stored = store.get(`RefreshToken:${value}`)?.payload;
    const grant = store.get(`Grant:${rt.grantId}`)?.payload;
    const union = (a, b) => [...new Set([...(a ?? '').split(' ').filter(Boolean), ...b])].join(' ');
    if (stored && grant) {
      stored.scope = union(stored.scope, [...oidc, ...strings]);
      grant.openid = { ...grant.openid, scope: union(grant.openid?.scope, oidc) };
      if (resource) {
        stored.resource = [...new Set([...[stored.resource ?? []].flat(), resource.uri])];
        grant.resources = { ...grant.resources, [resource.uri]: union(grant.resources?.[resource.uri], strings) };
      }
    }
    return null;
  }

  async function handle(req, res) {
    const url = new URL(req.url, ENTRA_ORIGIN);
    const m = ENDPOINT.exec(url.pathname);
    if (!m) {
      if (/^\/(interaction|auth|session\/end)(\/|$)/.test(url.pathname)) {
        callback(req, res);
        return;
      }
      sendJson(res, 404, { error: 'not_found' });
      return;
    }
    const [, segment, rest] = m;
    const tenant = tenantOf(segment);
    const open = { 'access-control-allow-origin': '*' };
    if (!tenant && !isMultiTenant(segment)) {
      sendJson(res, 400, aadstsBody(90002, segment), open);
      return;
    }
    if (rest.startsWith('v2.0/')) {
      sendJson(res, 200, discoveryDocument(segment, tenant), open);
      return;
    }
    const kind = rest.split('/').pop();
    if (kind === 'authorize') {
      url.searchParams.set('entra_authority', segment);
      const challenge = url.searchParams.get('code_challenge');
      if (challenge && (url.searchParams.get('scope') ?? '').split(' ').includes('offline_access')) offlineRequests.add(challenge);
    }
    else url.searchParams.delete('entra_authority');
    req.url = `${INTERNAL[kind]}${url.search}`;
    if (kind !== 'token') {
      callback(req, res);
      return;
    }
    if (req.method === 'OPTIONS') {
      callback(req, res);
      return;
    }
    const body = await readBody(req);
    const p = new URLSearchParams(body.toString('utf8'));
    const origin = req.headers.origin;
    const client = registrations.get(p.get('client_id') ?? '');
    if (client && req.method === 'POST') {
      const refused = await tokenPolicy(p, origin, client);
      if (refused) {
        const [code, detail] = refused;
        const cors = origin && client.spaOrigins.has(origin) ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {};
        const answer = aadstsBody(code, detail ?? '');
        tokenLog.push({ grantType: p.get('grant_type'), status: 400, origin, error: answer.error, aadsts: code });
        sendJson(res, 400, answer, cors);
        return;
      }
    }
    callback(replayed(req, body), res);
  }

  handler = (req, res) => {
    handle(req, res).catch((err) => {
      console.error('entra emulator:', err);
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error' });
    });
  };

  let closing;
  return {
    /** The loopback origin the emulator listens on. */
    url: `http://127.0.0.1:${boundPort}`,
    port: boundPort,
    provider,
    /** One entry per token request: { grantType, status, origin, error, aadsts, audience }. */
    tokenLog,
    misbehave,
    advanceClock(seconds) { clockOffset += seconds; },
    /** What `login` consented to for `clientId`: resource id → permission names. */
    consents(login, clientId) {
      const byResource = consent.get(`${login} ${clientId}`) ?? new Map();
      return Object.fromEntries([...byResource].map(([r, names]) => [r, [...names].sort()]));
    },
    /** The public signing keys (what `/{tenant}/discovery/v2.0/keys` serves). */
    async jwks() {
      const res = await fetch(`http://127.0.0.1:${boundPort}/common/discovery/v2.0/keys`);
      return res.json();
    },
    /** Resets the test switches and the clock. */
    reset() {
      misbehave.issTenant = null;
      misbehave.crossTenant = false;
      clockOffset = 0;
      tokenLog.length = 0;
    },
    close() {
      closing ??= new Promise((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

export { AADSTS };
