// oidc-client-ts 3.5.0: UserManager redirect sign-in (signinRedirect / signinRedirectCallback).
import { UserManager } from 'oidc-client-ts';

// `navigate` given: a redirect navigator that hands the URL over instead of leaving the page.
function navigator(navigate) {
  return {
    async prepare() {
      return {
        async navigate({ url }) { navigate(url); return { url }; },
        close() {},
      };
    },
    async callback() {},
  };
}

/** Returns `begin()`: `signinRedirect()` on one UserManager. */
export async function prepareSignIn(settings, navigate) {
  const userManager = new UserManager(settings, navigate ? navigator(navigate) : undefined);
  return () => userManager.signinRedirect();
}

/** On the redirect page. */
export function finishSignIn(settings) {
  return new UserManager(settings).signinRedirectCallback();
}
