/**
 * Compile-time proof of end-to-end types: these lines only type-check while the server's
 * procedures have the shapes the pages rely on. Change a procedure's output on the server,
 * regenerate the client package's router (`pnpm --filter @twofold/client generate`, which its
 * own type check demands) and `pnpm typecheck` fails here (and in the pages), not at run time.
 */
import type { TwofoldInputs as Inputs, TwofoldOutputs as Outputs } from '@twofold/client';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

export type MeHasUsername = Assert<Equal<Outputs['auth']['me']['user'], string>>;
export type MeHasNoToken = Assert<Equal<'token' extends keyof Outputs['auth']['me'] ? true : false, false>>;
export type LoginIsTagged = Assert<
  Equal<Outputs['auth']['login']['status'], 'authenticated' | 'mfa_required'>
>;
export type RegisterTakesPassword = Assert<Equal<Inputs['auth']['register']['password'], string>>;
