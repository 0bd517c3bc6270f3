import { z } from 'zod';
import type { Core, RequestMeta } from '../context.js';
import { slowHash } from '../crypto/slow-hash.js';
import { hashToken } from '../crypto/token-hash.js';
import { recordSecurityEvent } from '../events/record.js';
import { enqueueMail } from '../mail/enqueue.js';
import type { Tx } from '../store/store.js';
import { findUserByIdentifier, type User } from '../users/find.js';
import { ZIdentifier } from '../users/schemas.js';
import { generatePasswordResetCode, generatePasswordResetToken } from './codes.js';
import { PASSWORD_RESET_MAX_LIVE, PASSWORD_RESET_TTL_SECONDS } from './live-request.js';

/** docs/contract.md § Forgotten password: at most one mail per account per minute… */
export const PASSWORD_RESET_INTERVAL_SECONDS = 60;
/** …and 5 in any 24 hours, like reset requests, so nobody can flood the owner's mailbox. */
export const PASSWORD_RESETS_PER_DAY = 5;
const DAY_MS = 24 * 60 * 60 * 1000;

export const ZRequestPasswordResetInput = z
  .object({
    /** Username or email. */
    identifier: ZIdentifier,
  })
  .strict();
export type TRequestPasswordResetInput = z.infer<typeof ZRequestPasswordResetInput>;

/** Whether the account may be sent another mail now: one a minute, 5 in any 24 hours. */
async function maySendNow(core: Core, tx: Tx, userId: string): Promise<boolean> {
  const now = core.clock.now();
  const recent = await tx.passwordResets.countMadeSince({ userId, sinceMs: now - DAY_MS });
  if (recent.sent === 0) return true;
  if (recent.sent >= PASSWORD_RESETS_PER_DAY) return false;
  return recent.latest === null || now - recent.latest >= PASSWORD_RESET_INTERVAL_SECONDS * 1000;
}

/** Ends the oldest live requests so that, with the one being made, at most PASSWORD_RESET_MAX_LIVE live. */
async function makeRoom(tx: Tx, userId: string, nowMs: number): Promise<void> {
  const live = await tx.passwordResets.findLiveOfUser({ userId, nowMs });
  for (const request of live.slice(0, Math.max(0, live.length - PASSWORD_RESET_MAX_LIVE + 1))) {
    await tx.passwordResets.consume({ id: request.id, nowMs });
  }
}

/**
 * "Forgot password": mails a code and a link to the account's main address. Answers nothing,
 * the same in every case (unknown account, too soon, over the day's cap), after the same argon2
 * work, and the paths that write nothing wait as long as the one that writes (the answer timing
 * of reset requests, reset/answer-timing.ts): nothing tells whether the account exists.
 */
export async function requestPasswordReset(
  core: Core,
  input: TRequestPasswordResetInput,
  meta: RequestMeta,
): Promise<void> {
  const code = generatePasswordResetCode(core.random);
  const token = generatePasswordResetToken(core.random);
  const [codeHash] = await slowHash(core, meta, [code]);

  const startedAt = core.passwordResetAnswerTiming.start();
  const user = await findUserByIdentifier(core.store, input.identifier);
  // A disabled account is mailed nothing, answered like an unknown one (docs/contract.md § Disabled accounts).
  const wrote =
    user !== undefined &&
    user.disabledAtMs === null &&
    (await writePasswordReset(core, user, meta, { code, token, codeHash }));
  if (wrote) {
    // The answer waits for the write to be durable (SQLite's group commit): time that too.
    await core.store.settle();
    core.passwordResetAnswerTiming.recordWrite(startedAt);
  } else await core.passwordResetAnswerTiming.padNonWrite(startedAt);
}

/** Makes the request and queues its mail unless the account is over its sending limits; whether it wrote. */
function writePasswordReset(
  core: Core,
  user: User,
  meta: RequestMeta,
  secrets: { code: string; token: string; codeHash: string },
): Promise<boolean> {
  return core.store.transaction(async (tx) => {
    // Parallel requests for one account take turns, so the limits count committed requests.
    await tx.users.lock(user.id);
    if (!(await maySendNow(core, tx, user.id))) return false;
    const now = core.clock.now();
    const expiresAtMs = now + PASSWORD_RESET_TTL_SECONDS * 1000;
    await makeRoom(tx, user.id, now);
    await tx.passwordResets.insert({
      id: core.random.uuid(),
      userId: user.id,
      tokenHash: hashToken(core.keyring, secrets.token),
      codeHash: secrets.codeHash,
      expiresAtMs,
      createdAtMs: now,
    });
    await enqueueMail(core, tx, user.id, {
      kind: 'password-reset-code',
      to: user.email,
      username: user.username,
      code: secrets.code,
      token: secrets.token,
      expiresAtMs,
    });
    await recordSecurityEvent(core, tx, user.id, 'password_reset_requested', meta);
    return true;
  });
}
