// End to end: the session lifecycle (getToken, refresh with rotation across tabs, sign-out,
// storage) on the "manage authorizations" page (www/account.html), using the built package in
// headless Chromium against oidc-provider on loopback. Each test starts and stops its own
// provider, server and browser. Security checklist items 35–38, 40 and 43.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';

import { ROOT, assertPackageBuilt, storageEntries } from './harness.mjs';
import {
  startSessionStack, openAccount, pageStatus, waitForStatus, signIn, act, startAction,
  fetchThroughPage, rawEntry, entry, writeEntry, pageEvents, waitForEvent, tokenRequestFromNode,
  pageHtml, refreshLockState, sleep,
} from './session-harness.mjs';

const OPTS = { timeout: 90_000 };

before(assertPackageBuilt);

async function stackFor(t, options) {
  const stack = await startSessionStack(options);
  t.after(stack.stop);
  return stack;
}

const grants = (provider) => provider.tokenLog.map((e) => [e.grantType, e.status, e.error]);
const attr = (page, selector, name) => page.locator(selector).getAttribute(name);
const now = () => Math.floor(Date.now() / 1000);

/** Every Web Storage value of the page's origin that contains `secret`. */
async function storedCopies(page, secret) {
  return (await storageEntries(page)).filter(([, , value]) => (value ?? '').includes(secret));
}

test('refresh with rotation: one refresh_token grant, a new refresh token stored, the old one gone', OPTS, async (t) => {
  const stack = await stackFor(t);
  const { page, provider, app } = stack;

  assert.equal(await openAccount(page, stack.url({ storage: 'local' })), 'signed-out');
  assert.equal(await signIn(page, stack), 'signed-in');
  assert.equal(await page.locator('#account-sub').textContent(), 'alice');
  assert.equal(await attr(page, '#refresh-token', 'data-held'), 'true');
  assert.deepEqual(grants(provider), [['authorization_code', 200, undefined]]);

  const first = await entry(page, stack);
  const oldRefreshToken = first.refresh_token;
  assert.ok(oldRefreshToken, 'offline_access gave a refresh token');
  const oldAccessToken = first.tokens[0].access_token;

  // Forget the cached access token without revoking it, so the next getToken must refresh.
  provider.resetTokenLog();
  await page.uncheck('#revoke');
  const forgot = await act(page, 'forget-tokens');
  assert.equal(forgot.outcome, 'ok', forgot.code);
  assert.equal(forgot.count, '1');
  assert.deepEqual((await entry(page, stack)).tokens, []);
  assert.equal((await entry(page, stack)).refresh_token, oldRefreshToken);

  const got = await act(page, 'get-token');
  assert.equal(got.outcome, 'ok', got.code);
  assert.equal(await attr(page, '#token-source', 'data-refreshed'), 'true');
  await waitForEvent(page, 'refreshed', false);
  assert.deepEqual(provider.tokenLog.map((e) => [e.grantType, e.status, e.origin]), [['refresh_token', 200, app.origin]]);

  const after = await entry(page, stack);
  assert.ok(after.refresh_token, 'the rotated refresh token is stored');
  assert.notEqual(after.refresh_token, oldRefreshToken, 'the refresh token rotated');
  assert.equal(after.tokens.length, 1);
  assert.notEqual(after.tokens[0].access_token, oldAccessToken);
  // The old refresh token is nowhere in the origin's storage any more.
  assert.deepEqual(await storedCopies(page, oldRefreshToken), []);
  assert.equal(await page.locator('#token-preview').textContent(), `${after.tokens[0].access_token.slice(0, 8)}…`);

  // The next call is served from the cache: no further request.
  const cached = await act(page, 'get-token');
  assert.equal(cached.outcome, 'ok', cached.code);
  assert.equal(await attr(page, '#token-source', 'data-refreshed'), 'false');
  assert.equal(provider.tokenLog.length, 1);
  assert.deepEqual(provider.revocationLog, [], 'forgetTokens({ revoke: false }) revokes nothing');

  const html = await pageHtml(page);
  for (const secret of [oldRefreshToken, after.refresh_token, after.tokens[0].access_token, after.id_token]) {
    assert.equal(html.includes(secret), false, 'a token value appears in the page');
  }
  assert.deepEqual(stack.problems, []);
});

test('an expired access token is refreshed on demand by getToken', OPTS, async (t) => {
  // Access tokens live 8 s at the provider; the page refreshes 1 s before expiry.
  const stack = await stackFor(t, { ttl: { AccessToken: 8 } });
  const { page, provider } = stack;

  await openAccount(page, stack.url({ storage: 'local', clockSkew: '1' }));
  assert.equal(await signIn(page, stack), 'signed-in');
  const signedIn = await entry(page, stack);
  const expiresAt = signedIn.tokens[0].expires_at;
  assert.ok(expiresAt <= now() + 8, `an 8 s token, expires_at ${expiresAt}`);

  // Still fresh: served from the cache.
  const cached = await act(page, 'get-token');
  assert.equal(cached.outcome, 'ok', cached.code);
  assert.equal(await attr(page, '#token-source', 'data-refreshed'), 'false', 'a fresh token comes from the cache');
  assert.deepEqual(grants(provider), [['authorization_code', 200, undefined]]);

  // Let it expire, then ask again.
  await sleep(Math.max(0, (expiresAt + 1) * 1000 - Date.now()));
  assert.ok(now() > expiresAt);
  const refreshed = await act(page, 'get-token');
  assert.equal(refreshed.outcome, 'ok', refreshed.code);
  assert.equal(await attr(page, '#token-source', 'data-refreshed'), 'true');
  assert.deepEqual(grants(provider), [['authorization_code', 200, undefined], ['refresh_token', 200, undefined]]);

  const after = await entry(page, stack);
  assert.equal(after.tokens.length, 1, 'the expired token was dropped');
  assert.notEqual(after.tokens[0].access_token, signedIn.tokens[0].access_token);
  assert.ok(after.tokens[0].expires_at > now(), 'the new token is not expired');
  assert.notEqual(after.refresh_token, signedIn.refresh_token);
  assert.equal(Number(await attr(page, '#token-expires', 'data-at')), after.tokens[0].expires_at);
  assert.deepEqual(stack.problems, []);
});

test('two tabs needing a refresh at the same moment: one refresh request, both get the token', OPTS, async (t) => {
  const stack = await stackFor(t);
  const { page: tabA, provider, context } = stack;

  await openAccount(tabA, stack.url({ storage: 'local' }));
  assert.equal(await signIn(tabA, stack), 'signed-in');
  const tabB = await context.newPage();
  assert.equal(await openAccount(tabB, stack.url({ storage: 'local' })), 'signed-in', 'tab B shares the local session');

  await tabA.uncheck('#revoke');
  assert.equal((await act(tabA, 'forget-tokens')).outcome, 'ok');
  assert.deepEqual((await entry(tabA, stack)).tokens, []);
  provider.resetTokenLog();

  // Hold the token response until both tabs are seen inside getToken together (at most 15 s:
  // an upper bound for a loaded machine; the loop below ends as soon as both are seen).
  let release;
  const gate = new Promise((resolveGate) => { release = resolveGate; });
  t.after(() => release());
  await context.route(`${stack.issuer}/token`, async (route) => {
    await Promise.race([gate, sleep(15_000)]);
    await route.continue();
  });

  const [a, b] = await Promise.all([startAction(tabA, 'get-token'), startAction(tabB, 'get-token')]);
  // While the first refresh is in flight, the other tab waits for the same Web Lock.
  let locks;
  for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
    locks = await refreshLockState(tabA, stack);
    if (locks.held === 1 && locks.pending === 1) break;
    await sleep(20);
  }
  release();
  assert.deepEqual(locks, { held: 1, pending: 1 }, 'one tab refreshes, the other waits for the lock');
  const [doneA, doneB] = await Promise.all([a.done, b.done]);
  assert.equal(doneA.outcome, 'ok', doneA.code);
  assert.equal(doneB.outcome, 'ok', doneB.code);

  assert.deepEqual(provider.tokenLog.map((e) => [e.grantType, e.status, e.error, e.detail]), [
    ['refresh_token', 200, undefined, undefined],
  ], 'exactly one refresh, no invalid_grant');
  const refreshed = [await attr(tabA, '#token-source', 'data-refreshed'), await attr(tabB, '#token-source', 'data-refreshed')];
  assert.deepEqual([...refreshed].sort(), ['false', 'true'], 'one tab refreshed, the other read its result');
  const stored = await entry(tabA, stack);
  const preview = `${stored.tokens[0].access_token.slice(0, 8)}…`;
  assert.equal(await tabA.locator('#token-preview').textContent(), preview);
  assert.equal(await tabB.locator('#token-preview').textContent(), preview);

  // The tab that did not refresh heard about it.
  const waiter = refreshed[0] === 'true' ? tabB : tabA;
  await waitForEvent(waiter, 'refreshed', true);

  // The stored refresh token still works at the provider (it was not replayed and revoked).
  await context.unroute(`${stack.issuer}/token`);
  await tabA.uncheck('#revoke');
  assert.equal((await act(tabA, 'forget-tokens')).outcome, 'ok');
  const again = await act(tabB, 'get-token');
  assert.equal(again.outcome, 'ok', again.code);
  assert.equal(await attr(tabB, '#token-source', 'data-refreshed'), 'true');
  assert.deepEqual(grants(provider).map((g) => g[1]), [200, 200]);
  assert.deepEqual(stack.problems, []);
});

test('sign-out in one tab signs out the other, removes the stored session and revokes at the provider', OPTS, async (t) => {
  const stack = await stackFor(t);
  const { page: tabA, provider, context, app, issuer } = stack;

  await openAccount(tabA, stack.url({ storage: 'local' }));
  assert.equal(await signIn(tabA, stack), 'signed-in');
  const tabB = await context.newPage();
  assert.equal(await openAccount(tabB, stack.url({ storage: 'local' })), 'signed-in');
  const { refresh_token: refreshToken } = await entry(tabA, stack);

  assert.equal(await tabA.isChecked('#revoke'), true);
  const out = await act(tabA, 'sign-out');
  assert.equal(out.outcome, 'ok', out.code);
  assert.equal(await pageStatus(tabA), 'signed-out');
  await waitForEvent(tabA, 'signedout', false);

  // Tab B hears it from the other tab, and its account is gone.
  await waitForEvent(tabB, 'signedout', true);
  await waitForStatus(tabB, 'signed-out');
  assert.equal(await tabB.evaluate(() => document.getElementById('account').hidden), true);
  assert.equal(await rawEntry(tabA, stack), null);
  assert.equal(await rawEntry(tabB, stack), null);
  const stillThere = await act(tabB, 'get-token');
  assert.equal(stillThere.code, 'OAUTH_INTERACTION_REQUIRED');

  // RFC 7009 revocation of the refresh token, from the app's origin; the token is dead.
  const rtRevocation = provider.revocationLog.find((e) => e.tokenTypeHint === 'refresh_token');
  assert.ok(rtRevocation, JSON.stringify(provider.revocationLog));
  assert.deepEqual(rtRevocation, {
    tokenTypeHint: 'refresh_token', status: 200, origin: app.origin, revoked: 'RefreshToken', error: undefined,
  });
  const replay = await tokenRequestFromNode(issuer, { grant_type: 'refresh_token', refresh_token: refreshToken });
  assert.equal(replay.body.error, 'invalid_grant');

  // The provider's logout URL was returned (navigate: false) for the user to follow.
  const logout = new URL(await attr(tabA, '#logout-link', 'href'));
  assert.equal(logout.origin, issuer);
  assert.ok(logout.searchParams.get('id_token_hint'), 'RP-initiated logout carries id_token_hint');
  assert.deepEqual(stack.problems, []);
});

test('invalid_grant on refresh (the refresh token was used elsewhere) means interaction required, session removed', OPTS, async (t) => {
  const stack = await stackFor(t);
  const { page, provider, issuer } = stack;

  await openAccount(page, stack.url({ storage: 'local' }));
  assert.equal(await signIn(page, stack), 'signed-in');
  const { refresh_token: refreshToken } = await entry(page, stack);

  // Someone else (a thief) redeems the refresh token first: it rotates, and the page's copy is
  // now a used token; presenting it makes oidc-provider revoke the whole grant.
  const stolen = await tokenRequestFromNode(issuer, { grant_type: 'refresh_token', refresh_token: refreshToken });
  assert.equal(stolen.status, 200);
  provider.resetTokenLog();

  await page.uncheck('#revoke');
  assert.equal((await act(page, 'forget-tokens')).outcome, 'ok');
  const got = await act(page, 'get-token');
  assert.equal(got.outcome, 'error');
  assert.equal(got.code, 'OAUTH_INTERACTION_REQUIRED');
  assert.equal(await page.locator('#error-code').textContent(), 'OAUTH_INTERACTION_REQUIRED');
  assert.deepEqual(provider.tokenLog.map((e) => [e.grantType, e.status, e.error, e.detail]), [
    ['refresh_token', 400, 'invalid_grant', 'refresh token already used'],
  ]);
  assert.equal(await rawEntry(page, stack), null, 'the stored session is removed');
  assert.equal(await pageStatus(page), 'signed-out');
  await waitForEvent(page, 'signedout', false);

  // Nothing is retried behind the user's back.
  const again = await act(page, 'get-token');
  assert.equal(again.code, 'OAUTH_INTERACTION_REQUIRED');
  assert.equal(provider.tokenLog.length, 1);
  assert.deepEqual(stack.problems, []);
});

test('a tampered stored session is purged (storagepurged, interaction required) and the page keeps working', OPTS, async (t) => {
  const stack = await stackFor(t);
  const { page, provider } = stack;

  await openAccount(page, stack.url({ storage: 'local' }));
  assert.equal(await signIn(page, stack), 'signed-in');
  const original = await rawEntry(page, stack);
  assert.match(original, /^bo-enc1\./, 'sealed by default');
  const valid = await entry(page, stack);

  // Written by page script: every one is refused, also the well-formed ones (issue 8).
  const tampered = {
    'not JSON': '{"v":1,"issuer":',
    'a session no provider issued (forged, well-formed)': { ...valid, tokens: valid.tokens.map((tok) => ({ ...tok, access_token: 'forged-token' })) },
    'the entry opened and written back as plain JSON': valid,
    'an edited expiry': { ...valid, tokens: valid.tokens.map((tok) => ({ ...tok, expires_at: tok.expires_at + 86_400 })) },
    'another client_id': { ...valid, client_id: 'someone-else' },
    'expires_at as a string': { ...valid, tokens: valid.tokens.map((tok) => ({ ...tok, expires_at: String(tok.expires_at) })) },
    'signed_in_at in the future': { ...valid, signed_in_at: now() + 86_400 },
  };
  let purged = 0;
  for (const [name, value] of Object.entries(tampered)) {
    await writeEntry(page, stack, value);
    const got = await act(page, 'get-token');
    assert.equal(got.code, 'OAUTH_INTERACTION_REQUIRED', name);
    purged += 1;
    assert.equal((await pageEvents(page)).filter((e) => e.type === 'storagepurged').length, purged, `${name}: storagepurged shown`);
    assert.equal(await rawEntry(page, stack), null, `${name}: the entry is gone`);
    assert.equal(await pageStatus(page), 'signed-out', name);

    // The untouched entry is still accepted: only the edit was refused.
    await writeEntry(page, stack, original);
    const ok = await act(page, 'get-token');
    assert.equal(ok.outcome, 'ok', `${name}: ${ok.code}`);
    assert.equal(await pageStatus(page), 'signed-in');
  }

  // Also when the page starts: account() purges, the page shows it and is signed out.
  await writeEntry(page, stack, { ...valid, issuer: 'https://evil.example' });
  assert.equal(await openAccount(page, stack.url({ storage: 'local' })), 'signed-out');
  assert.equal(await page.locator('#error-code').textContent(), 'OAUTH_INTERACTION_REQUIRED');
  await waitForEvent(page, 'storagepurged', false);
  assert.equal(await rawEntry(page, stack), null);

  // No refresh was attempted with the edited entries, and signing in again works.
  assert.deepEqual(grants(provider), [['authorization_code', 200, undefined]]);
  assert.equal(await signIn(page, stack), 'signed-in');
  assert.equal((await entry(page, stack)).sub, 'alice');
  assert.deepEqual(stack.problems, []);
});

test('a reload keeps the session with local and session storage, and loses it with memory (the default)', OPTS, async (t) => {
  const stack = await stackFor(t);
  const { page, context, provider } = stack;
  const entriesFor = async (p) => (await storageEntries(p)).filter(([, key]) => key === stack.sessionKey).map(([area]) => area);

  // memory: gone with the page, nothing in Web Storage.
  assert.equal(await openAccount(page, stack.url({ storage: 'memory' })), 'signed-out');
  assert.equal(await signIn(page, stack), 'signed-in');
  assert.deepEqual(await entriesFor(page), []);
  await page.reload();
  assert.equal(await pageStatus(page), 'signed-out');
  assert.equal(await page.locator('#storage').inputValue(), 'memory');

  // session: survives a reload of this tab, not visible to another tab.
  assert.equal(await openAccount(page, stack.url({ storage: 'session' })), 'signed-out');
  assert.equal(await signIn(page, stack), 'signed-in');
  assert.deepEqual(await entriesFor(page), ['session']);
  await page.reload();
  assert.equal(await pageStatus(page), 'signed-in');
  assert.equal(await page.locator('#account-sub').textContent(), 'alice');
  const tokenCount = provider.tokenRequests;
  assert.equal((await act(page, 'get-token')).outcome, 'ok');
  assert.equal(await attr(page, '#token-source', 'data-refreshed'), 'false');
  assert.equal(provider.tokenRequests, tokenCount, 'the reloaded page uses the stored token');
  const otherTab = await context.newPage();
  assert.equal(await openAccount(otherTab, stack.url({ storage: 'session' })), 'signed-out');
  await otherTab.close();

  // local: survives a reload and is shared with a new tab.
  assert.equal(await openAccount(page, stack.url({ storage: 'local' })), 'signed-out');
  assert.equal(await signIn(page, stack), 'signed-in');
  assert.deepEqual((await entriesFor(page)).sort(), ['local', 'session']);
  await page.reload();
  assert.equal(await pageStatus(page), 'signed-in');
  const newTab = await context.newPage();
  assert.equal(await openAccount(newTab, stack.url({ storage: 'local' })), 'signed-in');
  assert.equal(await newTab.locator('#account-sub').textContent(), 'alice');
  assert.deepEqual(stack.problems, []);
});

test('client.fetch sends the token only to allow-listed origins (lookalikes refused, nothing sent)', OPTS, async (t) => {
  const stack = await stackFor(t);
  const { page, provider, app, issuer, context } = stack;

  await openAccount(page, stack.url({ storage: 'local' }));
  assert.equal(await signIn(page, stack), 'signed-in');
  assert.equal(await page.locator('#resource-origins').textContent(), app.origin);
  const accessToken = (await entry(page, stack)).tokens[0].access_token;

  // An API on the page's own origin (allow-listed), answered here.
  const seen = [];
  await context.route(`${app.origin}/api/**`, async (route) => {
    seen.push({ url: route.request().url(), authorization: (await route.request().allHeaders()).authorization });
    await route.fulfill({ status: 200, contentType: 'application/json', body: '{"ok":true}' });
  });
  // Every request the browser makes from now on.
  const requests = [];
  context.on('request', (request) => requests.push(request.url()));

  for (const url of ['/api/me', `${app.origin}/api/me?x=1`]) {
    const res = await fetchThroughPage(page, url);
    assert.equal(res.outcome, 'ok', `${url}: ${res.code}`);
    assert.equal(res.status, '200');
  }
  assert.deepEqual(seen, [
    { url: `${app.origin}/api/me`, authorization: `Bearer ${accessToken}` },
    { url: `${app.origin}/api/me?x=1`, authorization: `Bearer ${accessToken}` },
  ]);

  // The signed-in page with a token, for the record.
  assert.equal((await act(page, 'get-token')).outcome, 'ok');
  await mkdir(resolve(ROOT, 'artifacts'), { recursive: true });
  await page.screenshot({ path: resolve(ROOT, 'artifacts/account-page.png'), fullPage: true });

  // Not allow-listed: refused before any request, even to the provider (in connect-src).
  const refused = [
    `${issuer}/me`,
    `http://127.0.0.1.evil.example:${app.port}/api/me`,
    `http://localhost:${app.port}/api/me`,
    `https://127.0.0.1:${app.port}/api/me`,
    `http://127.0.0.1:${app.port}@evil.example/api/me`,
    `//evil.example/api/me`,
  ];
  requests.length = 0;
  for (const url of refused) {
    const res = await fetchThroughPage(page, url);
    assert.equal(res.code, 'OAUTH_ORIGIN_NOT_ALLOWED', url);
  }
  const broken = await fetchThroughPage(page, 'http://[');
  assert.equal(broken.code, 'OAUTH_INVALID_URL', 'an unparseable URL is a typed error too');
  assert.deepEqual(requests, [], 'no request left the page');
  assert.equal(seen.length, 2);
  assert.deepEqual(grants(provider), [['authorization_code', 200, undefined]]);
  assert.deepEqual(stack.problems, []);
});

test('the entry of a sign-in that ended, put back after the next sign-in, is refused; the other tab reads the new one', OPTS, async (t) => {
  const stack = await stackFor(t);
  const { page, context, provider } = stack;

  assert.equal(await openAccount(page, stack.url({ storage: 'local' })), 'signed-out');
  assert.equal(await signIn(page, stack), 'signed-in');
  const other = await context.newPage();
  assert.equal(await openAccount(other, stack.url({ storage: 'local' })), 'signed-in');
  const earlier = await rawEntry(page, stack);

  await page.uncheck('#revoke');
  assert.equal((await act(page, 'sign-out')).outcome, 'ok');
  await waitForStatus(other, 'signed-out');
  assert.equal(await signIn(page, stack), 'signed-in');
  const current = await rawEntry(page, stack);
  assert.notEqual(current, earlier);

  // The other tab opens the new entry with the key replaced at sign-in: nothing purged.
  const got = await act(other, 'get-token');
  assert.equal(got.outcome, 'ok', got.code);
  assert.equal(await rawEntry(other, stack), current);

  // The earlier sign-in's entry, put back (still a valid session of the provider's): refused.
  await writeEntry(page, stack, earlier);
  const replayed = await act(other, 'get-token');
  assert.equal(replayed.code, 'OAUTH_INTERACTION_REQUIRED');
  await waitForEvent(other, 'storagepurged', false);
  assert.equal(await rawEntry(other, stack), null);
  assert.deepEqual(grants(provider).filter(([g]) => g === 'refresh_token'), [], 'no refresh with the replayed entry');
  assert.deepEqual(stack.problems, []);
});
