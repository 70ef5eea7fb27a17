// browser-oauth: createClient + authorizationUrl / handleRedirect (the package's public entry).
import { createClient } from '../../js/index.js';

/** Returns `begin()`: builds the authorization URL (transaction kept) and calls `navigate`. */
export async function prepareSignIn(config, navigate = (url) => location.assign(url)) {
  const client = await createClient(config);
  return async () => navigate(await client.authorizationUrl());
}

/** On the redirect page. */
export async function finishSignIn(config) {
  const client = await createClient(config);
  return client.handleRedirect();
}
