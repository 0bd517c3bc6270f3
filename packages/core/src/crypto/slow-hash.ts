import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id at OWASP's minimum (m = 19 MiB, t = 2, p = 1). Runs on libuv's thread pool,
 * so hashing never blocks the event loop.
 */
export const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function slowHash(secret: string): Promise<string> {
  return hash(secret, ARGON2_OPTIONS);
}

export async function slowVerify(hashed: string, secret: string): Promise<boolean> {
  try {
    return await verify(hashed, secret);
  } catch {
    return false;
  }
}

/** A hash of nothing anyone knows: verified against when a user does not exist, so timing matches. */
let dummyHash: Promise<string> | undefined;
export function dummySlowHash(): Promise<string> {
  dummyHash ??= hash('twofold-dummy-password-for-timing', ARGON2_OPTIONS);
  return dummyHash;
}
