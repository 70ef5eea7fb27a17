// Curated types for browser-oauth. The generated wasm glue is internal and not part of the API.

/** Loads the WebAssembly module once; later calls return the same promise. */
export function init(input?: URL | string | Request | Response | BufferSource | WebAssembly.Module): Promise<void>;

/** Stable error codes (never renamed once released). */
export type ErrorCode =
  | 'OAUTH_NOT_INITIALIZED' | 'OAUTH_INIT_FAILED'
  | 'OAUTH_INVALID_URL' | 'OAUTH_INSECURE_URL' | 'OAUTH_FORBIDDEN_URL' | 'OAUTH_MISSING_OPTION' | 'OAUTH_INVALID_OPTION'
  | 'OAUTH_RESERVED_PARAMETER' | 'OAUTH_INVALID_CODE_VERIFIER' | 'OAUTH_INPUT_TOO_LARGE' | 'OAUTH_INVALID_JSON'
  | 'OAUTH_RANDOM_UNAVAILABLE' | 'OAUTH_ISSUER_MISMATCH' | 'OAUTH_INVALID_METADATA' | 'OAUTH_PKCE_S256_UNSUPPORTED'
  | 'OAUTH_DUPLICATE_PARAMETER' | 'OAUTH_NO_AUTHORIZATION_RESPONSE' | 'OAUTH_STATE_MISSING' | 'OAUTH_STATE_MISMATCH'
  | 'OAUTH_ISS_MISMATCH' | 'OAUTH_ISS_MISSING' | 'OAUTH_IMPLICIT_RESPONSE' | 'OAUTH_JARM_UNSUPPORTED' | 'OAUTH_CODE_MISSING'
  | 'OAUTH_REDIRECT_URI_MISMATCH' | 'OAUTH_TRANSACTION_NOT_FOUND' | 'OAUTH_TRANSACTION_EXPIRED' | 'OAUTH_TRANSACTION_INVALID'
  | 'OAUTH_AUTHORIZATION_ERROR' | 'OAUTH_TOKEN_ERROR' | 'OAUTH_INVALID_TOKEN_RESPONSE' | 'OAUTH_HTTP_STATUS'
  | 'OAUTH_INVALID_ID_TOKEN' | 'OAUTH_INVALID_SCOPE' | 'OAUTH_ENTRA_SCOPE_RULE' | 'OAUTH_STORAGE_UNAVAILABLE'
  | 'OAUTH_INTERACTION_REQUIRED' | 'OAUTH_SCOPE_NOT_GRANTED' | 'OAUTH_STORED_ENTRY_INVALID' | 'OAUTH_ORIGIN_NOT_ALLOWED'
  | 'OAUTH_NETWORK_ERROR' | 'OAUTH_PLATFORM_UNAVAILABLE' | 'OAUTH_INTERACTION_IN_PROGRESS';

/** Any error raised by browser-oauth. */
export class BrowserOAuthError extends Error {
  readonly code: ErrorCode;
}

/** The authorization server's own error (RFC 6749 §4.1.2.1 at the redirect, §5.2 at the token endpoint). */
export class OAuthServerError extends BrowserOAuthError {
  readonly code: 'OAUTH_AUTHORIZATION_ERROR' | 'OAUTH_TOKEN_ERROR';
  /** `error` exactly as sent, e.g. `access_denied`, `invalid_grant`, `consent_required`. */
  readonly error: string;
  /** Plain text from the server; never render it as HTML. */
  readonly errorDescription?: string;
  readonly errorUri?: string;
  /** Microsoft Entra AADSTS number from the description (a hint only). */
  readonly aadsts?: number;
  /** HTTP status of a token-endpoint error. */
  readonly status?: number;
}

/** Where the provider's endpoints come from. */
export type ProviderConfig =
  | { issuer: string; allowHttpLoopback?: boolean }
  | { issuer: string; authorizationEndpoint: string; tokenEndpoint: string; allowHttpLoopback?: boolean }
  | { entra: { tenant: 'common' | 'organizations' | 'consumers' | (string & {}); host?: string } };

export type ClientConfig = ProviderConfig & {
  clientId: string;
  /** The exact registered redirect URI; https, or http on loopback with `allowHttpLoopback`. */
  redirectUri: string;
  /** Default scopes for sign-in; `['openid']` when omitted. */
  scopes?: string[];
  /** Where the response arrives; `query` by default. */
  responseMode?: 'query' | 'fragment';
  /** Development only: allow http:// for 127.0.0.1, localhost and [::1]. */
  allowHttpLoopback?: boolean;
  /** Seconds of clock skew tolerated on ID token times (default 60). */
  clockSkew?: number;
};

export interface AuthorizationRequestOptions {
  /** Overrides the client's default scopes for this request. */
  scopes?: string[];
  prompt?: 'none' | 'login' | 'consent' | 'select_account' | 'create' | (string & {});
  loginHint?: string;
  /** Microsoft Entra `domain_hint`. */
  domainHint?: string;
  /** OIDC `max_age` in seconds; `auth_time` is then required and checked. */
  maxAge?: number;
  /** Further parameters (e.g. `ui_locales`, `claims`); the library's own cannot be overridden. */
  extraParams?: Record<string, string>;
}

export interface ProviderMetadata {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  endSessionEndpoint?: string;
  jwksUri?: string;
  revocationEndpoint?: string;
  userinfoEndpoint?: string;
  issParameterSupported: boolean;
}

export interface SignInResult {
  accessToken: string;
  /** Always `bearer` today. */
  tokenType: string;
  /** Unix seconds, computed from `expires_in` when the response arrived. */
  expiresAt?: number;
  refreshToken?: string;
  idToken?: string;
  /** Validated ID token claims (iss, aud, exp, iat, nonce, azp, auth_time checked). */
  claims?: Record<string, unknown> & { iss: string; sub: string; aud: string | string[]; exp: number; iat: number };
  /** Granted scopes: the server's `scope`, or the requested ones when it sent none (RFC 6749 §3.3). */
  scopes: string[];
  requestedScopes: string[];
  /** Requested scopes the grant does not cover (Azure DevOps `vso.*` inclusion honoured). */
  missingScopes: string[];
  /** The concrete issuer (Entra `{tenantid}` resolved from `tid`). */
  issuer: string;
}

export class OAuthClient {
  readonly issuer: string;
  readonly metadata: ProviderMetadata;
  /** Builds the authorization URL and keeps the pending sign-in in sessionStorage. */
  authorizationUrl(options?: AuthorizationRequestOptions): Promise<string>;
  /** Builds the authorization URL, keeps the pending sign-in, and navigates there. */
  signIn(options?: AuthorizationRequestOptions): Promise<void>;
  /** Handles the redirect; `null` when the URL carries no authorization response. */
  handleRedirect(url?: string): Promise<SignInResult | null>;
}

/** Validates the configuration (running discovery for a bare issuer) and returns a client. */
export function createClient(config: ClientConfig): Promise<OAuthClient>;

// ---- Low-level steps ----------------------------------------------------------------------

/** An opaque provider handle. */
export interface Provider { readonly metadata: ProviderMetadata }
/** An opaque, validated authorization response: the only input `exchangeCode` accepts. */
export interface ValidatedAuthorizationResponse { readonly __brand: 'ValidatedAuthorizationResponse' }

export function generatePkce(): { codeVerifier: string; codeChallenge: string; codeChallengeMethod: 'S256' };
export function pkceChallenge(codeVerifier: string): string;
export function resolveProvider(config: ProviderConfig): Promise<Provider>;
export function buildAuthorizationUrl(
  provider: Provider,
  client: Pick<ClientConfig, 'clientId' | 'redirectUri' | 'scopes' | 'responseMode' | 'allowHttpLoopback'>,
  request?: AuthorizationRequestOptions,
): { url: string; state: string; transaction: string };
export function validateAuthorizationResponse(provider: Provider, clientId: string, url: string, transaction: string): ValidatedAuthorizationResponse;
export function exchangeCode(provider: Provider, validated: ValidatedAuthorizationResponse): Promise<SignInResult>;
export function stripResponseParams(url: string, responseMode?: 'query' | 'fragment'): string | null;
