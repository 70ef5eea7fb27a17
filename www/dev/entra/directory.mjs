// The fixed directory of the Entra emulator (www/dev/entra.mjs): two tenants with one user each,
// and the two resources an SPA asks tokens for. Values are made up; only their shapes are Entra's
// (shared/facts/entra-and-azure-devops.md §2.1–2.3a).

import { INCLUDES } from './azure-devops-data.mjs';

export const ENTRA_ORIGIN = 'https://login.microsoftonline.com';
export const MULTI_TENANT_ISSUER = `${ENTRA_ORIGIN}/{tenantid}/v2.0`;
export const OIDC_SCOPES = Object.freeze(['openid', 'profile', 'email', 'offline_access']);

export const TENANTS = Object.freeze({
  contoso: Object.freeze({ id: 'c0de0000-0000-4000-8000-00000000c001', name: 'Contoso', domain: 'contoso.example' }),
  fabrikam: Object.freeze({ id: 'fab00000-0000-4000-8000-00000000fab1', name: 'Fabrikam', domain: 'fabrikam.example' }),
});

/** Login names the emulator's sign-in page accepts, each a member of one tenant. */
export const USERS = Object.freeze({
  alice: Object.freeze({ tid: TENANTS.contoso.id, oid: 'a11ce000-0000-4000-8000-0000000a11ce', name: 'Alice Contoso', preferred_username: 'alice@contoso.example' }),
  bob: Object.freeze({ tid: TENANTS.fabrikam.id, oid: 'b0b00000-0000-4000-8000-000000000b0b', name: 'Bob Fabrikam', preferred_username: 'bob@fabrikam.example' }),
});

/** The tenant an authority path segment names: a GUID or a verified domain; null for unknown. */
export function tenantOf(segment) {
  const lower = segment.toLowerCase();
  return Object.values(TENANTS).find((t) => t.id === lower || t.domain === lower) ?? null;
}

/** `/common` and `/organizations`: any work or school tenant (personal accounts do not exist here). */
export const isMultiTenant = (segment) => segment === 'common' || segment === 'organizations';

export const AZURE_DEVOPS = Object.freeze({
  id: '499b84ac-1321-427f-aa17-267ca6975798',
  uri: 'https://app.vssps.visualstudio.com',
  names: Object.freeze([...Object.keys(INCLUDES)]),
});

export const GRAPH = Object.freeze({
  id: '00000003-0000-0000-c000-000000000000',
  uri: 'https://graph.microsoft.com',
  names: Object.freeze(['User.Read', 'User.ReadBasic.All', 'Mail.Read', 'Files.Read', 'Calendars.Read']),
});

export const RESOURCES = Object.freeze([AZURE_DEVOPS, GRAPH]);

/**
 * Which resource a requested scope string names, and the bare permission name, as Entra reads
 * it: `<resource id or URI>/<name>`, and a bare name is a Microsoft Graph permission.
 * `null` for OIDC scopes; `{ resource: null }` for a name no resource knows.
 */
export function parseScope(scope) {
  if (OIDC_SCOPES.includes(scope)) return null;
  for (const r of RESOURCES) {
    for (const prefix of [`${r.id}/`, `${r.uri}/`]) {
      if (scope.startsWith(prefix)) {
        const name = scope.slice(prefix.length);
        const known = name === '.default' || r.names.includes(name);
        return { resource: known ? r : null, name };
      }
    }
  }
  return { resource: GRAPH.names.includes(scope) ? GRAPH : null, name: scope };
}

/** Every scope string that names a permission of `resource` (what oidc-provider may grant). */
export function scopeStrings(resource) {
  const names = [...resource.names, '.default'];
  const out = names.flatMap((n) => [`${resource.id}/${n}`, `${resource.uri}/${n}`]);
  return resource === GRAPH ? [...out, ...GRAPH.names] : out;
}
