import { Command, CommanderError } from 'commander';
import { CliError, type CliOutput } from './output.js';

/** Reads only what a command needs from the environment; empty strings count as unset. */
function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

interface AdminOptions {
  url?: string;
  key?: string;
}

/**
 * Where `admin` works: the local installation, or with `--url` a running server's admin API
 * with a key from `--key` or TWOFOLD_ADMIN_KEY (README § Administration).
 */
function remoteTargetOf(env: NodeJS.ProcessEnv, options: AdminOptions) {
  if (options.url === undefined) {
    if (options.key !== undefined)
      throw new CliError('--key goes with --url: the local command line needs no key');
    return undefined;
  }
  const key = options.key ?? envValue(env, 'TWOFOLD_ADMIN_KEY');
  if (key === undefined) throw new CliError('--url needs an admin key: --key <key> or TWOFOLD_ADMIN_KEY');
  return { url: options.url, key };
}

/** Keys are made, listed and revoked only where the database is: the admin API has no such operation. */
function assertLocal(options: AdminOptions): void {
  if (options.url !== undefined) {
    throw new CliError('admin keys works on the local installation only; --url is for admin users');
  }
}

/** The `twofold` command line (README § Backups, § Administration). */
function createProgram(env: NodeJS.ProcessEnv, out: CliOutput): Command {
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
  const admin = program
    .command('admin')
    .description(
      'administer the installation the environment names (DATA_DIR or DATABASE_URL, with its keys), or with --url a running server',
    )
    .option('--url <base>', "a running server's base URL: users commands go to its admin API")
    .option(
      '--key <key>',
      'the admin key for --url (better: TWOFOLD_ADMIN_KEY, kept out of the process list)',
    );
  const keys = admin.command('keys').description('API keys for the admin REST and tRPC API');
  keys
    .command('create')
    .description('create a key; it is printed once, only its hash is stored')
    .requiredOption('--name <name>', 'who or what uses the key')
    .requiredOption(
      '--scope <scopes...>',
      'users:read, users:write, events:read, lockouts:write, mfa:reset, sessions:end (comma- or space-separated)',
    )
    .option('--expires-in-days <days>', 'refuse the key after this many days (default: never)')
    .action(async (options: { name: string; scope: string[]; expiresInDays?: string }, command: Command) => {
      assertLocal(command.optsWithGlobals<AdminOptions>());
      const { createKeyCommand } = await import('./admin.js');
      await createKeyCommand(env, options, out);
    });
  keys
    .command('list')
    .description('list keys (never their secrets)')
    .action(async (_options: unknown, command: Command) => {
      assertLocal(command.optsWithGlobals<AdminOptions>());
      const { listKeysCommand } = await import('./admin.js');
      await listKeysCommand(env, out);
    });
  keys
    .command('revoke')
    .description('delete a key: requests with it are refused from then on')
    .argument('<id>', 'the key id (the part after tfa_)')
    .action(async (id: string, _options: unknown, command: Command) => {
      assertLocal(command.optsWithGlobals<AdminOptions>());
      const { revokeKeyCommand } = await import('./admin.js');
      await revokeKeyCommand(env, id, out);
    });
  const users = admin
    .command('users')
    .description("look up users and act on them (recorded in the user's security events)");
  for (const [action, description] of [
    ['find', 'show a user by id, username or email'],
    ['events', "show a user's security events"],
    ['unlock', "end a user's password and second-factor lockouts"],
    ['reset-mfa', "turn a user's MFA off (every factor), end the sessions and mail the user"],
    ['end-sessions', 'end every session of a user'],
    ['disable', 'disable an account: no login starts a session, every session ends'],
    ['enable', 'enable a disabled account again'],
  ] as const) {
    users
      .command(action)
      .description(description)
      .argument('<user>', 'user id, username or email')
      .action(async (user: string, _options: unknown, command: Command) => {
        const remote = remoteTargetOf(env, command.optsWithGlobals<AdminOptions>());
        if (remote) {
          // Loaded on its own: a remote call needs neither the database stack nor the keys.
          const { remoteUserCommand } = await import('./remote-admin.js');
          await remoteUserCommand(remote, action, user, out);
          return;
        }
        const { userCommand } = await import('./admin.js');
        await userCommand(env, action, user, out);
      });
  }
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
    // Domain and configuration errors say what is wrong in their message; never a stack.
    out.info(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
