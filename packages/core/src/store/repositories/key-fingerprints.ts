export type KeyFingerprintRow = { name: string; fingerprint: string };

/** Fingerprints of the keys the database was written with (crypto/key-check.ts). */
export interface KeyFingerprintRepository {
  findAll(): Promise<KeyFingerprintRow[]>;
  /** Records (or replaces) the fingerprint of one key. */
  record(row: KeyFingerprintRow & { recordedAtMs: number }): Promise<void>;
}
