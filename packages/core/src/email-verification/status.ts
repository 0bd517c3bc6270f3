import { z } from 'zod';
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
export function emailVerificationStatus(user: User): TEmailVerificationStatus {
  return {
    email: user.email,
    email_verified: user.emailVerifiedAtMs !== null,
    recovery_email: user.recoveryEmail ?? '',
    recovery_email_verified: user.recoveryEmail !== null && user.recoveryEmailVerifiedAtMs !== null,
  };
}
