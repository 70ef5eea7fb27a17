// End to end: `encrypt: true` (encryption at rest) on the "manage authorizations" page
// (www/account.html?storage=local&encrypt=1), using the built package in headless Chromium
// against oidc-provider on loopback. localStorage holds only ciphertext, the key is a
// non-extractable CryptoKey in IndexedDB, a reload still reads the session, and an edited entry
// is purged. Security checklist item 38.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { assertPackageBuilt, recordTokenResponses, storedTokens } from './harness.mjs';
import { startSessionStack, openAccount, pageStatus, signIn, act, rawEntry, writeEntry, pageEvents, waitForEvent } from './session-harness.mjs';

const OPTS = { timeout: 45_000 };

before(assertPackageBuilt);

async function stackFor(t) {
  const stack = await startSessionStack();
  t.after(stack.stop);
  return stack;
}

const attr = (page, selector, name) => page.locator(selector).getAttribute(name);
const grants = (provider) => provider.tokenLog.map((e) => [e.grantType, e.status]);

/** What IndexedDB holds for the session key, seen by script on the page. */
function storedKey(page, stack) {
  return page.evaluate((name) => new Promise((resolve, reject) => {
    const open = indexedDB.open('browser-oauth');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const get = db.transaction('keys').objectStore('keys').get(name);
      get.onerror = () => reject(get.error);
      get.onsuccess = async () => {
        db.close();
        const key = get.result;
        const exported = await crypto.subtle.exportKey('raw', key).then(() => 'exported', (e) => e.name);
        resolve({ cryptoKey: key instanceof CryptoKey, extractable: key.extractable, algorithm: key.algorithm.name, exported });
      };
    };
  }), stack.sessionKey);
}

/** `text` with one base64url character in the middle of the ciphertext changed. */
function editOneCharacter(text) {
  const at = Math.floor(text.length / 2);
  return `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
}

test('storage=local with encrypt: ciphertext at rest, a reload still reads it, one edited character purges it', OPTS, async (t) => {
  const stack = await stackFor(t);
  const { page, provider, issuer } = stack;
  const responses = recordTokenResponses(page, issuer);

  assert.equal(await openAccount(page, stack.url({ storage: 'local', encrypt: '1' })), 'signed-out');
  assert.equal(await signIn(page, stack), 'signed-in');
  assert.equal(await page.locator('#account-sub').textContent(), 'alice');
  assert.equal(await attr(page, '#refresh-token', 'data-held'), 'true');

  // Only ciphertext in localStorage: no member names, no token value, nowhere in Web Storage.
  const sealed = await rawEntry(page, stack);
  assert.match(sealed, /^bo-enc1\.[A-Za-z0-9_-]+$/);
  const [tokens] = responses;
  const values = [tokens.access_token, tokens.refresh_token, tokens.id_token].filter(Boolean);
  assert.equal(values.length, 3);
  for (const needle of ['access_token', 'refresh_token', 'id_token', 'alice', ...values, ...values.map((v) => v.slice(0, 12))]) {
    assert.equal(sealed.includes(needle), false, `the stored entry shows ${needle.slice(0, 16)}`);
  }
  assert.deepEqual(await storedTokens(page, values), []);
  assert.deepEqual(await storedKey(page, stack), { cryptoKey: true, extractable: false, algorithm: 'AES-GCM', exported: 'InvalidAccessError' });

  // getToken after a reload: decrypted with the key kept in IndexedDB, served from the cache.
  await page.reload();
  assert.equal(await pageStatus(page), 'signed-in');
  const got = await act(page, 'get-token');
  assert.equal(got.outcome, 'ok', got.code);
  assert.equal(await attr(page, '#token-source', 'data-refreshed'), 'false');
  assert.equal(await page.locator('#token-preview').textContent(), `${tokens.access_token.slice(0, 8)}…`);
  assert.deepEqual(grants(provider), [['authorization_code', 200]], 'no token request after the reload');

  // One character edited: storagepurged, interaction required, the entry gone.
  await writeEntry(page, stack, editOneCharacter(sealed));
  const edited = await act(page, 'get-token');
  assert.equal(edited.code, 'OAUTH_INTERACTION_REQUIRED');
  await waitForEvent(page, 'storagepurged', false);
  assert.equal((await pageEvents(page)).filter((e) => e.type === 'storagepurged').length, 1);
  assert.equal(await rawEntry(page, stack), null);
  assert.equal(await pageStatus(page), 'signed-out');

  // The untouched ciphertext is still accepted (only the edit was refused); plaintext is not.
  await writeEntry(page, stack, sealed);
  const ok = await act(page, 'get-token');
  assert.equal(ok.outcome, 'ok', ok.code);
  assert.equal(await pageStatus(page), 'signed-in');
  await writeEntry(page, stack, { v: 1, issuer, client_id: 'browser-oauth-e2e', sub: 'alice' });
  const plain = await act(page, 'get-token');
  assert.equal(plain.code, 'OAUTH_INTERACTION_REQUIRED');
  assert.equal((await pageEvents(page)).filter((e) => e.type === 'storagepurged').length, 2);
  assert.equal(await rawEntry(page, stack), null);

  assert.deepEqual(grants(provider), [['authorization_code', 200]], 'no refresh was attempted with an edited entry');
  assert.deepEqual(stack.problems, []);
});

test('encrypt with memory storage is an OAUTH_INVALID_OPTION error', OPTS, async (t) => {
  const stack = await stackFor(t);
  const { page } = stack;
  assert.equal(await openAccount(page, stack.url({ storage: 'memory', encrypt: '1' })), 'error');
  assert.equal(await page.locator('#error-code').textContent(), 'OAUTH_INVALID_OPTION');
  assert.match(await page.locator('#error-description').textContent(), /encrypt/);
  assert.deepEqual(stack.problems.filter((p) => !p.startsWith('pageerror')), []);
});
