import { and, asc, eq, gt, isNotNull, notLike } from 'drizzle-orm';
import type {
  CiphertextChange,
  CodeMigrationRepository,
  SealedSecretTable,
  UnboundMailBody,
  UnboundQuery,
  UnboundSecret,
} from '../repositories/code-migrations.js';
import type { PgDb } from './db.js';
import { codeMigrations, mfaCredentials, mfaEnrollments, outbox } from './schema/index.js';

const secretTables = { 'totp-credentials': mfaCredentials, enrollments: mfaEnrollments } as const;

export class PostgresCodeMigrationRepository implements CodeMigrationRepository {
  constructor(private readonly db: PgDb) {}

  async hasCompleted(name: string): Promise<boolean> {
    const rows = await this.db
      .select({ name: codeMigrations.name })
      .from(codeMigrations)
      .where(eq(codeMigrations.name, name));
    return rows.length > 0;
  }

  async recordCompleted(migration: { name: string; completedAtMs: number }): Promise<void> {
    await this.db.insert(codeMigrations).values(migration).onConflictDoNothing();
  }

  async findUnboundSecrets(table: SealedSecretTable, query: UnboundQuery): Promise<UnboundSecret[]> {
    const t = secretTables[table];
    return this.db
      .select({ userId: t.userId, ciphertext: t.secretCiphertext, keyId: t.keyId })
      .from(t)
      .where(and(gt(t.userId, query.after), notLike(t.secretCiphertext, `${query.boundPrefix}%`)))
      .orderBy(asc(t.userId))
      .limit(query.limit);
  }

  async replaceSecret(table: SealedSecretTable, userId: string, change: CiphertextChange): Promise<boolean> {
    const t = secretTables[table];
    const rows = await this.db
      .update(t)
      .set({ secretCiphertext: change.ciphertext, keyId: change.keyId })
      .where(and(eq(t.userId, userId), eq(t.secretCiphertext, change.fromCiphertext)))
      .returning({ userId: t.userId });
    return rows.length === 1;
  }

  async findUnboundMailBodies(query: UnboundQuery): Promise<UnboundMailBody[]> {
    const rows = await this.db
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
      .limit(query.limit);
    return rows.map((r) => ({
      id: r.id,
      recipient: r.recipient,
      ciphertext: r.ciphertext ?? '',
      keyId: r.keyId ?? '',
    }));
  }

  async replaceMailBody(id: string, change: CiphertextChange): Promise<boolean> {
    const rows = await this.db
      .update(outbox)
      .set({ payloadCiphertext: change.ciphertext, keyId: change.keyId })
      .where(and(eq(outbox.id, id), eq(outbox.payloadCiphertext, change.fromCiphertext)))
      .returning({ id: outbox.id });
    return rows.length === 1;
  }
}
