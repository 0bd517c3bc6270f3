import type { Core } from '../context.js';
import { enableMfaForUser } from './enable-mfa.js';
import { createUser } from './factories.js';

/**
 * A registered user with MFA on, the clock moved past the step that enable used, so
 * `totpAt(secret, clock.now())` is a fresh code.
 */
export async function createMfaUser(core: Core, clock: { advanceSeconds(seconds: number): void }) {
  const { input, auth } = await createUser(core);
  const mfa = await enableMfaForUser(core, auth);
  clock.advanceSeconds(30);
  return { input, auth, ...mfa };
}
