import { z } from 'zod';
import type { Core } from '../context.js';
import { ZSecurityEvent } from '../events/list.js';
import { isMfaEnabled } from '../mfa/factors.js';
import { recoveryCodesStatus, ZRecoveryCodesStatus } from '../recovery-codes/status.js';
import type { Session } from '../session/freshness.js';
import { listSessions, ZSessionList } from '../session/list.js';
import { listTrustedDevices, ZTrustedDeviceList } from '../trusted-devices/list.js';
import { listWebAuthnCredentials } from '../webauthn/manage.js';
import { ZWebAuthnCredentialSummary } from '../webauthn/schemas.js';

/** docs/contract.md § Leaving: the newest events an export holds (retention keeps a year). */
const EXPORT_SECURITY_EVENTS_MAX = 10_000;

/**
 * What an account holds, for its owner to take away (docs/contract.md § Leaving): the profile,
 * the factors' metadata, the live sessions and trusted devices, and the security events. Never a secret, a code, a
 * hash or a key: factors appear as the settings page shows them.
 */
export const ZAccountExport = z
  .object({
    /** Epoch milliseconds. */
    exportedAtMs: z.number().int(),
    profile: z.object({
      id: z.string(),
      username: z.string(),
      name: z.string(),
      email: z.string(),
      emailVerified: z.boolean(),
      /** Null while unset. */
      recoveryEmail: z.string().nullable(),
      recoveryEmailVerified: z.boolean(),
      admin: z.boolean(),
      createdAtMs: z.number().int(),
    }),
    factors: z.object({
      mfa: z.boolean(),
      /** The authenticator app, when one is enrolled: when, never its secret. */
      totp: z.object({ enabledAtMs: z.number().int() }).nullable(),
      webauthn: z.array(ZWebAuthnCredentialSummary),
      /** How many are left, never the codes or their hashes. */
      recoveryCodes: ZRecoveryCodesStatus,
    }),
    sessions: ZSessionList.shape.sessions,
    /** Browsers that may skip the second step (docs/contract.md § Trusted devices); never their tokens. */
    trustedDevices: ZTrustedDeviceList.shape.devices,
    /** Newest first, at most EXPORT_SECURITY_EVENTS_MAX. */
    securityEvents: z.array(ZSecurityEvent),
  })
  .meta({ title: 'AccountExport' });
export type TAccountExport = z.infer<typeof ZAccountExport>;

/** The export of the session's account (any live session of it: it shows nothing the API does not). */
export async function exportAccount(core: Core, session: Session): Promise<TAccountExport> {
  const { user } = session;
  const totp = await core.store.totpCredentials.findByUser(user.id);
  const events = await core.store.events.listNewestOfUser({
    userId: user.id,
    limit: EXPORT_SECURITY_EVENTS_MAX,
  });
  return {
    exportedAtMs: core.clock.now(),
    profile: {
      id: user.id,
      username: user.username,
      name: user.name,
      email: user.email,
      emailVerified: user.emailVerifiedAtMs !== null,
      recoveryEmail: user.recoveryEmail,
      recoveryEmailVerified: user.recoveryEmail !== null && user.recoveryEmailVerifiedAtMs !== null,
      admin: user.isAdmin,
      createdAtMs: user.createdAtMs,
    },
    factors: {
      mfa: await isMfaEnabled(core.store, user.id),
      totp: totp ? { enabledAtMs: totp.enabledAtMs } : null,
      webauthn: (await listWebAuthnCredentials(core, user.id)).credentials,
      recoveryCodes: await recoveryCodesStatus(core, user.id),
    },
    sessions: (await listSessions(core, { id: session.id, userId: user.id })).sessions,
    // No browser asks here: none is marked current.
    trustedDevices: (await listTrustedDevices(core, user.id, undefined)).devices,
    // Written only from SECURITY_EVENT_TYPES (events/record.ts).
    securityEvents: events.map(({ id, type, clientAddress, createdAtMs }) => ({
      id,
      type: type as TAccountExport['securityEvents'][number]['type'],
      clientAddress,
      createdAtMs,
    })),
  };
}
