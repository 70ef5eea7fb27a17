// A consumer of the whole public API, type-checked with `tsc --strict --noEmit` under
// moduleResolution `bundler` and `node16` (tests/types/types.test.mjs). It is never run: it
// proves that what the README and index.d.ts promise compiles in a strict app, and the
// `@ts-expect-error` lines prove that misuse does not (tsc fails when such a line has no error).
// It imports the package by its name, so `exports` in package.json is what resolves it.
import {
  init,
  initConsent,
  BrowserOAuthError,
  OAuthServerError,
  createClient,
  OAuthClient,
  generatePkce,
  pkceChallenge,
  resolveProvider,
  buildAuthorizationUrl,
  validateAuthorizationResponse,
  exchangeCode,
  stripResponseParams,
  scopeCovers,
  scopeMissing,
  scopeMinimize,
  scopeExpand,
  compareGrantedScopes,
  toEntraScopes,
  validateEntraScopes,
  analyzeEntraScopes,
  checkAuthorizationRequest,
  requiredScopes,
  minimalScopes,
  describeScope,
  azureDevOpsScopes,
  legacyAuthorizationUrl,
  validateLegacyCallback,
  signInWithWebAuthFlow,
  extensionRedirectUri,
  chromeSessionStorage,
  createExtensionClient,
  handlePopupRedirect,
} from 'browser-oauth';
import type {
  AccessTokenResult,
  AccountInfo,
  ClientConfig,
  AzureDevOpsCall,
  ConsentReport,
  ErrorCode,
  OAuthClientEvent,
  PopupSignInOptions,
  Provider,
  SignInResult,
  StorageAdapter,
  ValidatedAuthorizationResponse,
  WebAuthFlowIdentity,
} from 'browser-oauth';
import * as eager from 'browser-oauth/eager';

declare function show(text: string): void;

// ---- Loading ----------------------------------------------------------------------------------
export async function loading(): Promise<void> {
  await init();
  await init({ start: new URL('https://cdn.example/start.wasm'), account: '/account.wasm', startEntra: '/entra.wasm' });
  await init({ session: '/session.wasm', accountEntra: '/account-entra.wasm', sessionEntra: await fetch('/session-entra.wasm') });
  await initConsent();
  await initConsent('/consent.wasm');
  // @ts-expect-error init takes an object of locations, not one location
  await init('/start.wasm');
  await eager.init();
}

// ---- The client -------------------------------------------------------------------------------
export async function client(): Promise<void> {
  const config: ClientConfig = {
    issuer: 'http://127.0.0.1:3000',
    clientId: 'spa',
    redirectUri: 'http://127.0.0.1:8080/',
    allowHttpLoopback: true,
    scopes: ['openid', 'offline_access'],
    storage: 'session',
    resourceOrigins: ['https://api.example'],
  };
  const c: OAuthClient = await createClient(config);
  const entra = await createClient({ entra: { tenant: 'organizations' }, clientId: 'x', redirectUri: 'https://app.example/' });
  // @ts-expect-error a client needs either an issuer or entra
  await createClient({ clientId: 'x', redirectUri: 'https://app.example/' });
  // @ts-expect-error storage is one of three names or an adapter
  await createClient({ ...config, storage: 'cookie' });
  await createClient({ ...config, dpop: true });
  // @ts-expect-error dpop is a boolean
  await createClient({ ...config, dpop: 'ES256' });
  // @ts-expect-error the client is made by createClient only
  new OAuthClient();

  const issuer: string = c.issuer;
  const tokenEndpoint: string = entra.metadata.tokenEndpoint;
  show(issuer + tokenEndpoint);

  const result: SignInResult | null = await c.handleRedirect();
  if (result) {
    show(result.claims?.sub ?? 'no ID token');
    // @ts-expect-error claims are absent without an ID token (no openid scope)
    show(result.claims.sub);
    show(`${result.accessToken} ${result.refreshToken ?? ''} ${result.scopes.join(' ')} ${result.missingScopes.length}`);
  }
  await c.handleRedirect('https://app.example/?code=x&state=y');
  await c.signIn({ scopes: ['openid'], prompt: 'consent', loginHint: 'alice', extraParams: { ui_locales: 'fr' } });
  const url: string = await c.authorizationUrl({ maxAge: 300, domainHint: 'contoso.com' });
  await c.prepareSignIn();
  const begun = c.beginSignIn({ prompt: 'none' });
  const completed: SignInResult = await begun.complete(url + begun.url);
  show(completed.issuer);
  const popupOptions: PopupSignInOptions = { scopes: ['openid', 'api'], popupTimeout: 60_000, popupClosedCheck: false, prompt: 'consent' };
  const popped: SignInResult = await c.signInPopup(popupOptions);
  show(popped.scopes.join(' ') + (await c.signInPopup()).issuer);
  // @ts-expect-error popupTimeout is milliseconds, a number
  await c.signInPopup({ popupTimeout: '5m' });
  const cancel = new AbortController();
  await c.signInPopup({ signal: cancel.signal, popupTimeout: 60_000 });
  // @ts-expect-error signal is an AbortSignal, not its controller
  await c.signInPopup({ signal: cancel });
  const aborted: ErrorCode = 'OAUTH_ABORTED';
  show(aborted);
  const handed: boolean = handlePopupRedirect();
  if (!handed) await c.handleRedirect();
  const code: ErrorCode = 'OAUTH_POPUP_CLOSED';
  show(code);

  const token: AccessTokenResult = await c.getToken(['openid']);
  show(`${token.accessToken} ${token.expiresAt ?? 0} ${token.refreshed}`);
  const account: AccountInfo | null = await c.account();
  if (account) show(`${account.sub} ${account.username ?? ''} ${account.tokens.length} ${account.hasRefreshToken}`);
  const response: Response = await c.fetch('https://api.example/me', { method: 'GET' }, { scopes: ['api'] });
  show(String(response.status));
  const forgotten: number = await c.forgetTokens(['api'], { revoke: false });
  show(String(forgotten));
  const logout: string | null = await c.signOut({ postLogoutRedirectUri: 'https://app.example/', revoke: true, navigate: false });
  show(logout ?? '');
  c.close();
}

// ---- Events: `detail` is typed per event ------------------------------------------------------
export function events(c: OAuthClient): void {
  const onSignedIn = (e: CustomEvent<{ otherTab: boolean }>) => show(e.detail.otherTab ? 'other tab' : 'this tab');
  c.addEventListener('signedin', onSignedIn);
  c.removeEventListener('signedin', onSignedIn);
  c.addEventListener('refreshed', (e) => show(String(e.detail.otherTab)));
  c.addEventListener('signedout', (e) => show(String(e.detail.otherTab)), { once: true });
  c.addEventListener('storagepurged', (e) => {
    const code: 'OAUTH_STORED_ENTRY_INVALID' = e.detail.code;
    show(code + e.detail.message);
  });
  // @ts-expect-error signedin's detail has no code
  c.addEventListener('signedin', (e) => show(e.detail.code));
  // Other event types fall back to EventTarget's own signature.
  c.addEventListener('custom', (e: Event) => show(e.type));
  const names: OAuthClientEvent[] = ['signedin', 'refreshed', 'signedout', 'storagepurged'];
  // @ts-expect-error not an event of the client
  const wrong: OAuthClientEvent = 'signedup';
  show(names.join() + wrong);
}

// ---- Errors: the declared constructors are the runtime's --------------------------------------
export function errors(e: unknown): void {
  const plain = new BrowserOAuthError('OAUTH_STATE_MISMATCH', 'state in the response does not match the request');
  const caused = new BrowserOAuthError('OAUTH_NETWORK_ERROR', 'the request failed before a response arrived', { cause: e });
  const bare = new BrowserOAuthError('OAUTH_NOT_INITIALIZED');
  const server = new OAuthServerError('OAUTH_TOKEN_ERROR', 'token endpoint returned invalid_grant', {
    error: 'invalid_grant',
    errorDescription: 'AADSTS700084: expired',
    aadsts: 700084,
    status: 400,
  });
  const redirect = new OAuthServerError('OAUTH_AUTHORIZATION_ERROR', undefined, { error: 'access_denied' }, { cause: e });
  // @ts-expect-error the first argument is the code, not the message
  new BrowserOAuthError('Sign-in failed');
  // @ts-expect-error options are an object, not a second message
  new BrowserOAuthError('OAUTH_INVALID_OPTION', 'a', 'b');
  // @ts-expect-error a server error's code is one of the two server codes
  new OAuthServerError('OAUTH_STATE_MISMATCH', 'x', { error: 'x' });
  // @ts-expect-error a server error keeps the server's `error`
  new OAuthServerError('OAUTH_TOKEN_ERROR', 'x', {});
  const codes: ErrorCode[] = [plain.code, caused.code, bare.code, server.code, redirect.code];
  show(codes.join());
  show(`${server.error} ${server.errorDescription ?? ''} ${server.errorUri ?? ''} ${server.aadsts ?? ''} ${server.status ?? ''}`);

  if (e instanceof OAuthServerError) {
    const code: 'OAUTH_AUTHORIZATION_ERROR' | 'OAUTH_TOKEN_ERROR' = e.code;
    show(code + e.error);
  } else if (e instanceof BrowserOAuthError) {
    if (e.code === 'OAUTH_INTERACTION_REQUIRED' && e.reason === 'the refresh token was refused') show('signed out');
    // @ts-expect-error codes are a closed union
    if (e.code === 'OAUTH_NO_SUCH_CODE') show('never');
    show(e.message + (e.cause === undefined ? '' : ' (caused)'));
  }
}

// ---- The low-level steps ----------------------------------------------------------------------
export async function steps(location: string, kept: string): Promise<SignInResult> {
  await init();
  const pkce = generatePkce();
  const method: 'S256' = pkce.codeChallengeMethod;
  const challenge: string = pkceChallenge(pkce.codeVerifier);
  show(method + challenge + pkce.codeChallenge);
  const provider: Provider = await resolveProvider({ issuer: 'https://login.example.com' });
  await resolveProvider({ issuer: 'http://127.0.0.1:3000', authorizationEndpoint: 'http://127.0.0.1:3000/auth', tokenEndpoint: 'http://127.0.0.1:3000/token', allowHttpLoopback: true });
  await resolveProvider({ entra: { tenant: 'contoso.com', host: 'login.microsoftonline.us' } });
  const { url, state, transaction } = buildAuthorizationUrl(provider, { clientId: 'spa', redirectUri: 'https://app.example/cb', scopes: ['openid'] }, { prompt: 'login' });
  show(url + state + transaction + provider.metadata.authorizationEndpoint);
  const validated: ValidatedAuthorizationResponse = validateAuthorizationResponse(provider, 'spa', location, kept);
  // @ts-expect-error only a validated response can be exchanged, not a URL
  await exchangeCode(provider, location);
  // @ts-expect-error nor a look-alike object: the brand is type-only and cannot be named
  await exchangeCode(provider, { __brand: 'ValidatedAuthorizationResponse' });
  const stripped: string | null = stripResponseParams(location, 'fragment');
  show(stripped ?? stripResponseParams(location) ?? '');
  return exchangeCode(provider, validated);
}

// ---- Scopes -----------------------------------------------------------------------------------
export function scopes(): void {
  const covers: boolean = scopeCovers(['vso.code_write'], ['vso.code']);
  const missing: string[] = scopeMissing(['vso.work'], ['vso.work', 'vso.work_write']);
  const minimal: string[] = scopeMinimize(['vso.code', 'vso.code_write']);
  const expanded: string[] = scopeExpand(['vso.code_write']);
  const granted = compareGrantedScopes(['vso.code'], 'vso.code_write');
  show(`${covers} ${missing} ${minimal} ${expanded} ${granted.missing} ${granted.extra} ${granted.asRequested} ${granted.granted}`);
  compareGrantedScopes(['openid'], null);
  compareGrantedScopes(['openid']);
  const entra: string[] = toEntraScopes(['openid', 'vso.code']);
  validateEntraScopes(entra);
  const analysis = analyzeEntraScopes(entra);
  for (const v of analysis.violations) show(`${v.rule} ${v.message} ${v.scope}`);
  for (const s of analysis.scopes) show(`${s.resource} ${s.prefix} ${s.value}`);
  show(analysis.broad.join());
}

// ---- Consent checks and the Azure DevOps catalog ------------------------------------------------
export async function consent(url: string): Promise<void> {
  await initConsent();
  const report: ConsentReport = checkAuthorizationRequest(url, {
    clientId: 'app',
    redirectUri: 'https://app.example/cb',
    trustedAuthorityHosts: ['accounts.example.com'],
    dangerouslyAllowHttpLoopbackAuthority: false,
    allowRequestObject: false,
  });
  const verdict: 'ok' | 'warn' | 'block' = report.verdict;
  show(verdict + (report.authority?.kind ?? '') + (report.authority?.tenant ?? ''));
  for (const f of report.findings) show(`${f.code} ${f.severity} ${f.message}`);
  for (const s of report.scopes) show(`${s.scope} ${s.status} ${s.highPrivilege} ${s.area ?? ''}`);
  const described = describeScope('vso.code_write');
  if (described && described.status === 'current') show(`${described.title} ${described.entraScope} ${described.includes}`);
  else if (described) show(`${described.name} ${described.note ?? ''}`);
  for (const s of azureDevOpsScopes()) show(`${s.name} ${s.area} ${s.fullAccess}`);
  // Least privilege for Azure DevOps: the operation table.
  const calls: AzureDevOpsCall[] = ['GET https://dev.azure.com/o/p/_apis/git/repositories', { method: 'POST', url: 'https://dev.azure.com/o/p/_apis/build/builds' }];
  const required = requiredScopes('GET', 'https://dev.azure.com/o/_apis/projects');
  if (required.kind === 'operation') show(`${required.scopes.join()} ${required.method} ${required.host} ${required.path}`);
  // @ts-expect-error an unknown call carries no scopes
  if (required.kind === 'unknown') show(required.scopes.join());
  const minimal = minimalScopes(calls, { entra: true });
  const least: string[] = minimal.scopes;
  show(`${least} ${minimal.exact} ${minimal.unknown}`);
  const judged = checkAuthorizationRequest(url, { operations: calls });
  show(`${judged.neededScopes?.join() ?? ''} ${judged.scopes.map((s) => s.examples?.join() ?? '').join()}`);
  const legacy: string = legacyAuthorizationUrl({ clientId: 'guid', redirectUri: 'https://app.example/cb', scopes: ['vso.code'], state: 's' });
  const code: string = validateLegacyCallback(legacy, 's', 'https://app.example/cb');
  show(code);
}

// ---- Browser extensions -----------------------------------------------------------------------
export async function extension(identity: WebAuthFlowIdentity): Promise<void> {
  const redirect: string = extensionRedirectUri();
  show(extensionRedirectUri('cb', { identity }) + redirect);
  const area = {
    get: async (key: string) => ({ [key]: 'v' }),
    set: async (_items: Record<string, string>) => {},
    remove: async (_key: string) => {},
  };
  const store: StorageAdapter = chromeSessionStorage(area);
  chromeSessionStorage();
  const c = await createExtensionClient({ entra: { tenant: 'organizations' }, clientId: 'x', scopes: ['openid'], storage: store, identity });
  await createExtensionClient({ issuer: 'https://login.example.com', clientId: 'x', redirectUri: 'https://id.chromiumapp.org/' });
  const r: SignInResult = await signInWithWebAuthFlow(c, {
    interactive: false,
    identity,
    confirm: async (url) => url.startsWith('https://'),
    prompt: 'none',
    timeoutMsForNonInteractive: 5000,
  });
  show(r.claims?.sub ?? '');
  await eager.signInWithWebAuthFlow(c);
}
