/**
 * API key scopes. A key carries one or more; an endpoint asks for one
 * permission. `admin` is the tenant's full access; `read` may only look;
 * `ingest` may only send usage; `portal` is for the customer-facing portal.
 */
export const API_KEY_SCOPES = ['admin', 'read', 'ingest', 'portal'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export type Permission = 'read' | 'write' | 'ingest' | 'portal';

const GRANTS: Record<ApiKeyScope, readonly Permission[]> = {
  admin: ['read', 'write', 'ingest'],
  read: ['read'],
  ingest: ['ingest'],
  portal: ['portal'],
};

export function scopesGrant(scopes: readonly ApiKeyScope[], permission: Permission): boolean {
  return scopes.some((scope) => GRANTS[scope].includes(permission));
}
