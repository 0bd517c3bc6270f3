import type { Random } from '../random.js';

/** How many recent durations of the writing path a reply may be padded to. */
const SAMPLES = 64;
/**
 * The longest a reply is padded. A write that stalled (a lock, a slow disk, PostgreSQL's 15 s
 * statement timeout) must not make the following requests sleep as long and hold their
 * connections: a normal write takes milliseconds, so this bound hides every normal one.
 */
export const MAX_PAD_MS = 1_000;

/**
 * Keeps a reset request's answer time from telling which path it took (docs/contract.md §
 * Reset by email). Only a real account with MFA and a recovery email commits a write
 * transaction (the request, two mails, an event); on PostgreSQL that is a dozen round trips
 * and a commit, 10–30 ms that the other paths would not spend. So each other path waits out a
 * duration drawn from that path's recent durations in this process: both answer times then
 * have the same distribution, under any load, without a write that no one needs.
 *
 * Real elapsed time, not the injected clock: this is about when the answer leaves.
 */
export class AnswerTiming {
  private readonly durations: number[] = [];
  private next = 0;

  constructor(
    private readonly random: Random,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The start of the part that differs between paths. */
  start(): number {
    return this.now();
  }

  /** The writing path finished: remember how long it took. */
  recordWrite(startedAt: number): void {
    const duration = this.now() - startedAt;
    if (this.durations.length < SAMPLES) this.durations.push(duration);
    else this.durations[this.next] = duration;
    this.next = (this.next + 1) % SAMPLES;
  }

  /** Another path finished: wait until a recent writing path's duration has passed since `startedAt`. */
  async padNonWrite(startedAt: number): Promise<void> {
    if (this.durations.length === 0) return;
    const target = Math.min(this.durations[this.random.int(this.durations.length)]!, MAX_PAD_MS);
    const remaining = target - (this.now() - startedAt);
    if (remaining >= 1) await new Promise((resolve) => setTimeout(resolve, remaining));
  }
}
