import type { TRPCError } from '@trpc/server';
import { toDomainError } from '../errors/to-domain-error.js';
import { retryAfterOf } from '../rest/error-response.js';

/**
 * tRPC's `responseMeta`: a 429 or 503 tells when to come back in `Retry-After`, as on REST
 * (the longest wait of a batch's calls).
 */
export function retryAfterMeta({ errors }: { errors: readonly TRPCError[] }): { headers?: Headers } {
  const waits = errors.map((error) => retryAfterOf(toDomainError(error))).filter((s) => s !== undefined);
  if (waits.length === 0) return {};
  return { headers: new Headers({ 'Retry-After': String(Math.max(...waits)) }) };
}
