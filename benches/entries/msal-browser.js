// @azure/msal-browser 5.29.0: PublicClientApplication redirect sign-in
// (initialize, handleRedirectPromise, loginRedirect).
import { PublicClientApplication } from '@azure/msal-browser';

/**
 * Returns `begin()`: `loginRedirect()` on one initialised PublicClientApplication. With
 * `navigate`, `onRedirectNavigate` hands the URL over and returns false (no navigation).
 */
export async function prepareSignIn(config, navigate) {
  const auth = navigate
    ? { ...config.auth, onRedirectNavigate: (url) => { navigate(url); return false; } }
    : config.auth;
  const pca = new PublicClientApplication({ ...config, auth });
  await pca.initialize();
  return () => pca.loginRedirect({ scopes: ['openid', 'profile'] });
}

/** On the redirect page. */
export async function finishSignIn(config) {
  const pca = new PublicClientApplication(config);
  await pca.initialize();
  return pca.handleRedirectPromise();
}
