import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealed {
  ciphertext: string;
  keyId: string;
}

/** AES-256-GCM with a fresh 96-bit IV (NIST SP 800-38D); output is iv|tag|data in base64url. */
export function seal(keyring: Keyring, plaintext: string): Sealed {
  const key = keyring.keys.get(keyring.activeKeyId);
  if (!key) throw new Error('active encryption key missing');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return { ciphertext: Buffer.concat([iv, tag, data]).toString('base64url'), keyId: keyring.activeKeyId };
}

export function open(keyring: Keyring, sealed: Sealed): string {
  const key = keyring.keys.get(sealed.keyId);
  if (!key) throw new Error(`no encryption key with id ${sealed.keyId}`);
  const raw = Buffer.from(sealed.ciphertext, 'base64url');
  const iv = raw.subarray(0, IV_BYTES);
  const tag = raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
    'utf8',
  );
}
