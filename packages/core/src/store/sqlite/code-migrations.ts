import { and, asc, eq, gt, isNotNull, notLike } from 'drizzle-orm';
import type {
  CiphertextChange,
  CodeMigrationRepository,
  SealedSecretTable,
  UnboundMailBody,
  UnboundQuery,
  UnboundSecret,
} from '../repositories/code-migrations.js';
import type { Db } from './open.js';
import { codeMigrations, mfaCredentials, mfaEnrollments, outbox } from './schema/index.js';

const secretTables = { 'totp-credentials': mfaCredentials, enrollments: mfaEnrollments } as const;

/** Run once per start, so nothing here is prepared ahead. */
export class SqliteCodeMigrationRepository implements CodeMigrationRepository {
  constructor(private readonly db: Db) {}

  async hasCompleted(name: string): Promise<boolean> {
    return (
      this.db
        .select({ name: codeMigrations.name })
        .from(codeMigrations)
        .where(eq(codeMigrations.name, name))
        .get() !== undefined
    );
  }

  async recordCompleted(migration: { name: string; completedAtMs: number }): Promise<void> {
    this.db.insert(codeMigrations).values(migration).onConflictDoNothing().run();
  }

  async findUnboundSecrets(table: SealedSecretTable, query: UnboundQuery): Promise<UnboundSecret[]> {
    const t = secretTables[table];
    return this.db
      .select({ userId: t.userId, ciphertext: t.secretCiphertext, keyId: t.keyId })
      .from(t)
      .where(and(gt(t.userId, query.after), notLike(t.secretCiphertext, `${query.boundPrefix}%`)))
      .orderBy(asc(t.userId))
      .limit(query.limit)
      .all();
  }

  async replaceSecret(table: SealedSecretTable, userId: string, change: CiphertextChange): Promise<boolean> {
    const t = secretTables[table];
    return (
      this.db
        .update(t)
        .set({ secretCiphertext: change.ciphertext, keyId: change.keyId })
        .where(and(eq(t.userId, userId), eq(t.secretCiphertext, change.fromCiphertext)))
        .run().changes === 1
    );
  }

  async findUnboundMailBodies(query: UnboundQuery): Promise<UnboundMailBody[]> {
    const rows = this.db
      .select({
        id: outbox.id,
        recipient: outbox.recipient,
        ciphertext: outbox.payloadCiphertext,
        keyId: outbox.keyId,
      })
      .from(outbox)
      .where(
        and(
          gt(outbox.id, query.after),
          isNotNull(outbox.payloadCiphertext),
          isNotNull(outbox.keyId),
          notLike(outbox.payloadCiphertext, `${query.boundPrefix}%`),
        ),
      )
      .orderBy(asc(outbox.id))
      .limit(query.limit)
      .all();
    return rows.map((r) => ({
      id: r.id,
      recipient: r.recipient,
      ciphertext: r.ciphertext ?? '',
      keyId: r.keyId ?? '',
    }));
  }

  async replaceMailBody(id: string, change: CiphertextChange): Promise<boolean> {
    return (
      this.db
        .update(outbox)
        .set({ payloadCiphertext: change.ciphertext, keyId: change.keyId })
        .where(and(eq(outbox.id, id), eq(outbox.payloadCiphertext, change.fromCiphertext)))
        .run().changes === 1
    );
  }
}
