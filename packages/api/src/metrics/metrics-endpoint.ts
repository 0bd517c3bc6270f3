import { createHash, timingSafeEqual } from 'node:crypto';
import { bearerTokenOf } from '../session/session-cookie.js';

const digestOf = (value: string) => createHash('sha256').update(value).digest();

/**
 * Whether `authorization` carries `Bearer <token>`. Both sides are hashed first, so the
 * comparison takes the same time whatever the presented value's length or content.
 */
export function isMetricsTokenPresented(headers: Headers, token: string): boolean {
  const presented = bearerTokenOf(headers.get('authorization'));
  if (presented === undefined) return false;
  return timingSafeEqual(digestOf(presented), digestOf(token));
}
