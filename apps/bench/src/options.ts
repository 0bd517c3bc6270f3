export const WORKLOADS = ['w0', 'ceiling', 'w1', 'w2', 'w3', 'scale'] as const;
export type WorkloadId = (typeof WORKLOADS)[number];

export interface BenchOptions {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** Distinct users (pending challenges) prepared for our W1: must exceed the requests of warm-up + window. */
  w1Users: number;
  /** The same for better-auth (an order of magnitude slower, and slower to prepare). */
  peerW1Users: number;
  /**
   * At most this many of them on PostgreSQL (`twofold-pg`, and of `peerW1Users` for
   * `better-auth-pg`), whose setup logins take ~4 ms each (10 minutes for 150 000) and whose
   * W1 runs slower: the pool still outlasts the window.
   */
  pgW1Users: number;
  /** Users of the password workload (W2) and the enrollment workload (W3), used round-robin. */
  passwordUsers: number;
  jwtUsers: number;
  /** DB sizes compared for W1 (all MFA users), and the W1 requests fired at each. */
  scaleUsers: readonly number[];
  scaleRequests: number;
  w0Iterations: number;
  /** Fixed request count per phase instead of the timed phases (the smoke test). */
  requestsPerPhase?: number;
  workloads: ReadonlySet<WorkloadId>;
  /**
   * Leave better-auth out on both stores (`--no-peer`): for iterating on our own numbers;
   * gives no us/peer ratio.
   */
  skipPeer?: boolean;
  /** Leave both PostgreSQL sides out (`--no-pg`): W1 and W2 then run on SQLite only. */
  skipPg?: boolean;
  /**
   * The PostgreSQL database the `twofold-pg` and `better-auth-pg` sides run on, each in a fresh
   * schema dropped at the end (`--pg-url`, `BENCH_DATABASE_URL`); undefined: the tests' database (TEST_DATABASE_URL).
   */
  pgUrl?: string;
  /** Where the JSON of the run goes; undefined writes nothing. */
  resultsDir: string | undefined;
  log: (line: string) => void;
}

/** The method: 32 connections, 2 s warm-up, 10 s window. */
export const FULL_OPTIONS: Omit<BenchOptions, 'resultsDir' | 'log'> = {
  connections: 32,
  warmupSeconds: 2,
  durationSeconds: 10,
  w1Users: 150_000,
  peerW1Users: 10_000,
  pgW1Users: 40_000,
  passwordUsers: 64,
  jwtUsers: 64,
  scaleUsers: [1_000, 1_000_000],
  scaleRequests: 1_000,
  w0Iterations: 50_000,
  workloads: new Set(WORKLOADS),
};

/** A few requests per workload: proves the harness end to end in seconds (the smoke test). */
export const SMOKE_OPTIONS: Omit<BenchOptions, 'resultsDir' | 'log'> = {
  connections: 2,
  warmupSeconds: 0,
  durationSeconds: 1,
  requestsPerPhase: 3,
  w1Users: 12,
  peerW1Users: 12,
  pgW1Users: 12,
  passwordUsers: 4,
  jwtUsers: 4,
  scaleUsers: [50, 500],
  scaleRequests: 6,
  w0Iterations: 500,
  workloads: new Set(WORKLOADS),
};
