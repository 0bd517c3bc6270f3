/**
 * Node flags the server runs with (`pnpm start`, the root package.json; the bench starts it
 * the same way). A 64 MiB young generation instead of 16 MiB: a login allocates mostly
 * short-lived objects, and fewer scavenges gave ~7 % more W1 throughput and a lower p99 for
 * ~20 MiB more RSS (BENCHMARKS.md).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
