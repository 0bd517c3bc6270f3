import { eq, or } from 'drizzle-orm';
import { z } from 'zod';
import type { Core, RequestMeta } from '../context.js';
import { slowHash } from '../crypto/slow-hash.js';
import { users } from '../db/schema/index.js';
import { writeTransaction } from '../db/transaction.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { throttleIdentifierProbes } from '../throttle/identifier-probe.js';
import type { User } from './find.js';
import { ZEmail, ZName, ZPassword, ZUsername } from './schemas.js';
import { issueUserAuth } from './user-auth.js';

export const ZRegisterInput = z.object({
  name: ZName,
  email: ZEmail,
  username: ZUsername,
  password: ZPassword,
});
export type TRegisterInput = z.infer<typeof ZRegisterInput>;

function assertAvailable(core: Core, input: TRegisterInput): void {
  const taken = core.db
    .select({ username: users.username, email: users.email, recoveryEmail: users.recoveryEmail })
    .from(users)
    .where(
      or(eq(users.username, input.username), eq(users.email, input.email), eq(users.username, input.email)),
    )
    .all();
  if (taken.some((row) => row.email === input.email || row.username === input.email)) {
    throw new DomainError('EMAIL_TAKEN', 'email is already registered', {
      fields: { email: 'already registered' },
    });
  }
  if (taken.some((row) => row.username === input.username)) {
    throw new DomainError('USERNAME_TAKEN', 'username is already taken', {
      fields: { username: 'already taken' },
    });
  }
}

/** A 409 tells that an identifier is taken: they are throttled per client address. */
export function registerUser(core: Core, input: TRegisterInput, meta: RequestMeta) {
  return throttleIdentifierProbes(core, meta, () => createAccount(core, input, meta));
}

async function createAccount(core: Core, input: TRegisterInput, meta: RequestMeta) {
  assertAvailable(core, input);
  const [passwordHash] = await slowHash(core, meta, [input.password]);
  const user: User = {
    id: core.random.uuid(),
    username: input.username,
    email: input.email,
    name: input.name,
    passwordHash,
    recoveryEmail: null,
    sessionVersion: 0,
    isAdmin: false,
    createdAt: core.clock.now(),
  };
  writeTransaction(core.db, (tx) => {
    // Checked again under the write lock: a parallel registration may have won meanwhile.
    assertAvailable(core, input);
    tx.insert(users).values(user).run();
    recordSecurityEvent(core, tx, user.id, 'user_registered', meta);
  });
  return issueUserAuth(core, user);
}
