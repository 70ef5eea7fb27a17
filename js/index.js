// browser-oauth: the package entry. Declares and re-exports only.
export { init } from './loader.js';
export { BrowserOAuthError, OAuthServerError } from './errors.js';
export { createClient, OAuthClient } from './client.js';
export {
  generatePkce,
  pkceChallenge,
  resolveProvider,
  buildAuthorizationUrl,
  validateAuthorizationResponse,
  exchangeCode,
  stripResponseParams,
} from './steps.js';
