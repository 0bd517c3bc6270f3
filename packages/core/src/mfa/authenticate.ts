import { z } from 'zod';
import type { Core, RequestMeta } from '../context.js';
import { writeTransaction } from '../db/transaction.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { consumeMfaToken, findLiveMfaToken, recordMfaTokenFailure } from '../mfa-token/consume.js';
import {
  assertSecondFactorNotLocked,
  recordSecondFactorFailure,
  resetSecondFactorFailures,
} from '../throttle/second-factor.js';
import { ZTotpCode } from '../totp/schemas.js';
import { verifyTotp } from '../totp/verify-totp.js';
import { findUserById } from '../users/find.js';
import type { TUserAuth } from '../users/schemas.js';
import { issueUserAuth } from '../users/user-auth.js';
import { findMfaCredential, openTotpSecret, recordAcceptedTimeStep } from './credential.js';

export const ZAuthMfaInput = z.object({
  /** The X-MFA-Token from the password step. */
  token: z.string().trim().min(1, 'must not be empty').max(128, 'must be at most 128 characters'),
  code: ZTotpCode,
});
export type TAuthMfaInput = z.infer<typeof ZAuthMfaInput>;

const invalidToken = () => new DomainError('INVALID_MFA_TOKEN', 'MFA token is invalid, expired or used');
const invalidCode = () => new DomainError('INVALID_CODE', 'invalid code');
const replayedCode = () => new DomainError('CODE_REPLAYED', 'invalid code');

/** The second login step: a live MFA token plus a fresh TOTP code give a session. */
export async function authenticateMfa(
  core: Core,
  input: TAuthMfaInput,
  meta: RequestMeta,
): Promise<TUserAuth> {
  const token = findLiveMfaToken(core, input.token);
  const user = token && findUserById(core.db, token.userId);
  const credential = user && findMfaCredential(core.db, user.id);
  if (!token || !user || !credential) throw invalidToken();
  assertSecondFactorNotLocked(core, user.id);

  const result = await verifyTotp({
    secret: openTotpSecret(core, credential),
    code: input.code,
    epochMs: core.clock.now(),
    lastTimeStep: credential.lastTimeStep,
  });
  if (!result.isValid) {
    writeTransaction(core.db, (tx) => {
      // A token burned by parallel guesses answers as it would to the right code.
      if (!recordMfaTokenFailure(core.db, token.tokenHash, core.clock.now())) throw invalidToken();
      recordSecondFactorFailure(core, tx, user, 'mfa_auth_failed', meta);
    });
    throw result.reason === 'replayed' ? replayedCode() : invalidCode();
  }

  // The statements below run on core.db's connection, inside this transaction.
  writeTransaction(core.db, (tx) => {
    // A parallel guess may have locked the account while this code was checked.
    assertSecondFactorNotLocked(core, user.id);
    if (!recordAcceptedTimeStep(core.db, user.id, result.timeStep)) throw replayedCode();
    if (!consumeMfaToken(core.db, token.tokenHash, core.clock.now())) throw invalidToken();
    resetSecondFactorFailures(core, user.id);
    recordSecurityEvent(core, tx, user.id, 'mfa_auth_succeeded', meta);
  });
  // Its credential was just read and accepted the code: MFA is on.
  return issueUserAuth(core, user, true);
}
