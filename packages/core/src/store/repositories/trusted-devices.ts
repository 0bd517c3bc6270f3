/** A trusted browser (docs/contract.md § Trusted devices). Times are epoch ms. */
export interface TrustedDeviceRow {
  id: string;
  userId: string;
  tokenHash: string;
  createdAtMs: number;
  lastUsedAtMs: number | null;
  expiresAtMs: number;
  userAgent: string | null;
  clientAddress: string;
}

/** Trusted devices. Revoking one deletes its row: an unknown id and a revoked one answer alike. */
export interface TrustedDeviceRepository {
  insert(device: TrustedDeviceRow): Promise<void>;
  /**
   * Marks the live device of `userId` whose token hashes to `tokenHash` as used at `nowMs`, in
   * one guarded UPDATE: answers its id, or undefined when there is none (unknown, another
   * user's, expired or revoked, also by a parallel revocation).
   */
  use(query: { tokenHash: string; userId: string; nowMs: number }): Promise<string | undefined>;
  /** The user's devices that have not expired at `nowMs`, newest first. */
  listLiveOfUser(query: { userId: string; nowMs: number }): Promise<TrustedDeviceRow[]>;
  /** Deletes the device when it is `userId`'s; true when it did. */
  revoke(query: { id: string; userId: string }): Promise<boolean>;
  /** Deletes every device of the user; returns how many. */
  revokeAllOfUser(userId: string): Promise<number>;
}
