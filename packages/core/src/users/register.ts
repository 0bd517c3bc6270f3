import { z } from 'zod';
import { rememberRegistrationAddress } from '../auth/proven-login.js';
import { nowSeconds } from '../clock.js';
import type { Core, RequestMeta } from '../context.js';
import { slowHash } from '../crypto/slow-hash.js';
import { makeVerificationSecrets, queueEmailVerification } from '../email-verification/queue.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { startSession } from '../session/start.js';
import { isUniqueViolation } from '../store/unique-violation.js';
import { throttleIdentifierProbes } from '../throttle/identifier-probe.js';
import { findUserByIdentifier, type User } from './find.js';
import { claimIdentifiers } from './identifiers.js';
import { releaseIfReleasable } from './release.js';
import { isReleasable } from './release-policy.js';
import { ZEmail, ZName, ZPassword, ZUsername } from './schemas.js';
import { issueUserAuth } from './user-auth.js';

export const ZRegisterInput = z
  .object({
    name: ZName,
    email: ZEmail,
    username: ZUsername,
    password: ZPassword,
    // docs/contract.md § Fields beyond the seed: ShellHub's generated clients send these.
    email_marketing: z.boolean().optional().describe('Accepted for ShellHub clients; ignored.'),
    sig: z.string().max(1024).optional().describe('Accepted for ShellHub clients; ignored.'),
  })
  .strict();
export type TRegisterInput = z.infer<typeof ZRegisterInput>;

/**
 * The identifiers of the new account that some account holds, and which of those accounts
 * release theirs (users/release.ts): a registration treats those as absent and removes them in
 * its own transaction.
 */
async function findHolders(core: Core, input: TRegisterInput) {
  const taken = await core.store.identifiers.findTaken([input.email, input.username]);
  const releasable = new Set<string>();
  const held = new Set<string>();
  for (const identifier of taken) {
    const holder = await findUserByIdentifier(core.store, identifier);
    if (holder && isReleasable(holder, core.clock.now())) releasable.add(holder.id);
    else held.add(identifier);
  }
  return { held, releasable: [...releasable] };
}

async function assertAvailable(core: Core, input: TRegisterInput): Promise<string[]> {
  // Usernames and emails are one namespace: either field collides with either role.
  const { held, releasable } = await findHolders(core, input);
  if (held.has(input.email)) {
    throw new DomainError('EMAIL_TAKEN', undefined, {
      fields: { email: 'already registered' },
    });
  }
  if (held.has(input.username)) {
    throw new DomainError('USERNAME_TAKEN', undefined, {
      fields: { username: 'already taken' },
    });
  }
  return releasable;
}

/** A 409 tells that an identifier is taken: they are throttled per client address. */
export function registerUser(core: Core, input: TRegisterInput, meta: RequestMeta) {
  return throttleIdentifierProbes(core, meta, () => createAccount(core, input, meta));
}

async function createAccount(core: Core, input: TRegisterInput, meta: RequestMeta) {
  const releasable = await assertAvailable(core, input);
  const [passwordHash] = await slowHash(core, meta, [input.password]);
  const verification = await makeVerificationSecrets(core, meta);
  const user: User = {
    id: core.random.uuid(),
    username: input.username,
    email: input.email,
    name: input.name,
    passwordHash,
    recoveryEmail: null,
    isAdmin: false,
    createdAtMs: core.clock.now(),
    disabledAtMs: null,
    emailVerifiedAtMs: null,
    recoveryEmailVerifiedAtMs: null,
    firstLoginAtMs: null,
  };
  let sessionId: string;
  try {
    sessionId = await core.store.transaction(async (tx) => {
      // An account kept meanwhile (a login, a verification) keeps its identifiers: the claim
      // below then fails and the check after it answers 409.
      for (const id of releasable) await releaseIfReleasable(core, tx, id, meta);
      await tx.users.insert(user);
      await claimIdentifiers(tx, user);
      await recordSecurityEvent(core, tx, user.id, 'user_registered', meta);
      await rememberRegistrationAddress(core, tx, user.id, meta);
      // docs/contract.md § Verified addresses: the main address is asked to verify itself at once.
      await queueEmailVerification(core, tx, {
        user,
        address: 'main',
        email: user.email,
        secrets: verification,
        isRegistration: true,
      });
      return startSession(core, tx, { userId: user.id, method: 'registration', meta });
    });
  } catch (error) {
    // A parallel registration claimed an identifier since the check above and the database
    // refused this one (race-free on any isolation level): the check now names which.
    if (isUniqueViolation(error)) await assertAvailable(core, input);
    throw error;
  }
  // Registration proved the password (docs/contract.md § Re-authentication).
  // A new account has no second factor.
  return issueUserAuth(core, user, sessionId, { passwordAtSec: nowSeconds(core.clock) }, false);
}
