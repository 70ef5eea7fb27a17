// browser-oauth: the package entry. Declares and re-exports only.
export { init } from './loader.js';
export { BrowserOAuthError, OAuthServerError } from './errors.js';
export { createClient, OAuthClient } from './client.js';
export { handlePopupRedirect } from './popup-redirect.js';
export {
  generatePkce,
  pkceChallenge,
  resolveProvider,
  buildAuthorizationUrl,
  validateAuthorizationResponse,
  exchangeCode,
  stripResponseParams,
} from './steps.js';
export {
  scopeCovers,
  scopeMissing,
  scopeMinimize,
  scopeExpand,
  compareGrantedScopes,
  toEntraScopes,
  validateEntraScopes,
  analyzeEntraScopes,
} from './scopes.js';
export {
  initConsent,
  checkAuthorizationRequest,
  requiredScopes,
  minimalScopes,
  describeScope,
  azureDevOpsScopes,
  legacyAuthorizationUrl,
  validateLegacyCallback,
} from './consent.js';
export { signInWithWebAuthFlow, extensionRedirectUri, chromeSessionStorage, createExtensionClient } from './extension.js';
