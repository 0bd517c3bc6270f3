/** The response headers the API sends, as OpenAPI header objects (values are strings on the wire). */
export const RESPONSE_HEADERS = {
  'X-Account-Lockout': {
    description:
      'Epoch seconds at which the lock of this account for this client ends; `0` on a successful login.',
    schema: { type: 'integer', minimum: 0 },
  },
  'Retry-After': {
    description: 'Seconds until the lock ends (RFC 9110 §10.2.3).',
    schema: { type: 'integer', minimum: 1 },
  },
  'X-MFA-Token': {
    description:
      'Sent with 401 `MFA_REQUIRED` when the password was right and MFA is on: the token for ' +
      '`POST /api/user/mfa/auth`, valid 5 minutes, single use.',
    schema: { type: 'string', format: 'uuid' },
  },
  'Set-Cookie': {
    description:
      'After a complete login (password and, with MFA, the second step): the device cookie ' +
      '`twofold_device` (`__Secure-twofold_device` over https), HttpOnly, SameSite=Strict, 30 days. ' +
      'Presented on later logins, it lets this client past a throttled address for that account; ' +
      'it never replaces a factor. Not sent when the client already holds a live one. ' +
      'After a second step with `trust_device: true`: also the trusted-device cookie ' +
      '`twofold_trusted_device` (`__Secure-twofold_trusted_device` over https), HttpOnly, ' +
      'SameSite=Strict, 30 days, on the transport path; presented with the right password, it ' +
      'logs its user in without the second step until it expires or is revoked.',
    schema: { type: 'string' },
  },
  'Content-Disposition': {
    description:
      '`attachment; filename="twofold-account-<username>.json"`: browsers save the answer as a file.',
    schema: { type: 'string' },
  },
  'X-Expires-At': {
    description: 'Epoch seconds at which the recovery window opened by this recover ends.',
    schema: { type: 'integer', minimum: 0 },
  },
} as const satisfies Record<string, { description: string; schema: Record<string, unknown> }>;

export type ResponseHeaderName = keyof typeof RESPONSE_HEADERS;

export function isResponseHeaderName(name: string): name is ResponseHeaderName {
  return Object.hasOwn(RESPONSE_HEADERS, name);
}
