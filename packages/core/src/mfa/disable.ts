import { z } from 'zod';
import type { Core, RequestMeta } from '../context.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { enqueueMail } from '../mail/enqueue.js';
import { consumeRecoveryCode } from '../recovery-codes/consume.js';
import { findUnusedRecoveryCodes } from '../recovery-codes/find-unused.js';
import { matchRecoveryCode } from '../recovery-codes/match.js';
import { ZRecoveryCode } from '../recovery-codes/normalize.js';
import { ZResetCode } from '../reset/codes.js';
import {
  consumeResetRequest,
  findLiveResetRequestsOfUser,
  isResetRequestBurnedFor,
  matchResetCodes,
  recordResetCodesFailure,
  triableResetRequests,
} from '../reset/live-request.js';
import type { Tx } from '../store/store.js';
import {
  assertSecondFactorNotLocked,
  recordSecondFactorFailure,
  resetSecondFactorFailures,
} from '../throttle/second-factor.js';
import { ZTotpCode } from '../totp/schemas.js';
import { verifyTotp } from '../totp/verify-totp.js';
import { revokeAllTrustedDevices } from '../trusted-devices/revoke.js';
import type { User } from '../users/find.js';
import {
  deleteMfaState,
  findMfaCredential,
  type MfaCredential,
  openTotpSecret,
  recordAcceptedTimeStep,
} from './credential.js';
import { isMfaEnabled } from './factors.js';
import { findOpenRecoveryWindow, useRecoveryWindow } from './recovery-window.js';

/**
 * One proof: a TOTP `code`, a `recovery_code`, both email codes of a reset request, or
 * nothing at all inside a recovery window.
 */
export const ZDisableMfaInput = z
  .object({
    code: ZTotpCode.optional(),
    recovery_code: ZRecoveryCode.optional(),
    main_email_code: ZResetCode.optional(),
    recovery_email_code: ZResetCode.optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    const hasMain = input.main_email_code !== undefined;
    const hasRecovery = input.recovery_email_code !== undefined;
    if (hasMain !== hasRecovery) {
      ctx.addIssue({
        code: 'custom',
        path: [hasMain ? 'recovery_email_code' : 'main_email_code'],
        message: 'main_email_code and recovery_email_code go together',
      });
    }
    const proofs = [input.code, input.recovery_code, input.main_email_code].filter((p) => p !== undefined);
    if (proofs.length > 1) {
      ctx.addIssue({ code: 'custom', path: [], message: 'give exactly one proof' });
    }
  });
export type TDisableMfaInput = z.infer<typeof ZDisableMfaInput>;

const proofRejected = () => new DomainError('PROOF_REJECTED');

/** What a checked proof still has to win inside the transaction (single use decides there). */
type CheckedProof =
  | { isValid: true; claim: (tx: Tx, nowMs: number) => Promise<boolean> }
  | { isValid: false; isGuess: boolean; onFailure?: (tx: Tx) => Promise<void> };

async function checkProof(
  core: Core,
  user: User,
  credential: MfaCredential | undefined,
  input: TDisableMfaInput,
  meta: RequestMeta,
): Promise<CheckedProof> {
  const now = core.clock.now();
  if (input.code !== undefined) {
    const result = verifyTotp({
      // No TOTP credential (WebAuthn only): no code matches.
      secret: credential ? openTotpSecret(core, user.id, credential) : undefined,
      code: input.code,
      epochMs: now,
      lastTimeStep: credential?.lastTimeStep ?? 0,
    });
    if (!result.isValid) return { isValid: false, isGuess: true };
    return { isValid: true, claim: (tx) => recordAcceptedTimeStep(tx, user.id, result.timeStep) };
  }
  if (input.recovery_code !== undefined) {
    // The code that opened a recovery window is used, yet disable takes it once more inside the window.
    const window = await findOpenRecoveryWindow(core.store, user.id, now);
    const candidates = await findUnusedRecoveryCodes(core.store, user.id);
    if (window) candidates.push({ id: window.recoveryCodeId, codeHash: window.codeHash });
    const match = await matchRecoveryCode(core, meta, candidates, input.recovery_code);
    if (!match) return { isValid: false, isGuess: true };
    if (window && match.id === window.recoveryCodeId) {
      return { isValid: true, claim: (tx, at) => useRecoveryWindow(tx, user.id, at, window.recoveryCodeId) };
    }
    return { isValid: true, claim: (tx, at) => consumeRecoveryCode(tx, match.id, at) };
  }
  if (input.main_email_code !== undefined && input.recovery_email_code !== undefined) {
    const requests = await triableResetRequests(
      core,
      core.store,
      await findLiveResetRequestsOfUser(core.store, user.id, now),
      meta.clientAddress,
    );
    const match = await matchResetCodes(
      core,
      meta,
      requests,
      input.main_email_code,
      input.recovery_email_code,
    );
    if (!match) {
      return {
        isValid: false,
        isGuess: true,
        onFailure: (tx: Tx) => recordResetCodesFailure(core, tx, requests, meta.clientAddress),
      };
    }
    return {
      isValid: true,
      claim: async (tx, at) =>
        !(await isResetRequestBurnedFor(core, tx, match.id, meta.clientAddress)) &&
        (await consumeResetRequest(tx, match.id, at)),
    };
  }
  // `{}`: no secret is guessed, so a refusal is not counted as a failed second factor.
  if (!(await findOpenRecoveryWindow(core.store, user.id, now))) return { isValid: false, isGuess: false };
  return { isValid: true, claim: (tx, at) => useRecoveryWindow(tx, user.id, at) };
}

/**
 * Turns MFA off with one proof; the secret and every recovery code are deleted. Existing
 * sessions stay (the user proved a second factor on this session). Wrong proof: 403.
 */
export async function disableMfa(
  core: Core,
  user: User,
  input: TDisableMfaInput,
  meta: RequestMeta,
): Promise<void> {
  if (!(await isMfaEnabled(core.store, user.id))) throw new DomainError('MFA_NOT_ENABLED');
  const credential = await findMfaCredential(core.store, user.id);
  await assertSecondFactorNotLocked(core, core.store, user.id);
  const proof = await checkProof(core, user, credential, input, meta);
  if (!proof.isValid) {
    if (proof.isGuess) {
      await core.store.transaction(async (tx) => {
        await proof.onFailure?.(tx);
        await recordSecondFactorFailure(core, tx, user, 'second_factor_failed', meta);
      });
    }
    throw proofRejected();
  }

  await core.store.transaction(async (tx) => {
    // One change of the user's MFA state at a time: the checks below see every committed one,
    // and parallel disables with different proofs queue here instead of deadlocking on its rows.
    await tx.users.lock(user.id);
    await assertSecondFactorNotLocked(core, tx, user.id);
    if (!(await isMfaEnabled(tx, user.id))) throw new DomainError('MFA_NOT_ENABLED');
    const now = core.clock.now();
    if (!(await proof.claim(tx, now))) throw proofRejected();
    await deleteMfaState(tx, user.id, now);
    // Trust skips a second factor; should MFA come back, no browser may skip the new one.
    await revokeAllTrustedDevices(core, tx, user.id, meta);
    await resetSecondFactorFailures(core, tx, user.id);
    await enqueueMail(core, tx, user.id, { kind: 'mfa-disabled', to: user.email, username: user.username });
    await recordSecurityEvent(core, tx, user.id, 'mfa_disabled', meta);
  });
}
