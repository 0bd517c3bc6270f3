import { sql } from 'drizzle-orm';
import type { KeyFingerprintRepository, KeyFingerprintRow } from '../repositories/key-fingerprints.js';
import type { PgDb } from './db.js';
import { keyFingerprints } from './schema/index.js';

export class PostgresKeyFingerprintRepository implements KeyFingerprintRepository {
  constructor(private readonly db: PgDb) {}

  async findAll(): Promise<KeyFingerprintRow[]> {
    return this.db
      .select({ name: keyFingerprints.name, fingerprint: keyFingerprints.fingerprint })
      .from(keyFingerprints);
  }

  async record(row: KeyFingerprintRow & { recordedAtMs: number }): Promise<void> {
    await this.db
      .insert(keyFingerprints)
      .values(row)
      .onConflictDoUpdate({
        target: keyFingerprints.name,
        set: { fingerprint: sql`excluded.fingerprint`, recordedAtMs: sql`excluded.recorded_at_ms` },
      });
  }
}
