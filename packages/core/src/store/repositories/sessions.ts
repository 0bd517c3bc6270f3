import type { User } from '../../users/find.js';

/** A server-side session row (docs/contract.md § Sessions). Times are epoch ms. */
export interface SessionRow {
  id: string;
  userId: string;
  method: string;
  createdAtMs: number;
  lastSeenAtMs: number;
  expiresAtMs: number;
  userAgent: string | null;
  clientAddress: string;
}

/** Sessions. Ending one deletes its row: an unknown id and an ended one answer alike. */
export interface SessionRepository {
  insert(session: SessionRow): Promise<void>;
  /** The session and its user, in one indexed read (every protected request makes it). */
  findWithUser(id: string): Promise<{ session: SessionRow; user: User } | undefined>;
  /** The user's sessions that have not expired at `nowMs`, newest first. */
  listLiveOfUser(query: { userId: string; nowMs: number }): Promise<SessionRow[]>;
  /**
   * Moves `lastSeenAtMs` to `nowMs` while it is at or before `seenBeforeMs`; true when it did,
   * so of parallel requests one writes.
   */
  touch(query: { id: string; nowMs: number; seenBeforeMs: number }): Promise<boolean>;
  /** Gives a live session a new id (its old tokens die, the session goes on); true when it did. */
  rotate(query: { id: string; newId: string }): Promise<boolean>;
  /** Deletes the session when it is `userId`'s; true when it did. */
  end(query: { id: string; userId: string }): Promise<boolean>;
  /** Deletes every session of the user except `exceptId`; returns how many. */
  endAllOfUser(query: { userId: string; exceptId?: string | undefined }): Promise<number>;
}
