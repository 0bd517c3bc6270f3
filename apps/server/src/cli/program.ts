import { Command, CommanderError } from 'commander';
import { CliError, type CliOutput } from './output.js';

/** Reads only what a command needs from the environment; empty strings count as unset. */
function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** The `twofold` command line (README § Backups, § Administration). */
export function createProgram(env: NodeJS.ProcessEnv, out: CliOutput): Command {
  const program = new Command('twofold')
    .description('Operate a Twofold installation')
    .showHelpAfterError()
    .exitOverride();
  program
    .command('backup')
    .description(
      'copy the embedded SQLite database, consistently, while the server runs (SQLite online backup); keys are not included',
    )
    .argument('<file>', 'where to write the copy')
    .option('--data-dir <dir>', 'the installation folder (default: $DATA_DIR or ./data)')
    .option('--force', 'replace <file> if it exists', false)
    .action(async (file: string, options: { dataDir?: string; force: boolean }) => {
      // Loaded on use: `--help` and usage errors answer without loading the database stack.
      const { runBackup } = await import('./backup.js');
      await runBackup(
        file,
        {
          dataDir: options.dataDir ?? envValue(env, 'DATA_DIR') ?? './data',
          databaseUrl: envValue(env, 'DATABASE_URL'),
          force: options.force,
        },
        out,
      );
    });
  return program;
}

/** Runs the command line; resolves with the exit code. Operator mistakes print one line, never a stack. */
export async function runCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: CliOutput,
): Promise<number> {
  const program = createProgram(env, out);
  program.configureOutput({
    writeOut: (text) => out.result(text.trimEnd()),
    writeErr: (text) => out.info(text.trimEnd()),
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CliError) {
      out.info(`error: ${error.message}`);
      return 1;
    }
    out.info(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
