import { nowSeconds } from '../clock.js';
import type { Core } from '../context.js';
import { DomainError } from '../errors.js';
import { isMfaEnabled } from '../mfa/factors.js';
import type { User } from '../users/find.js';
import type { SessionProofs } from './jwt.js';

/** docs/contract.md § Re-authentication: a proof keeps a session fresh for 15 minutes. */
export const FRESH_SESSION_MAX_AGE_SECONDS = 15 * 60;

/** An authenticated session: its user and what it has proven, and when. */
export interface Session {
  /** The server-side session row the JWT names (`sid`). */
  id: string;
  user: User;
  proofs: SessionProofs;
}

export const isRecent = (atSec: number | undefined, nowSec: number) =>
  atSec !== undefined && nowSec - atSec <= FRESH_SESSION_MAX_AGE_SECONDS;

/**
 * Fresh: the password proven within 15 minutes and, while MFA is on, a second factor too.
 * A recovery code proves a second factor but not the password, and email codes prove neither,
 * so recover and reset sessions are never fresh on their own (a leaked recovery code must not
 * enroll the attacker's authenticator); re-authenticating with the password completes them.
 */
function isFreshSession(core: Core, session: Session, isMfaOn: boolean): boolean {
  const nowSec = nowSeconds(core.clock);
  if (!isRecent(session.proofs.passwordAtSec, nowSec)) return false;
  return !isMfaOn || isRecent(session.proofs.secondFactorAtSec, nowSec);
}

/**
 * Every change of factors (generate, enable, the recovery email) calls this; `disable` does
 * not, as it carries its own proof. Pass `isMfaOn` when the caller has just read it (inside a
 * transaction, read it with its `tx`): the check is then synchronous. Without it, this reads
 * `core.store` and returns a promise: call it outside a transaction, and await it.
 */
export function assertFreshSession(core: Core, session: Session, isMfaOn: boolean): void;
export function assertFreshSession(core: Core, session: Session): Promise<void>;
export function assertFreshSession(core: Core, session: Session, isMfaOn?: boolean): void | Promise<void> {
  if (isMfaOn !== undefined) return assertFresh(core, session, isMfaOn);
  return isMfaEnabled(core.store, session.user.id).then((on) => assertFresh(core, session, on));
}

function assertFresh(core: Core, session: Session, isMfaOn: boolean): void {
  if (!isFreshSession(core, session, isMfaOn)) {
    throw new DomainError('REAUTHENTICATION_REQUIRED');
  }
}
