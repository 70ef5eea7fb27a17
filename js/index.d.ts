// Curated types for browser-oauth. The generated wasm glue is internal and not part of the API.
//
// Every options object is read from its own properties only (inherited ones, e.g. from a
// polluted Object.prototype, count as absent); arrays must be real arrays without holes. A
// storage adapter's methods may be its own or its class's, never Object.prototype's.

/** Where a .wasm file is, when a bundler moved it from next to its glue. */
export type WasmInput = URL | string | Request | Response | BufferSource | WebAssembly.Module;
/**
 * Loads both sign-in modules once each (`start`: begin a sign-in; `account`: the redirect and the
 * session), for the low-level steps; `createClient` loads what it needs by itself. Each .wasm is
 * by default next to its glue (`dist/wasm-start/`, `dist/wasm-account/`). The builds with the
 * Microsoft Entra rules (`dist/wasm-start-entra/`, `dist/wasm-account-entra/`,
 * `dist/wasm-session-entra/`) load when an Entra provider needs them, and the session module
 * (`dist/wasm-session/`) on a signed-in page; each loads here too when its option says where it is.
 */
export function init(input?: {
  start?: WasmInput; startEntra?: WasmInput;
  account?: WasmInput; accountEntra?: WasmInput;
  session?: WasmInput; sessionEntra?: WasmInput;
}): Promise<void>;
/**
 * Loads the consent module once: `checkAuthorizationRequest`, `describeScope`,
 * `azureDevOpsScopes`, `legacyAuthorizationUrl`, `validateLegacyCallback` and the scope operations
 * (`scopeCovers`, `toEntraScopes`, …) need it (they throw `OAUTH_NOT_INITIALIZED` before). Independent of `init()`; its .wasm is `dist/wasm-consent/`.
 */
export function initConsent(input?: WasmInput): Promise<void>;

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
  | 'OAUTH_INTERACTION_REQUIRED' | 'OAUTH_SCOPE_NOT_GRANTED' | 'OAUTH_RESOURCE_UNAUTHORIZED' | 'OAUTH_STORED_ENTRY_INVALID' | 'OAUTH_ORIGIN_NOT_ALLOWED'
  | 'OAUTH_NETWORK_ERROR' | 'OAUTH_PLATFORM_UNAVAILABLE' | 'OAUTH_INTERACTION_IN_PROGRESS' | 'OAUTH_ENTRA_BUILD_REQUIRED' | 'OAUTH_ACCOUNT_MISMATCH' | 'OAUTH_SERVER_UNAVAILABLE' | 'OAUTH_TIMEOUT'
  | 'OAUTH_WEB_AUTH_FLOW_CANCELLED' | 'OAUTH_WEB_AUTH_FLOW_FAILED'
  | 'OAUTH_POPUP_BLOCKED' | 'OAUTH_POPUP_CLOSED' | 'OAUTH_POPUP_TIMEOUT' | 'OAUTH_ABORTED'
  | 'OAUTH_DPOP_NOT_BOUND' | 'OAUTH_DPOP_UNSUPPORTED' | 'OAUTH_DPOP_INVALID';

/** What the error classes take after the message, as `Error` does (`cause`). */
export interface BrowserOAuthErrorOptions {
  cause?: unknown;
}

/** Any error raised by browser-oauth. */
export class BrowserOAuthError extends Error {
  /** As at runtime: the stable code first, then the message, then `Error`'s options. */
  constructor(code: ErrorCode, message?: string, options?: BrowserOAuthErrorOptions);
  readonly code: ErrorCode;
  /** For `OAUTH_INTERACTION_REQUIRED`, why. `'the refresh token was refused'` means the session was removed (and `signedout` announced). */
  readonly reason?: 'not signed in' | 'no refresh token' | 'the refresh token reached its fixed lifetime' | 'the refresh token was refused' | 'consent is required for the requested scopes' | (string & {});
  /** For `OAUTH_INTERACTION_REQUIRED` after the provider refused a refresh: its `error` (`invalid_grant`, …). */
  readonly error?: string;
  /** …its `error_description` (plain text: never render it as HTML). */
  readonly errorDescription?: string;
  /** …and the Microsoft Entra AADSTS number in it (`700084`: the SPA's 24 hours are over; `65001`: no consent). */
  readonly aadsts?: number;
}

/** The server's fields an `OAuthServerError` keeps (RFC 6749 §4.1.2.1, §5.2). */
export interface OAuthServerErrorFields {
  error: string;
  errorDescription?: string;
  errorUri?: string;
  aadsts?: number;
  status?: number;
}

/** The authorization server's own error (RFC 6749 §4.1.2.1 at the redirect, §5.2 at the token endpoint). */
export class OAuthServerError extends BrowserOAuthError {
  /** As at runtime: code, message, the server's fields (own properties only), `Error`'s options. */
  constructor(
    code: 'OAUTH_AUTHORIZATION_ERROR' | 'OAUTH_TOKEN_ERROR',
    message: string | undefined,
    fields: OAuthServerErrorFields,
    options?: BrowserOAuthErrorOptions,
  );
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
  | {
      entra: {
        /**
         * `common` and `organizations` accept any tenant (the `{tenantid}` issuer, checked against
         * each token's `tid`); `consumers` and a tenant id have one exact issuer; a domain
         * (`contoso.com`) is resolved to its tenant id through the tenant's discovery document
         * when the client is created (one fetch): pass the tenant id to skip it.
         */
        tenant: 'common' | 'organizations' | 'consumers' | (string & {});
        /** A national cloud's login host (default `login.microsoftonline.com`). */
        host?: string;
      };
    };

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
  /** Seconds of clock skew tolerated on ID token times, and how early tokens are refreshed (default 60). */
  clockSkew?: number;
  /**
   * Where the session (account, tokens) is kept. `'memory'` (default): gone with the page.
   * `'session'`: this tab, survives reloads. `'local'`: every tab, survives restarts; readable by
   * any script on the origin (XSS), so only choose it knowingly. Or an adapter, e.g. for
   * `chrome.storage.session` or IndexedDB.
   */
  storage?: 'memory' | 'session' | 'local' | StorageAdapter;
  /**
   * `'session'`, `'local'` and adapter storage are always sealed: AES-GCM with a non-extractable
   * key kept in IndexedDB (replaced at every sign-in and sign-out), so an edited, forged, replayed
   * (earlier sign-in) or copied (another profile) entry is removed (`storagepurged`) instead of
   * used. `encrypt: true` asks for the same explicitly; with `'memory'` it is `OAUTH_INVALID_OPTION`.
   * Without WebCrypto or IndexedDB a persistent store is `OAUTH_PLATFORM_UNAVAILABLE` at creation.
   * It keeps tokens out of the storage files and stops forgeries, not script in the page (XSS can
   * use the same key) nor a copy of the whole profile (IndexedDB, key included, is not encrypted).
   */
  encrypt?: boolean;
  /**
   * `'none-unsafe'` stores `'session'`, `'local'` or adapter entries as plain, unauthenticated
   * JSON: anyone who can write the storage can plant or edit a session that is then used as is.
   * Only for platforms without WebCrypto or IndexedDB; contradicts `encrypt: true`.
   */
  storageIntegrity?: 'none-unsafe';
  /** Origins `client.fetch` may send the access token to, e.g. `['https://dev.azure.com']`. */
  resourceOrigins?: string[];
  /**
   * Milliseconds a request to the provider may take before it fails with `OAUTH_TIMEOUT`
   * (discovery, token, revocation); 1,000 to 600,000, default 30,000.
   */
  requestTimeout?: number;
  /**
   * DPoP-bound tokens (RFC 9449): a non-extractable ES256 key pair per client (kept in IndexedDB
   * when `storage` is persistent, in memory with `'memory'`, deleted at sign-out), a proof on
   * every token request and on `client.fetch` (`Authorization: DPoP`), `dpop_jkt` in the
   * authorization request, one retry on a server's `use_dpop_nonce`. The provider must list
   * `ES256` in `dpop_signing_alg_values_supported` (discovery; else `OAUTH_DPOP_UNSUPPORTED` at
   * `createClient`), and every token must come back `token_type` `DPoP` (else
   * `OAUTH_DPOP_NOT_BOUND`). Its code and wasm module load only when this is `true`.
   */
  dpop?: boolean;
};

/**
 * A custom session store. Values are strings; methods may return promises. `get`, `set` and
 * `remove` may be own or class methods (not inherited from `Object.prototype`).
 */
export interface StorageAdapter {
  get(key: string): string | null | undefined | Promise<string | null | undefined>;
  set(key: string, value: string): void | Promise<void>;
  remove(key: string): void | Promise<void>;
}

/** Frozen: `getToken` hands the same object out again on a cache hit. */
export interface AccessTokenResult {
  readonly accessToken: string;
  /** `bearer`, or `dpop` with `dpop: true` (send it with `client.fetch`, which adds the proof). */
  readonly tokenType: string;
  /** Granted scopes of this token. */
  readonly scopes: readonly string[];
  /** Unix seconds, from `expires_in` at receipt. */
  readonly expiresAt?: number;
  /** `true` when this call refreshed the token. */
  readonly refreshed: boolean;
}

/** What the app holds for the signed-in user; never token values. */
export interface AccountInfo {
  issuer: string;
  sub: string;
  name?: string;
  username?: string;
  tenantId?: string;
  grantedScopes: string[];
  hasRefreshToken: boolean;
  /** Fixed refresh-token expiry (Microsoft Entra SPA: 24 h after sign-in): re-authentication is due then. */
  refreshExpiresAt?: number;
  signedInAt: number;
  /** Cached access tokens; with Microsoft Entra, one per resource (`resource`: `microsoft-graph`, `azure-devops`, `other`). */
  tokens: { scopes: string[]; resource?: 'oidc' | 'microsoft-graph' | 'azure-devops' | 'other'; expiresAt?: number; receivedAt: number }[];
}

export interface SignOutOptions {
  /** Exact registered post-logout redirect URI. */
  postLogoutRedirectUri?: string;
  /** Revoke the tokens at the provider (RFC 7009) when it supports it; default true. */
  revoke?: boolean;
  /** Navigate to the provider's logout page when there is one; default true. */
  navigate?: boolean;
}

export interface AuthorizationRequestOptions {
  /** Overrides the client's default scopes for this request. */
  scopes?: string[];
  /**
   * Microsoft Entra: scopes of other resources to collect consent for in the same interaction
   * (the token is for `scopes`); `getToken` for them later needs no interaction.
   */
  extraScopesToConsent?: string[];
  prompt?: 'none' | 'login' | 'consent' | 'select_account' | 'create' | (string & {});
  loginHint?: string;
  /** Microsoft Entra `domain_hint`. */
  domainHint?: string;
  /** OIDC `max_age` in seconds; `auth_time` is then required and checked. */
  maxAge?: number;
  /** Further parameters (e.g. `ui_locales`, `claims`); the library's own cannot be overridden. */
  extraParams?: Record<string, string>;
}

export interface PopupSignInOptions extends AuthorizationRequestOptions {
  /** Milliseconds before the sign-in fails with `OAUTH_POPUP_TIMEOUT` (1000 to 3600000); default 300000 (5 minutes). */
  popupTimeout?: number;
  /**
   * Whether a popup that reads closed ends the sign-in with `OAUTH_POPUP_CLOSED` (2 s after it is
   * first seen closed). Default `true`, except with Microsoft Entra: its pages send
   * `Cross-Origin-Opener-Policy: same-origin`, which severs the popup's handle so that it reads
   * closed while the person is still signing in; a closed popup then ends at `popupTimeout`.
   * Without `BroadcastChannel` in the browser it is always checked: no response can come then.
   */
  popupClosedCheck?: boolean;
  /**
   * Aborting it closes the popup and rejects with `OAUTH_ABORTED` (`cause`: the signal's reason);
   * a response arriving later is ignored. An aborted signal rejects before any window opens. Once
   * the response has arrived (the code is being exchanged), aborting changes nothing.
   */
  signal?: AbortSignal;
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
  /** `bearer`, or `dpop` for a client with `dpop: true`. */
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

/** What each event's `detail` holds. */
export interface OAuthClientEventMap {
  /** A sign-in completed; `otherTab` when another tab of the same client did it. */
  signedin: CustomEvent<{ otherTab: boolean }>;
  /** A token was refreshed (here or in another tab). */
  refreshed: CustomEvent<{ otherTab: boolean }>;
  /** The session ended (sign-out, or a refresh token the provider refused). */
  signedout: CustomEvent<{ otherTab: boolean }>;
  /** A corrupt, foreign or edited stored session was removed instead of used. */
  storagepurged: CustomEvent<{ code: 'OAUTH_STORED_ENTRY_INVALID'; message: string }>;
  /** The store refused to keep the session (quota, a failing IndexedDB): this tab goes on with it in memory. Once per client. */
  storagefailed: CustomEvent<{ code: 'OAUTH_STORAGE_UNAVAILABLE'; message: string }>;
}
export type OAuthClientEvent = keyof OAuthClientEventMap;

export class OAuthClient extends EventTarget {
  /** Made by `createClient` (or `createExtensionClient`) only. */
  private constructor();
  /** Listens to the client's events, with `detail` typed per event (`OAuthClientEventMap`); other types as `EventTarget`. */
  addEventListener<K extends OAuthClientEvent>(
    type: K,
    listener: (this: OAuthClient, event: OAuthClientEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  /** Removes a listener added with `addEventListener`. */
  removeEventListener<K extends OAuthClientEvent>(
    type: K,
    listener: (this: OAuthClient, event: OAuthClientEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
  readonly issuer: string;
  readonly metadata: ProviderMetadata;
  /**
   * An access token for `scopes`: cached while fresh, else refreshed once across tabs. Scopes
   * beyond the sign-in's grant: `OAUTH_SCOPE_NOT_GRANTED`, except with Microsoft Entra, where the
   * refresh token is redeemed for the other resource (one token per resource is cached) and a
   * resource without consent is `OAUTH_INTERACTION_REQUIRED` with reason
   * `'consent is required for the requested scopes'` (the session stays; sign in with those
   * scopes, same user, to add them).
   */
  getToken(scopes?: string[]): Promise<AccessTokenResult>;
  /** The signed-in account, or `null`. */
  account(): Promise<AccountInfo | null>;
  /** Signs out in every tab; resolves to the provider's logout URL or `null`. */
  signOut(options?: SignOutOptions): Promise<string | null>;
  /** Forgets (and by default revokes) cached access tokens with exactly these scopes, or all. Some providers end the whole grant when an access token is revoked. */
  forgetTokens(scopes?: string[], options?: { revoke?: boolean }): Promise<number>;
  /**
   * `fetch` with the access token, only to `resourceOrigins`. A relative URL is resolved against
   * `document.baseURI` (the worker's location in a worker), and that resolved URL is the one
   * checked and fetched. Other input than a string, `URL` or `Request` is refused. A DPoP-bound
   * token (`dpop: true`) goes as `Authorization: DPoP` with a proof for this method and URL, and
   * the request is sent once more when the resource asks for a nonce (`use_dpop_nonce`).
   */
  fetch(input: RequestInfo | URL, init?: RequestInit, options?: { scopes?: string[] }): Promise<Response>;
  /** Stops listening to other tabs. */
  close(): void;
  /** Builds the authorization URL and keeps the pending sign-in in sessionStorage. */
  authorizationUrl(options?: AuthorizationRequestOptions): Promise<string>;
  /** Builds the authorization URL, keeps the pending sign-in, and navigates there. */
  signIn(options?: AuthorizationRequestOptions): Promise<void>;
  /**
   * Loads what a sign-in needs ahead of time, for `beginSignIn` and `signInPopup`: the start module
   * and, in a window, the popup's code. `createExtensionClient` does it; `signIn` needs none of it.
   */
  prepareSignIn(): Promise<void>;
  /**
   * Starts a sign-in whose transaction stays inside the library (for `launchWebAuthFlow` and
   * service workers). `complete(redirectUrl)` validates, exchanges and keeps the session, once.
   * Synchronous: throws `OAUTH_NOT_INITIALIZED` on a page where the client loaded only the
   * session (a stored session or a redirect) until `prepareSignIn()` has resolved.
   */
  beginSignIn(options?: AuthorizationRequestOptions): { url: string; complete(redirectUrl: string): Promise<SignInResult> };
  /**
   * Signs in through a popup; this page keeps its state. Call it in the click handler: it opens
   * the popup synchronously, and throws `OAUTH_NOT_INITIALIZED` (synchronously) until
   * `prepareSignIn()` has resolved. The redirect page calls `handlePopupRedirect()`. Resolves
   * after the same checks as a redirect, with the session kept; rejects with `OAUTH_POPUP_BLOCKED`,
   * `OAUTH_POPUP_CLOSED`, `OAUTH_POPUP_TIMEOUT` or `OAUTH_ABORTED`, and nothing stays pending;
   * with Microsoft Entra in a browser without `BroadcastChannel`, `OAUTH_PLATFORM_UNAVAILABLE`.
   */
  signInPopup(options?: PopupSignInOptions): Promise<SignInResult>;
  /** Handles the redirect; `null` when the URL carries no authorization response. */
  handleRedirect(url?: string): Promise<SignInResult | null>;
}

/**
 * On the redirect page of a popup sign-in: hands the response to the page that opened the popup
 * (over a BroadcastChannel named after its `state`, which works when a Cross-Origin-Opener-Policy
 * severed `window.opener`, and by `postMessage` to this origin only), then closes the popup.
 * Loads no wasm. `false` (nothing done) when the URL has no `state`, or answers a page redirect
 * of this tab: call `handleRedirect()` then.
 */
export function handlePopupRedirect(): boolean;

/** Validates the configuration (running discovery for a bare issuer) and returns a client. */
export function createClient(config: ClientConfig): Promise<OAuthClient>;

// ---- Low-level steps ----------------------------------------------------------------------

/** An opaque provider handle. */
export interface Provider { readonly issuer: string; readonly metadata: ProviderMetadata }
/**
 * Type-only: the brand that keeps any other value from passing for a validated response. No such
 * property exists at runtime, and the symbol is not exported, so no value can be made to carry it.
 */
declare const validatedBrand: unique symbol;
/** An opaque, validated authorization response: the only input `exchangeCode` accepts. */
export interface ValidatedAuthorizationResponse {
  /** Type-only: no such property exists at runtime. */
  readonly [validatedBrand]: true;
}

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

// ---- Scopes (RFC 6749 §3.3, Azure DevOps, Microsoft Entra) ---------------------------------
// Every operation takes scopes bare (`vso.code`) or with an Azure DevOps resource prefix
// (`499b84ac-1321-427f-aa17-267ca6975798/vso.code`, `https://app.vssps.visualstudio.com/vso.code`);
// other scopes compare exactly. A list holds at most 256 RFC 6749 scope tokens.

/** `true` when `granted` carries every scope of `required`, Azure DevOps inclusion honoured. */
export function scopeCovers(granted: string[], required: string[]): boolean;
/** The scopes of `required` that `granted` does not carry, in order, without duplicates. */
export function scopeMissing(granted: string[], required: string[]): string[];
/** Drops scopes that another listed scope includes, and duplicates in any form. */
export function scopeMinimize(scopes: string[]): string[];
/** Adds every included scope, in the form (bare or prefixed) of the scope that brought it in. */
export function scopeExpand(scopes: string[]): string[];

/** Granted versus requested (RFC 6749 §3.3, §5.1). */
export interface GrantedScopes {
  /** What the token carries. */
  granted: string[];
  /** Requested scopes the grant does not carry (OIDC scopes never count). */
  missing: string[];
  /** Granted scopes beyond the request and what it includes. */
  extra: string[];
  /** `true` when the response had no `scope`: the grant is exactly the request. */
  asRequested: boolean;
}
/** `responseScope` is the token response's `scope`, parsed strictly; omit it when absent. */
export function compareGrantedScopes(requested: string[], responseScope?: string | null): GrantedScopes;

/** `['vso.code', 'vso.work_write']` → `['499b84ac-…/vso.code', '499b84ac-…/vso.work_write']`; OIDC scopes pass through. */
export function toEntraScopes(scopes: string[]): string[];
/** Throws `OAUTH_ENTRA_SCOPE_RULE` when Entra would refuse the request (`OAUTH_INVALID_SCOPE` for bad tokens). */
export function validateEntraScopes(scopes: string[]): void;

export type EntraResource = 'oidc' | 'microsoft-graph' | 'azure-devops' | 'other';
export type EntraRule = 'unprefixed-azure-devops' | 'default-mixed' | 'multiple-resources';
export interface EntraAnalysis {
  /** Each scope as Entra reads it: resource, prefix as written (empty when none), permission. */
  scopes: { scope: string; resource: EntraResource; prefix: string; value: string }[];
  /** Broken rules, with the first scope that broke each. */
  violations: { rule: EntraRule; message: string; scope: string }[];
  /** `.default` and `user_impersonation`: broad rather than named access. */
  broad: string[];
}
export function analyzeEntraScopes(scopes: string[]): EntraAnalysis;

/** A scope of the Azure DevOps catalog (docs table, ms.date 07/16/2025). */
export interface AzureDevOpsScope {
  /** `vso.code_write` */
  name: string;
  /** `499b84ac-1321-427f-aa17-267ca6975798/vso.code_write` */
  entraScope: string;
  /** The docs category, e.g. `Code`, `Work Items`. */
  area: string;
  /** A short plain-language title. */
  title: string;
  /** One plain-language sentence. */
  description: string;
  /** The docs' high-privilege flag. */
  highPrivilege: boolean;
  /** `user_impersonation`: full access as the user. */
  fullAccess: boolean;
  /** Scopes this one includes directly (docs column "Inherits From"); `scopeExpand` gives all. */
  includes: string[];
  status: 'current';
}
/** A name older docs or extension manifests used, not offered to OAuth apps today. */
export interface RetiredAzureDevOpsScope {
  name: string;
  status: 'retired' | 'manifest-only';
  /** What happened to a retired scope. */
  note?: string;
}
/** The catalog entry of a bare or prefixed scope; `null` when the name is not an Azure DevOps scope. Needs `initConsent()`. */
export function describeScope(scope: string): AzureDevOpsScope | RetiredAzureDevOpsScope | null;
/** The 86 current Azure DevOps scopes, in docs order. Needs `initConsent()`. */
export function azureDevOpsScopes(): AzureDevOpsScope[];

// ---- Consent checks ---------------------------------------------------------------------------

export interface ConsentExpectations {
  /** The app's client_id; another one is blocked (`CLIENT_ID_MISMATCH`). */
  clientId?: string;
  /** The app's exact redirect_uri; another or a missing one is blocked (`REDIRECT_URI_MISMATCH`). */
  redirectUri?: string;
  /** Extra authorization-server hosts to trust exactly (hosts only; HTTPS still required). */
  trustedAuthorityHosts?: string[];
  /** Development only: trust http and any port on loopback. Each use is reported as a warning. */
  dangerouslyAllowHttpLoopbackAuthority?: boolean;
  /**
   * The app sends a request object (`request` or `request_uri`). Without it such a request is
   * blocked (`REQUEST_OBJECT`): it can replace every other parameter. With it the finding is
   * `info`, and the parameters inside the request object are still not checked.
   */
  allowRequestObject?: boolean;
  /**
   * The Azure DevOps REST calls the app makes: `"GET https://dev.azure.com/…"` (a bare URL is a
   * GET) or `{ method, url }`. The requested scopes are then judged against what these calls need
   * (`SCOPE_NOT_NEEDED`, `SCOPE_BROADER_THAN_NEEDED`, `SCOPE_OVER_ASK`, `OPERATION_NOT_COVERED`,
   * `OPERATION_UNKNOWN`) and the report carries `neededScopes`. At most 256 calls.
   */
  operations?: AzureDevOpsCall[];
}

export type ConsentVerdict = 'ok' | 'warn' | 'block';
export type FindingSeverity = 'info' | 'warn' | 'block';
export interface ConsentFinding {
  /** Stable code, e.g. `AUTHORITY_LOOKALIKE`, `PKCE_MISSING`, `SCOPE_HIGH_PRIVILEGE`. */
  code: string;
  severity: FindingSeverity;
  /** One short plain-language line. It may quote the URL: render it as text, never as HTML. */
  message: string;
}
export type AuthorityKind =
  | 'entra-global' | 'entra-us-government' | 'entra-china' | 'entra-sovereign' | 'entra-germany-closed'
  | 'legacy-azure-devops' | 'trusted' | 'unknown';
export interface ConsentScope {
  /** The scope as requested. */
  scope: string;
  /** `true` for a current Azure DevOps catalog scope. */
  known: boolean;
  resource: EntraResource;
  status: 'current' | 'retired' | 'manifest-only' | 'unknown';
  /** What happened to a retired scope. */
  note?: string;
  /** Azure DevOps area, title and description, for known scopes. */
  area?: string;
  title?: string;
  description?: string;
  highPrivilege: boolean;
  /** `user_impersonation`: acts as the user across the resource. */
  fullAccess: boolean;
  /** `.default` or `user_impersonation`. */
  broad: boolean;
  /** What a known Azure DevOps scope unlocks, from the REST operations it grants ("delete repositories"). */
  examples?: string[];
}
export interface ConsentReport {
  /** The most severe finding: `block` means do not continue. */
  verdict: ConsentVerdict;
  /** Every finding, in the order checked (authority, parameters, scopes). */
  findings: ConsentFinding[];
  /** The authorization server; `null` when the URL could not be read. */
  authority: { host: string; kind: AuthorityKind; tenant?: string } | null;
  clientId?: string;
  redirectUri?: string;
  scopes: ConsentScope[];
  /** With `expectations.operations`: the fewest scopes those calls need (Entra-prefixed for an Entra authority). */
  neededScopes?: string[];
}
/** Judges an authorization request URL before anyone approves it; any string gives a report. Needs `initConsent()`. */
export function checkAuthorizationRequest(url: string, expectations?: ConsentExpectations): ConsentReport;

// ---- Azure DevOps REST operations ---------------------------------------------------------

/** A call to the Azure DevOps REST API: `"METHOD URL"` (a bare URL is a GET) or `{ method, url }`. */
export type AzureDevOpsCall = string | { method?: string; url: string };
/** What `requiredScopes` says about a call. */
export type RequiredScopes =
  | {
    kind: 'operation';
    /** Any one of these (or a scope including one) allows the call; empty when the specs declare none. */
    scopes: string[];
    method: string;
    /** The service host as the specs write it (`dev.azure.com`, `vsrm.dev.azure.com`). */
    host: string;
    /** The path template (`/{organization}/{project}/_apis/git/repositories`). */
    path: string;
  }
  | { kind: 'unknown' }
  | { kind: 'not-azure-devops' };
/** The Azure DevOps REST operation (API 7.1) `method` on `url` calls, and the scopes that allow it. Needs `initConsent()`. */
export function requiredScopes(method: string, url: string): RequiredScopes;
export interface MinimalScopes {
  /** The fewest catalog scopes allowing every known call, in catalog order. */
  scopes: string[];
  /** `false` only when the search ran out of budget (a greedy-or-better set). */
  exact: boolean;
  /** The calls not known to the table or not to Azure DevOps, as given. */
  unknown: string[];
}
/** The fewest Azure DevOps scopes that allow every call (`entra: true`: resource-prefixed). Needs `initConsent()`. */
export function minimalScopes(calls: AzureDevOpsCall[], options?: { entra?: boolean }): MinimalScopes;

// ---- Legacy Azure DevOps OAuth (app.vssps.visualstudio.com) ---------------------------------

export interface LegacyAuthorizationRequest {
  /** The app's GUID. */
  clientId: string;
  /** The registered https callback, sent exactly as given. */
  redirectUri: string;
  /** Current bare `vso.*` scopes. */
  scopes: string[];
  /** An unguessable value to keep until the callback, e.g. `crypto.randomUUID()`. */
  state: string;
}
/** `https://app.vssps.visualstudio.com/oauth2/authorize?client_id=…&response_type=Assertion&state=…&scope=…&redirect_uri=…` */
export function legacyAuthorizationUrl(request: LegacyAuthorizationRequest): string;
/**
 * Checks the callback's redirect URI, `state` and `error`, and returns the authorization code for
 * the app's server (which redeems it with the client secret). Server errors are `OAuthServerError`.
 */
export function validateLegacyCallback(url: string, expectedState: string, expectedRedirectUri: string): string;

// ---- Browser extensions (Manifest V3) -----------------------------------------------------------
// Sign-in through `chrome.identity.launchWebAuthFlow` / `browser.identity.launchWebAuthFlow`,
// from an extension page or the service worker (no window, document, history or Web Storage).

/** The part of `chrome.identity` / `browser.identity` the adapter uses. */
export interface WebAuthFlowIdentity {
  launchWebAuthFlow(details: {
    url: string;
    interactive?: boolean;
    abortOnLoadForNonInteractive?: boolean;
    timeoutMsForNonInteractive?: number;
  }): Promise<string | undefined>;
  getRedirectURL(path?: string): string;
}

export interface WebAuthFlowOptions extends AuthorizationRequestOptions {
  /** Show the provider's pages (default `true`). `false` succeeds only when the provider redirects back at once. */
  interactive?: boolean;
  /** Default: `globalThis.browser?.identity ?? globalThis.chrome?.identity`. */
  identity?: WebAuthFlowIdentity;
  /** Sees the authorization URL before it is sent; only `true` lets the flow start (else `OAUTH_WEB_AUTH_FLOW_CANCELLED`). */
  confirm?(url: string): boolean | Promise<boolean>;
  /** Chrome 113+, non-interactive only: passed on as is when set. */
  abortOnLoadForNonInteractive?: boolean;
  /** Chrome 113+, non-interactive only: passed on as is when set. */
  timeoutMsForNonInteractive?: number;
}

/**
 * Signs in with the browser's web auth flow and keeps the session in the client's store. The URL
 * the flow returns gets the same checks as a page redirect. Rejects with
 * `OAUTH_WEB_AUTH_FLOW_CANCELLED` (window closed, user refused, `confirm` said no),
 * `OAUTH_INTERACTION_REQUIRED` (a non-interactive flow would have shown a page; `reason` is
 * `'the web auth flow needs user interaction'`), `OAUTH_WEB_AUTH_FLOW_FAILED` (any other browser
 * failure), or an `OAuthServerError` for the provider's own error (e.g. `access_denied`,
 * `login_required` with `prompt: 'none'`).
 */
export function signInWithWebAuthFlow(client: OAuthClient, options?: WebAuthFlowOptions): Promise<SignInResult>;

/** `identity.getRedirectURL(path)`: `https://<extension-id>.chromiumapp.org/<path>` in Chrome. Register exactly this. */
export function extensionRedirectUri(path?: string, options?: { identity?: WebAuthFlowIdentity }): string;

/** A `chrome.storage` area with promise-returning methods (`chrome.storage.session` by default). */
export interface ExtensionStorageArea {
  get(keys: string): Promise<Record<string, unknown>>;
  set(items: Record<string, string>): Promise<void>;
  remove(keys: string): Promise<void>;
}

/** A `StorageAdapter` on `chrome.storage.session` (or the given area); throws `OAUTH_STORAGE_UNAVAILABLE` without one. */
export function chromeSessionStorage(area?: ExtensionStorageArea): StorageAdapter;

type WithoutRedirectUri<T> = T extends unknown ? Omit<T, 'redirectUri'> : never;
/** `ClientConfig` whose `redirectUri` defaults to `identity.getRedirectURL()` and `storage` to `chrome.storage.session`. */
export type ExtensionClientConfig = WithoutRedirectUri<ClientConfig> & { redirectUri?: string; identity?: WebAuthFlowIdentity };

/** `createClient` with the extension defaults (redirect URI from `getRedirectURL()`, session in `chrome.storage.session`). */
export function createExtensionClient(config: ExtensionClientConfig): Promise<OAuthClient>;

// Only the names above are the package's; the helpers in this file (the brand symbol,
// WithoutRedirectUri) stay private to it.
export {};
