import { and, asc, eq } from 'drizzle-orm';
import type {
  WebAuthnCredential,
  WebAuthnCredentialRepository,
} from '../repositories/webauthn-credentials.js';
import type { PgDb } from './db.js';
import { webauthnCredentials } from './schema/index.js';

export class PostgresWebAuthnCredentialRepository implements WebAuthnCredentialRepository {
  constructor(private readonly db: PgDb) {}

  async listOfUser(userId: string): Promise<WebAuthnCredential[]> {
    return this.db
      .select()
      .from(webauthnCredentials)
      .where(eq(webauthnCredentials.userId, userId))
      .orderBy(asc(webauthnCredentials.createdAtMs), asc(webauthnCredentials.id));
  }

  async existsForUser(userId: string): Promise<boolean> {
    const rows = await this.db
      .select({ id: webauthnCredentials.id })
      .from(webauthnCredentials)
      .where(eq(webauthnCredentials.userId, userId))
      .limit(1);
    return rows.length > 0;
  }

  async findByCredentialId(credentialId: string): Promise<WebAuthnCredential | undefined> {
    const [row] = await this.db
      .select()
      .from(webauthnCredentials)
      .where(eq(webauthnCredentials.credentialId, credentialId));
    return row;
  }

  // ON CONFLICT DO NOTHING, not a caught 23505: an error would abort the whole transaction.
  async insert(credential: WebAuthnCredential): Promise<boolean> {
    const rows = await this.db
      .insert(webauthnCredentials)
      .values(credential)
      .onConflictDoNothing()
      .returning({ id: webauthnCredentials.id });
    return rows.length === 1;
  }

  async update(change: {
    id: string;
    userId: string;
    name?: string;
    isPasswordlessAllowed?: boolean;
  }): Promise<boolean> {
    const { id, userId, name, isPasswordlessAllowed } = change;
    const rows = await this.db
      .update(webauthnCredentials)
      .set({ name, isPasswordlessAllowed })
      .where(and(eq(webauthnCredentials.id, id), eq(webauthnCredentials.userId, userId)))
      .returning({ id: webauthnCredentials.id });
    return rows.length === 1;
  }

  async delete(query: { id: string; userId: string }): Promise<boolean> {
    const rows = await this.db
      .delete(webauthnCredentials)
      .where(and(eq(webauthnCredentials.id, query.id), eq(webauthnCredentials.userId, query.userId)))
      .returning({ id: webauthnCredentials.id });
    return rows.length === 1;
  }

  // The guard is on the UPDATE itself: of parallel uses read at one counter, one moves it.
  async advanceSignCount(query: {
    id: string;
    expected: number;
    next: number;
    nowMs: number;
  }): Promise<boolean> {
    const rows = await this.db
      .update(webauthnCredentials)
      .set({ signCount: query.next, lastUsedAtMs: query.nowMs })
      .where(and(eq(webauthnCredentials.id, query.id), eq(webauthnCredentials.signCount, query.expected)))
      .returning({ id: webauthnCredentials.id });
    return rows.length === 1;
  }

  async deleteOfUser(userId: string): Promise<void> {
    await this.db.delete(webauthnCredentials).where(eq(webauthnCredentials.userId, userId));
  }
}
