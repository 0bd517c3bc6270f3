import { and, eq, gt } from 'drizzle-orm';
import type { Enrollment, EnrollmentRepository } from '../repositories/enrollments.js';
import type { PgDb } from './db.js';
import { mfaEnrollments } from './schema/index.js';

export class PostgresEnrollmentRepository implements EnrollmentRepository {
  constructor(private readonly db: PgDb) {}

  async findPending(query: { userId: string; nowMs: number }): Promise<Enrollment | undefined> {
    const [row] = await this.db
      .select()
      .from(mfaEnrollments)
      .where(and(eq(mfaEnrollments.userId, query.userId), gt(mfaEnrollments.expiresAtMs, query.nowMs)));
    return row;
  }

  async replace(enrollment: Enrollment): Promise<void> {
    const { secretCiphertext, keyId, recoveryCodeHashes, expiresAtMs, createdAtMs } = enrollment;
    await this.db.insert(mfaEnrollments).values(enrollment).onConflictDoUpdate({
      target: mfaEnrollments.userId,
      set: { secretCiphertext, keyId, recoveryCodeHashes, expiresAtMs, createdAtMs },
    });
  }

  // One guarded DELETE: of parallel confirms of one enrollment only one deletes the row.
  async take(query: { userId: string; secretCiphertext: string }): Promise<boolean> {
    const rows = await this.db
      .delete(mfaEnrollments)
      .where(
        and(
          eq(mfaEnrollments.userId, query.userId),
          eq(mfaEnrollments.secretCiphertext, query.secretCiphertext),
        ),
      )
      .returning({ userId: mfaEnrollments.userId });
    return rows.length === 1;
  }

  async deleteOfUser(userId: string): Promise<void> {
    await this.db.delete(mfaEnrollments).where(eq(mfaEnrollments.userId, userId));
  }
}
