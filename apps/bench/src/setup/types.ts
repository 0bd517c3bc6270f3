import type { ChildProcess } from 'node:child_process';

export interface RunningServer {
  child: ChildProcess;
  url: string;
  pid: number;
}

/** A pending second step: the challenge handed out by the password step, and its user's TOTP secret. */
export interface W1Challenge {
  /** Twofold: the X-MFA-Token; better-auth: the Cookie header carrying its signed two-factor cookie. */
  token: string;
  /** Base32 of the TOTP key bytes. */
  totpSecret: string;
}

export interface UserCredentials {
  username: string;
  password: string;
}
