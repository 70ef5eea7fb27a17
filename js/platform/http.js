// `fetch` for the discovery, token, JWKS and revocation endpoints. Credentials are omitted (no
// cookies ride along to the authorization server), redirects are refused (a token endpoint that
// redirects is misconfigured or hijacked), nothing is cached, and bodies are capped.
import { BrowserOAuthError } from '../errors.js';
import { own } from '../own.js';

/** Largest response body read, in UTF-16 code units (the core caps each document again). */
const MAX_BODY = 1024 * 1024;

/** How long a request may take unless the client says otherwise (`requestTimeout`). */
export const DEFAULT_TIMEOUT = 30_000;

const failed = () => new BrowserOAuthError('OAUTH_NETWORK_ERROR', 'the request failed before a response arrived');

/**
 * Sends `request` (`{ url, method, headers, body }` as the core built it, or a URL string for a
 * GET of JSON) and resolves to `[status, text]`, and the value of the response header `header`
 * when one is named (js/dpop.js reads `DPoP-Nonce`). Nothing waits forever: after `timeout`
 * milliseconds the request is aborted, body included, with OAUTH_TIMEOUT.
 */
export async function send(request, timeout = DEFAULT_TIMEOUT, header) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeout);
  try {
    return await exchangeOnce(request, abort.signal, header);
  } catch (e) {
    if (abort.signal.aborted) throw new BrowserOAuthError('OAUTH_TIMEOUT', `the request took longer than ${timeout} ms`);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

async function exchangeOnce(request, signal, header) {
  const get = typeof request === 'string';
  const init = {
    method: get ? 'GET' : own(request, 'method'),
    headers: get ? { accept: 'application/json' } : own(request, 'headers'),
    body: get ? undefined : own(request, 'body'),
    credentials: 'omit',
    redirect: 'error',
    cache: 'no-store',
    signal,
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
  return header ? [response.status, text, response.headers.get(header)] : [response.status, text];
}
