import type { Core } from '../context.js';
import { PASSWORD_RESET_CODE_LENGTH } from '../password-reset/codes.js';
import { RESET_CODE_ALPHABET, RESET_CODE_LENGTH } from '../reset/codes.js';
import { readOutbox } from './read-outbox.js';

const CODE_LINE = new RegExp(`^[${RESET_CODE_ALPHABET}]{${RESET_CODE_LENGTH}}$`);

/** The reset code in the newest reset mail to `to`: it stands alone on its own line. */
export async function latestResetCode(core: Core, to: string): Promise<string> {
  const mail = (await readOutbox(core)).find((m) => m.kind === 'reset-code' && m.to === to);
  const code = mail?.text.split('\n').find((line) => CODE_LINE.test(line.trim()));
  if (!code) throw new Error(`no reset code mailed to ${to}`);
  return code.trim();
}

const PASSWORD_RESET_CODE_LINE = new RegExp(`^[${RESET_CODE_ALPHABET}]{${PASSWORD_RESET_CODE_LENGTH}}$`);

/** The code and the link's token in the newest forgot-password mail to `to`. */
export async function latestPasswordReset(core: Core, to: string): Promise<{ code: string; token: string }> {
  const mail = (await readOutbox(core)).find((m) => m.kind === 'password-reset-code' && m.to === to);
  const code = mail?.text.split('\n').find((line) => PASSWORD_RESET_CODE_LINE.test(line.trim()));
  const token = mail?.text.match(/\/password\/reset#token=([A-Za-z0-9_-]+)/)?.[1];
  if (!code || !token) throw new Error(`no password reset mailed to ${to}`);
  return { code: code.trim(), token };
}

/** The code and the link's token in the newest verification mail to `to`. */
export async function latestEmailVerification(
  core: Core,
  to: string,
): Promise<{ code: string; token: string }> {
  const mail = (await readOutbox(core)).find((m) => m.kind === 'email-verification' && m.to === to);
  const code = mail?.text.split('\n').find((line) => PASSWORD_RESET_CODE_LINE.test(line.trim()));
  const token = mail?.text.match(/\/email\/verify#token=([A-Za-z0-9_-]+)/)?.[1];
  if (!code || !token) throw new Error(`no verification mailed to ${to}`);
  return { code: code.trim(), token };
}

/** The token of the undo link in the newest email-changed notice to `to` (the old address). */
export async function latestEmailChangeUndo(core: Core, to: string): Promise<string> {
  const mail = (await readOutbox(core)).find((m) => m.kind === 'email-changed' && m.to === to);
  const token = mail?.text.match(/\/email\/undo#token=([A-Za-z0-9_-]+)/)?.[1];
  if (!token) throw new Error(`no undo link mailed to ${to}`);
  return token;
}
