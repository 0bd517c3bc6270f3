import type { z } from 'zod';
import type { Core, RequestMeta } from '../context.js';
import { consumeRecoveryCode } from '../recovery-codes/consume.js';
import { findUnusedRecoveryCodes } from '../recovery-codes/find-unused.js';
import { matchRecoveryCode } from '../recovery-codes/match.js';
import { ZRecoveryCode } from '../recovery-codes/normalize.js';
import type { Tx } from '../store/store.js';
import { ZTotpCode } from '../totp/schemas.js';
import { verifyTotp } from '../totp/verify-totp.js';
import type { User } from '../users/find.js';
import { recordCredentialUse } from '../webauthn/record-use.js';
import { ZAuthenticationResponse } from '../webauthn/schemas.js';
import { checkSessionAssertion } from '../webauthn/session-assertion.js';
import { findMfaCredential, openTotpSecret, recordAcceptedTimeStep } from './credential.js';

/**
 * A second-factor proof given with a request that needs one on top of a fresh session (deleting
 * the account): a TOTP `code`, a `recovery_code` (spent), or a key's answer (`webauthn`) to
 * `mfa.webauthn.reauthOptions`; at most one.
 */
export const ZStepUpProofFields = {
  code: ZTotpCode.optional(),
  recovery_code: ZRecoveryCode.optional(),
  webauthn: ZAuthenticationResponse.optional(),
};
export type TStepUpProof = {
  [K in keyof typeof ZStepUpProofFields]?: z.infer<(typeof ZStepUpProofFields)[K]>;
};

/** Refines an object with the proof fields: at most one of them. */
export function hasAtMostOneProof(proof: TStepUpProof): boolean {
  return [proof.code, proof.recovery_code, proof.webauthn].filter((p) => p !== undefined).length <= 1;
}

export const hasProof = (proof: TStepUpProof) =>
  proof.code !== undefined || proof.recovery_code !== undefined || proof.webauthn !== undefined;

/** A proof checked outside the transaction; `claim` spends it inside (single use decides there). */
export type CheckedStepUpProof =
  | { isValid: true; claim: (tx: Tx, nowMs: number) => Promise<boolean> }
  | { isValid: false };

/**
 * Checks the proof against the user's factors (slow hashes and key ceremonies run here, before
 * the transaction). A code's time step, a recovery code and a key's counter are spent by `claim`.
 */
export async function checkStepUpProof(
  core: Core,
  user: User,
  proof: TStepUpProof,
  meta: RequestMeta,
): Promise<CheckedStepUpProof> {
  if (proof.code !== undefined) {
    const credential = await findMfaCredential(core.store, user.id);
    const result = verifyTotp({
      // No TOTP credential (keys only): no code matches.
      secret: credential ? openTotpSecret(core, user.id, credential) : undefined,
      code: proof.code,
      epochMs: core.clock.now(),
      lastTimeStep: credential?.lastTimeStep ?? 0,
    });
    if (!result.isValid) return { isValid: false };
    return { isValid: true, claim: (tx) => recordAcceptedTimeStep(tx, user.id, result.timeStep) };
  }
  if (proof.recovery_code !== undefined) {
    const candidates = await findUnusedRecoveryCodes(core.store, user.id);
    const match = await matchRecoveryCode(core, meta, candidates, proof.recovery_code);
    if (!match) return { isValid: false };
    return { isValid: true, claim: (tx, nowMs) => consumeRecoveryCode(tx, match.id, nowMs) };
  }
  if (proof.webauthn !== undefined) {
    const assertion = await checkSessionAssertion(core, user.id, proof.webauthn);
    if (!assertion.isValid) return { isValid: false };
    return {
      isValid: true,
      claim: async (tx) =>
        (await recordCredentialUse(core, tx, {
          credentialId: assertion.credentialId,
          user,
          newCounter: assertion.newCounter,
          meta,
        })) === 'accepted',
    };
  }
  return { isValid: false };
}
