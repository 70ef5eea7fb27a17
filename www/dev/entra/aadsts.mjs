// AADSTS-shaped error bodies, as Entra's token endpoint sends them (shared/facts §2.5, §2.6):
// `error`, `error_description` starting `AADSTSnnnn:` followed by trace and correlation ids and a
// timestamp, `error_codes`, `timestamp`, `trace_id`, `correlation_id`, `error_uri`, and
// sometimes `suberror`. The texts are our own paraphrases, not Microsoft's.

import { randomUUID } from 'node:crypto';

/** code → [OAuth error, description, suberror?] */
export const AADSTS = Object.freeze({
  50020: ['invalid_request', "User account from another tenant does not exist in tenant '%s' and cannot access the application."],
  50058: ['login_required', 'A silent sign-in request was sent but no user is signed in.'],
  54005: ['invalid_grant', 'OAuth2 authorization code was already redeemed; retry with a new valid code or use an existing refresh token.'],
  65001: ['invalid_grant', "The user or administrator has not consented to use the application with ID '%s' for this resource. Send an interactive authorization request for this user and resource.", 'consent_required'],
  65004: ['access_denied', 'User declined to consent to access the app.'],
  70000: ['invalid_grant', 'The provided grant is invalid or malformed.'],
  70008: ['invalid_grant', 'The provided authorization code or refresh token has expired due to inactivity or was revoked.'],
  70011: ['invalid_scope', "The provided request must include a 'scope' input parameter; the value '%s' is not valid."],
  90002: ['invalid_tenant', "Tenant '%s' not found."],
  900144: ['invalid_request', "The request body must contain the following parameter: '%s'."],
  501481: ['invalid_grant', 'The code_verifier does not match the code_challenge supplied in the authorization request.'],
  700016: ['unauthorized_client', "Application with identifier '%s' was not found in the directory."],
  700022: ['invalid_scope', 'The provided value for the input parameter scope is not valid because it contains more than one resource.'],
  700084: ['invalid_grant', 'The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00, which cannot be extended. It is now expired and a new sign in request must be sent by the SPA to the sign in page.'],
  9002326: ['invalid_request', "Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type. Request origin: '%s'."],
  9002327: ['invalid_request', "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests."],
});

/** The JSON body of AADSTS `code`, `%s` replaced by `detail`. */
export function aadstsBody(code, detail = '') {
  const [error, text, suberror] = AADSTS[code];
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return {
    error,
    error_description: `AADSTS${code}: ${text.replace('%s', detail)} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    ...(suberror ? { suberror } : {}),
  };
}

/** The AADSTS code for an error oidc-provider produced (its `error` and internal detail). */
export function aadstsFor(error, detail = '') {
  if (/already consumed/.test(detail)) return 54005;
  if (/PKCE/i.test(detail)) return 501481;
  if (/expired/.test(detail)) return 70008;
  return {
    invalid_grant: 70000,
    invalid_scope: 70011,
    invalid_client: 700016,
    consent_required: 65001,
    interaction_required: 65001,
    login_required: 50058,
    access_denied: 65004,
  }[error] ?? 900144;
}
