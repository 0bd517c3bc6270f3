import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Core, RequestMeta } from '../context.js';
import { slowHash } from '../crypto/slow-hash.js';
import { hashToken } from '../crypto/token-hash.js';
import { resetRequests } from '../db/schema/index.js';
import { type Tx, writeTransaction } from '../db/transaction.js';
import { recordSecurityEvent } from '../events/record.js';
import { enqueueMail } from '../mail/enqueue.js';
import { findMfaCredential } from '../mfa/credential.js';
import { findUserByIdentifier } from '../users/find.js';
import { ZIdentifier } from '../users/schemas.js';
import { generateResetCode } from './codes.js';

/** CONTRACT.md: the emailed codes are valid 24 hours. */
export const RESET_REQUEST_TTL_SECONDS = 24 * 60 * 60;
/** CONTRACT.md: at most one request per account per minute. */
export const RESET_REQUEST_INTERVAL_SECONDS = 60;

export const ZRequestResetInput = z.object({
  /** Username or email. */
  identifier: ZIdentifier,
});
export type TRequestResetInput = z.infer<typeof ZRequestResetInput>;

export const ZRequestResetResult = z.object({
  /** Opaque; names the request in PUT /api/user/mfa/reset/{user-id}. */
  token: z.string(),
});
export type TRequestResetResult = z.infer<typeof ZRequestResetResult>;

function isTooSoon(core: Core, tx: Tx, userId: string): boolean {
  const latest = tx
    .select({ createdAt: resetRequests.createdAt })
    .from(resetRequests)
    .where(eq(resetRequests.userId, userId))
    .orderBy(desc(resetRequests.createdAt))
    .get();
  return latest !== undefined && core.clock.now() - latest.createdAt < RESET_REQUEST_INTERVAL_SECONDS * 1000;
}

/**
 * Emails one code to the main and one to the recovery address. Answers a fresh token in
 * every case (unknown account, no MFA, no recovery email, too soon), and does the same
 * argon2 work in every case, so the answer reveals nothing about the account.
 */
export async function requestMfaReset(
  core: Core,
  input: TRequestResetInput,
  meta: RequestMeta,
): Promise<TRequestResetResult> {
  const token = core.random.uuid();
  const mainCode = generateResetCode(core.random);
  const recoveryCode = generateResetCode(core.random);
  const [mainCodeHash, recoveryCodeHash] = await slowHash(core, meta, [mainCode, recoveryCode]);

  const user = findUserByIdentifier(core.db, input.identifier);
  if (!user?.recoveryEmail || !findMfaCredential(core.db, user.id)) return { token };
  const recoveryEmail = user.recoveryEmail;

  writeTransaction(core.db, (tx) => {
    // A second request within the minute gets a token that names nothing and sends nothing.
    if (isTooSoon(core, tx, user.id) || !findMfaCredential(core.db, user.id)) return;
    const now = core.clock.now();
    const expiresAt = now + RESET_REQUEST_TTL_SECONDS * 1000;
    tx.update(resetRequests)
      .set({ consumedAt: now })
      .where(and(eq(resetRequests.userId, user.id), isNull(resetRequests.consumedAt)))
      .run();
    tx.insert(resetRequests)
      .values({
        id: core.random.uuid(),
        userId: user.id,
        tokenHash: hashToken(core.keyring, token),
        mainCodeHash,
        recoveryCodeHash,
        expiresAt,
        createdAt: now,
      })
      .run();
    const mail = (to: string, address: 'main' | 'recovery', code: string) =>
      enqueueMail(core, tx, {
        kind: 'reset-code',
        to,
        username: user.username,
        address,
        code,
        userId: user.id,
        expiresAt,
      });
    mail(user.email, 'main', mainCode);
    mail(recoveryEmail, 'recovery', recoveryCode);
    recordSecurityEvent(core, tx, user.id, 'reset_requested', meta);
  });
  return { token };
}
