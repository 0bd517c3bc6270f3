import type { emailChanges } from '../sqlite/schema/index.js';

/** A confirmed change of a main email and its undo link (email-change/*); times in epoch milliseconds. */
export type EmailChangeRow = typeof emailChanges.$inferSelect;

/** "Live" means not undone and its undo link unexpired at `nowMs`; the rules stay in email-change/*. */
export interface EmailChangeRepository {
  insert(change: Omit<EmailChangeRow, 'undoneAtMs'>): Promise<void>;
  /** The change whose undo link carries this keyed token hash, live or not. */
  findByUndoTokenHash(undoTokenHash: string): Promise<EmailChangeRow | undefined>;
  /** Marks every live change of the user undone; answers whether `id` was one of them (the one caller that wins). */
  undoAllOfUser(query: { userId: string; id: string; nowMs: number }): Promise<boolean>;
}
