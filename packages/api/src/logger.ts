/** Structured log sink. Callers pass facts only: never bodies, tokens, codes or raw paths. */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

export const jsonLogger: Logger = {
  info: (event, fields) =>
    console.log(JSON.stringify({ level: 'info', time: new Date().toISOString(), event, ...fields })),
  error: (event, fields) =>
    console.error(JSON.stringify({ level: 'error', time: new Date().toISOString(), event, ...fields })),
};

export const silentLogger: Logger = { info: () => {}, error: () => {} };

/** Logs an unexpected error by class and message; the cause of a DomainError is unwrapped. */
export function describeError(error: unknown): Record<string, unknown> {
  const inner = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (inner instanceof Error)
    return { errorName: inner.name, errorMessage: inner.message, stack: inner.stack };
  return { errorName: typeof inner };
}
