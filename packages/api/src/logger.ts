/** Structured log sink. Callers pass facts only: never bodies, tokens, codes or raw paths. */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

/**
 * Info lines (one per request) leave in one write per turn of the event loop: writing to a
 * pipe or file blocks in Node, and a write per request was a visible share of a login's
 * CPU. Errors go out at once; what is pending is flushed on exit.
 */
let pendingLines: string[] = [];
function flushInfoLines(): void {
  if (pendingLines.length === 0) return;
  const text = pendingLines.join('');
  pendingLines = [];
  process.stdout.write(text);
}
process.on('exit', flushInfoLines);

function writeInfoLine(line: string): void {
  if (pendingLines.length === 0) setImmediate(flushInfoLines);
  pendingLines.push(`${line}\n`);
}

export const jsonLogger: Logger = {
  info: (event, fields) =>
    writeInfoLine(JSON.stringify({ level: 'info', time: new Date().toISOString(), event, ...fields })),
  error: (event, fields) => {
    flushInfoLines();
    console.error(JSON.stringify({ level: 'error', time: new Date().toISOString(), event, ...fields }));
  },
};

export const silentLogger: Logger = { info: () => {}, error: () => {} };

/** Logs an unexpected error by class and message; the cause of a DomainError is unwrapped. */
export function describeError(error: unknown): Record<string, unknown> {
  const inner = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (inner instanceof Error)
    return { errorName: inner.name, errorMessage: inner.message, stack: inner.stack };
  return { errorName: typeof inner };
}
