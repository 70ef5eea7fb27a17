// @auth0/auth0-spa-js 2.27.0: createAuth0Client + loginWithRedirect / handleRedirectCallback.
import { createAuth0Client } from '@auth0/auth0-spa-js';

/** Returns `begin()`: `loginWithRedirect()`; with `navigate`, through its `openUrl` option. */
export async function prepareSignIn(options, navigate) {
  const auth0 = await createAuth0Client(options);
  return () => auth0.loginWithRedirect(navigate ? { openUrl: navigate } : undefined);
}

/** On the redirect page. */
export async function finishSignIn(options) {
  const auth0 = await createAuth0Client(options);
  return auth0.handleRedirectCallback();
}
