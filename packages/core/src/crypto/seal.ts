import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Marks a ciphertext sealed with associated data. Unmarked ones were written before
 * ciphertexts were bound; only the start-up re-seal (reseal.ts) opens those.
 */
const BOUND_PREFIX = 'v2:';

export interface Sealed {
  ciphertext: string;
  keyId: string;
}

/**
 * What a ciphertext is for, sealed as AES-GCM associated data: a copy in another row opens
 * nowhere. A TOTP secret is bound to its user (not to a table or row, so a pending
 * enrollment becomes the credential unchanged); a mail body to its outbox row and to the
 * address it goes to, so a reset code can be neither moved to another mail nor redirected.
 */
export type SealContext =
  | { purpose: 'totp-secret'; userId: string }
  | { purpose: 'outbox-mail'; mailId: string; recipient: string }
  | { purpose: 'signing-key'; kid: string };

function associatedData(context: SealContext): Buffer {
  const fields =
    context.purpose === 'totp-secret'
      ? [context.purpose, context.userId]
      : context.purpose === 'signing-key'
        ? [context.purpose, context.kid]
        : [context.purpose, context.mailId, context.recipient];
  // A JSON array keeps the fields apart whatever characters they hold.
  return Buffer.from(JSON.stringify(['twofold', ...fields]), 'utf8');
}

function encrypt(keyring: Keyring, plaintext: string, aad: Buffer | undefined): Sealed {
  const key = keyring.keys.get(keyring.activeKeyId);
  if (!key) throw new Error('active encryption key missing');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  if (aad) cipher.setAAD(aad);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return { ciphertext: Buffer.concat([iv, tag, data]).toString('base64url'), keyId: keyring.activeKeyId };
}

function decrypt(keyring: Keyring, keyId: string, ciphertext: string, aad: Buffer | undefined): string {
  const key = keyring.keys.get(keyId);
  if (!key) throw new Error(`no encryption key with id ${keyId}`);
  const raw = Buffer.from(ciphertext, 'base64url');
  const iv = raw.subarray(0, IV_BYTES);
  const tag = raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  if (aad) decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
    'utf8',
  );
}

/**
 * AES-256-GCM with a fresh 96-bit IV (NIST SP 800-38D) and `context` as associated data;
 * output is `v2:` + iv|tag|data in base64url.
 */
export function seal(keyring: Keyring, plaintext: string, context: SealContext): Sealed {
  const sealed = encrypt(keyring, plaintext, associatedData(context));
  return { ...sealed, ciphertext: `${BOUND_PREFIX}${sealed.ciphertext}` };
}

/** Opens what `seal` sealed for the same context; throws for any other context or an unbound ciphertext. */
export function open(keyring: Keyring, sealed: Sealed, context: SealContext): string {
  if (!isBound(sealed.ciphertext)) throw new Error('ciphertext is not bound to a purpose');
  return decrypt(
    keyring,
    sealed.keyId,
    sealed.ciphertext.slice(BOUND_PREFIX.length),
    associatedData(context),
  );
}

function isBound(ciphertext: string): boolean {
  return ciphertext.startsWith(BOUND_PREFIX);
}

/** Opens a ciphertext written before binding. For the start-up re-seal only (reseal.ts). */
export function openUnbound(keyring: Keyring, sealed: Sealed): string {
  if (isBound(sealed.ciphertext)) throw new Error('ciphertext is bound: open it with its context');
  return decrypt(keyring, sealed.keyId, sealed.ciphertext, undefined);
}
