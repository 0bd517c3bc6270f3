import { z } from 'zod';
import type { Repositories } from '../store/store.js';
import type { User } from '../users/find.js';

export const ZEmailVerificationStatus = z
  .object({
    email: z.string(),
    email_verified: z.boolean(),
    /** `""` while unset, like UserAuth's. */
    recovery_email: z.string(),
    recovery_email_verified: z.boolean(),
  })
  .meta({ title: 'EmailVerificationStatus' });
export type TEmailVerificationStatus = z.infer<typeof ZEmailVerificationStatus>;

/** Which of the user's addresses are verified now (a changed address starts unverified). */
export async function emailVerificationStatus(
  repos: Repositories,
  user: User,
): Promise<TEmailVerificationStatus> {
  const recoveryEmail = user.recoveryEmail ?? '';
  return {
    email: user.email,
    email_verified: await repos.emailVerifications.isVerified({ userId: user.id, email: user.email }),
    recovery_email: recoveryEmail,
    recovery_email_verified:
      recoveryEmail !== '' &&
      (await repos.emailVerifications.isVerified({ userId: user.id, email: recoveryEmail })),
  };
}
