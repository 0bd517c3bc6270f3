import type { Core, RequestMeta } from '../context.js';
import { recordSecurityEvent } from '../events/record.js';
import { enqueueMail } from '../mail/enqueue.js';
import type { WebAuthnCredential } from '../store/repositories/webauthn-credentials.js';
import type { Tx } from '../store/store.js';
import type { User } from '../users/find.js';

/**
 * W3C WebAuthn § 6.1.1: a counter that does not grow, unless both are 0 (synced passkeys keep
 * 0), may mean a cloned authenticator.
 */
function isCounterRegressed(stored: number, received: number): boolean {
  return (stored > 0 || received > 0) && received <= stored;
}

/**
 * Accepts one use of a verified credential inside the login's transaction: the counter is
 * compared with the committed one and advanced by compare-and-set. A regression is refused,
 * recorded as a security event and mailed to the owner (docs/contract.md § WebAuthn); the
 * caller returns (does not throw) so that record commits.
 */
export async function recordCredentialUse(
  core: Core,
  tx: Tx,
  input: {
    credentialId: string;
    user: Pick<User, 'id' | 'email' | 'username'>;
    newCounter: number;
    meta: RequestMeta;
  },
): Promise<'accepted' | 'regressed' | 'gone'> {
  const credential: WebAuthnCredential | undefined = await tx.webauthnCredentials.findByCredentialId(
    input.credentialId,
  );
  if (!credential || credential.userId !== input.user.id) return 'gone';
  if (isCounterRegressed(credential.signCount, input.newCounter)) {
    await recordSecurityEvent(core, tx, input.user.id, 'webauthn_counter_regressed', input.meta);
    await enqueueMail(core, tx, input.user.id, {
      kind: 'webauthn-clone-suspected',
      to: input.user.email,
      username: input.user.username,
      credentialName: credential.name,
    });
    return 'regressed';
  }
  const advanced = await tx.webauthnCredentials.advanceSignCount({
    id: credential.id,
    expected: credential.signCount,
    next: input.newCounter,
    nowMs: core.clock.now(),
  });
  // Another use moved the counter since this transaction read it (PostgreSQL): refuse this one.
  return advanced ? 'accepted' : 'gone';
}
