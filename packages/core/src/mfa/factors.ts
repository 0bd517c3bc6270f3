import type { Repositories } from '../store/store.js';

/** The kinds of second factor a user can have; WebAuthn joins here later. */
export type SecondFactorKind = 'totp';

/** The second factors the user has confirmed, by kind. */
export async function listSecondFactors(repos: Repositories, userId: string): Promise<SecondFactorKind[]> {
  const factors: SecondFactorKind[] = [];
  if (await repos.totpCredentials.exists(userId)) factors.push('totp');
  return factors;
}

/** "MFA is on": the user has at least one second factor. */
export async function isMfaEnabled(repos: Repositories, userId: string): Promise<boolean> {
  return (await listSecondFactors(repos, userId)).length > 0;
}
