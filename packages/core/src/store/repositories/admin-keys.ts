export interface AdminKeyRow {
  id: string;
  name: string;
  secretHash: string;
  /** Space-separated scopes. */
  scopes: string;
  /** Epoch milliseconds. */
  createdAtMs: number;
  /** Epoch milliseconds; null: no expiry. */
  expiresAtMs: number | null;
}

/** Operators' API keys (admin/keys.ts). */
export interface AdminKeyRepository {
  insert(key: AdminKeyRow): Promise<void>;
  findById(id: string): Promise<AdminKeyRow | undefined>;
  list(): Promise<AdminKeyRow[]>;
  /** Deletes the key; false when there was none. */
  delete(id: string): Promise<boolean>;
}
