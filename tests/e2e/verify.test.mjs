// ID token signatures checked with WebCrypto in headless Chromium: js/platform/verify.js
// `verifyIdToken(holder, jwksFetched, jwt)` with the account module's choices (`AccountClient.keyFor`,
// the free `jwksFetched`): RS256, PS256 and ES256 verify, tampering and wrong keys fail, the alg
// allow-list applies before any JWKS request or crypto, and the JWKS cache's one rate-limited
// refetch. Ported from the wasm tests of tests/browser_webcrypto.rs. The JWK Sets are served at
// https://op.example by Playwright routing; keys are the fixed vectors of the Rust tests (made
// with node:crypto) and fresh WebCrypto keys generated and used for signing in the page.
//
// Also covered elsewhere: the alg, kid and key-fit decisions natively in src/core/jwks.rs
// (only_allowed_algorithms_reach_the_signature_check, kid_selection_rules, keys_must_fit_the_alg)
// and src/core/id_token/tests.rs (an_id_token_alg_the_provider_does_not_advertise_is_refused); at
// sign-in against a misbehaving provider in tests/e2e/id-token.test.mjs (scenarios alg-none,
// hs256, unknown-kid, no-kid-several-keys, bad-signature). The tests below keep the wasm tests'
// assertions on this layer: no JWKS request, no crypto call, one fetch per cooldown.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { OP, OPTS, discovery, fresh, useStubStack } from './stub-harness.mjs';

useStubStack();

// The vectors of tests/browser_webcrypto.rs (public keys only; PSS salt 32, ECDSA r || s).
const RSA_JWK = { kty: 'RSA', n: 'uEOFdCtRulrtuXAzQNd2hJlsHIejwY2YKWxil-Wt6vBSGwwumX_2ppjZOcXHUd2zuvOErTXmqIkQoDCkiePHs8tmeRIY0Ssn7LN6fGDAQS4TMIUU6XLSoN1pnruhHS_tTahvZnW5ljCBxYEO_ZrZYSU94bZxlbVj7s-bqXAp0pN9zNDi_5JcHvkDJaM-zzeHXq4PYGGUqiCHhFfPNB7fBGXetiIkxO2uNHwB9IgLHVXqJFHRrROP0nCh--YMjTy3e3GPkYbZ1qAPzREdTVnJ44YEYBoGvtvgIy4-a9AkTYnm56ksE3Q0lmg8odfmFZhtZXqq8nNifpLb0Nv2pkTMXw', e: 'AQAB', kid: 'rsa-1' };
const RSA_OTHER_JWK = { kty: 'RSA', n: '0m7z07Nf7obHRtfKQbbX18MyRx9yXS-VULuFgWoAvf0gstlW5IEs_M9VK0nllGLBaruP9yGWDqHFsC4WwID9VqcUfGJ1DbMn4G49Dn3H2A0uPrhvvvTpxz3l8oSzj3JVcj3jN-guHwTFWOboCrsJMgHpjRYdlE0aSl_JsiuqtG_xJVfUeQTC2xZHRwCi7pg1QomOKJw2IYNWepw35kaci60VuFhI0SpV3EqS0iXEDNIih5mFwnYPvJlPzfpUgbrYMpSRidB7AyVh6Cq6J-kk0-J_7gCBR3ZyaCwe_77kqBneuq2peJ7N-vgp92DBZ4goG8h0a04wY2f4DAEyBoytNQ', e: 'AQAB', kid: 'rsa-other' };
const EC_JWK = { kty: 'EC', x: 'Aho_g5RG7hQu5D11LoGDa2zY7wAxBJeUGSMj-mYMzkE', y: 'o97ceqkv8gFtboAixDoTr6Si-8srUHUfZA10ID7Wdb0', crv: 'P-256', kid: 'ec-1' };
const RS256 = 'eyJhbGciOiJSUzI1NiIsImtpZCI6InJzYS0xIn0.eyJpc3MiOiJodHRwczovL29wLmV4YW1wbGUiLCJzdWIiOiJhbGljZSIsImF1ZCI6ImFwcCIsImV4cCI6MjAwMDAwMDAwMCwiaWF0IjoxNzAwMDAwMDAwLCJub25jZSI6Im4tMSJ9.c2Ks1SSY7eiHf6uM_KYB2SxyG9k-_lfAwuncN60EJgd3Bo5qvjM2uU1fFdToUmQVIbINL_dhQVc3XQ1MC6x-AL-05kJ6wXX20AqdBROl5CWyrxNf6ljRBToyp-L5Qtx44A-YBJB6_gpBkmR4Yk3xO0bX79By6tlTBG9phZmju9G80PX3lvqncdm15w4EXdZtah-pxC_z7M1jgshBcCkVzBP21bJw8NySPh_sPL-2O5GyD0VI2bIS5WvuDOWqj2mW7EEhkqc3X7KATl28oMpLexz3JKxwBcC6Qob1rZUm1hZwTRBJ4vxiyGKma8eQfLascuZg_G8tcF4fLgtQ9sOvwA';
const PS256 = 'eyJhbGciOiJQUzI1NiIsImtpZCI6InJzYS0xIn0.eyJpc3MiOiJodHRwczovL29wLmV4YW1wbGUiLCJzdWIiOiJhbGljZSIsImF1ZCI6ImFwcCIsImV4cCI6MjAwMDAwMDAwMCwiaWF0IjoxNzAwMDAwMDAwLCJub25jZSI6Im4tMSJ9.Q3EQHdUKEIuLPEMO7NKwhV_Mga6MsyWcVeTnNe9oPnRJ44a9DDsZSL4feGhlAQ-81oTiEznxPFcCxqEI6G9vY0k0VQI2Lx8aGAF5Mwa2owoQ2Hua38cneT3r9yiYNRXjUezVGp9ur0G81p5Sus6PtI_PC2Yb17D7ZgoyJdmO2RS1ZfTeKWhvRF4GR-kApNe_G2oHNj6KL8W_pwKO_Xd5c0JJafRqEfwPFPzY5gXrqwquIBJvrfwAw7fUtBroJUflhvl11V8UEtbXHHlJ8D14ZlKejb_SzDFLA8herr-NpRcK_SQAhD81_Jo2_goFiL6h4r9sLjOen-Vb9IAksqDTfg';
const ES256 = 'eyJhbGciOiJFUzI1NiIsImtpZCI6ImVjLTEifQ.eyJpc3MiOiJodHRwczovL29wLmV4YW1wbGUiLCJzdWIiOiJhbGljZSIsImF1ZCI6ImFwcCIsImV4cCI6MjAwMDAwMDAwMCwiaWF0IjoxNzAwMDAwMDAwLCJub25jZSI6Im4tMSJ9.ifE-05bfRetO747V3DszopL9ekkBxikxsDFAVLTvUNrhxdNwbcrm5VxPuGvRscD6HM2H3msKZE9GbkZi9sALyA';
const RS256_NO_KID = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL29wLmV4YW1wbGUiLCJzdWIiOiJhbGljZSIsImF1ZCI6ImFwcCIsImV4cCI6MjAwMDAwMDAwMCwiaWF0IjoxNzAwMDAwMDAwLCJub25jZSI6Im4tMSJ9.eMJuquU8VZWk-Hf_nyDumRUZwFaXB8hQcd1cx9WsW4DfWSbqbySEfwl90kKmxM1x60LNf-qZlmt_b0CyFaagis-aiBoqJCBpYDA9DwpYMlQuLeN67fsMTuApPtW9cmZN280asYcMxkemHKpCrJWt1PFSkDEjq3r2olbj-HHOerwjJ0SoBVBYV0dUFofo5msoJBsAPTXqzSeTbWTWbIyjXtk1hQ7mcKXlBS3v_RnbVEiRGj9q6Finq_fb8MmkbJYEyzeeiUZ2ZjU9KiRWde9wzjhS7EMH4rIfXgYOpeWSvoLl-jIO5oa6m5QoElNFFfGrpf9CkJUQJ5A8TVSZFvS9QA';
const RS256_UNKNOWN_KID = 'eyJhbGciOiJSUzI1NiIsImtpZCI6InJzYS11bmtub3duIn0.eyJpc3MiOiJodHRwczovL29wLmV4YW1wbGUiLCJzdWIiOiJhbGljZSIsImF1ZCI6ImFwcCIsImV4cCI6MjAwMDAwMDAwMCwiaWF0IjoxNzAwMDAwMDAwLCJub25jZSI6Im4tMSJ9.OQsDKoAc9TaWA-oa1QmHQI2um_5R38KHTOiVCOZEgM79FQ10xg34UMESfKjxbT1PO9QXzi4M2Ea-AGOxt7oQfuCsaosH9ljIiEoTEuSClvsbEAxX5yJdGD9SdEZ1kDyaMpJeauG0n87ElKwY3MtXDdb96EI6iPC7c2Kd1Iqbpqlc5bIEgAgMBGcUwdDIRZwfodWRC2A4pqOcJrTVqa0pt4dRrnMRsPEGxpDQotPH00cISeu23piI6k0vph7JKoPJwBDlDd8en8cwd7NGfddcC9PhsQEau4GuH_s0XJqx7refFHsAoSb66TTzZzHFFFfSJe74__mk4FJ1OI_hTdsPVg';

const invalid = (reason) => ({ code: 'OAUTH_INVALID_ID_TOKEN', message: `id token is invalid: ${reason}` });
const ALG_NOT_ALLOWED = invalid('alg not allowed');
const NO_KEY = invalid('no key in the jwks matches the token');

/** The same token with `sub` changed and the original signature kept. */
function tamperedPayload(jwt) {
  const [header, payload, signature] = jwt.split('.');
  const claims = Buffer.from(payload, 'base64url').toString();
  const forged = claims.replace('"alice"', '"mallory"');
  assert.notEqual(forged, claims);
  return `${header}.${Buffer.from(forged).toString('base64url')}.${signature}`;
}

/** The same token with one bit of its signature flipped. */
function tamperedSignature(jwt) {
  const at = jwt.lastIndexOf('.');
  const signature = Buffer.from(jwt.slice(at + 1), 'base64url');
  signature[10] ^= 1;
  return `${jwt.slice(0, at + 1)}${signature.toString('base64url')}`;
}

/** The RS256 vector's payload under another header, unsigned. */
const unsigned = (header) => `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${RS256.split('.')[1]}.`;

/**
 * A fresh page whose stub serves `sets` (path → JWK Set), with the account module loaded and
 * helpers: `holder(extra)` an AccountClient for the stub's discovery document plus `extra`
 * (`jwks_uri` and the like), `verify(holder, jwt)` the settled verdict of `verifyIdToken`, and
 * `cryptoCalls` the number of `importKey` and `verify` calls WebCrypto saw.
 */
async function verifier(t, sets = {}) {
  const routes = Object.fromEntries(Object.entries(sets).map(([path, set]) => [path, typeof set === 'function' ? set : () => ({ json: set })]));
  const stack = await fresh(t, { routes });
  await stack.page.evaluate(async ([OP, base]) => {
    window.A = await loader.load('account');
    const config = { issuer: OP, clientId: 'app', redirectUri: 'https://app.example/cb' };
    window.holder = (extra) => new A.AccountClient(config, 200, JSON.stringify({ ...base, ...extra }));
    window.verify = (h, jwt) => settle(() => V.verifyIdToken(h, A.jwksFetched, jwt)).then((r) => ('value' in r ? r.value : { code: r.code, message: r.message }));
    window.cryptoCalls = 0;
    for (const name of ['importKey', 'verify']) {
      const real = crypto.subtle[name].bind(crypto.subtle);
      crypto.subtle[name] = (...args) => { window.cryptoCalls += 1; return real(...args); };
    }
  }, [OP, discovery()]);
  return stack;
}

/**
 * Fresh WebCrypto keys made in the page (RSA PKCS#1 v1.5, RSA-PSS, ECDSA P-256) and a token
 * signed with each: `{ keys, tokens: { RS256, PS256, ES256 } }`, the public keys as a provider
 * publishes them.
 */
function freshlySigned(page) {
  return page.evaluate(async () => {
    const text = (value) => b64(new TextEncoder().encode(JSON.stringify(value)));
    const algs = {
      RS256: [{ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, { name: 'RSASSA-PKCS1-v1_5' }],
      PS256: [{ name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, { name: 'RSA-PSS', saltLength: 32 }],
      ES256: [{ name: 'ECDSA', namedCurve: 'P-256' }, { name: 'ECDSA', hash: 'SHA-256' }],
    };
    const keys = [];
    const tokens = {};
    for (const [alg, [generate, sign]] of Object.entries(algs)) {
      const kid = `web-${alg.toLowerCase()}`;
      const pair = await crypto.subtle.generateKey(generate, true, ['sign', 'verify']);
      const { key_ops: _ops, ext: _ext, ...jwk } = await crypto.subtle.exportKey('jwk', pair.publicKey);
      keys.push({ ...jwk, kid, use: 'sig' });
      const input = `${text({ alg, kid, typ: 'JWT' })}.${text({ iss: 'https://op.example', sub: 'alice', aud: 'app', iat: 1_700_000_000, exp: 2_000_000_000 })}`;
      tokens[alg] = `${input}.${b64(await crypto.subtle.sign(sign, pair.privateKey, new TextEncoder().encode(input)))}`;
    }
    return { keys, tokens };
  });
}

// Checklist item 32: real signatures of the three allowed algorithms verify.
test('rs256 ps256 and es256 signatures verify', OPTS, async (t) => {
  const sets = { '/jwks': { keys: [RSA_JWK, EC_JWK] } };
  const { page, op } = await verifier(t, sets);
  const fresh = await freshlySigned(page);
  assert.deepEqual(fresh.keys.map((k) => [k.kid, k.kty, k.crv]), [['web-rs256', 'RSA', undefined], ['web-ps256', 'RSA', undefined], ['web-es256', 'EC', 'P-256']]);
  sets['/jwks'].keys.push(...fresh.keys);
  const r = await page.evaluate(async ([OP, jwts]) => {
    const h = holder({ jwks_uri: `${OP}/jwks` });
    const out = [];
    for (const jwt of jwts) out.push(await verify(h, jwt));
    return { out, cryptoCalls };
  }, [OP, [RS256, PS256, ES256, ...Object.values(fresh.tokens)]]);
  assert.deepEqual(r.out, [1, 1, 1, 1, 1, 1], 'node:crypto vectors, then WebCrypto RS256, PS256, ES256');
  assert.equal(r.cryptoCalls, 12, 'importKey and verify for each');
  assert.equal(op.count('/jwks'), 1);
});

// OIDF rp-id_token-bad-sig-rs256 / -es256: a changed payload or signature fails.
test('a tampered payload or signature fails', OPTS, async (t) => {
  const sets = { '/jwks': { keys: [RSA_JWK, EC_JWK] } };
  const { page } = await verifier(t, sets);
  const fresh = await freshlySigned(page);
  sets['/jwks'].keys.push(...fresh.keys);
  const jwts = [RS256, PS256, ES256, ...Object.values(fresh.tokens)];
  const r = await page.evaluate(async ([OP, cases]) => {
    const h = holder({ jwks_uri: `${OP}/jwks` });
    const out = [];
    for (const [original, payload, signature] of cases) out.push([await verify(h, original), await verify(h, payload), await verify(h, signature)]);
    return out;
  }, [OP, jwts.map((jwt) => [jwt, tamperedPayload(jwt), tamperedSignature(jwt)])]);
  assert.deepEqual(r, jwts.map(() => [1, 0, 0]), 'untouched, payload changed, signature changed');
});

test('a wrong key fails', OPTS, async (t) => {
  // The set names the tokens' kid, but publishes another key under it.
  const { page, op } = await verifier(t, {
    '/jwks-other': { keys: [{ ...RSA_OTHER_JWK, kid: 'rsa-1' }] },
    '/jwks-swapped': { keys: [{ ...RSA_JWK, kid: 'rsa-unknown' }] },
  });
  const r = await page.evaluate(async ([OP, rs, ps, unknown]) => {
    const other = holder({ jwks_uri: `${OP}/jwks-other` });
    const swapped = holder({ jwks_uri: `${OP}/jwks-swapped` });
    return [await verify(other, rs), await verify(other, ps), await verify(swapped, unknown)];
  }, [OP, RS256, PS256, RS256_UNKNOWN_KID]);
  assert.deepEqual(r, [0, 0, 0], 'RS256 and PS256 against another key; a token signed by the other key against rsa-1');
  assert.deepEqual([op.count('/jwks-other'), op.count('/jwks-swapped')], [1, 1]);
});

// Checklist item 32 (OIDF rp-key-rotation-op-sign-key, kid-absent-single-jwks, JWKS cooldown):
// one fetch per provider, one refetch for an unknown kid, then none for a minute.
test('the jwks is fetched once and an unknown kid refetches once per cooldown', OPTS, async (t) => {
  const set = { keys: [RSA_JWK, EC_JWK], test: 'cooldown' };
  const { page, op } = await verifier(t, { '/jwks': set, '/jwks-first': set });
  const fetches = () => op.count('/jwks');
  const run = (jwts, shift = 0) => page.evaluate(async ([OP, list, ms]) => {
    const real = Date.now;
    Date.now = () => real() + ms;
    try {
      window.h ??= holder({ jwks_uri: `${OP}/jwks` });
      const out = [];
      for (const jwt of list) out.push(await verify(h, jwt));
      return out;
    } finally {
      Date.now = real;
    }
  }, [OP, jwts, shift]);

  assert.deepEqual(await run([RS256, PS256, ES256, RS256_NO_KID]), [1, 1, 1, 1]);
  assert.equal(fetches(), 1, 'fetched once, then cached');

  assert.deepEqual(await run([RS256_UNKNOWN_KID]), [NO_KEY]);
  assert.equal(fetches(), 2, 'one refetch for the unknown kid');
  assert.deepEqual(await run([RS256_UNKNOWN_KID, RS256]), [NO_KEY, 1]);
  assert.equal(fetches(), 2, 'no second refetch within the cooldown');

  assert.deepEqual(await run([tamperedSignature(ES256)]), [0], 'the verdict the core reads as "signature does not verify"');
  assert.equal(fetches(), 2);

  // A minute later (the page's clock, which the core reads): one refetch again, then none.
  assert.deepEqual(await run([RS256_UNKNOWN_KID, RS256_UNKNOWN_KID, RS256], 61_000), [NO_KEY, NO_KEY, 1]);
  assert.equal(fetches(), 3);
  // Five minutes after that refetch the set is stale: fetched again before use.
  assert.deepEqual(await run([RS256], 61_000 + 300_000), [1]);
  assert.equal(fetches(), 4);

  // An unknown kid on the first use: the fetch, the one refetch, then refused.
  const first = await page.evaluate(async ([OP, jwt]) => verify(holder({ jwks_uri: `${OP}/jwks-first` }), jwt), [OP, RS256_UNKNOWN_KID]);
  assert.deepEqual(first, NO_KEY);
  assert.equal(op.count('/jwks-first'), 2);
});

// Checklist item 30 (OIDF rp-id_token-sig-none, invalid-alternate-alg): refused before any JWKS
// request or crypto.
test('alg none and hs256 are refused before any fetch or crypto', OPTS, async (t) => {
  const { page, op } = await verifier(t, { '/jwks': { keys: [RSA_JWK, EC_JWK] } });
  const none = unsigned({ alg: 'none' });
  const r = await page.evaluate(async ([OP, jwts]) => {
    const h = holder({ jwks_uri: `${OP}/jwks` });
    const out = [];
    for (const jwt of jwts) out.push(await verify(h, jwt));
    return { out, cryptoCalls };
  }, [OP, [none, unsigned({ alg: 'none', kid: 'rsa-1' }), `${unsigned({ alg: 'HS256', kid: 'rsa-1' })}${RS256.split('.')[2]}`]]);
  assert.deepEqual(r.out, [ALG_NOT_ALLOWED, ALG_NOT_ALLOWED, ALG_NOT_ALLOWED]);
  assert.equal(op.count('/jwks'), 0, 'no JWKS request');
  assert.equal(r.cryptoCalls, 0, 'no crypto');
});

// An alg inside the allow-list but not in the provider's id_token_signing_alg_values_supported
// is refused before any JWKS request, like one outside it.
test('an alg the provider does not advertise is refused before any fetch', OPTS, async (t) => {
  const { page, op } = await verifier(t, { '/jwks': { keys: [RSA_JWK, EC_JWK] } });
  await page.evaluate((OP) => { window.h = holder({ jwks_uri: `${OP}/jwks`, id_token_signing_alg_values_supported: ['ES256'] }); }, OP);
  assert.deepEqual(await page.evaluate((jwt) => verify(h, jwt), RS256), ALG_NOT_ALLOWED);
  assert.equal(op.count('/jwks'), 0, 'no JWKS request');
  assert.equal(await page.evaluate((jwt) => verify(h, jwt), ES256), 1, 'control: the advertised alg verifies');
  assert.equal(op.count('/jwks'), 1);
});

test('kid absent with several fitting keys is refused', OPTS, async (t) => {
  const { page, op } = await verifier(t, {
    '/jwks-two': { keys: [RSA_JWK, RSA_OTHER_JWK] },
    '/jwks-one': { keys: [RSA_JWK, EC_JWK] },
  });
  const r = await page.evaluate(async ([OP, jwt]) => [
    await verify(holder({ jwks_uri: `${OP}/jwks-two` }), jwt),
    await verify(holder({ jwks_uri: `${OP}/jwks-one` }), jwt),
  ], [OP, RS256_NO_KID]);
  assert.deepEqual(r, [invalid('several keys fit and the token has no kid'), 1], 'control: with one RSA key it verifies');
  assert.deepEqual([op.count('/jwks-two'), op.count('/jwks-one')], [1, 1]);
});

test('a provider without jwks_uri or with a broken one fails typed', OPTS, async (t) => {
  const { page, op } = await verifier(t, {
    '/jwks-html': () => ({ body: '<html>', headers: { 'content-type': 'text/html' } }),
    '/jwks-down': () => 'abort',
    '/jwks-500': () => ({ status: 500, json: { keys: [RSA_JWK] } }),
  });
  const r = await page.evaluate(async ([OP, jwt]) => ({
    none: await verify(holder({}), jwt),
    html: await verify(holder({ jwks_uri: `${OP}/jwks-html` }), jwt),
    down: await verify(holder({ jwks_uri: `${OP}/jwks-down` }), jwt),
    status: await verify(holder({ jwks_uri: `${OP}/jwks-500` }), jwt),
    cryptoCalls,
  }), [OP, RS256]);
  assert.deepEqual(r.none, { code: 'OAUTH_INVALID_METADATA', message: 'provider metadata jwks_uri is missing or invalid' });
  assert.equal(r.html.code, 'OAUTH_INVALID_JSON');
  assert.match(r.html.message, /^jwks is not valid: /);
  assert.deepEqual(r.down, { code: 'OAUTH_NETWORK_ERROR', message: 'the request failed before a response arrived' });
  assert.deepEqual(r.status, { code: 'OAUTH_HTTP_STATUS', message: 'unexpected http status 500' });
  assert.equal(r.cryptoCalls, 0);
  assert.deepEqual(op.log.map((e) => e.path), ['/jwks-html', '/jwks-down', '/jwks-500']);
});

// A key WebCrypto refuses (an RSA exponent of zero) is a typed error, not a panic: verdict 2,
// which the core turns into "the jwks key cannot be imported" (see tests/e2e/client-session.test.mjs
// for that error through a refresh).
test('an unimportable key is a typed error', OPTS, async (t) => {
  const { page } = await verifier(t, { '/jwks': { keys: [{ ...RSA_JWK, e: 'AAAA' }] } });
  const r = await page.evaluate(async ([OP, jwt]) => ({ verdict: await verify(holder({ jwks_uri: `${OP}/jwks` }), jwt), cryptoCalls }), [OP, RS256]);
  assert.deepEqual(r, { verdict: 2, cryptoCalls: 1 });
});
