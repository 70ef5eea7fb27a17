// The record of what the person approved. While an allowed request is out, its tab holds a
// "pending" entry (app, authority, scopes, the redirect URI to watch for); when the tab arrives at
// that redirect URI with an authorization response, the entry joins the record. Only parameter
// names of the response are looked at (`code`, `error`), never their values, and neither the
// URL nor any code, token or state is kept.

/** chrome.storage.local key of the record (a list, newest first). */
export const RECORD_KEY = 'approvals';
/** At most this many entries are kept. */
const RECORD_LIMIT = 200;
/** A pending request older than this is dropped (the person walked away). */
export const PENDING_TTL_MS = 30 * 60 * 1000;

const str = (v) => (typeof v === 'string' ? v : undefined);

/** What the record needs of a report, or null when it names no app or redirect URI. */
export function pendingFrom(report, decision, now) {
  const clientId = str(report?.clientId);
  const redirectUri = str(report?.redirectUri);
  if (!clientId || !redirectUri || !URL.canParse(redirectUri)) return null;
  const a = report.authority ?? {};
  const scopes = (Array.isArray(report.scopes) ? report.scopes : []).map((s) => ({
    scope: str(s?.scope) ?? '',
    title: str(s?.title),
    highPrivilege: s?.highPrivilege === true,
  }));
  return {
    clientId,
    redirectUri,
    authority: { host: str(a.host) ?? '', kind: str(a.kind) ?? 'unknown', tenant: str(a.tenant) },
    scopes,
    verdict: decision,
    requestedAt: now,
  };
}

/**
 * What arriving at `url` means for a pending request: 'approved' (an authorization response with
 * a code at its redirect URI), 'refused' (an error response there), or null (somewhere else).
 */
export function responseAt(url, pending) {
  if (!URL.canParse(url)) return null;
  const at = new URL(url);
  const redirect = new URL(pending.redirectUri);
  if (at.origin !== redirect.origin || at.pathname !== redirect.pathname) return null;
  const names = new Set([...new URLSearchParams(at.search).keys(), ...new URLSearchParams(at.hash.slice(1)).keys()]);
  if (names.has('error')) return 'refused';
  if (names.has('code')) return 'approved';
  return null;
}

/** The record entry of an approved pending request: no URL, code, token or state. */
export function recordEntry(pending, now, id) {
  return {
    id,
    clientId: pending.clientId,
    redirectOrigin: new URL(pending.redirectUri).origin,
    authority: pending.authority,
    scopes: pending.scopes,
    verdict: pending.verdict,
    approvedAt: new Date(now).toISOString(),
  };
}

/** The record with `entry` added in front. */
export function withEntry(record, entry) {
  return [entry, ...(Array.isArray(record) ? record : [])].slice(0, RECORD_LIMIT);
}

/** Where each kind of authorization can be revoked (links shown on the record page). */
export function revokeLinks(authority) {
  const kind = authority?.kind ?? '';
  if (kind === 'legacy-azure-devops') {
    return [{ label: 'Azure DevOps profile → Manage authorizations', href: 'https://app.vssps.visualstudio.com/Profile/View' }];
  }
  if (kind.startsWith('entra')) {
    return [
      { label: 'My Apps (work or school account) → Manage your application → Revoke permissions', href: 'https://myapps.microsoft.com/' },
      { label: 'Apps and services you have given access (personal Microsoft account)', href: 'https://account.live.com/consent/Manage' },
    ];
  }
  return [];
}
