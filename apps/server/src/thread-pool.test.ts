import { describe, expect, it } from 'vitest';
import { recommendedPoolSize, slowHashThreadsFor } from './thread-pool.js';

describe('slowHashThreadsFor', () => {
  it('gives argon2 one thread per core, within the pool minus one spare thread', () => {
    expect(slowHashThreadsFor(undefined, 2)).toBe(2);
    expect(slowHashThreadsFor(undefined, 16)).toBe(3);
    expect(slowHashThreadsFor(17, 16)).toBe(16);
    expect(slowHashThreadsFor(64, 16)).toBe(16);
    expect(slowHashThreadsFor(1, 8)).toBe(1);
  });

  it('recommends a pool that gives every core a hashing thread', () => {
    expect(slowHashThreadsFor(recommendedPoolSize(12), 12)).toBe(12);
  });
});
