import type { DomainError } from '@twofold/core';
import { z } from 'zod';
import { HTTP_STATUS_OF } from '../errors/http-status.js';

/** The error envelope of docs/contract.md § Conventions; the OpenAPI document narrows `code` per status. */
export const ZErrorBody = z
  .object({
    message: z.string().describe('For people.'),
    code: z.string().describe('Stable UPPER_SNAKE name for programs.'),
    fields: z.record(z.string(), z.string()).optional().describe('Reason per malformed field.'),
  })
  .meta({ title: 'Error' });
export type ErrorBody = z.infer<typeof ZErrorBody>;

/** `Retry-After` of a 503 whose cause does not say (storage busy): a moment, then again. */
const SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS = 1;

/** Seconds a client should wait before retrying, for a 429 (its lock) or a 503 (docs/contract.md § Conventions). */
export function retryAfterOf(error: DomainError): number | undefined {
  if (error.lockout) return error.lockout.retryAfterSeconds;
  if (error.code === 'SERVICE_UNAVAILABLE') {
    return error.retryAfterSeconds ?? SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS;
  }
  return undefined;
}

/** The error envelope of docs/contract.md, with lockout headers on 429 and Retry-After on 503. */
export function errorResponseOf(error: DomainError): {
  status: (typeof HTTP_STATUS_OF)[keyof typeof HTTP_STATUS_OF];
  body: ErrorBody;
  headers: Record<string, string>;
} {
  const status = HTTP_STATUS_OF[error.code];
  const headers: Record<string, string> = {};
  const retryAfterSeconds = retryAfterOf(error);
  if (retryAfterSeconds !== undefined) headers['Retry-After'] = String(retryAfterSeconds);
  if (error.lockout) headers['X-Account-Lockout'] = String(error.lockout.lockedUntilSeconds);
  if (status === 500)
    return { status, body: { message: 'internal server error', code: 'INTERNAL' }, headers };
  const body: ErrorBody = { message: error.message, code: error.code };
  if (error.fields && Object.keys(error.fields).length > 0) body.fields = error.fields;
  return { status, body, headers };
}
