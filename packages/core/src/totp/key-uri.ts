import { TOTP_DIGITS, TOTP_PERIOD_SECONDS } from './constants.js';

export interface KeyUriInput {
  issuer: string;
  username: string;
  /** Base32 secret. */
  secret: string;
}

/**
 * The Key URI authenticator apps scan (Google Authenticator "Key Uri Format"):
 * otpauth://totp/<issuer>:<username>?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30
 */
export function buildKeyUri({ issuer, username, secret }: KeyUriInput): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(username)}`;
  const query = [
    `secret=${secret}`,
    `issuer=${encodeURIComponent(issuer)}`,
    'algorithm=SHA1',
    `digits=${TOTP_DIGITS}`,
    `period=${TOTP_PERIOD_SECONDS}`,
  ].join('&');
  return `otpauth://totp/${label}?${query}`;
}
