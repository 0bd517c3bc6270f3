import type { Core } from '../context.js';
import { SESSION_TTL_SECONDS } from './jwt.js';
import type { PublicSigningJwk } from './signing-keys.js';

export { JWKS_MAX_AGE_SECONDS } from './signing-keys.js';

/**
 * The JWK set relying services verify session tokens with (docs/contract.md § Sessions other
 * services verify). The signing key is made first if none exists yet, so a service that fetches
 * the set before anyone logged in still learns the key the first token will name.
 */
export async function publishedJwks(core: Core): Promise<{ keys: PublicSigningJwk[] }> {
  await core.signingKeys.signing();
  return { keys: await core.signingKeys.published(SESSION_TTL_SECONDS * 1000) };
}
