// Plain-JS floor: what any redirect sign-in must do at least, written by hand with the browser's
// own APIs (crypto.getRandomValues, crypto.subtle.digest, URLSearchParams). No callback handling:
// it is the floor for the start of a sign-in only.

function base64url(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A PKCE pair: 32 random bytes → base64url verifier, SHA-256 → base64url challenge. */
export async function pkcePair() {
  const codeVerifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier));
  return { codeVerifier, codeChallenge: base64url(new Uint8Array(digest)) };
}

/**
 * Returns `begin()`, which builds the authorization URL (PKCE + state), keeps the verifier and
 * state in sessionStorage and hands the URL to `navigate`.
 */
export async function prepareSignIn(cfg, navigate = (url) => location.assign(url)) {
  return async function begin() {
    const { codeVerifier, codeChallenge } = await pkcePair();
    const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
    sessionStorage.setItem('floor:tx', JSON.stringify({ codeVerifier, state }));
    const params = new URLSearchParams({
      response_type: 'code',
      client_id: cfg.clientId,
      redirect_uri: cfg.redirectUri,
      scope: cfg.scope,
      state,
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
    });
    navigate(`${cfg.authorizationEndpoint}?${params}`);
  };
}
