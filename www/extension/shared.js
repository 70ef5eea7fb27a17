// What the extension page and the service worker share: the configuration (config.json) and
// what the consent check expects. No DOM here: the service worker imports it too.
import { extensionRedirectUri } from './lib/js/index.js';

const PLACEHOLDER = 'REPLACE-WITH-YOUR-CLIENT-ID';

/**
 * config.json: `issuer` (any OpenID provider) or `entra: { tenant }`, `clientId`, `scopes`, and
 * optionally `redirectPath` (default ''), `prompt`, `trustedAuthorityHosts` for the consent check,
 * and `allowHttpLoopback` (local development provider only).
 */
export async function loadConfig() {
  const response = await fetch(chrome.runtime.getURL('config.json'), { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  const config = await response.json();
  if (!config || typeof config !== 'object') throw new Error('config.json must hold an object');
  return config;
}

/** `false` until config.json names a real client. */
export const isConfigured = (config) => typeof config.clientId === 'string' && config.clientId !== PLACEHOLDER;

/** The options of `createExtensionClient` (redirect URI from `identity.getRedirectURL`). */
export function clientConfig(config) {
  const provider = config.entra ? { entra: config.entra } : { issuer: config.issuer };
  return {
    ...provider,
    clientId: config.clientId,
    scopes: config.scopes,
    redirectUri: extensionRedirectUri(config.redirectPath ?? ''),
    allowHttpLoopback: config.allowHttpLoopback === true,
  };
}

/** What `checkAuthorizationRequest` must find in the request: this app, this redirect URI, this provider. */
export function consentExpectations(config) {
  const trusted = [...(config.trustedAuthorityHosts ?? [])];
  if (config.issuer && !config.allowHttpLoopback) trusted.push(new URL(config.issuer).hostname);
  return {
    clientId: config.clientId,
    redirectUri: extensionRedirectUri(config.redirectPath ?? ''),
    trustedAuthorityHosts: trusted,
    dangerouslyAllowHttpLoopbackAuthority: config.allowHttpLoopback === true,
  };
}

/** An error as plain data for a message: the stable code and the text, never a token. */
export function errorReply(e) {
  return {
    ok: false,
    code: typeof e?.code === 'string' ? e.code : 'UNEXPECTED',
    message: String(e?.message ?? e),
    error: typeof e?.error === 'string' ? e.error : undefined,
    reason: typeof e?.reason === 'string' ? e.reason : undefined,
  };
}

/** The consent report reduced to what the page shows. */
export function reportSummary(report) {
  if (!report) return null;
  return {
    verdict: report.verdict,
    authority: report.authority,
    clientId: report.clientId,
    redirectUri: report.redirectUri,
    scopes: report.scopes.map((s) => ({ scope: s.scope, title: s.title, highPrivilege: s.highPrivilege, broad: s.broad })),
    findings: report.findings,
  };
}
