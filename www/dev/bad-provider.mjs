// A misbehaving OpenID provider on loopback, for the end-to-end tests of ID token checks: it sends
// what a correct provider never would (wrong iss or aud, a bad nonce, expired or future tokens,
// alg none, HS256, bad signatures, unknown or absent kids, keys rotated under the client's feet).
//
// Everything else is strict, so that only the ID token is wrong: discovery (jwks_uri, S256 only,
// RFC 9207 iss), an authorization endpoint that answers at once with code, state and iss (no login
// page), a token endpoint for one public client that checks the PKCE verifier and allows CORS for
// the client's origin only, and a JWKS endpoint. Keys are generated at every start: no key
// material is committed. Development tooling only.
//
// Usage: const op = await startBadProvider({ clientId, redirectUri });
//        op.setScenario('wrong-iss'); … op.jwksFetches; op.rotate(); await op.close();

import { createServer } from 'node:http';
import {
  constants, createHash, createHmac, generateKeyPair, generateKeyPairSync, randomBytes, sign,
} from 'node:crypto';
import { promisify } from 'node:util';
import { listen } from './listen.mjs';

/** Every scenario, and what a correct client must make of it. */
export const SCENARIOS = Object.freeze({
  good: 'accept',
  'good-es256': 'accept',
  'good-ps256': 'accept',
  'wrong-iss': 'reject',
  'wrong-aud': 'reject',
  'extra-aud': 'reject',
  'bad-nonce': 'reject',
  expired: 'reject',
  'future-iat': 'reject',
  'alg-none': 'reject',
  hs256: 'reject',
  'bad-signature': 'reject',
  'unknown-kid': 'reject', // after one JWKS refetch
  'rotated-key': 'accept', // the one refetch finds the new key
  'no-kid-single-key': 'accept',
  'no-kid-several-keys': 'reject',
});

const b64 = (data) => Buffer.from(data).toString('base64url');
const json = (value) => b64(JSON.stringify(value));

async function rsaKey(kid, alg) {
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  return { kid, alg, privateKey, publicKey };
}

function publicJwk({ kid, alg, publicKey }, { withAlg = true } = {}) {
  return { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', ...(withAlg ? { alg } : {}) };
}

/** A compact JWS (RFC 7515 §7.1) signed with `key` as its `alg` says. */
function signJws(header, claims, key) {
  const input = `${json(header)}.${json(claims)}`;
  const options = {
    RS256: { key: key.privateKey },
    PS256: { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
    ES256: { key: key.privateKey, dsaEncoding: 'ieee-p1363' },
  }[header.alg];
  return `${input}.${b64(sign('sha256', Buffer.from(input), options))}`;
}


function readBody(req, limit = 64 * 1024) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) reject(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Starts the provider on 127.0.0.1 for one public client.
 *
 * @param {object} options
 * @param {string} options.clientId
 * @param {string} options.redirectUri the one registered redirect URI (exact match).
 * @param {number} [options.port=0] 0 picks a free port.
 * @returns {Promise<{issuer: string, port: number, setScenario(name: string): void,
 *   scenario: string, rotate(): string|null, jwksFetches: number, tokenRequests: number,
 *   lastIdToken: string|undefined, resetCounters(): void, close(): Promise<void>}>}
 */
export async function startBadProvider({ clientId, redirectUri, port = 0 } = {}) {
  if (!clientId || !redirectUri) throw new TypeError('startBadProvider needs clientId and redirectUri');
  const appOrigin = new URL(redirectUri).origin;

  const [rsa, ps, stranger] = await Promise.all([
    rsaKey('rsa-1', 'RS256'), rsaKey('ps-1', 'PS256'), rsaKey('stranger-1', 'RS256'),
  ]);
  const ec = { kid: 'ec-1', alg: 'ES256', ...generateKeyPairSync('ec', { namedCurve: 'P-256' }) };
  const hmacSecret = randomBytes(32);

  const published = [rsa, ps, ec]; // `stranger` is never published
  let pending = null; // the next key, published by rotate()
  let generation = 1;
  let rotateAfterJwksFetch = false;
  let scenario = 'good';
  let jwksFetches = 0;
  let tokenRequests = 0;
  let lastIdToken;
  const codes = new Map();

  function rotate() {
    if (!pending) return null;
    published.push(pending);
    const { kid } = pending;
    pending = null;
    return kid;
  }

  function jwks() {
    if (scenario === 'no-kid-single-key') return { keys: [publicJwk(rsa)] };
    // Without `alg` on the keys, both RSA keys fit an RS256 token that names no kid.
    if (scenario === 'no-kid-several-keys') return { keys: published.map((k) => publicJwk(k, { withAlg: false })) };
    return { keys: published.map((k) => publicJwk(k)) };
  }

  function idToken(nonce) {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: issuer, sub: 'alice', aud: clientId, exp: now + 600, iat: now, auth_time: now, nonce };
    let header = { alg: 'RS256', typ: 'JWT', kid: rsa.kid };
    let key = rsa;
    switch (scenario) {
      case 'good-es256': header = { alg: 'ES256', kid: ec.kid }; key = ec; break;
      case 'good-ps256': header = { alg: 'PS256', kid: ps.kid }; key = ps; break;
      case 'wrong-iss': claims.iss = `${issuer}/other`; break;
      case 'wrong-aud': claims.aud = 'someone-else'; break;
      case 'extra-aud': claims.aud = [clientId, 'someone-else']; break;
      case 'bad-nonce': claims.nonce = b64(randomBytes(32)); break;
      case 'expired': Object.assign(claims, { iat: now - 7200, auth_time: now - 7200, exp: now - 3600 }); break;
      case 'future-iat': Object.assign(claims, { iat: now + 3600, exp: now + 7200 }); break;
      case 'alg-none': return `${json({ alg: 'none' })}.${json(claims)}.`;
      case 'hs256': {
        const input = `${json({ alg: 'HS256', typ: 'JWT' })}.${json(claims)}`;
        return `${input}.${b64(createHmac('sha256', hmacSecret).update(input).digest())}`;
      }
      case 'bad-signature': {
        const [h, p, s] = signJws(header, claims, key).split('.');
        const sig = Buffer.from(s, 'base64url');
        sig[sig.length >> 1] ^= 1;
        return `${h}.${p}.${b64(sig)}`;
      }
      case 'unknown-kid': header.kid = stranger.kid; key = stranger; break;
      case 'rotated-key': {
        // Signed with a key the JWKS lacks until just after the client's first fetch of it.
        pending ??= { kid: `rsa-${(generation += 1)}`, alg: 'RS256', ...generateKeyPairSync('rsa', { modulusLength: 2048 }) };
        header.kid = pending.kid;
        key = pending;
        rotateAfterJwksFetch = true;
        break;
      }
      case 'no-kid-single-key':
      case 'no-kid-several-keys': delete header.kid; break;
      default: break;
    }
    return signJws(header, claims, key);
  }

  function send(res, status, body, headers = {}) {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
      'Cache-Control': 'no-store',
      ...headers,
    });
    res.end(text);
  }

  function authorize(url, res) {
    const p = url.searchParams;
    for (const name of new Set(p.keys())) {
      if (p.getAll(name).length > 1) return send(res, 400, `repeated parameter ${name}`);
    }
    // Without a trusted client and redirect URI, never redirect (RFC 6749 §4.1.2.1).
    if (p.get('client_id') !== clientId || p.get('redirect_uri') !== redirectUri) {
      return send(res, 400, 'unknown client or redirect_uri');
    }
    const back = new URL(redirectUri);
    const answer = (params) => {
      const out = new URLSearchParams({ ...params, state: p.get('state') ?? '', iss: issuer });
      if (p.get('response_mode') === 'fragment') back.hash = out.toString();
      else for (const [k, v] of out) back.searchParams.set(k, v);
      res.writeHead(303, { Location: back.href, 'Cache-Control': 'no-store' }).end();
    };
    if (p.get('response_type') !== 'code') return answer({ error: 'unsupported_response_type' });
    if (p.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(p.get('code_challenge') ?? '')) {
      return answer({ error: 'invalid_request', error_description: 'PKCE S256 is required' });
    }
    const code = b64(randomBytes(32));
    codes.set(code, {
      challenge: p.get('code_challenge'),
      nonce: p.get('nonce') ?? undefined,
      scope: p.get('scope') ?? 'openid',
      expires: Date.now() + 60_000,
    });
    return answer({ code });
  }

  async function token(req, res, cors) {
    tokenRequests += 1;
    const fail = (error, status = 400) => send(res, status, { error }, cors);
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return fail('invalid_request');
    if (req.headers.authorization) return fail('invalid_client', 401);
    const p = new URLSearchParams(await readBody(req));
    if (p.get('grant_type') !== 'authorization_code') return fail('unsupported_grant_type');
    if (p.get('client_id') !== clientId || p.has('client_secret')) return fail('invalid_client', 401);
    const grant = codes.get(p.get('code') ?? '');
    codes.delete(p.get('code') ?? ''); // single use, whatever happens next
    if (!grant || grant.expires < Date.now() || p.get('redirect_uri') !== redirectUri) return fail('invalid_grant');
    const verifier = p.get('code_verifier') ?? '';
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)
      || b64(createHash('sha256').update(verifier).digest()) !== grant.challenge) {
      return fail('invalid_grant');
    }
    lastIdToken = idToken(grant.nonce);
    return send(res, 200, {
      access_token: b64(randomBytes(32)),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: grant.scope,
      id_token: lastIdToken,
    }, cors);
  }

  async function handle(req, res) {
    const url = new URL(req.url, issuer);
    const open = { 'Access-Control-Allow-Origin': '*' };
    // The token endpoint answers CORS for the client's own origin only.
    const cors = req.headers.origin === appOrigin ? { 'Access-Control-Allow-Origin': appOrigin, Vary: 'Origin' } : { Vary: 'Origin' };
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /.well-known/openid-configuration') {
      return send(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        response_modes_supported: ['query', 'fragment'],
        grant_types_supported: ['authorization_code'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256', 'PS256', 'ES256'],
        scopes_supported: ['openid'],
        authorization_response_iss_parameter_supported: true,
      }, open);
    }
    if (route === 'GET /jwks') {
      jwksFetches += 1;
      send(res, 200, jwks(), open);
      if (rotateAfterJwksFetch) {
        rotateAfterJwksFetch = false;
        rotate();
      }
      return undefined;
    }
    if (route === 'GET /authorize') return authorize(url, res);
    if (route === 'OPTIONS /token') {
      return res.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': 'content-type' }).end();
    }
    if (route === 'POST /token') return token(req, res, cors);
    return send(res, 404, 'not found');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      console.error('bad provider error:', err);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const boundPort = await listen(server, port);
  const issuer = `http://127.0.0.1:${boundPort}`;

  let closing;
  return {
    issuer,
    port: boundPort,
    /** Selects how the next ID token is made (a key of SCENARIOS). */
    setScenario(name) {
      if (!(name in SCENARIOS)) throw new TypeError(`unknown scenario ${name}`);
      scenario = name;
    },
    get scenario() { return scenario; },
    /** Publishes the pending key (made by the rotated-key scenario); returns its kid or null. */
    rotate,
    /** GET /jwks requests so far. */
    get jwksFetches() { return jwksFetches; },
    /** POST /token requests so far. */
    get tokenRequests() { return tokenRequests; },
    /** The ID token of the last successful token response. */
    get lastIdToken() { return lastIdToken; },
    resetCounters() { jwksFetches = 0; tokenRequests = 0; lastIdToken = undefined; },
    close() {
      closing ??= new Promise((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
