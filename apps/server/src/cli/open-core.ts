import { type Core, checkKeys, createCore } from '@twofold/core';
import { parseEnvConfig } from '../config.js';
import { openConfiguredStore } from '../open-store.js';
import { loadSecrets } from '../secrets.js';

/**
 * A core on the installation the environment names (DATA_DIR or DATABASE_URL, and its keys),
 * as the server opens it; the start-up key check runs too, so a CLI with other keys than the
 * data refuses instead of writing what the server could not read.
 */
export async function openCliCore(env: NodeJS.ProcessEnv): Promise<{ core: Core; close(): Promise<void> }> {
  const config = parseEnvConfig(env);
  const secrets = loadSecrets(config.DATA_DIR, {
    jwtSecret: config.JWT_SECRET,
    encryptionKey: config.ENCRYPTION_KEY,
    tokenHashKey: config.TOKEN_HASH_KEY,
  });
  const store = await openConfiguredStore(config);
  const core = createCore({
    store,
    config: {
      issuer: config.ISSUER,
      publicUrl: config.PUBLIC_URL ?? 'http://localhost',
      jwtSecret: secrets.jwtSecret,
      encryptionKeys: secrets.encryptionKeys,
      tokenHashKey: secrets.tokenHashKey,
    },
  });
  try {
    await checkKeys(core, config.KEYS_CHANGED);
  } catch (error) {
    await store.close();
    throw error;
  }
  return { core, close: () => store.close() };
}
