/** Every email the product sends; `render` turns one into subject, text and HTML. */
export type MailMessage =
  | {
      kind: 'reset-code';
      to: string;
      username: string;
      /** Which address this code is for: each address gets its own code. */
      address: 'main' | 'recovery';
      code: string;
      userId: string;
      /** Epoch milliseconds. */
      expiresAtMs: number;
      /**
       * The account's addresses that are not verified (docs/contract.md § Reset by email): the
       * mail says so, as the answer to the request cannot. Absent in mail queued before.
       */
      unverified?: { main: boolean; recovery: string | null };
    }
  | { kind: 'mfa-enabled'; to: string; username: string }
  | { kind: 'mfa-disabled'; to: string; username: string }
  | {
      kind: 'recovery-code-used';
      to: string;
      username: string;
      /** Unused codes left after this one (absent in mail queued before it was counted). */
      remaining?: number;
    }
  | { kind: 'recovery-codes-regenerated'; to: string; username: string }
  | { kind: 'mfa-reset'; to: string; username: string }
  /** An operator turned MFA off with an admin key (docs/contract.md § Administration). */
  | { kind: 'mfa-reset-by-admin'; to: string; username: string }
  | {
      kind: 'account-locked';
      to: string;
      username: string;
      /** Epoch seconds. */
      lockedUntilSeconds: number;
    }
  | {
      /** Too many wrong second-factor codes behind the password or in a session. */
      kind: 'second-factor-locked';
      to: string;
      username: string;
      /** Epoch seconds. */
      lockedUntilSeconds: number;
    }
  | { kind: 'recovery-email-changed'; to: string; username: string; newRecoveryEmail: string }
  | { kind: 'password-changed'; to: string; username: string }
  | {
      /** To the old address once a new main email took over: a link that undoes it. */
      kind: 'email-changed';
      to: string;
      username: string;
      newEmail: string;
      undoToken: string;
      /** Epoch milliseconds: the undo link works until then. */
      undoExpiresAt: number;
    }
  | {
      /** To the restored address: the change was undone and every session ended. */
      kind: 'email-change-undone';
      to: string;
      username: string;
    }
  | {
      /** "Forgot password": a code to type and a link carrying a token; either sets a new password once. */
      kind: 'password-reset-code';
      to: string;
      username: string;
      code: string;
      token: string;
      /** Epoch milliseconds. */
      expiresAtMs: number;
    }
  | { kind: 'password-reset'; to: string; username: string }
  /** The last mail to a deleted account's main address (docs/contract.md § Leaving). */
  | { kind: 'account-deleted'; to: string; username: string }
  | {
      /**
       * Verifies the main or recovery address, or confirms a new main address (`new_main`): a
       * code to type in a session, or a link.
       */
      kind: 'email-verification';
      to: string;
      username: string;
      address: 'main' | 'recovery' | 'new_main';
      code: string;
      token: string;
      /** Epoch milliseconds. */
      expiresAtMs: number;
      /** Sent at registration: the address goes back unless verified or logged in with within 7 days. */
      isRegistration?: boolean;
    }
  | {
      kind: 'webauthn-added';
      to: string;
      username: string;
      credentialName: string;
      /** It was the user's first second factor: MFA is on from now on. */
      isFirstFactor: boolean;
    }
  | { kind: 'webauthn-removed'; to: string; username: string; credentialName: string }
  | {
      /** A complete login from a client not seen for this account: neither its device cookie nor its address. */
      kind: 'new-login';
      to: string;
      username: string;
      clientAddress: string;
      /** Epoch milliseconds. */
      at: number;
    }
  | {
      /** The notices of a family reached their daily cap (notices/budget.ts): the rest wait. */
      kind: 'notices-paused';
      to: string;
      username: string;
      about: 'sign-in' | 'lockout';
      /** Epoch milliseconds. */
      resumesAt: number;
    }
  | {
      /** A browser was trusted at the second step: the password alone logs in there. */
      kind: 'device-trusted';
      to: string;
      username: string;
      clientAddress: string;
      /** Epoch milliseconds. */
      trustedUntil: number;
    }
  | {
      /** A signature counter went backwards: the authenticator may have been cloned. */
      kind: 'webauthn-clone-suspected';
      to: string;
      username: string;
      credentialName: string;
    };

export type MailKind = MailMessage['kind'];

/** Every kind, at run time (the dev mailbox schema); the check below keeps it in step with the union. */
export const MAIL_KINDS = [
  'reset-code',
  'mfa-enabled',
  'mfa-disabled',
  'recovery-code-used',
  'recovery-codes-regenerated',
  'mfa-reset',
  'mfa-reset-by-admin',
  'account-locked',
  'second-factor-locked',
  'recovery-email-changed',
  'password-changed',
  'email-changed',
  'email-change-undone',
  'password-reset-code',
  'password-reset',
  'account-deleted',
  'email-verification',
  'webauthn-added',
  'webauthn-removed',
  'device-trusted',
  'new-login',
  'notices-paused',
  'webauthn-clone-suspected',
] as const satisfies readonly MailKind[];
type MissingKind = Exclude<MailKind, (typeof MAIL_KINDS)[number]>;
const _everyKindListed: [MissingKind] extends [never] ? true : MissingKind = true;
void _everyKindListed;

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}
