// Speed cases, all libraries loaded in this one page. run.mjs drives it through `window.bench`:
// setup() once, then run(caseId, contender, ms) for the warm-up and for each timed round.
import {
  generateRandomCodeVerifier,
  calculatePKCECodeChallenge,
  generateRandomState,
  generateRandomNonce,
  validateAuthResponse,
} from 'oauth4webapi';
import {
  init,
  generatePkce,
  resolveProvider,
  buildAuthorizationUrl,
  validateAuthorizationResponse,
} from '../js/index.js';
import { pkcePair } from './entries/floor.js';
import { CLIENT_ID, LIBRARIES, configs } from './config.js';

let sink; // keeps results alive so no call can be optimised away

function check(ok, message) {
  if (!ok) throw new Error(`bench self-check failed: ${message}`);
}

async function setup() {
  const cfg = configs(location.origin);
  const o = cfg.oauth4webapi;
  const as = {
    issuer: o.issuer,
    authorization_endpoint: o.authorizationEndpoint,
    token_endpoint: o.tokenEndpoint,
    authorization_response_iss_parameter_supported: true,
  };
  const client = { client_id: CLIENT_ID };

  // Both sign-in modules: the authorization URL is built by the start module, the callback
  // validated by the account module.
  await init();
  const provider = await resolveProvider({
    issuer: o.issuer,
    authorizationEndpoint: o.authorizationEndpoint,
    tokenEndpoint: o.tokenEndpoint,
    allowHttpLoopback: true,
  });
  const boClient = {
    clientId: CLIENT_ID,
    redirectUri: o.redirectUri,
    scopes: ['openid', 'profile'],
    allowHttpLoopback: true,
  };
  // One transaction, reused: validation consumes nothing.
  const tx = buildAuthorizationUrl(provider, boClient);
  const callback = `${o.redirectUri}?${new URLSearchParams({
    code: 'SplxlOBeZQQYbYS6WxSbIA-bench-authorization-code',
    state: tx.state,
    iss: o.issuer,
  })}`;

  // (c) oauth4webapi's equivalent of buildAuthorizationUrl: PKCE, state, nonce, the URL, and a
  // transaction record to keep (browser-oauth returns one too).
  async function o4wAuthorizationUrl() {
    const codeVerifier = generateRandomCodeVerifier();
    const codeChallenge = await calculatePKCECodeChallenge(codeVerifier);
    const state = generateRandomState();
    const nonce = generateRandomNonce();
    const url = new URL(as.authorization_endpoint);
    const p = url.searchParams;
    p.set('response_type', 'code');
    p.set('client_id', CLIENT_ID);
    p.set('redirect_uri', o.redirectUri);
    p.set('scope', o.scope);
    p.set('state', state);
    p.set('code_challenge', codeChallenge);
    p.set('code_challenge_method', 'S256');
    p.set('nonce', nonce);
    return { url: url.href, state, transaction: JSON.stringify({ codeVerifier, state, nonce, t: Date.now() }) };
  }

  // Self-checks: each contender does the real work and agrees with the others.
  const pair = generatePkce();
  check(pair.codeChallenge === await calculatePKCECodeChallenge(pair.codeVerifier), 'browser-oauth S256 challenge ≠ oauth4webapi');
  const floorPair = await pkcePair();
  check(floorPair.codeChallenge === await calculatePKCECodeChallenge(floorPair.codeVerifier), 'floor S256 challenge ≠ oauth4webapi');
  check(validateAuthResponse(as, client, new URL(callback), tx.state).get('code'), 'oauth4webapi rejected the callback');
  check(validateAuthorizationResponse(provider, CLIENT_ID, callback, tx.transaction), 'browser-oauth rejected the callback');
  let rejected = false;
  try { validateAuthorizationResponse(provider, CLIENT_ID, callback.replace(tx.state, 'x'.repeat(tx.state.length)), tx.transaction); } catch { rejected = true; }
  check(rejected, 'browser-oauth accepted a wrong state');
  const built = new URL(tx.url).searchParams;
  const o4wBuilt = new URL((await o4wAuthorizationUrl()).url).searchParams;
  check([...built.keys()].sort().join() === [...o4wBuilt.keys()].sort().join(),
    `authorization URL parameters differ: ${[...built.keys()]} vs ${[...o4wBuilt.keys()]}`);

  // (e) Each library's own sign-in start, from the same bundles as the size table.
  const begins = {};
  for (const lib of LIBRARIES) {
    const mod = await import(new URL(`lib-${lib}.js`, import.meta.url).href);
    let last;
    const begin = await mod.prepareSignIn(cfg[lib], (url) => { last = url; });
    begins[lib] = async () => {
      // Nothing left from the previous call: a real page navigates away after one.
      sessionStorage.clear();
      localStorage.clear();
      last = undefined;
      await begin();
      return last;
    };
    const url = await begins[lib]();
    check(url && new URL(url).searchParams.get('code_challenge_method') === 'S256', `${lib}: sign-in start gave no PKCE URL`);
    const again = await begins[lib]();
    check(again && again !== url, `${lib}: a second sign-in start failed or repeated the URL`);
  }

  const CASES = {
    pkce: {
      title: 'PKCE pair (verifier + S256 challenge)',
      contenders: {
        'plain JS (getRandomValues + subtle.digest)': { async: true, fn: pkcePair },
        'oauth4webapi generateRandomCodeVerifier + calculatePKCECodeChallenge': {
          async: true,
          fn: async () => { const v = generateRandomCodeVerifier(); return [v, await calculatePKCECodeChallenge(v)]; },
        },
        'browser-oauth generatePkce() (sync, wasm)': { async: false, fn: generatePkce },
      },
    },
    callback: {
      title: 'redirect URL parse / validation',
      contenders: {
        'floor: new URL() + URLSearchParams': {
          async: false,
          fn: () => { const p = new URL(callback).searchParams; return [p.get('code'), p.get('state'), p.get('iss')]; },
        },
        'oauth4webapi validateAuthResponse': {
          async: false,
          fn: () => validateAuthResponse(as, client, new URL(callback), tx.state),
        },
        'browser-oauth validateAuthorizationResponse': {
          async: false,
          fn: () => validateAuthorizationResponse(provider, CLIENT_ID, callback, tx.transaction),
        },
      },
    },
    authorize: {
      title: 'authorization URL (PKCE + state + nonce + URL + transaction record)',
      contenders: {
        'oauth4webapi primitives + URL building': { async: true, fn: o4wAuthorizationUrl },
        'browser-oauth buildAuthorizationUrl': { async: false, fn: () => buildAuthorizationUrl(provider, boClient) },
      },
    },
    signin: {
      title: "sign-in start through each library's own API (URL + PKCE + state stored; storage cleared per call)",
      contenders: {
        'plain JS floor': { async: true, fn: begins.floor },
        'oauth4webapi (entry)': { async: true, fn: begins.oauth4webapi },
        'oidc-client-ts UserManager.signinRedirect': { async: true, fn: begins['oidc-client-ts'] },
        'msal-browser loginRedirect': { async: true, fn: begins['msal-browser'] },
        'auth0-spa-js loginWithRedirect': { async: true, fn: begins['auth0-spa-js'] },
        'browser-oauth client.authorizationUrl': { async: true, fn: begins['browser-oauth'] },
      },
    },
  };

  const BATCH = 8; // sync calls between two clock reads
  async function run(caseId, name, ms) {
    const { fn, async } = CASES[caseId].contenders[name];
    let n = 0;
    let t1;
    const t0 = performance.now();
    if (async) {
      do { sink = await fn(); n += 1; } while ((t1 = performance.now()) - t0 < ms);
    } else {
      do { for (let i = 0; i < BATCH; i += 1) sink = fn(); n += BATCH; } while ((t1 = performance.now()) - t0 < ms);
    }
    return { n, ms: t1 - t0 };
  }

  window.bench.run = run;
  return Object.fromEntries(Object.entries(CASES).map(([id, c]) => [id, { title: c.title, contenders: Object.keys(c.contenders) }]));
}

window.bench = { setup };
