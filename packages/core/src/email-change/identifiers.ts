import type { Core, RequestMeta } from '../context.js';
import { DomainError } from '../errors.js';
import type { Repositories, Tx } from '../store/store.js';
import { isUniqueViolation } from '../store/unique-violation.js';
import { findUserById, type User } from '../users/find.js';
import { releaseIfReleasable } from '../users/release.js';
import { isReleasable } from '../users/release-policy.js';

/** The answer registration gives for a taken email (docs/contract.md § Accounts). */
const emailTaken = () =>
  new DomainError('EMAIL_TAKEN', 'email is already registered', { fields: { email: 'already registered' } });

/**
 * How `email` stands for `user` in the one namespace: free, already the user's (its username, or
 * a previous email it holds), held by an account that releases it (users/release.ts), or
 * taken (409, as registration answers).
 */
export async function classifyNewEmail(
  core: Core,
  repos: Repositories,
  user: User,
  email: string,
): Promise<{ state: 'free' | 'own-username' | 'own-held' } | { state: 'releasable'; holderId: string }> {
  const holder = await repos.identifiers.findHolder(email);
  if (!holder) return { state: 'free' };
  if (holder.userId === user.id) {
    if (holder.kind === 'username') return { state: 'own-username' };
    if (holder.kind === 'previous_email') return { state: 'own-held' };
    throw emailTaken();
  }
  const other = holder.kind === 'previous_email' ? undefined : await findUserById(repos, holder.userId);
  if (other && isReleasable(other, core.clock.now())) return { state: 'releasable', holderId: other.id };
  throw emailTaken();
}

/**
 * Makes `email` the user's email claim in the namespace, inside the caller's transaction: a
 * held previous email of the user becomes its claim again, an account that releases it goes,
 * a username equal to it needs no row of its own. A parallel claim loses to the database's key.
 */
export async function claimNewEmail(
  core: Core,
  tx: Tx,
  user: User,
  email: string,
  meta: RequestMeta | undefined,
): Promise<void> {
  const standing = await classifyNewEmail(core, tx, user, email);
  if (standing.state === 'own-username') return;
  if (standing.state === 'own-held') {
    await tx.identifiers.restoreHeld({ identifier: email, userId: user.id });
    return;
  }
  if (standing.state === 'releasable' && !(await releaseIfReleasable(core, tx, standing.holderId, meta)))
    throw emailTaken();
  try {
    await tx.identifiers.claim([{ identifier: email, userId: user.id, kind: 'email' }]);
  } catch (error) {
    // Claimed since the read above: the transaction is over (PostgreSQL aborts it), say so.
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
}

/** The user's current email stops naming it: held until `heldUntilMs`, or dropped (an undo's target). */
export async function letGoOfEmail(tx: Tx, user: User, heldUntilMs: number | undefined): Promise<void> {
  // An account whose username is its email keeps the one row, as its username.
  if (user.email === user.username) return;
  if (heldUntilMs === undefined)
    await tx.identifiers.releaseEmail({ identifier: user.email, userId: user.id });
  else
    await tx.identifiers.holdAsPrevious({
      identifier: user.email,
      userId: user.id,
      expiresAtMs: heldUntilMs,
    });
}
