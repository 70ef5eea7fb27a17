// `fetch` for the discovery, token, JWKS and revocation endpoints. Credentials are omitted (no
// cookies ride along to the authorization server), redirects are refused (a token endpoint that
// redirects is misconfigured or hijacked), nothing is cached, and bodies are capped.
import { BrowserOAuthError } from '../errors.js';
import { own } from '../own.js';

/** Largest response body read, in UTF-16 code units (the core caps each document again). */
const MAX_BODY = 1024 * 1024;

const failed = () => new BrowserOAuthError('OAUTH_NETWORK_ERROR', 'the request failed before a response arrived');

/**
 * Sends `request` (`{ url, method, headers, body }` as the core built it, or a URL string for a
 * GET of JSON) and resolves to `[status, text]`.
 */
export async function send(request) {
  const get = typeof request === 'string';
  const init = {
    method: get ? 'GET' : own(request, 'method'),
    headers: get ? { accept: 'application/json' } : own(request, 'headers'),
    body: get ? undefined : own(request, 'body'),
    credentials: 'omit',
    redirect: 'error',
    cache: 'no-store',
  };
  let response;
  let text;
  try {
    response = await fetch(get ? request : own(request, 'url'), init);
    text = await response.text();
  } catch {
    throw failed();
  }
  if (text.length > MAX_BODY) {
    throw new BrowserOAuthError('OAUTH_INPUT_TOO_LARGE', `http response is larger than ${MAX_BODY} bytes`);
  }
  return [response.status, text];
}
