// PKCE through the package (RFC 7636), mirroring src/core/pkce.rs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { loaded } from './helpers.mjs';

const m = await loaded();

test('generatePkce: 43-char verifier, S256 challenge that node:crypto agrees with, fresh each call', () => {
  const seen = new Set();
  for (let i = 0; i < 1000; i++) {
    const p = m.generatePkce();
    assert.match(p.codeVerifier, /^[A-Za-z0-9._~-]{43}$/);
    assert.equal(p.codeChallengeMethod, 'S256');
    assert.equal(p.codeChallenge, createHash('sha256').update(p.codeVerifier).digest('base64url'));
    assert.ok(!seen.has(p.codeVerifier));
    seen.add(p.codeVerifier);
  }
});

test('pkceChallenge pins the RFC 7636 Appendix B vector and validates the verifier', () => {
  assert.equal(m.pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  for (const bad of ['a'.repeat(42), 'a'.repeat(129), 'a'.repeat(43) + '+', 'a'.repeat(43) + 'é', '', 42, null, undefined, {}]) {
    assert.throws(() => m.pkceChallenge(bad), (e) => e instanceof m.BrowserOAuthError, String(bad));
  }
});
