import { z } from 'zod';
import type { Core, RequestMeta } from '../context.js';
import { DomainError } from '../errors.js';
import { recordSecurityEvent } from '../events/record.js';
import { enqueueMail } from '../mail/enqueue.js';
import { deleteMfaState } from '../mfa/credential.js';
import { isMfaEnabled } from '../mfa/factors.js';
import { assertFreshSession, type Session } from '../session/freshness.js';
import { resetSecondFactorFailures } from '../throttle/second-factor.js';
import { revokeAllTrustedDevices } from '../trusted-devices/revoke.js';
import { summaryOf } from './credentials.js';
import { ZCredentialName, ZWebAuthnCredentialSummary } from './schemas.js';

export const ZWebAuthnCredentialList = z.object({ credentials: z.array(ZWebAuthnCredentialSummary) });
export type TWebAuthnCredentialList = z.infer<typeof ZWebAuthnCredentialList>;

const ZCredentialId = z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters');

/** What PATCH changes; the REST route takes the id from its path. */
export const ZUpdateWebAuthnBody = z
  .object({
    name: ZCredentialName.optional(),
    passwordless: z.boolean().optional(),
  })
  .strict();
export const ZUpdateWebAuthnInput = ZUpdateWebAuthnBody.extend({ id: ZCredentialId }).strict();
export type TUpdateWebAuthnInput = z.infer<typeof ZUpdateWebAuthnInput>;

export const ZRemoveWebAuthnInput = z.object({ id: ZCredentialId }).strict();
export type TRemoveWebAuthnInput = z.infer<typeof ZRemoveWebAuthnInput>;

const notFound = () => new DomainError('CREDENTIAL_NOT_FOUND');

/** The user's WebAuthn credentials, oldest first. */
export async function listWebAuthnCredentials(core: Core, userId: string): Promise<TWebAuthnCredentialList> {
  const rows = await core.store.webauthnCredentials.listOfUser(userId);
  return { credentials: rows.map(summaryOf) };
}

/**
 * Renames a credential or changes whether it may log in without the password. Allowing that
 * widens what the credential can do, so it needs a fresh session; renaming and forbidding do not.
 */
export async function updateWebAuthnCredential(
  core: Core,
  session: Session,
  input: TUpdateWebAuthnInput,
  meta: RequestMeta,
): Promise<z.infer<typeof ZWebAuthnCredentialSummary>> {
  const { user } = session;
  if (input.passwordless === true) await assertFreshSession(core, session);
  return core.store.transaction(async (tx) => {
    const current = (await tx.webauthnCredentials.listOfUser(user.id)).find((c) => c.id === input.id);
    if (!current) throw notFound();
    if (input.name === undefined && input.passwordless === undefined) return summaryOf(current);
    const changed = await tx.webauthnCredentials.update({
      id: input.id,
      userId: user.id,
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.passwordless !== undefined ? { isPasswordlessAllowed: input.passwordless } : {}),
    });
    if (!changed) throw notFound();
    const row = (await tx.webauthnCredentials.listOfUser(user.id)).find((c) => c.id === input.id);
    if (!row) throw notFound();
    await recordSecurityEvent(core, tx, user.id, 'webauthn_updated', meta);
    return summaryOf(row);
  });
}

/**
 * Removes one credential (fresh session, docs/contract.md § Re-authentication); the other
 * factors stay. Removing the last factor is disabling MFA: recovery codes, window and reset
 * requests go too, and the user gets the disable notification.
 */
export async function removeWebAuthnCredential(
  core: Core,
  session: Session,
  input: TRemoveWebAuthnInput,
  meta: RequestMeta,
): Promise<void> {
  const { user } = session;
  await assertFreshSession(core, session);
  await core.store.transaction(async (tx) => {
    // One change of the user's MFA state at a time.
    await tx.users.lock(user.id);
    const row = (await tx.webauthnCredentials.listOfUser(user.id)).find((c) => c.id === input.id);
    if (!row || !(await tx.webauthnCredentials.delete({ id: row.id, userId: user.id }))) throw notFound();
    await recordSecurityEvent(core, tx, user.id, 'webauthn_removed', meta);
    if (await isMfaEnabled(tx, user.id)) {
      await enqueueMail(core, tx, user.id, {
        kind: 'webauthn-removed',
        to: user.email,
        username: user.username,
        credentialName: row.name,
      });
      return;
    }
    const now = core.clock.now();
    await deleteMfaState(tx, user.id, now);
    await revokeAllTrustedDevices(core, tx, user.id, meta);
    await resetSecondFactorFailures(core, tx, user.id);
    await enqueueMail(core, tx, user.id, { kind: 'mfa-disabled', to: user.email, username: user.username });
    await recordSecurityEvent(core, tx, user.id, 'mfa_disabled', meta);
  });
}
