// browser-oauth: createClient + authorizationUrl / handleRedirect (the package's public entry).
// The sign-in start needs the start module only; handleRedirect loads the account module with
// `import()`, which a bundler with code splitting puts in a chunk of its own (the size table's
// two pages, benches/run.mjs).
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
