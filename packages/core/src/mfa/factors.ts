import type { Repositories } from '../store/store.js';

/** The kinds of second factor a user can have. */
type SecondFactorKind = 'totp' | 'webauthn';

/** The second factors the user has confirmed, by kind. */
async function listSecondFactors(repos: Repositories, userId: string): Promise<SecondFactorKind[]> {
  const factors: SecondFactorKind[] = [];
  if (await repos.totpCredentials.exists(userId)) factors.push('totp');
  if (await repos.webauthnCredentials.existsForUser(userId)) factors.push('webauthn');
  return factors;
}

/** "MFA is on": the user has at least one second factor. */
export async function isMfaEnabled(repos: Repositories, userId: string): Promise<boolean> {
  return (await listSecondFactors(repos, userId)).length > 0;
}
