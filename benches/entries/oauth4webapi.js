// oauth4webapi 3.8.8: a minimal SPA redirect sign-in built from its primitives: PKCE, state,
// callback validation (RFC 9207 `iss` included), code exchange.
import {
  generateRandomCodeVerifier,
  calculatePKCECodeChallenge,
  generateRandomState,
  validateAuthResponse,
  authorizationCodeGrantRequest,
  processAuthorizationCodeResponse,
  None,
} from 'oauth4webapi';

const TX = 'o4w:tx';

function server(cfg) {
  return {
    issuer: cfg.issuer,
    authorization_endpoint: cfg.authorizationEndpoint,
    token_endpoint: cfg.tokenEndpoint,
    authorization_response_iss_parameter_supported: true,
  };
}

/** Returns `begin()`: builds the authorization URL, keeps the transaction, calls `navigate`. */
export async function prepareSignIn(cfg, navigate = (url) => location.assign(url)) {
  const as = server(cfg);
  return async function begin() {
    const codeVerifier = generateRandomCodeVerifier();
    const codeChallenge = await calculatePKCECodeChallenge(codeVerifier);
    const state = generateRandomState();
    sessionStorage.setItem(TX, JSON.stringify({ codeVerifier, state }));
    const url = new URL(as.authorization_endpoint);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', cfg.clientId);
    url.searchParams.set('redirect_uri', cfg.redirectUri);
    url.searchParams.set('scope', cfg.scope);
    url.searchParams.set('state', state);
    url.searchParams.set('code_challenge', codeChallenge);
    url.searchParams.set('code_challenge_method', 'S256');
    navigate(url.href);
  };
}

/** On the redirect page: validates the response and exchanges the code. */
export async function finishSignIn(cfg, href = location.href) {
  const as = server(cfg);
  const client = { client_id: cfg.clientId };
  const tx = JSON.parse(sessionStorage.getItem(TX) ?? 'null');
  sessionStorage.removeItem(TX);
  if (!tx) throw new Error('no pending sign-in');
  const params = validateAuthResponse(as, client, new URL(href), tx.state);
  const response = await authorizationCodeGrantRequest(as, client, None(), params, cfg.redirectUri, tx.codeVerifier);
  return processAuthorizationCodeResponse(as, client, response);
}
