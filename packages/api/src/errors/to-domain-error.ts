import { TRPCError } from '@trpc/server';
import { DomainError, isDomainError, isStoreUnavailable } from '@twofold/core';

interface Issue {
  code?: string;
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
  message: string;
  /** The keys of an `unrecognized_keys` issue (a strict object met a field it does not know). */
  keys?: readonly string[];
}

/** docs/contract.md § Fields beyond the seed: an unknown field is a 400 naming it. */
export const UNKNOWN_FIELD_REASON = 'is not a field of this request';

function issuesOf(value: unknown): Issue[] | undefined {
  if (typeof value !== 'object' || value === null || !('issues' in value)) return undefined;
  const { issues } = value as { issues: unknown };
  return Array.isArray(issues) ? (issues as Issue[]) : undefined;
}

/** zod / Standard Schema issues → `fields` of the error envelope. */
export function fieldsOf(issues: Issue[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const path = (issue.path ?? [])
      .map((part) => (typeof part === 'object' && part !== null ? part.key : part))
      .map(String);
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      for (const key of issue.keys) fields[[...path, key].join('.')] ??= UNKNOWN_FIELD_REASON;
      continue;
    }
    fields[path.join('.') || 'body'] ??= issue.message;
  }
  return fields;
}

export function invalidInput(fields: Record<string, string>, message = 'invalid request'): DomainError {
  return new DomainError('INVALID_INPUT', message, { fields });
}

/**
 * The code a storage fault carries (`SQLITE_BUSY`, `ECONNREFUSED`, a PostgreSQL SQLSTATE), from
 * the error or a cause it wraps: for the log line an operator reads.
 */
export function storeFaultCodeOf(error: unknown): string | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/**
 * Normalises anything a procedure threw into a DomainError. Unknown errors become
 * INTERNAL; their cause is kept for the log only.
 */
export function toDomainError(error: unknown): DomainError {
  if (isDomainError(error)) return error;
  if (error instanceof TRPCError) {
    if (isDomainError(error.cause)) return error.cause;
    const issues = issuesOf(error.cause);
    if (error.code === 'BAD_REQUEST' || error.code === 'PARSE_ERROR') {
      return issues ? invalidInput(fieldsOf(issues)) : invalidInput({ body: error.message }, error.message);
    }
    if (error.code === 'NOT_FOUND') return new DomainError('NOT_FOUND');
    if (error.code === 'METHOD_NOT_SUPPORTED') return new DomainError('METHOD_NOT_ALLOWED');
    if (error.code === 'PAYLOAD_TOO_LARGE') return new DomainError('PAYLOAD_TOO_LARGE');
    if (error.code === 'UNSUPPORTED_MEDIA_TYPE') {
      return new DomainError('UNSUPPORTED_MEDIA_TYPE');
    }
    return toDomainError(error.cause ?? new Error(error.message));
  }
  if (isStoreUnavailable(error)) {
    return new DomainError('SERVICE_UNAVAILABLE', 'storage is temporarily unavailable; try again', {
      cause: error,
    });
  }
  return new DomainError('INTERNAL', undefined, { cause: error });
}
