/**
 * What an admin key may do (docs/contract.md § Administration). A key carries only the scopes
 * it was created with; an action outside them is 403 INSUFFICIENT_SCOPE.
 */
export const ADMIN_SCOPES = [
  'users:read',
  'users:write',
  'events:read',
  'lockouts:write',
  'mfa:reset',
  'sessions:end',
] as const;
export type AdminScope = (typeof ADMIN_SCOPES)[number];

export function isAdminScope(value: string): value is AdminScope {
  return (ADMIN_SCOPES as readonly string[]).includes(value);
}
