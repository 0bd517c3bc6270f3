import { and, eq, gt } from 'drizzle-orm';
import type { Enrollment, EnrollmentRepository } from '../repositories/enrollments.js';
import type { Db } from './open.js';
import { mfaEnrollments } from './schema/index.js';

export class SqliteEnrollmentRepository implements EnrollmentRepository {
  constructor(private readonly db: Db) {}

  async findPending(query: { userId: string; nowMs: number }): Promise<Enrollment | undefined> {
    return this.db
      .select()
      .from(mfaEnrollments)
      .where(and(eq(mfaEnrollments.userId, query.userId), gt(mfaEnrollments.expiresAtMs, query.nowMs)))
      .get();
  }

  async replace(enrollment: Enrollment): Promise<void> {
    const { secretCiphertext, keyId, recoveryCodeHashes, expiresAtMs, createdAtMs } = enrollment;
    this.db
      .insert(mfaEnrollments)
      .values(enrollment)
      .onConflictDoUpdate({
        target: mfaEnrollments.userId,
        set: { secretCiphertext, keyId, recoveryCodeHashes, expiresAtMs, createdAtMs },
      })
      .run();
  }

  async take(query: { userId: string; secretCiphertext: string }): Promise<boolean> {
    const result = this.db
      .delete(mfaEnrollments)
      .where(
        and(
          eq(mfaEnrollments.userId, query.userId),
          eq(mfaEnrollments.secretCiphertext, query.secretCiphertext),
        ),
      )
      .run();
    return result.changes === 1;
  }

  async deleteOfUser(userId: string): Promise<void> {
    this.db.delete(mfaEnrollments).where(eq(mfaEnrollments.userId, userId)).run();
  }
}
