import { randomBytes, randomInt, randomUUID } from 'node:crypto';

/** Injected randomness: production uses the CSPRNG; tests may seed their own. */
export interface Random {
  bytes(length: number): Uint8Array;
  /** Uniform integer in [0, max). */
  int(max: number): number;
  uuid(): string;
}

export const cryptoRandom: Random = {
  bytes: (length) => new Uint8Array(randomBytes(length)),
  int: (max) => randomInt(max),
  uuid: () => randomUUID(),
};
