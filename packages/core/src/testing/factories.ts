import type { Core } from '../context.js';
import { registerUser, type TRegisterInput } from '../users/register.js';

let sequence = 0;

/** Unique, valid registration input; override any field. */
export function buildRegisterInput(overrides: Partial<TRegisterInput> = {}): TRegisterInput {
  sequence += 1;
  const tag = `${Date.now().toString(36)}${sequence}`;
  return {
    name: `User ${tag}`,
    email: `user${tag}@example.test`,
    username: `user${tag}`,
    password: `correct horse ${tag}`,
    ...overrides,
  };
}

export const TEST_META = { clientAddress: '127.0.0.1' } as const;

export async function createUser(core: Core, overrides: Partial<TRegisterInput> = {}) {
  const input = buildRegisterInput(overrides);
  const auth = await registerUser(core, input, TEST_META);
  return { input, auth };
}
