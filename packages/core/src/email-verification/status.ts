import { z } from 'zod';
import type { Core } from '../context.js';
import type { User } from '../users/find.js';

export const ZEmailVerificationStatus = z
  .object({
    email: z.string(),
    email_verified: z.boolean(),
    /** `""` while unset, like UserAuth's. */
    recovery_email: z.string(),
    recovery_email_verified: z.boolean(),
    pending_email: z.string().meta({
      description:
        'The address asked to become the main email, until its verification is used or ends; "" when none (docs/contract.md § Changing the email)',
    }),
  })
  .meta({ title: 'EmailVerificationStatus' });
export type TEmailVerificationStatus = z.infer<typeof ZEmailVerificationStatus>;

/**
 * Which of the user's addresses are verified now (a changed address starts unverified), and the
 * pending new main address. Reads `core.store`: call it outside a transaction.
 */
export async function emailVerificationStatus(core: Core, user: User): Promise<TEmailVerificationStatus> {
  const pending = await core.store.emailVerifications.findNewestLive({
    userId: user.id,
    purpose: 'email_change',
    nowMs: core.clock.now(),
  });
  return {
    email: user.email,
    email_verified: user.emailVerifiedAtMs !== null,
    recovery_email: user.recoveryEmail ?? '',
    recovery_email_verified: user.recoveryEmail !== null && user.recoveryEmailVerifiedAtMs !== null,
    pending_email: pending?.email ?? '',
  };
}
