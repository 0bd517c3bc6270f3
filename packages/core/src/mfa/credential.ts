import type { Core } from '../context.js';
import { open } from '../crypto/seal.js';
import type { TotpCredential } from '../store/repositories/totp-credentials.js';
import type { Repositories, Tx } from '../store/store.js';

export type MfaCredential = TotpCredential;

/** Outside a transaction pass `core.store`, inside one its `tx`. */
export function findMfaCredential(repos: Repositories, userId: string): Promise<MfaCredential | undefined> {
  return repos.totpCredentials.findByUser(userId);
}

/**
 * The user's TOTP secret (or pending one); undefined when the ciphertext does not open for
 * this user (sealed for another, or with a key no longer configured): then no code matches.
 */
export function openTotpSecret(
  core: Core,
  userId: string,
  credential: { secretCiphertext: string; keyId: string },
): string | undefined {
  try {
    return open(
      core.keyring,
      { ciphertext: credential.secretCiphertext, keyId: credential.keyId },
      { purpose: 'totp-secret', userId },
    );
  } catch {
    return undefined;
  }
}

/**
 * Records `timeStep` as the last accepted one, only if it is newer: of two parallel uses
 * of one code exactly one updates the row, and only that one succeeds.
 */
export function recordAcceptedTimeStep(tx: Tx, userId: string, timeStep: number): Promise<boolean> {
  return tx.totpCredentials.acceptTimeStep({ userId, timeStep });
}

/**
 * Turns MFA off: every second factor (the TOTP secret, every WebAuthn credential), every
 * recovery code, any open recovery window and reset request go.
 */
export async function deleteMfaState(tx: Tx, userId: string, nowMs: number): Promise<void> {
  await tx.totpCredentials.deleteOfUser(userId);
  await tx.webauthnCredentials.deleteOfUser(userId);
  await tx.recoveryCodes.deleteOfUser(userId);
  await tx.recoveryWindows.deleteOfUser(userId);
  await tx.enrollments.deleteOfUser(userId);
  // Kept (not deleted) so their tokens still name a known request: 401, not 404.
  await tx.resetRequests.consumeAllOfUser({ userId, nowMs });
}
