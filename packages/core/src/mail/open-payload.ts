import type { Core } from '../context.js';
import { open } from '../crypto/seal.js';
import type { RenderedMail } from './messages.js';

type SealedColumns = {
  id: string;
  recipient: string;
  payloadCiphertext: string | null;
  keyId: string | null;
};

/** Opens a sealed outbox body; undefined once the row is settled and its body wiped. */
export function openMailPayload(core: Core, row: SealedColumns): RenderedMail | undefined {
  if (row.payloadCiphertext === null || row.keyId === null) return undefined;
  const json = open(
    core.keyring,
    { ciphertext: row.payloadCiphertext, keyId: row.keyId },
    { purpose: 'outbox-mail', mailId: row.id, recipient: row.recipient },
  );
  return JSON.parse(json) as RenderedMail;
}

/**
 * Like `openMailPayload`, but a body that does not open (sealed with a key no longer
 * configured, or moved from another row) reads as absent.
 */
export function tryOpenMailPayload(core: Core, row: SealedColumns): RenderedMail | undefined {
  try {
    return openMailPayload(core, row);
  } catch {
    return undefined;
  }
}
