/** docs/contract.md § MFA endpoints: a complete login proves a client for 30 days. */
export const PROVEN_LOGIN_TTL_SECONDS = 30 * 24 * 60 * 60;

/**
 * The client's device token (a cookie in browsers): the one it presented, if any, and where
 * a new one goes after a complete login.
 */
export interface LoginDevice {
  presentedToken: string | undefined;
  keep(token: string): void;
}
