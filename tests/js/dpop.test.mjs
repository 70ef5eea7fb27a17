// The dpop wasm module (dist/wasm-dpop/) in node, with node's WebCrypto as the browser's stand-in:
// a proof it writes, signed by a non-extractable ECDSA P-256 key, verifies with node's own crypto
// and says what it should; the thumbprint matches one computed here another way; inherited
// properties never count; bad input is a typed error. And `dpop` is checked as an option.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as oauth from '../../js/index.js';

const glue = await import('../../dist/wasm-dpop/browser_oauth_dpop.js');
await glue.default({ module_or_path: await readFile(new URL('../../dist/wasm-dpop/browser_oauth_dpop_bg.wasm', import.meta.url)) });

const { subtle } = globalThis.crypto;
const pair = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
const exported = await subtle.exportKey('jwk', pair.publicKey);
const jwk = { kty: exported.kty, crv: exported.crv, x: exported.x, y: exported.y };
const part = (jws, i) => JSON.parse(Buffer.from(jws.split('.')[i], 'base64url').toString());
const code = (c) => (e) => e?.code === c;

async function proof(key, ...args) {
  const input = key.proofInput(...args);
  const signature = new Uint8Array(await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, new TextEncoder().encode(input)));
  return key.jws(input, signature);
}

test('a proof signed by WebCrypto verifies with the key in its header and carries the claims', async () => {
  const key = new glue.DpopKey(jwk);
  const jws = await proof(key, 'POST', 'https://rs.example/api/items?page=2#top', 'n-1', 'the-token');
  const [h, p, s] = jws.split('.');
  const header = part(jws, 0);
  assert.deepEqual(header, { typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y } });
  const pub = createPublicKey({ key: header.jwk, format: 'jwk' });
  assert.ok(verify('sha256', Buffer.from(`${h}.${p}`), { key: pub, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url')));
  const claims = part(jws, 1);
  assert.equal(claims.htm, 'POST');
  assert.equal(claims.htu, 'https://rs.example/api/items');
  assert.equal(claims.nonce, 'n-1');
  assert.equal(claims.ath, createHash('sha256').update('the-token').digest('base64url'));
  assert.ok(Math.abs(claims.iat - Date.now() / 1000) < 5);
  assert.match(claims.jti, /^[\w-]{22}$/);
  // A fresh jti every time.
  assert.notEqual(part(await proof(key, 'POST', 'https://rs.example/'), 1).jti, claims.jti);
});

test('the thumbprint is RFC 7638 (members sorted, no whitespace), as computed here', () => {
  const expected = createHash('sha256').update(`{"crv":"P-256","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`).digest('base64url');
  assert.equal(new glue.DpopKey(jwk).thumbprint, expected);
  // Members besides the four are ignored (WebCrypto adds key_ops and ext).
  assert.equal(new glue.DpopKey(exported).thumbprint, expected);
});

test('bad keys, urls, methods, nonces and signatures are typed errors; the module keeps working', () => {
  for (const bad of [{ ...jwk, kty: 'RSA' }, { ...jwk, crv: 'P-384' }, { ...jwk, x: jwk.x.slice(1) }, { ...jwk, y: `${jwk.y}=` }, {}, null, 'jwk']) {
    assert.throws(() => new glue.DpopKey(bad), (e) => code('OAUTH_DPOP_INVALID')(e) || code('OAUTH_INVALID_OPTION')(e), JSON.stringify(bad));
  }
  const key = new glue.DpopKey(jwk);
  assert.throws(() => key.proofInput('GET', '/relative'), code('OAUTH_DPOP_INVALID'));
  assert.throws(() => key.proofInput('GET', 'https://u:p@rs.example/'), code('OAUTH_DPOP_INVALID'));
  assert.throws(() => key.proofInput('G T', 'https://rs.example/'), code('OAUTH_DPOP_INVALID'));
  assert.throws(() => key.proofInput('GET', 'https://rs.example/', 'a"b'), code('OAUTH_DPOP_INVALID'));
  const input = key.proofInput('GET', 'https://rs.example/');
  for (const n of [0, 63, 65, 72]) assert.throws(() => key.jws(input, new Uint8Array(n)), code('OAUTH_DPOP_INVALID'), `${n}`);
  assert.match(key.jws(input, new Uint8Array(64)), /^[\w-]+\.[\w-]+\.[\w-]{86}$/);
});

test('inherited properties never count: not for the key, not for the provider check', () => {
  for (const [k, v] of Object.entries(jwk)) Object.prototype[k] = v;
  Object.prototype.dpop_signing_alg_values_supported = ['ES256'];
  try {
    assert.throws(() => new glue.DpopKey({}), code('OAUTH_DPOP_INVALID'));
    assert.throws(() => glue.checkDpopProvider({}), code('OAUTH_DPOP_UNSUPPORTED'));
  } finally {
    for (const k of [...Object.keys(jwk), 'dpop_signing_alg_values_supported']) delete Object.prototype[k];
  }
  glue.checkDpopProvider({ dpop_signing_alg_values_supported: ['EdDSA', 'ES256'] });
  for (const doc of [null, {}, { dpop_signing_alg_values_supported: ['EdDSA'] }, { dpop_signing_alg_values_supported: 'ES256' }, { dpop_signing_alg_values_supported: [1] }]) {
    assert.throws(() => glue.checkDpopProvider(doc), code('OAUTH_DPOP_UNSUPPORTED'), JSON.stringify(doc));
  }
});

test('createClient refuses a dpop option that is not a boolean, before loading anything', async () => {
  const config = { issuer: 'https://op.example', authorizationEndpoint: 'https://op.example/auth', tokenEndpoint: 'https://op.example/token', clientId: 'app', redirectUri: 'https://app.example/cb' };
  for (const dpop of ['yes', 1, {}]) {
    await assert.rejects(oauth.createClient({ ...config, dpop }), (e) => e instanceof oauth.BrowserOAuthError && e.code === 'OAUTH_INVALID_OPTION', String(dpop));
  }
});
