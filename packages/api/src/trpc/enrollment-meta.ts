/** What a procedure declares about itself (tRPC `.meta()`). */
export interface ProcedureMeta {
  /**
   * docs/contract.md § Required MFA: what a session that must enrol a second factor may do
   * here. Absent: nothing (403 `MFA_ENROLLMENT_REQUIRED`), so a new procedure is closed to
   * such sessions until it says otherwise. `recovery-email-only`: only a request whose sole
   * field is `recovery_email` (enable needs one; the password must stay out of reach).
   */
  whileEnrollmentRequired?: 'allowed' | 'recovery-email-only';
  /**
   * Its result logs a user in (a UserAuth, bare or as `auth`): for a client that asked for a
   * cookie session, the procedure boundary moves the JWT from the body into the cookie.
   */
  issuesSession?: true;
}

/** Meta of the procedures that log a user in. */
export const ISSUES_SESSION = { issuesSession: true } as const satisfies ProcedureMeta;

/** Meta of the procedures a restricted session needs to enrol (and to leave). */
export const ALLOWED_WHILE_ENROLLING = {
  whileEnrollmentRequired: 'allowed',
} as const satisfies ProcedureMeta;

export async function isAllowedWhileEnrolling(
  meta: ProcedureMeta | undefined,
  getRawInput: () => Promise<unknown>,
): Promise<boolean> {
  const rule = meta?.whileEnrollmentRequired;
  if (rule === 'allowed') return true;
  if (rule !== 'recovery-email-only') return false;
  const input = await getRawInput();
  return (
    typeof input === 'object' &&
    input !== null &&
    !Array.isArray(input) &&
    Object.keys(input).length > 0 &&
    Object.keys(input).every((key) => key === 'recovery_email')
  );
}
