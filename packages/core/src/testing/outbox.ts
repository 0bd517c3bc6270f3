import type { Core } from '../context.js';
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
