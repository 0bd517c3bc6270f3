// A type, not an interface: the SQLite insert takes it as its placeholder record as it is.
export type NewSecurityEvent = {
  id: string;
  userId: string;
  type: string;
  clientAddress: string | null;
  /** The admin key behind an operator's action; null for the user's own. */
  adminKeyId: string | null;
  /** Epoch milliseconds. */
  createdAtMs: number;
};

export interface SecurityEventRow {
  id: string;
  type: string;
  clientAddress: string | null;
  adminKeyId: string | null;
  /** Epoch milliseconds. */
  createdAtMs: number;
}

/** The per-user security event log (events/record.ts, events/list.ts). */
export interface EventRepository {
  insert(event: NewSecurityEvent): Promise<void>;
  /** The user's newest `limit` events, newest first; insertion order breaks ties within a millisecond. */
  listNewestOfUser(query: { userId: string; limit: number }): Promise<SecurityEventRow[]>;
  /** Keeps the user's events without personal data: no user id, no client address. */
  anonymiseOfUser(userId: string): Promise<void>;
}
