import { z } from 'zod';
import type { Core } from '../context.js';
import { isDomainError } from '../errors.js';
import { isMfaEnabled } from '../mfa/factors.js';
import { mfaRequirementOf } from '../mfa-requirement/status.js';
import { type LiveSession, readLiveSession } from './authenticate.js';
import { SESSION_METHODS } from './methods.js';

/** A session JWT is a few hundred characters; far longer is no token of ours. */
const TOKEN_MAX_CHARS = 4096;

export const ZIntrospectInput = z.strictObject({
  token: z.string().max(TOKEN_MAX_CHARS, `must be at most ${TOKEN_MAX_CHARS} characters`),
});
export type TIntrospectInput = z.infer<typeof ZIntrospectInput>;

const ZInactive = z.strictObject({ active: z.literal(false) });

const ZActive = z.strictObject({
  active: z.literal(true),
  /** The user id. */
  sub: z.string(),
  /** The server-side session (docs/contract.md § Sessions). */
  sid: z.string(),
  username: z.string(),
  /** Epoch seconds: when the token was issued and when it expires. */
  iat: z.number().int(),
  exp: z.number().int(),
  /** How the session's login was proven. */
  auth_method: z.enum(SESSION_METHODS),
  /** Present, and true, while the session may only set up a second factor (docs/contract.md § Required MFA). */
  mfa_enrollment_required: z.literal(true).optional(),
});

/** RFC 7662 §2.2 in spirit: `active` and, only when true, what the token stands for. */
export const ZSessionIntrospection = z
  .discriminatedUnion('active', [ZInactive, ZActive])
  .meta({ title: 'SessionIntrospection' });
export type TSessionIntrospection = z.infer<typeof ZSessionIntrospection>;

const INACTIVE: TSessionIntrospection = { active: false };

/**
 * Is this session token live now? The same check as every protected request (signature,
 * session row, expiry, disabled account), answered instead of thrown: a forged, expired,
 * ended or unknown token is `{active: false}`, alike, and tells no more (docs/contract.md §
 * Sessions other services verify). Like any use of the session it moves "last seen".
 */
export async function introspectSession(core: Core, input: TIntrospectInput): Promise<TSessionIntrospection> {
  let live: LiveSession;
  try {
    live = await readLiveSession(core, input.token);
  } catch (error) {
    if (isDomainError(error) && error.code === 'UNAUTHENTICATED') return INACTIVE;
    throw error;
  }
  const { claims, row, user } = live;
  const isRestricted =
    core.config.requireMfa !== undefined &&
    mfaRequirementOf(core, user, await isMfaEnabled(core.store, user.id)).state === 'enrollment_required';
  return {
    active: true,
    sub: user.id,
    sid: row.id,
    username: user.username,
    iat: claims.issuedAtSec,
    exp: claims.expiresAtSec,
    auth_method: ZActive.shape.auth_method.parse(row.method),
    ...(isRestricted ? { mfa_enrollment_required: true as const } : {}),
  };
}
