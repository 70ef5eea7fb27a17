// The sign-in configuration each library gets in the browser benchmarks: the same client, the
// same (fictional) authorization server, nothing fetched from the network. The redirect URI is on
// the bench server's own origin (never visited).

export const ISSUER = 'https://as.example.com';
export const CLIENT_ID = 'bench-client';

/** The libraries, in table order; `floor` is the hand-written plain-JS floor. */
export const LIBRARIES = ['floor', 'oauth4webapi', 'oidc-client-ts', 'msal-browser', 'auth0-spa-js', 'browser-oauth'];

export function configs(origin) {
  const redirectUri = `${origin}/bench/callback.html`;
  const endpoints = {
    issuer: ISSUER,
    authorizationEndpoint: `${ISSUER}/authorize`,
    tokenEndpoint: `${ISSUER}/token`,
  };
  return {
    floor: { ...endpoints, clientId: CLIENT_ID, redirectUri, scope: 'openid profile' },
    oauth4webapi: { ...endpoints, clientId: CLIENT_ID, redirectUri, scope: 'openid profile' },
    'browser-oauth': {
      ...endpoints,
      clientId: CLIENT_ID,
      redirectUri,
      scopes: ['openid', 'profile'],
      allowHttpLoopback: true,
    },
    'oidc-client-ts': {
      authority: ISSUER,
      client_id: CLIENT_ID,
      redirect_uri: redirectUri,
      scope: 'openid profile',
      // Endpoints given: no discovery request.
      metadata: {
        issuer: ISSUER,
        authorization_endpoint: endpoints.authorizationEndpoint,
        token_endpoint: endpoints.tokenEndpoint,
      },
    },
    // The Entra multi-tenant authority: msal-common carries its metadata built in, so
    // initialize() and loginRedirect() make no request.
    'msal-browser': {
      auth: {
        clientId: '00000000-0000-0000-0000-00000000b0b0',
        authority: 'https://login.microsoftonline.com/common',
        redirectUri,
      },
      cache: { cacheLocation: 'sessionStorage' },
    },
    'auth0-spa-js': {
      domain: 'bench.example.auth0.com',
      clientId: CLIENT_ID,
      authorizationParams: { redirect_uri: redirectUri, scope: 'openid profile' },
    },
  };
}
