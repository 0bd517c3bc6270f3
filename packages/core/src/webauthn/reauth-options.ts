import type { Core } from '../context.js';
import type { Session } from '../session/freshness.js';
import type { TWebAuthnAssertionOptions } from './second-step.js';
import { issueUserAssertionOptions } from './user-assertion-options.js';

/**
 * Options for proving a key again in a session (`user.reauth` with `webauthn`), for users whose
 * second factors are keys (docs/contract.md § Re-authentication).
 */
export function startWebAuthnReauth(core: Core, session: Session): Promise<TWebAuthnAssertionOptions> {
  const { user } = session;
  return issueUserAssertionOptions(core, { userId: user.id, purpose: 'session', mfaTokenHash: null });
}
