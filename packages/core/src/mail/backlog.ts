import type { Core } from '../context.js';

export interface MailBacklog {
  /** Emails queued and not yet settled (sent, failed or kept). */
  pending: number;
  /** Age of the oldest of them in seconds by the core clock; 0 when none is pending. */
  oldestPendingAgeSeconds: number;
}

/** How far mail delivery is behind: for metrics and operators, a read only. */
export async function readMailBacklog(core: Core): Promise<MailBacklog> {
  const { pending, oldestCreatedAt } = await core.store.outbox.pendingBacklog();
  const oldestPendingAgeSeconds =
    oldestCreatedAt === null ? 0 : Math.max(0, (core.clock.now() - Number(oldestCreatedAt)) / 1000);
  return { pending: Number(pending), oldestPendingAgeSeconds };
}
