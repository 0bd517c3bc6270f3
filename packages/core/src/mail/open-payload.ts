import type { Core } from '../context.js';
import { open } from '../crypto/seal.js';
import type { RenderedMail } from './messages.js';

type SealedColumns = { payloadCiphertext: string | null; keyId: string | null };

/** Opens a sealed outbox body; undefined once the row is settled and its body wiped. */
export function openMailPayload(core: Core, row: SealedColumns): RenderedMail | undefined {
  if (row.payloadCiphertext === null || row.keyId === null) return undefined;
  const json = open(core.keyring, { ciphertext: row.payloadCiphertext, keyId: row.keyId });
  return JSON.parse(json) as RenderedMail;
}

/** Like `openMailPayload`, but a body sealed with a key no longer configured reads as absent. */
export function tryOpenMailPayload(core: Core, row: SealedColumns): RenderedMail | undefined {
  try {
    return openMailPayload(core, row);
  } catch {
    return undefined;
  }
}
