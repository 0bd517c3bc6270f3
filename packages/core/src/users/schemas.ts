import { z } from 'zod';

/**
 * PostgreSQL's text cannot hold U+0000 (the store would fail the request with a 500), so a
 * string carrying one is malformed input on both stores.
 */
export const hasNoNul = (value: string) => !value.includes('\u0000');
export const NO_NUL_MESSAGE = 'must not contain U+0000';

/** Stored and compared lowercase (docs/contract.md: identifiers are case-insensitive). */
export const ZEmail = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'must be a valid email address' }))
  .transform((value) => value.toLowerCase());

export const ZUsername = z
  .string()
  .trim()
  .transform((value) => value.toLowerCase())
  .pipe(
    z.string().regex(/^[a-z0-9._@-]{3,32}$/, 'must be 3 to 32 characters of a-z, 0-9, ".", "_", "@" or "-"'),
  );

/** NIST SP 800-63B-4 §3.1.1.2: at least 8 characters; we allow long passphrases. */
export const ZPassword = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(256, 'must be at most 256 characters');

export const ZName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .refine(hasNoNul, NO_NUL_MESSAGE);

/** Username or email, as typed at login or recovery. */
export const ZIdentifier = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(254, 'must be at most 254 characters')
  .refine(hasNoNul, NO_NUL_MESSAGE)
  .transform((value) => value.toLowerCase());

/** The UserAuth model returned by every endpoint that logs a user in (docs/contract.md). */
export const ZUserAuth = z
  .object({
    token: z.string(),
    id: z.string(),
    origin: z.literal('local'),
    user: z.string(),
    name: z.string(),
    email: z.string(),
    recovery_email: z.string(),
    mfa: z.boolean(),
    admin: z.boolean(),
    // Extensions (docs/contract.md § Required MFA), present only while the operator requires
    // MFA and the user has none.
    mfa_enrollment_required: z.boolean().optional().meta({
      description: 'true: this session can only set up a second factor; false: in the grace period',
    }),
    mfa_enrollment_due_at_seconds: z
      .number()
      .int()
      .optional()
      .meta({ description: 'end of the grace period (epoch seconds)' }),
    mfa_enrollment_days_left: z
      .number()
      .int()
      .optional()
      .meta({ description: 'whole days left in the grace period, rounded up' }),
  })
  .meta({ title: 'UserAuth' });
export type TUserAuth = z.infer<typeof ZUserAuth>;

/** UserAuth without the token: the profile returned by `me` and `user.update`. */
export const ZUserProfile = ZUserAuth.omit({ token: true });
export type TUserProfile = z.infer<typeof ZUserProfile>;
