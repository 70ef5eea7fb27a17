// Scopes through the package: set operations with Azure DevOps inclusion (bare and prefixed
// forms alike), the Entra helpers, the catalog, and typed errors on garbage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loaded } from './helpers.mjs';
import * as glue from '../../dist/wasm-consent/browser_oauth_consent.js';

const m = await loaded();

const ID = '499b84ac-1321-427f-aa17-267ca6975798';
const URI = 'https://app.vssps.visualstudio.com';
const GRAPH = '00000003-0000-0000-c000-000000000000';

const isTyped = (code) => (e) => e instanceof m.BrowserOAuthError && e.code === code;

test('covers and missing honour inclusion, in every form', () => {
  assert.equal(m.scopeCovers(['vso.code_manage'], ['vso.code', 'vso.code_write']), true);
  assert.equal(m.scopeCovers([`${ID}/vso.code_manage`], ['vso.code']), true);
  assert.equal(m.scopeCovers(['vso.code'], [`${URI}/vso.code_write`]), false);
  assert.equal(m.scopeCovers(['openid'], ['openid']), true);
  assert.equal(m.scopeCovers(['Read'], ['read']), false, 'other scopes compare exactly');
  assert.equal(m.scopeCovers([], []), true);
  assert.deepEqual(m.scopeMissing([`${ID}/vso.work`], ['vso.work', 'vso.work_write', 'openid', 'vso.work_write']), ['vso.work_write', 'openid']);
  assert.deepEqual(m.scopeMissing([`${ID}/user_impersonation`], ['vso.code_full', 'vso.build_execute']), []);
});

test('minimize drops included scopes and duplicates; expand adds the inclusion closure', () => {
  assert.deepEqual(m.scopeMinimize(['vso.code', 'vso.code_write', `${ID}/vso.code_write`, 'openid', 'openid']), ['vso.code_write', 'openid']);
  assert.deepEqual(m.scopeMinimize([`${ID}/vso.work_full`, `${ID}/vso.work`]), [`${ID}/vso.work_full`]);
  const expanded = m.scopeExpand([`${ID}/vso.code_write`]);
  assert.equal(expanded[0], `${ID}/vso.code_write`);
  assert.ok(expanded.includes(`${ID}/vso.code`), expanded.join(' '));
  assert.ok(expanded.every((s) => s.startsWith(`${ID}/`)), 'added scopes keep the prefixed form');
  assert.ok(m.scopeExpand(['vso.code_manage']).includes('vso.code'));
  assert.deepEqual(m.scopeExpand(['openid', 'openid']), ['openid']);
});

test('compareGrantedScopes: granted versus requested (RFC 6749 §5.1)', () => {
  const requested = ['openid', `${ID}/vso.code`, `${ID}/vso.work_write`];
  assert.deepEqual(m.compareGrantedScopes(requested), { granted: requested, missing: [], extra: [], asRequested: true });
  assert.deepEqual(m.compareGrantedScopes(requested, null).asRequested, true);
  const r = m.compareGrantedScopes(requested, `${ID}/vso.code_write ${ID}/vso.build`);
  assert.deepEqual(r.missing, [`${ID}/vso.work_write`]);
  assert.deepEqual(r.extra, [`${ID}/vso.code_write`, `${ID}/vso.build`]);
  assert.equal(r.asRequested, false);
  // A requested .default is satisfied by any granted scope of its resource.
  assert.deepEqual(m.compareGrantedScopes([`${ID}/.default`], `${ID}/vso.code`).missing, []);
  assert.throws(() => m.compareGrantedScopes(requested, 'a  b'), isTyped('OAUTH_INVALID_SCOPE'));
  assert.throws(() => m.compareGrantedScopes(requested, 5), isTyped('OAUTH_INVALID_OPTION'));
});

test("toEntraScopes turns ['vso.code', 'vso.work_write'] into the Entra request scopes", () => {
  assert.deepEqual(m.toEntraScopes(['vso.code', 'vso.work_write']), [`${ID}/vso.code`, `${ID}/vso.work_write`]);
  assert.deepEqual(m.toEntraScopes(['openid', 'offline_access', `${URI}/vso.code`, 'vso.code']), ['openid', 'offline_access', `${ID}/vso.code`]);
  assert.deepEqual(m.toEntraScopes(['.default']), [`${ID}/.default`]);
  assert.throws(() => m.toEntraScopes(['vso.chat_write']), isTyped('OAUTH_INVALID_SCOPE'));
  assert.throws(() => m.toEntraScopes(['User.Read']), isTyped('OAUTH_INVALID_SCOPE'));
  assert.throws(() => m.toEntraScopes(['.default', 'vso.code']), isTyped('OAUTH_ENTRA_SCOPE_RULE'));
});

test('all 86 catalog scopes are described and round-trip through toEntraScopes', () => {
  const all = m.azureDevOpsScopes();
  assert.equal(all.length, 86);
  const names = new Set(all.map((s) => s.name));
  assert.equal(names.size, 86);
  for (const s of all) {
    assert.equal(s.status, 'current');
    assert.ok(s.area && s.title && s.description, s.name);
    assert.equal(typeof s.highPrivilege, 'boolean');
    assert.equal(s.entraScope, `${ID}/${s.name}`);
    assert.ok(s.includes.every((i) => names.has(i)), s.name);
    assert.deepEqual(m.toEntraScopes([s.name]), [s.entraScope], s.name);
    assert.deepEqual(m.toEntraScopes([s.entraScope]), [s.entraScope], s.name);
    assert.deepEqual(m.describeScope(s.entraScope), s);
    assert.equal(m.scopeCovers([s.name], [s.entraScope]), true, s.name);
  }
  // Every catalog scope together is one resource: a valid Entra request.
  const entra = m.toEntraScopes(all.map((s) => s.name));
  assert.equal(entra.length, 86);
  m.validateEntraScopes(entra);
  assert.ok(all.some((s) => s.highPrivilege) && all.some((s) => !s.highPrivilege));
  assert.equal(all.find((s) => s.name === 'user_impersonation').fullAccess, true);
});

test('describeScope: current, retired, manifest-only and unknown names', () => {
  const code = m.describeScope('vso.code_write');
  assert.equal(code.area, 'Code');
  assert.ok(code.includes.includes('vso.code'));
  assert.equal(m.describeScope('vso.chat_write').status, 'retired');
  assert.ok(m.describeScope(`${ID}/vso.chat_write`).note);
  assert.equal(m.describeScope('vso.base').status, 'manifest-only');
  assert.equal(m.describeScope('vso.nope'), null);
  assert.equal(m.describeScope(''), null);
  assert.throws(() => m.describeScope(1), isTyped('OAUTH_INVALID_OPTION'));
});

test('Entra rules: validateEntraScopes throws a typed error, analyzeEntraScopes reports', () => {
  m.validateEntraScopes(['openid', 'profile', `${ID}/vso.code`]);
  assert.throws(() => m.validateEntraScopes(['openid', 'vso.code']), isTyped('OAUTH_ENTRA_SCOPE_RULE'));
  assert.throws(() => m.validateEntraScopes([`${ID}/vso.code`, `${GRAPH}/User.Read`]), isTyped('OAUTH_ENTRA_SCOPE_RULE'));
  assert.throws(() => m.validateEntraScopes([`${ID}/.default`, `${ID}/vso.code`]), isTyped('OAUTH_ENTRA_SCOPE_RULE'));
  assert.throws(() => m.validateEntraScopes([]), isTyped('OAUTH_INVALID_SCOPE'));

  const a = m.analyzeEntraScopes(['openid', 'vso.code', 'User.Read', `${ID}/.default`]);
  assert.deepEqual(a.scopes.map((s) => s.resource), ['oidc', 'microsoft-graph', 'microsoft-graph', 'azure-devops']);
  assert.deepEqual(a.scopes[3], { scope: `${ID}/.default`, resource: 'azure-devops', prefix: ID, value: '.default' });
  assert.deepEqual(a.violations.map((v) => [v.rule, v.scope]), [['unprefixed-azure-devops', 'vso.code'], ['multiple-resources', `${ID}/.default`]]);
  assert.ok(a.violations.every((v) => v.message));
  assert.deepEqual(a.broad, [`${ID}/.default`]);
  assert.deepEqual(m.analyzeEntraScopes([]), { scopes: [], violations: [], broad: [] });
});

test('garbage is refused with typed errors, never a crash', () => {
  const fns = [
    (x) => m.scopeCovers(x, []), (x) => m.scopeCovers([], x), (x) => m.scopeMissing(x, []), (x) => m.scopeMinimize(x),
    (x) => m.scopeExpand(x), (x) => m.compareGrantedScopes(x), (x) => m.toEntraScopes(x), (x) => m.validateEntraScopes(x),
    (x) => m.analyzeEntraScopes(x),
  ];
  for (const bad of [undefined, null, 5, 'vso.code', {}, { length: 1, 0: 'a' }, [1], ['a', null], [['a']]]) {
    for (const fn of fns) assert.throws(() => fn(bad), isTyped('OAUTH_INVALID_OPTION'), String(bad));
  }
  for (const bad of [[''], ['a b'], ['"x"'], ['é'], ['\u0000'], ['x'.repeat(70_000)], Array.from({ length: 257 }, (_, i) => `s${i}`)]) {
    for (const fn of fns) assert.throws(() => fn(bad), isTyped('OAUTH_INVALID_SCOPE'), bad[0].slice(0, 10));
  }
  // The wasm boundary re-checks what the JS layer checks: the raw exports refuse with a code too.
  for (const bad of [undefined, 5, 'vso.code', {}, [1], [null]]) {
    assert.throws(() => glue.scopeCovers(bad, []), (e) => e.code === 'OAUTH_INVALID_OPTION');
    assert.throws(() => glue.toEntraScopes(bad), (e) => e.code === 'OAUTH_INVALID_OPTION');
  }
  assert.equal(m.scopeMinimize(Array.from({ length: 256 }, (_, i) => `s${i}`)).length, 256, 'the limit itself is allowed');
  assert.equal(m.scopeCovers(['vso.code'], ['vso.code']), true, 'still alive after garbage');
});
