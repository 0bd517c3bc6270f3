import type { Core } from '../context.js';
import { enableMfa } from '../mfa/enable.js';
import { generateMfa } from '../mfa/generate.js';
import { generateTotpCode } from '../totp/generate-code.js';
import { TEST_META } from './factories.js';
import { freshSession } from './fresh-session.js';
import { withRecoveryEmail } from './recovery-email.js';

/** The TOTP code of `secret` at `epochMs`, as an authenticator app would show it. */
export function totpAt(secret: string, epochMs: number): Promise<string> {
  return generateTotpCode(secret, epochMs);
}

export interface EnabledMfa {
  secret: string;
  recoveryCodes: string[];
  recoveryEmail: string;
}

/**
 * Turns MFA on through the real generate + enable (setting a recovery email first if the
 * user has none). The code of the current step is used up by enable: move the clock at
 * least 30 s before logging in with `totpAt`. Runs as a fresh session (a full login just now).
 */
export async function enableMfaForUser(core: Core, account: { id: string }): Promise<EnabledMfa> {
  const user = await withRecoveryEmail(core, account.id);
  const { secret, recovery_codes } = await generateMfa(core, freshSession(core, user), TEST_META);
  const code = await totpAt(secret, core.clock.now());
  await enableMfa(core, freshSession(core, user), { code, secret, recovery_codes }, TEST_META);
  return { secret, recoveryCodes: recovery_codes, recoveryEmail: user.recoveryEmail ?? '' };
}
