// client.fetch to Azure DevOps (issue 12): before the request leaves, the token must allow the
// operation, as the REST specs' scopes say (the consent module's table decides, with the
// catalog's includes graph); a token that does not is replaced by one for a scope that does
// (getToken: the grant or, with Microsoft Entra, the consent the user already gave), else the
// call fails with OAUTH_SCOPE_NOT_GRANTED naming the scope. After it, Azure DevOps' two ways of
// refusing a token (401 with a Bearer challenge, 203 with an HTML sign-in page) become
// OAUTH_RESOURCE_UNAUTHORIZED rather than a response the app could misread. Part of the session's
// JS (js/session.js calls it only for Azure DevOps hosts, so other fetches never load the consent
// module); js/client.js hands in the consent module's JS (`consent`: `initConsent`,
// `azureDevOpsFetchCheck`), which the package entry already holds, and `BrowserOAuthError` and
// `own`: this file is a chunk of its own, loaded with the first Azure DevOps fetch, and imports
// nothing so that no bundler splits the package's shared code into one more chunk for it.

/** getToken failures that mean "not granted, and not without signing in": anything else passes. */
function notGranted(e, own) {
  const code = own(e, 'code');
  return code === 'OAUTH_SCOPE_NOT_GRANTED' || (code === 'OAUTH_INTERACTION_REQUIRED' && own(e, 'reason') === 'consent is required for the requested scopes');
}

/**
 * The token to send for `method` on `url`, and what the table says about the call (`null`: not
 * Azure DevOps after all). `token(list)` is the client's getToken (`undefined`: the fetch's own
 * scopes); `entra` asks for resource-prefixed scopes when the token shows no form of its own.
 */
export async function prepare(method, url, token, { entra, consent, BrowserOAuthError, own }) {
  const [current] = await Promise.all([token(undefined), consent.initConsent()]);
  const check = consent.azureDevOpsFetchCheck(method, url, [...current.scopes], entra);
  if (check.kind === 'not-azure-devops') return [current, null];
  if (check.covered) return [current, check];
  let last;
  for (const scope of check.scopes) {
    try {
      return [await token([scope]), check];
    } catch (e) {
      if (!notGranted(e, own)) throw e;
      last = e;
    }
  }
  throw Object.assign(
    new BrowserOAuthError('OAUTH_SCOPE_NOT_GRANTED', `this Azure DevOps operation needs ${check.scopes.join(' or ')}, which the session's tokens do not carry; sign in with it`, { cause: last }),
    { scopes: check.scopes },
  );
}

/** Throws OAUTH_RESOURCE_UNAUTHORIZED when `response` is Azure DevOps refusing the token. */
export function refused(response, check, { BrowserOAuthError }) {
  const challenge = response.headers.get('www-authenticate');
  const signInPage = response.status === 203 && /^text\/html/i.test(response.headers.get('content-type') ?? '');
  const bearer = response.status === 401 && challenge !== null && /^\s*bearer\b/i.test(challenge);
  if (!signInPage && !bearer) return;
  const why = signInPage ? 'answered with its sign-in page (203)' : 'refused the access token (401)';
  const needs = check.kind === 'operation' && check.scopes.length ? `; the operation needs ${check.scopes.join(' or ')}` : '';
  throw Object.assign(new BrowserOAuthError('OAUTH_RESOURCE_UNAUTHORIZED', `Azure DevOps ${why}${needs}`), {
    status: response.status,
    challenge: challenge ?? undefined,
    scopes: check.kind === 'operation' ? check.scopes : undefined,
  });
}
