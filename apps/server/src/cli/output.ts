/** A mistake of the operator's: its message is the whole line printed, with exit code 1. */
export class CliError extends Error {}

/** Where a command writes: progress and results to stderr/stdout, so tests can capture them. */
export interface CliOutput {
  /** Progress and notes, for people (stderr). */
  info(line: string): void;
  /** The result a script may read (stdout). */
  result(line: string): void;
}

export const consoleOutput: CliOutput = {
  info: (line) => process.stderr.write(`${line}\n`),
  result: (line) => process.stdout.write(`${line}\n`),
};
