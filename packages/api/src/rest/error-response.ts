import type { DomainError } from '@twofold/core';
import { z } from 'zod';
import { HTTP_STATUS_OF } from '../errors/http-status.js';

/** The error envelope of CONTRACT.md § Conventions; the OpenAPI document narrows `code` per status. */
export const ZErrorBody = z
  .object({
    message: z.string().describe('For people.'),
    code: z.string().describe('Stable UPPER_SNAKE name for programs.'),
    fields: z.record(z.string(), z.string()).optional().describe('Reason per malformed field.'),
  })
  .meta({ title: 'Error' });
export type ErrorBody = z.infer<typeof ZErrorBody>;

/** The error envelope of CONTRACT.md, with lockout headers on 429. */
export function errorResponseOf(error: DomainError): {
  status: (typeof HTTP_STATUS_OF)[keyof typeof HTTP_STATUS_OF];
  body: ErrorBody;
  headers: Record<string, string>;
} {
  const status = HTTP_STATUS_OF[error.code];
  const headers: Record<string, string> = {};
  if (error.lockout) {
    headers['Retry-After'] = String(error.lockout.retryAfter);
    headers['X-Account-Lockout'] = String(error.lockout.lockedUntil);
  }
  if (status === 500)
    return { status, body: { message: 'internal server error', code: 'INTERNAL' }, headers };
  const body: ErrorBody = { message: error.message, code: error.code };
  if (error.fields && Object.keys(error.fields).length > 0) body.fields = error.fields;
  return { status, body, headers };
}
