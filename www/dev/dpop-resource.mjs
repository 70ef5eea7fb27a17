// A resource server stand-in that accepts DPoP-bound access tokens only with a valid proof
// (RFC 9449 §7), for the end-to-end tests. It checks, with node's own crypto: one `DPoP` header
// holding a compact JWS with `typ` dpop+jwt, `alg` ES256 and a public EC P-256 `jwk`; the
// signature with that key; `htm` and `htu` against this request; `iat` within a minute; `jti`
// never seen before; `ath` against the presented token; the nonce when one is demanded (§9); and
// that the token is bound to this key: the thumbprint of the proof's key equals the `jkt` the
// authorization server bound the token to (`lookup(token)`, e.g. oidc-provider's AccessToken).
//
// Development tooling only.

import { createServer } from 'node:http';
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { listen } from './listen.mjs';

const b64 = (text) => Buffer.from(text, 'base64url');
const json = (text) => JSON.parse(b64(text).toString('utf8'));

/** RFC 7638: SHA-256 of the required EC members in lexicographic order. */
export function thumbprint({ crv, kty, x, y }) {
  return createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url');
}

/**
 * Starts the stand-in on 127.0.0.1. `allowOrigin`: the app's origin (CORS). `lookup(token)`
 * resolves to `{ jkt, sub }` for a token the authorization server issued, or `null`.
 * GET /api/<anything> answers `{ sub, jkt }` when every check passes, 401 with a `WWW-Authenticate: DPoP`
 * challenge otherwise. `requireNonce(true)` makes it demand its current nonce (`use_dpop_nonce`).
 * `log` lists each request's outcome: `{ status, reason }`.
 */
export async function startDpopResource({ allowOrigin, lookup }) {
  const seen = new Set();
  const log = [];
  let nonceRequired = false;
  let nonce = randomBytes(16).toString('base64url');
  let origin;

  const cors = (res) => {
    res.setHeader('Access-Control-Allow-Origin', allowOrigin);
    res.setHeader('Access-Control-Expose-Headers', 'DPoP-Nonce, WWW-Authenticate');
    res.setHeader('Vary', 'Origin');
  };

  async function check(req) {
    const auth = req.headers.authorization ?? '';
    const m = /^DPoP ([\w~+/.-]+=*)$/.exec(auth);
    if (!m) return ['invalid_token', 'no DPoP authorization'];
    const token = m[1];
    const proofs = req.headersDistinct?.dpop ?? [];
    if (proofs.length !== 1) return ['invalid_dpop_proof', 'not exactly one DPoP header'];
    const parts = proofs[0].split('.');
    if (parts.length !== 3) return ['invalid_dpop_proof', 'not a compact JWS'];
    let header;
    let claims;
    try {
      [header, claims] = [json(parts[0]), json(parts[1])];
    } catch {
      return ['invalid_dpop_proof', 'undecodable'];
    }
    if (header.typ !== 'dpop+jwt' || header.alg !== 'ES256') return ['invalid_dpop_proof', 'typ or alg'];
    const jwk = header.jwk;
    if (jwk?.kty !== 'EC' || jwk.crv !== 'P-256' || 'd' in jwk) return ['invalid_dpop_proof', 'jwk'];
    const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: 'jwk' });
    const signed = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), { key, dsaEncoding: 'ieee-p1363' }, b64(parts[2]));
    if (!signed) return ['invalid_dpop_proof', 'signature'];
    if (claims.htm !== req.method) return ['invalid_dpop_proof', 'htm'];
    if (claims.htu !== `${origin}${new URL(req.url, origin).pathname}`) return ['invalid_dpop_proof', 'htu'];
    if (typeof claims.iat !== 'number' || Math.abs(Date.now() / 1000 - claims.iat) > 60) return ['invalid_dpop_proof', 'iat'];
    if (typeof claims.jti !== 'string' || seen.has(claims.jti)) return ['invalid_dpop_proof', 'jti replayed'];
    seen.add(claims.jti);
    if (claims.ath !== createHash('sha256').update(token).digest('base64url')) return ['invalid_dpop_proof', 'ath'];
    if (nonceRequired && claims.nonce !== nonce) return ['use_dpop_nonce', 'nonce'];
    const bound = await lookup(token);
    if (!bound) return ['invalid_token', 'unknown token'];
    if (!bound.jkt || bound.jkt !== thumbprint(jwk)) return ['invalid_token', 'token not bound to this key'];
    return [null, bound];
  }

  const server = createServer(async (req, res) => {
    cors(res);
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
      res.setHeader('Access-Control-Allow-Headers', 'authorization, dpop, content-type');
      res.writeHead(204).end();
      return;
    }
    if (!new URL(req.url, origin).pathname.startsWith('/api/')) {
      res.writeHead(404).end();
      return;
    }
    let error;
    let result;
    try {
      [error, result] = await check(req);
    } catch {
      [error, result] = ['invalid_dpop_proof', 'malformed'];
    }
    if (error) {
      log.push({ status: 401, error, reason: result });
      if (error === 'use_dpop_nonce') res.setHeader('DPoP-Nonce', nonce);
      res.setHeader('WWW-Authenticate', `DPoP error="${error}", algs="ES256"`);
      res.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error }));
      return;
    }
    log.push({ status: 200 });
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ sub: result.sub, jkt: result.jkt }));
  });
  const port = await listen(server, 0);
  origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    log,
    /** Demands the nonce from now on, with a fresh value. */
    requireNonce(on) {
      nonceRequired = on;
      nonce = randomBytes(16).toString('base64url');
    },
    close: () => new Promise((done) => { server.close(done); server.closeAllConnections(); }),
  };
}
