import { and, asc, eq } from 'drizzle-orm';
import type {
  WebAuthnCredential,
  WebAuthnCredentialRepository,
} from '../repositories/webauthn-credentials.js';
import type { Db } from './open.js';
import { webauthnCredentials } from './schema/index.js';

export class SqliteWebAuthnCredentialRepository implements WebAuthnCredentialRepository {
  constructor(private readonly db: Db) {}

  async listOfUser(userId: string): Promise<WebAuthnCredential[]> {
    return this.db
      .select()
      .from(webauthnCredentials)
      .where(eq(webauthnCredentials.userId, userId))
      .orderBy(asc(webauthnCredentials.createdAtMs), asc(webauthnCredentials.id))
      .all();
  }

  async existsForUser(userId: string): Promise<boolean> {
    const row = this.db
      .select({ id: webauthnCredentials.id })
      .from(webauthnCredentials)
      .where(eq(webauthnCredentials.userId, userId))
      .limit(1)
      .get();
    return row !== undefined;
  }

  async findByCredentialId(credentialId: string): Promise<WebAuthnCredential | undefined> {
    return this.db
      .select()
      .from(webauthnCredentials)
      .where(eq(webauthnCredentials.credentialId, credentialId))
      .get();
  }

  async insert(credential: WebAuthnCredential): Promise<boolean> {
    const result = this.db.insert(webauthnCredentials).values(credential).onConflictDoNothing().run();
    return result.changes === 1;
  }

  async update(change: {
    id: string;
    userId: string;
    name?: string;
    isPasswordlessAllowed?: boolean;
  }): Promise<boolean> {
    const { id, userId, name, isPasswordlessAllowed } = change;
    const result = this.db
      .update(webauthnCredentials)
      .set({ name, isPasswordlessAllowed })
      .where(and(eq(webauthnCredentials.id, id), eq(webauthnCredentials.userId, userId)))
      .run();
    return result.changes === 1;
  }

  async delete(query: { id: string; userId: string }): Promise<boolean> {
    const result = this.db
      .delete(webauthnCredentials)
      .where(and(eq(webauthnCredentials.id, query.id), eq(webauthnCredentials.userId, query.userId)))
      .run();
    return result.changes === 1;
  }

  async advanceSignCount(query: {
    id: string;
    expected: number;
    next: number;
    nowMs: number;
  }): Promise<boolean> {
    const result = this.db
      .update(webauthnCredentials)
      .set({ signCount: query.next, lastUsedAtMs: query.nowMs })
      .where(and(eq(webauthnCredentials.id, query.id), eq(webauthnCredentials.signCount, query.expected)))
      .run();
    return result.changes === 1;
  }

  async deleteOfUser(userId: string): Promise<void> {
    this.db.delete(webauthnCredentials).where(eq(webauthnCredentials.userId, userId)).run();
  }
}
