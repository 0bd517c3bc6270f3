import { sql } from 'drizzle-orm';
import type { KeyFingerprintRepository, KeyFingerprintRow } from '../repositories/key-fingerprints.js';
import type { Db } from './open.js';
import { keyFingerprints } from './schema/index.js';

export class SqliteKeyFingerprintRepository implements KeyFingerprintRepository {
  constructor(private readonly db: Db) {}

  async findAll(): Promise<KeyFingerprintRow[]> {
    return this.db
      .select({ name: keyFingerprints.name, fingerprint: keyFingerprints.fingerprint })
      .from(keyFingerprints)
      .all();
  }

  async record(row: KeyFingerprintRow & { recordedAtMs: number }): Promise<void> {
    this.db
      .insert(keyFingerprints)
      .values(row)
      .onConflictDoUpdate({
        target: keyFingerprints.name,
        set: { fingerprint: sql`excluded.fingerprint`, recordedAtMs: sql`excluded.recorded_at_ms` },
      })
      .run();
  }
}
