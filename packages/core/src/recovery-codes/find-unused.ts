import type { Repositories } from '../store/store.js';
import type { HashedCode } from './match.js';

export function findUnusedRecoveryCodes(repos: Repositories, userId: string): Promise<HashedCode[]> {
  return repos.recoveryCodes.findUnusedOfUser(userId);
}
