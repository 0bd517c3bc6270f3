import {
  ADMIN_SCOPES,
  type AdminActor,
  type AdminScope,
  clearLockoutsForAdmin,
  createAdminKey,
  disableUserForAdmin,
  enableUserForAdmin,
  endSessionsForAdmin,
  findUserForAdmin,
  isAdminScope,
  listAdminKeys,
  listUserEventsForAdmin,
  resetMfaForAdmin,
  revokeAdminKey,
} from '@twofold/core';
import { openCliCore } from './open-core.js';
import { CliError, type CliOutput } from './output.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The local operator: the CLI runs with the database and its keys at hand; events name it `cli`. */
const CLI_ACTOR: AdminActor = {
  key: {
    id: 'cli',
    name: 'local command line',
    scopes: [...ADMIN_SCOPES],
    createdAtMs: 0,
    expiresAtMs: null,
  },
  meta: { clientAddress: 'cli' },
};

function parseScopes(values: readonly string[]): AdminScope[] {
  const scopes = values.flatMap((value) => value.split(',')).map((value) => value.trim());
  const unknown = scopes.filter((scope) => !isAdminScope(scope));
  if (unknown.length > 0 || scopes.length === 0) {
    throw new CliError(`--scope takes ${ADMIN_SCOPES.join(', ')}; got ${unknown.join(', ') || 'nothing'}`);
  }
  return scopes.filter(isAdminScope);
}

async function withCore<T>(
  env: NodeJS.ProcessEnv,
  work: (core: Awaited<ReturnType<typeof openCliCore>>['core']) => Promise<T>,
) {
  const opened = await openCliCore(env);
  try {
    return await work(opened.core);
  } finally {
    await opened.close();
  }
}

export async function createKeyCommand(
  env: NodeJS.ProcessEnv,
  options: { name: string; scope: string[]; expiresInDays?: string },
  out: CliOutput,
): Promise<void> {
  const scopes = parseScopes(options.scope);
  const days = options.expiresInDays === undefined ? undefined : Number(options.expiresInDays);
  if (days !== undefined && !(Number.isInteger(days) && days > 0 && days <= 3650)) {
    throw new CliError('--expires-in-days takes a whole number of days from 1 to 3650');
  }
  await withCore(env, async (core) => {
    const { key, adminKey } = await createAdminKey(core, {
      name: options.name,
      scopes,
      ...(days === undefined ? {} : { expiresAtMs: core.clock.now() + days * DAY_MS }),
    });
    out.info(`created admin key ${adminKey.id} (${adminKey.name}: ${adminKey.scopes.join(' ')})`);
    out.info('the key is shown once; only its hash is stored:');
    out.result(key);
  });
}

export async function listKeysCommand(env: NodeJS.ProcessEnv, out: CliOutput): Promise<void> {
  await withCore(env, async (core) => {
    for (const key of await listAdminKeys(core)) {
      const expires = key.expiresAtMs === null ? 'never' : new Date(key.expiresAtMs).toISOString();
      out.result(`${key.id}\t${key.name}\t${key.scopes.join(' ')}\texpires ${expires}`);
    }
  });
}

export async function revokeKeyCommand(env: NodeJS.ProcessEnv, id: string, out: CliOutput): Promise<void> {
  await withCore(env, async (core) => {
    if (!(await revokeAdminKey(core, id))) throw new CliError(`no admin key ${id}`);
    out.info(`revoked admin key ${id}`);
  });
}

const USER_ACTIONS = {
  find: findUserForAdmin,
  events: listUserEventsForAdmin,
  unlock: clearLockoutsForAdmin,
  'reset-mfa': resetMfaForAdmin,
  'end-sessions': endSessionsForAdmin,
  disable: disableUserForAdmin,
  enable: enableUserForAdmin,
} as const;
export type UserAction = keyof typeof USER_ACTIONS;

export async function userCommand(
  env: NodeJS.ProcessEnv,
  action: UserAction,
  user: string,
  out: CliOutput,
): Promise<void> {
  await withCore(env, async (core) => {
    const result = await USER_ACTIONS[action](core, CLI_ACTOR, user.trim().toLowerCase());
    out.result(JSON.stringify(result, null, 2));
  });
}
