import { DomainError } from '@twofold/core';
import type { Context } from 'hono';
import { fieldsOf, invalidInput } from '../errors/to-domain-error.js';
import { ZNoInput } from '../trpc/no-input.js';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Reads a JSON body: an empty body is `undefined` (the procedure then says what is
 * missing), a non-JSON content type is 415, and text that is not JSON is 400.
 */
export async function readJsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return undefined;
  const contentType = c.req.header('content-type') ?? '';
  if (!JSON_TYPE.test(contentType)) {
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidInput({ body: 'must be valid JSON' }, 'request body is not valid JSON');
  }
}

/** A route that takes no body still refuses fields in one (docs/contract.md § Fields beyond the seed). */
export function assertNoBodyFields(body: unknown): void {
  const result = ZNoInput.safeParse(body);
  if (!result.success) throw invalidInput(fieldsOf(result.error.issues));
}
