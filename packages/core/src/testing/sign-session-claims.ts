import { createSigner } from 'fast-jwt';
import type { Core } from '../context.js';

/**
 * Signs any payload with the core's current session-signing key, as the service itself would:
 * for tests of what a correctly signed token must still carry.
 */
export async function signWithSessionKey(core: Core, payload: Record<string, unknown>): Promise<string> {
  const key = await core.signingKeys.signing();
  return createSigner({
    key: key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    algorithm: key.algorithm,
    kid: key.kid,
    expiresIn: 3_600_000,
  })(payload);
}
