/** One prepared request of a pool: the load generator fills `{{code}}` at send time. */
export interface LoadItem {
  headers?: Record<string, string>;
  /** Request body; `{{code}}` becomes the current TOTP code of `totpSecret`. */
  body?: string;
  /** Base32 TOTP secret of the item's user (test data only). */
  totpSecret?: string;
}

/** What a response must look like to count as a success. */
interface Expectation {
  status: number;
  /** A response header that must be present (lowercase), e.g. `x-mfa-token`. */
  header?: string;
  /** A substring the body must contain. */
  bodyIncludes?: string;
}

export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  items: LoadItem[];
  /** `distinct`: every request takes the next unused item (stop when none is left); `cycle`: round-robin. */
  mode: 'distinct' | 'cycle';
  /** A response slower than this counts as a failure (timeout). */
  timeoutSeconds?: number;
  /** When set, each phase sends this many requests instead of running for its seconds (smoke runs). */
  requestsPerPhase?: number;
  /** Distinct mode: the warm-up takes at most this many items, the window the rest (a fixed-size run). */
  warmupItems?: number;
  expect: Expectation;
  /**
   * Open loop (`open-loop.ts`): requests at this fixed rate, latency from each one's due time,
   * instead of autocannon's closed loop; `connections` is then the most sockets it may open.
   */
  openLoopRate?: number;
}

interface LatencySummary {
  p50: number;
  p99: number;
  p999: number;
  mean: number;
  max: number;
}

export interface PhaseResult {
  requests: number;
  successes: number;
  failures: number;
  /** Failure counts by status (`0` = socket error or timeout), for diagnosis. */
  failuresByStatus: Record<string, number>;
  elapsedSeconds: number;
  rps: number;
  latencyMs: LatencySummary;
  /** The pool of distinct items ran out before the end of the phase (the phase was cut short). */
  exhausted: boolean;
  /** Open loop: the rate requests were due at. */
  offeredRps?: number;
}

export interface LoadResult {
  warmup: PhaseResult | undefined;
  window: PhaseResult;
  itemsUsed: number;
}

/** Messages from the load process to the harness (IPC), so it can sample the server around the window. */
export type LoadMessage =
  | { type: 'window-start' }
  | { type: 'window-end' }
  | { type: 'done'; result: LoadResult };
