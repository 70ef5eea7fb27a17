// The high-level client: sign in with a redirect, handle the redirect, get the result.
import { init, wasm } from './loader.js';
import { BrowserOAuthError, guard } from './errors.js';

/** A configured OAuth 2.0 / OpenID Connect client; create it with `createClient`. */
export class OAuthClient {
  #inner;

  constructor(inner) {
    this.#inner = inner;
  }

  /** The issuer (for Entra multi-tenant authorities, the `{tenantid}` template). */
  get issuer() {
    return this.#inner.issuer;
  }

  /** The endpoints and capabilities the client uses. */
  get metadata() {
    return guard(() => this.#inner.metadata);
  }

  /** Builds the authorization URL and keeps the pending sign-in in sessionStorage. */
  async authorizationUrl(options) {
    return guard(() => this.#inner.authorizationUrl(options));
  }

  /** Like `authorizationUrl`, then navigates there. */
  async signIn(options) {
    return guard(() => this.#inner.signIn(options));
  }

  /**
   * On the redirect page: validates the response, removes the OAuth parameters from the
   * address bar, exchanges the code. Resolves to `null` when the URL carries no response.
   */
  async handleRedirect(url) {
    if (url !== undefined && typeof url !== 'string') {
      throw new BrowserOAuthError('OAUTH_INVALID_OPTION', 'option url is invalid: must be a string');
    }
    return guard(() => this.#inner.handleRedirect(url));
  }
}

/** Validates the configuration, runs discovery if needed, and returns a client. */
export async function createClient(config) {
  await init();
  const inner = await guard(() => wasm().WasmClient.create(config));
  return new OAuthClient(inner);
}
