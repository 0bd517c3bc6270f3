import { describe, expect, it } from 'vitest';
import { isStoreUnavailable } from './unavailable.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isStoreUnavailable', () => {
  it('says yes to passing faults of either database, also wrapped as drizzle wraps them', () => {
    for (const fault of [
      withCode('SQLITE_BUSY'),
      withCode('SQLITE_FULL'),
      withCode('ECONNREFUSED'),
      withCode('ECONNRESET'),
      withCode('57P01', 'terminating connection due to administrator command'),
      withCode('53300', 'sorry, too many clients already'),
      withCode('40P01', 'deadlock detected'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      new Error('Query read timeout'),
      new Error('Failed query: select 1', { cause: withCode('ECONNREFUSED') }),
    ]) {
      expect(isStoreUnavailable(fault), fault.message).toBe(true);
    }
  });

  it('says no to bugs and to answers about the data', () => {
    for (const error of [
      new Error('boom'),
      withCode('23505', 'duplicate key value violates unique constraint'),
      withCode('42P01', 'relation "users" does not exist'),
      withCode('SQLITE_CONSTRAINT_UNIQUE'),
      'ECONNREFUSED',
      undefined,
    ]) {
      expect(isStoreUnavailable(error)).toBe(false);
    }
  });
});
