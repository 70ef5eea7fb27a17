// What the guard does with a report of checkAuthorizationRequest. The library's verdict decides,
// with one exception: a request to another provider's own host (not Microsoft, not imitating it,
// not on a Microsoft endpoint path) is none of this guard's business and loads unjudged, because
// the library's checks are Microsoft's rules and would block every other sign-in. Listing such a
// host in the options (trusted authority hosts) makes the guard judge it in full.

/** Findings that say the host imitates a Microsoft one: such a request is always judged. */
const IMITATION = new Set([
  'AUTHORITY_LOOKALIKE', 'AUTHORITY_PUNYCODE', 'AUTHORITY_TRAILING_DOT', 'AUTHORITY_ENCODED_HOST',
  'AUTHORITY_USERINFO', 'AUTHORITY_NON_ASCII',
]);

/** The paths of Microsoft's authorize endpoints (Entra v2, v1, legacy Azure DevOps). */
const MICROSOFT_ENDPOINT = /\/oauth2\/(v2\.0\/)?authorize$/i;

/**
 * 'block' (stop; continuing takes a confirmation), 'warn' (show the card; one click continues),
 * 'ok' (load; badge) or 'other' (another provider's request: load, no badge).
 */
export function decide(report, url) {
  const findings = Array.isArray(report?.findings) ? report.findings : [];
  const imitates = findings.some((f) => IMITATION.has(f?.code));
  let path = '';
  try { path = new URL(url).pathname; } catch { /* a malformed URL is judged */ }
  if (report?.authority?.kind === 'unknown' && !imitates && path && !MICROSOFT_ENDPOINT.test(path)) return 'other';
  return ['ok', 'warn', 'block'].includes(report?.verdict) ? report.verdict : 'block';
}

/** The badge of a tab that loaded a request the guard let through. */
export const BADGES = {
  ok: { text: 'OK', color: '#176b1a' },
  warn: { text: '!', color: '#9a6700' },
  block: { text: '!', color: '#a40000' },
};
