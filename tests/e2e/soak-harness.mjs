// The soak (issue 13): N tabs of one browser profile, signed in once, call getToken in a loop
// while access tokens live a few seconds (a one-second refresh skew), so that they refresh again
// and again, once across tabs,
// with random faults on the token endpoint (a 503 page, a dropped connection) that never reach
// the provider. Counted: refreshes the provider granted, refresh tokens it refused (a token sent
// twice would be: must be 0), calls that lost the session (must be 0), getToken latency.
// Used by tests/e2e/soak.test.mjs (short) and benches/soak.mjs (minutes).

import { startSessionStack, openAccount, signIn } from './session-harness.mjs';

const percentile = (xs, p) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/**
 * Runs the soak for `seconds` with `tabs` pages; `faultRate` of the token requests fail (half a
 * 503 page, half a dropped connection). Returns the figures; never throws for a lost session
 * (it is counted), only for a broken set-up.
 */
export async function soak({ seconds, tabs, faultRate = 0.2, accessTokenTtl = 4, seed = 1 }) {
  const stack = await startSessionStack({ ttl: { AccessToken: accessTokenTtl } });
  try {
    const { page, provider, context } = stack;
    if ((await openAccount(page, stack.url({ storage: 'local' }))) !== 'signed-out') throw new Error('not signed out at the start');
    if ((await signIn(page, stack)) !== 'signed-in') throw new Error('sign-in failed');
    provider.resetTokenLog();

    // Deterministic faults: a small LCG, shared by every tab's requests.
    let state = seed >>> 0;
    const random = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    const faults = { served503: 0, dropped: 0 };
    await context.route(`${provider.issuer}/token`, (route) => {
      const r = random();
      if (r < faultRate / 2) {
        faults.served503 += 1;
        return route.fulfill({ status: 503, contentType: 'text/html', body: '<html>busy</html>' });
      }
      if (r < faultRate) {
        faults.dropped += 1;
        return route.abort('connectionreset');
      }
      return route.continue();
    });

    const pages = [page];
    for (let i = 1; i < tabs; i += 1) {
      const p = await context.newPage();
      if ((await openAccount(p, stack.url({ storage: 'local' }))) !== 'signed-in') throw new Error(`tab ${i} is not signed in`);
      pages.push(p);
    }
    const runs = pages.map((p) => p.evaluate(async (ms) => {
      const { createClient } = await import('/js/index.js');
      const config = JSON.parse(await (await fetch('/demo-config.json')).text());
      // A refresh skew of one second: tokens of a few seconds are served most of their life.
      const client = await createClient({ ...config, redirectUri: location.href.split('?')[0], storage: 'local', clockSkew: 1 });
      const out = { calls: 0, ok: 0, transient: 0, lost: 0, other: [], latencies: [], refreshedHere: 0 };
      const end = Date.now() + ms;
      while (Date.now() < end) {
        const t0 = performance.now();
        try {
          const token = await client.getToken();
          out.ok += 1;
          if (token.refreshed) out.refreshedHere += 1;
        } catch (e) {
          if (['OAUTH_SERVER_UNAVAILABLE', 'OAUTH_NETWORK_ERROR', 'OAUTH_TIMEOUT'].includes(e.code)) out.transient += 1;
          else if (e.code === 'OAUTH_INTERACTION_REQUIRED') out.lost += 1;
          else out.other.push(e.code);
        }
        out.latencies.push(performance.now() - t0);
        out.calls += 1;
        await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
      }
      return out;
    }, seconds * 1000));
    const results = await Promise.all(runs);
    const latencies = results.flatMap((r) => r.latencies);
    const log = provider.tokenLog;
    return {
      seconds,
      tabs,
      calls: results.reduce((n, r) => n + r.calls, 0),
      ok: results.reduce((n, r) => n + r.ok, 0),
      transientErrors: results.reduce((n, r) => n + r.transient, 0),
      lostSessions: results.reduce((n, r) => n + r.lost, 0),
      otherErrors: results.flatMap((r) => r.other),
      refreshesGranted: log.filter((e) => e.grantType === 'refresh_token' && e.status === 200).length,
      refreshesRefused: log.filter((e) => e.grantType === 'refresh_token' && e.status !== 200).length,
      refreshedInTabs: results.reduce((n, r) => n + r.refreshedHere, 0),
      faults,
      getTokenMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: percentile(latencies, 100) },
    };
  } finally {
    await stack.stop();
  }
}
