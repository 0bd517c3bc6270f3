import { DomainError } from '../errors.js';
import type { UserLoginState } from '../store/repositories/users.js';
import type { Tx } from '../store/store.js';

/**
 * docs/contract.md § Disabled accounts: answered only once the request's proof (password, code,
 * key) was accepted; before that a disabled account answers exactly as an enabled one would.
 */
export const accountDisabled = () => new DomainError('ACCOUNT_DISABLED');

/**
 * Inside the transaction that would start a session or change a credential: holds the user's
 * row, so it is ordered with an operator's disable (which ends sessions under the same lock),
 * and throws ACCOUNT_DISABLED while the account is disabled. The transaction then rolls back:
 * nothing the proof would have spent (a code, a token, a counter reset) is spent. Answers the
 * row's login state, or undefined when the account is gone (deleted meanwhile).
 */
export async function assertAccountEnabled(tx: Tx, userId: string): Promise<UserLoginState | undefined> {
  const state = await tx.users.lockAndReadState(userId);
  if (state && state.disabledAtMs !== null) throw accountDisabled();
  return state;
}
