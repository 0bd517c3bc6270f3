// Invariant: a server killed with SIGKILL at any moment under concurrent enable / login / recover / reset load restarts on the same data dir with an intact database in which every request answered 200 has its effect, no single-use thing was used twice, and no email of a committed change is missing from the outbox.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '@twofold/core';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/start-server.js';
import { type ChildServer, spawnServer } from '../support/child-server.js';
import { type HttpResult, request } from '../support/http.js';
import { knownKeys, openMailbox } from '../support/mfa.js';
import { totpAt } from '../support/totp.js';

const ROUNDS = 5;
const WORKERS = 4;
const dataDir = mkdtempSync(join(tmpdir(), 'twofold-crash-'));
const databaseFile = join(dataDir, DATABASE_FILE);
const keys = knownKeys();
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** What the server confirmed with a 200 (or 429), to be checked against the database. */
interface Confirmed {
  users: Map<string, { email: string; username: string }>;
  enabled: Set<string>;
  loggedIn: Set<string>;
  /** user id → recovery codes answered 200. */
  recovered: Map<string, string[]>;
  resetRequested: Set<string>;
  reset: Set<string>;
  locked: Set<string>;
}
const confirmed: Confirmed = {
  users: new Map(),
  enabled: new Set(),
  loggedIn: new Set(),
  recovered: new Map(),
  resetRequested: new Set(),
  reset: new Set(),
  locked: new Set(),
};
let sequence = 0;

/** One request that may die with the server: undefined when no answer came. */
async function attempt(fn: () => Promise<HttpResult>): Promise<HttpResult | undefined> {
  try {
    return await fn();
  } catch (error) {
    // fetch fails with a TypeError when the server dies; anything else (the document) is the test's.
    if (!(error instanceof TypeError)) throw error;
    return undefined;
  }
}

interface Life {
  username: string;
  email: string;
  recoveryEmail: string;
  password: string;
  xff: Record<string, string>;
  stage: number;
  id?: string;
  token?: string;
  secret?: string;
  codes?: string[];
  nextCode: number;
  resetToken?: string;
}

function newLife(): Life {
  sequence += 1;
  const username = `crash${sequence}x${Date.now().toString(36)}`;
  return {
    username,
    email: `${username}@example.test`,
    recoveryEmail: `rec-${username}@example.test`,
    password: `pw-${username}-long`,
    xff: { 'x-forwarded-for': `10.9.${sequence >> 8}.${sequence & 255}` },
    stage: 0,
    nextCode: 0,
  };
}

/**
 * One step of a user's life: register, recovery email, generate, enable, log in with TOTP,
 * recover (twice at once), request reset, reset, get locked. A step whose answer was lost to the kill is
 * retried in the next round, as a client would. Returns false when the server is gone.
 */
async function step(url: string, life: Life): Promise<boolean> {
  const stages: (() => Promise<HttpResult | undefined>)[] = [
    async () => {
      const body = {
        name: life.username,
        email: life.email,
        username: life.username,
        password: life.password,
      };
      let res = await attempt(() => request(url, 'POST', '/api/register', { body }));
      // Committed before the kill but unanswered: the account exists; log in instead.
      if (res?.status === 409)
        res = await attempt(() =>
          request(url, 'POST', '/api/login', {
            body: { username: life.username, password: life.password },
            headers: life.xff,
          }),
        );
      if (res?.status === 200) {
        const auth = res.json as { id: string; token: string };
        life.id = auth.id;
        life.token = auth.token;
        confirmed.users.set(auth.id, { email: life.email, username: life.username });
      }
      return res;
    },
    () =>
      attempt(() =>
        request(url, 'PATCH', '/api/users', {
          token: life.token,
          body: { recovery_email: life.recoveryEmail },
        }),
      ),
    async () => {
      const res = await attempt(() => request(url, 'GET', '/api/user/mfa/generate', { token: life.token }));
      if (res?.status === 200) {
        const generated = res.json as { secret: string; recovery_codes: string[] };
        life.secret = generated.secret;
        life.codes = generated.recovery_codes;
      }
      return res;
    },
    async () => {
      const res = await attempt(async () =>
        request(url, 'PUT', '/api/user/mfa/enable', {
          token: life.token,
          body: {
            code: await totpAt(life.secret!, Date.now()),
            secret: life.secret,
            recovery_codes: life.codes,
          },
        }),
      );
      if (res?.status === 200) confirmed.enabled.add(life.id!);
      // Enabled before the kill, answer lost: go on (nothing to confirm).
      return res?.status === 409 ? { ...res, status: 200 } : res;
    },
    async () => {
      // Login with MFA: the password step, then the next time step's code (enable used this one).
      const login = await attempt(() =>
        request(url, 'POST', '/api/login', {
          body: { username: life.username, password: life.password },
          headers: life.xff,
        }),
      );
      const mfaToken = login?.headers.get('x-mfa-token');
      if (!login || !mfaToken) return login && { ...login, status: 0 };
      const res = await attempt(async () =>
        request(url, 'POST', '/api/user/mfa/auth', {
          body: { token: mfaToken, code: await totpAt(life.secret!, Date.now(), 1) },
        }),
      );
      if (res?.status === 200) confirmed.loggedIn.add(life.id!);
      // A lost answer, or the step already used by a lost answer: the login is not confirmed; go on.
      return res?.status === 401 ? { ...res, status: 200 } : res;
    },
    async () => {
      const code = life.codes![life.nextCode++ % 6]!;
      const both = await Promise.all(
        [0, 1].map(() =>
          attempt(() =>
            request(url, 'POST', '/api/user/mfa/recover', {
              body: { identifier: life.username, recovery_code: code },
            }),
          ),
        ),
      );
      const wins = both.filter((r) => r?.status === 200);
      expect(wins.length).toBeLessThanOrEqual(1);
      if (wins.length === 1)
        confirmed.recovered.set(life.id!, [...(confirmed.recovered.get(life.id!) ?? []), code]);
      return wins[0] ?? both.find((r) => r !== undefined);
    },
    async () => {
      const res = await attempt(() =>
        request(url, 'POST', '/api/user/mfa/reset', { body: { identifier: life.email } }),
      );
      if (res?.status === 200) {
        life.resetToken = (res.json as { token: string }).token;
        confirmed.resetRequested.add(life.id!);
      }
      return res;
    },
    async () => {
      let codes: { main_email_code: string; recovery_email_code: string };
      try {
        codes = await openMailbox({ databaseFile }, keys).resetCodes(life);
      } catch {
        return undefined;
      }
      // The user id names the live request even if the answer with the token was lost.
      const res = await attempt(() => request(url, 'PUT', `/api/user/mfa/reset/${life.id}`, { body: codes }));
      if (res?.status === 200) confirmed.reset.add(life.id!);
      return res?.status === 401 ? { ...res, status: 200 } : res;
    },
    async () => {
      const res = await attempt(() =>
        request(url, 'POST', '/api/login', {
          body: { username: life.username, password: 'wrong-password!' },
          headers: life.xff,
        }),
      );
      if (res?.status === 429) confirmed.locked.add(life.id!);
      return res?.status === 429
        ? { ...res, status: 200 }
        : res?.status === 401
          ? { ...res, status: 0 }
          : res;
    },
  ];
  const res = await stages[life.stage]!();
  if (res === undefined) return false;
  if (res.status === 200) life.stage += 1;
  return true;
}

const lives: Life[] = [];

async function runLoad(url: string, stop: { stopped: boolean }) {
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, worker) => {
      while (!stop.stopped) {
        // Each worker walks its own users; a finished life makes room for a new one.
        let life = lives.find((l, i) => i % WORKERS === worker && l.stage < 9);
        if (!life) {
          life = newLife();
          while (lives.length % WORKERS !== worker) lives.push({ ...newLife(), stage: 9 });
          lives.push(life);
        }
        if (!(await step(url, life))) return;
      }
    }),
  );
}

async function verifyDatabase(): Promise<{ users: number; recoveries: number }> {
  const store = openSqliteStore(databaseFile);
  const sql = store.db.$client;
  try {
    expect(sql.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(sql.pragma('foreign_key_check')).toEqual([]);
    const count = (query: string, ...params: unknown[]) =>
      (sql.prepare(query).get(...params) as { n: number }).n;
    const mails = (to: string, kind: string) =>
      count('SELECT count(*) AS n FROM outbox WHERE recipient = ? AND kind = ?', to, kind);
    const events = (id: string, type: string) =>
      count('SELECT count(*) AS n FROM security_events WHERE user_id = ? AND type = ?', id, type);

    for (const [id, user] of confirmed.users) {
      expect(count('SELECT count(*) AS n FROM users WHERE id = ?', id), `user ${id}`).toBe(1);
      const hasMfa = count('SELECT count(*) AS n FROM mfa_credentials WHERE user_id = ?', id) === 1;
      // A reset can commit and lose its answer to the kill; its event says it happened.
      const wasReset = confirmed.reset.has(id) || events(id, 'reset_completed') > 0;
      if (wasReset) expect(hasMfa, `reset ${id}`).toBe(false);
      else if (confirmed.enabled.has(id)) expect(hasMfa, `enabled ${id}`).toBe(true);
      // Enable succeeds once per user here: one mail, one event.
      if (confirmed.enabled.has(id)) expect(mails(user.email, 'mfa-enabled'), `mail enabled ${id}`).toBe(1);
      expect(mails(user.email, 'mfa-enabled')).toBe(events(id, 'mfa_enabled'));

      // A confirmed second step left its event and spent its MFA token.
      if (confirmed.loggedIn.has(id)) {
        expect(events(id, 'mfa_auth_succeeded'), `login ${id}`).toBeGreaterThanOrEqual(1);
      }
      if (confirmed.loggedIn.has(id) && !confirmed.reset.has(id)) {
        expect(
          count('SELECT count(*) AS n FROM mfa_tokens WHERE user_id = ? AND used_at_ms IS NOT NULL', id),
        ).toBe(events(id, 'mfa_auth_succeeded'));
      }

      // Each consumption of a recovery code is exactly one mail and one event, and every
      // code answered 200 is consumed: none was used twice, none was lost.
      const recoveredCodes = confirmed.recovered.get(id)?.length ?? 0;
      const usedEvents = events(id, 'recovery_code_used');
      expect(usedEvents, `recoveries ${id}`).toBeGreaterThanOrEqual(recoveredCodes);
      expect(mails(user.email, 'recovery-code-used'), `mail recovered ${id}`).toBe(usedEvents);
      // A reset (even one whose answer was lost to the kill) deletes the recovery codes.
      if (!wasReset) {
        const used = count(
          'SELECT count(*) AS n FROM recovery_codes WHERE user_id = ? AND used_at_ms IS NOT NULL',
          id,
        );
        expect(used, `used codes ${id}`).toBe(usedEvents);
      }

      if (confirmed.resetRequested.has(id)) {
        expect(mails(user.email, 'reset-code'), `mail reset code ${id}`).toBeGreaterThanOrEqual(1);
        expect(mails(`rec-${user.username}@example.test`, 'reset-code')).toBe(
          mails(user.email, 'reset-code'),
        );
      }
      // A reset request is consumed at most once, and each completion is one mail.
      const completions = count(
        'SELECT count(*) AS n FROM reset_requests WHERE user_id = ? AND consumed_at_ms IS NOT NULL',
        id,
      );
      expect(events(id, 'reset_completed')).toBeLessThanOrEqual(1);
      expect(mails(user.email, 'mfa-reset')).toBe(events(id, 'reset_completed'));
      if (confirmed.reset.has(id)) {
        expect(events(id, 'reset_completed'), `reset ${id}`).toBe(1);
        expect(completions).toBeGreaterThanOrEqual(1);
      }
      if (confirmed.locked.has(id))
        expect(mails(user.email, 'account-locked'), `mail locked ${id}`).toBeGreaterThanOrEqual(1);
    }
    return { users: confirmed.users.size, recoveries: confirmed.recovered.size };
  } finally {
    await store.close();
  }
}

describe('crash and restart', () => {
  it(`survives ${ROUNDS} SIGKILLs under load`, async () => {
    const env = { DATA_DIR: dataDir, TRUST_PROXY: '1', ...keys };
    const delays: number[] = [];
    const outputs: string[][] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const server: ChildServer = await spawnServer(env);
      outputs.push(server.output);
      const stop = { stopped: false };
      const load = runLoad(server.url, stop);
      const delay = 1500 + Math.floor(Math.random() * 2500);
      delays.push(delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
      server.process.kill('SIGKILL');
      expect((await server.exited).signal).toBe('SIGKILL');
      stop.stopped = true;
      await load;
      await verifyDatabase();
    }

    // After the last crash: a clean start, and every consumed recovery code stays consumed.
    const server = await spawnServer(env);
    outputs.push(server.output);
    try {
      expect((await request(server.url, 'GET', '/healthz', { unchecked: true })).status).toBe(200);
      for (const [id, codes] of confirmed.recovered) {
        if (confirmed.reset.has(id)) continue;
        const user = confirmed.users.get(id)!;
        for (const code of codes) {
          const res = await request(server.url, 'POST', '/api/user/mfa/recover', {
            body: { identifier: user.username, recovery_code: code },
          });
          expect(res.status).toBe(401);
        }
      }
    } finally {
      server.process.kill('SIGTERM');
      expect((await server.exited).code).toBe(0);
    }
    const totals = await verifyDatabase();
    // The processes' own stdout and stderr hold no password, secret, code or token either.
    const printed = outputs.flat().join('');
    expect(printed).toContain('"event":"request"');
    for (const life of lives.filter((l) => l.id)) {
      const secrets = [life.password, life.token, life.secret, life.resetToken, ...(life.codes ?? [])];
      for (const secret of secrets)
        if (secret) expect(printed.includes(secret), `${life.username} leaked`).toBe(false);
    }
    console.log(
      `crash/restart: ${ROUNDS} SIGKILL rounds (after ${delays.join(', ')} ms), ${totals.users} users confirmed, ${confirmed.enabled.size} enabled, ${confirmed.loggedIn.size} logged in with TOTP, ${totals.recoveries} recovered, ${confirmed.reset.size} reset, ${confirmed.locked.size} locked`,
    );
    expect(confirmed.users.size).toBeGreaterThan(ROUNDS);
    // Up to 20 s of random delays before the kills, plus a start and a check per round.
  }, 90_000);
});
