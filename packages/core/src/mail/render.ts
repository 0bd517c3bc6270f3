import { isRecoveryCodesLow } from '../recovery-codes/status.js';
import { UNVERIFIED_ACCOUNT_RELEASE_DAYS } from '../users/release-policy.js';
import type { MailMessage, RenderedMail } from './messages.js';

export interface RenderContext {
  issuer: string;
  publicUrl: string;
}

/** One piece of an email body, rendered both as plain text and as HTML. */
type Block =
  | { type: 'paragraph'; text: string }
  /** The reset code: alone on its own line in text, large monospace in HTML. */
  | { type: 'code'; code: string }
  | { type: 'link'; label: string; href: string };

const paragraph = (text: string): Block => ({ type: 'paragraph', text });

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Dates in one unambiguous form, the same in text and HTML: "Thu, 01 Jan 2026 12:00:00 GMT". */
const formatDate = (epochMs: number) => new Date(epochMs).toUTCString();

/**
 * `jane.doe@example.com` → `j•••@example.com`: enough for the owner to recognise the address
 * without handing it to whoever reads an old recovery mailbox.
 */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '•••';
  return `${address.slice(0, 1)}•••${address.slice(at)}`;
}

const CODE_STYLE =
  'font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:32px;' +
  'font-weight:bold;letter-spacing:8px;margin:24px 0;padding:12px 16px;background:#f3f4f6;' +
  'border-radius:6px;display:inline-block';

function toText(block: Block): string {
  switch (block.type) {
    case 'paragraph':
      return block.text;
    case 'code':
      return block.code;
    case 'link':
      return `${block.label}:\n${block.href}`;
  }
}

function toHtml(block: Block): string {
  switch (block.type) {
    case 'paragraph':
      return `<p>${escapeHtml(block.text)}</p>`;
    case 'code':
      return `<p style="${CODE_STYLE}">${escapeHtml(block.code)}</p>`;
    case 'link':
      return `<p><a href="${escapeHtml(block.href)}">${escapeHtml(block.label)}</a><br><span style="color:#6b7280;font-size:13px">${escapeHtml(block.href)}</span></p>`;
  }
}

function layout(ctx: RenderContext, subject: string, blocks: Block[]): RenderedMail {
  // Blank lines around every block keep the code alone on its own line in the text part.
  const text = `${[...blocks.map(toText), `— ${ctx.issuer}`].join('\n\n')}\n`;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;line-height:1.5;color:#111827;max-width:560px;margin:0 auto;padding:24px">
<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(ctx.issuer)}</h1>
${blocks.map(toHtml).join('\n')}
<p style="color:#6b7280;font-size:13px;margin-top:32px">— ${escapeHtml(ctx.issuer)}</p>
</body></html>
`;
  return { subject: `${ctx.issuer}: ${subject}`, text, html };
}

/**
 * docs/contract.md § Reset by email: the reset mails say which of the account's addresses are
 * not verified, so a user waiting for a code that went to a mistyped address learns why.
 */
function unverifiedNotes(unverified: { main: boolean; recovery: string | null } | undefined): Block[] {
  if (!unverified) return [];
  const notes: Block[] = [];
  if (unverified.main) notes.push(paragraph('The main address of this account has not been verified.'));
  if (unverified.recovery !== null) {
    notes.push(
      paragraph(
        `The recovery address of this account, ${maskEmail(unverified.recovery)}, has not been verified. If its code does not arrive, that address may be mistyped: the reset then cannot complete, and the administrator of this service can help.`,
      ),
    );
  }
  return notes;
}

/** Advice closing every notification: these mails exist so a user notices a change they did not make. */
const notMe = (ctx: RenderContext, advice: string): Block[] => [
  paragraph(`If this was not you, ${advice}`),
  { type: 'link', label: `Sign in to ${ctx.issuer}`, href: `${ctx.publicUrl}/` },
];

/** Subject, plain text and HTML of one email. Only reset-code and password-reset-code mails carry a secret: their code (and link). */
export function renderMail(ctx: RenderContext, message: MailMessage): RenderedMail {
  switch (message.kind) {
    case 'reset-code': {
      const link = `${ctx.publicUrl}/mfa/reset/${encodeURIComponent(message.userId)}`;
      const [self, other] = message.address === 'main' ? ['main', 'recovery'] : ['recovery', 'main'];
      return layout(ctx, 'your MFA reset code', [
        paragraph(`Hello ${message.username},`),
        paragraph(
          `Someone asked to reset multi-factor authentication (MFA) for your ${ctx.issuer} account ${message.username}. This is the code sent to your ${self} address:`,
        ),
        { type: 'code', code: message.code },
        paragraph(
          `It expires on ${formatDate(message.expiresAtMs)}. To complete the reset, enter it together with the code sent to your ${other} address.`,
        ),
        { type: 'link', label: 'Reset MFA', href: link },
        ...unverifiedNotes(message.unverified),
        paragraph(
          `If you did not ask for this, ignore this email: nothing changes without both codes. Never share this code; ${ctx.issuer} will never ask you for it.`,
        ),
      ]);
    }
    case 'mfa-enabled':
      return layout(ctx, 'MFA enabled', [
        paragraph(`Multi-factor authentication (MFA) was enabled for your account ${message.username}.`),
        paragraph('From now on, signing in asks for a code from your authenticator app.'),
        ...notMe(ctx, 'someone knows your password: change it and reset MFA by email.'),
      ]);
    case 'mfa-disabled':
      return layout(ctx, 'MFA disabled', [
        paragraph(`Multi-factor authentication (MFA) was disabled for your account ${message.username}.`),
        paragraph('Signing in now needs only your password.'),
        ...notMe(ctx, 'someone has access to your account: change your password and enable MFA again.'),
      ]);
    case 'recovery-code-used':
      return layout(ctx, 'a recovery code was used', [
        paragraph(
          `A recovery code was used to sign in to your account ${message.username}. That code cannot be used again.`,
        ),
        ...(message.remaining !== undefined && isRecoveryCodesLow(message.remaining)
          ? [
              paragraph(
                `You have ${message.remaining} unused recovery code${message.remaining === 1 ? '' : 's'} left. Generate new ones on your security page before you run out.`,
              ),
            ]
          : []),
        ...notMe(
          ctx,
          'someone has your password and a recovery code: change your password and set up MFA again.',
        ),
      ]);
    case 'recovery-codes-regenerated':
      return layout(ctx, 'new recovery codes', [
        paragraph(
          `New recovery codes were generated for your account ${message.username}. Every earlier recovery code stopped working.`,
        ),
        ...notMe(ctx, 'someone has access to your account: change your password and reset MFA by email.'),
      ]);
    case 'mfa-reset':
      return layout(ctx, 'MFA was reset by email', [
        paragraph(
          `Multi-factor authentication (MFA) for your account ${message.username} was reset with the codes sent by email. MFA is now off and every earlier session was signed out.`,
        ),
        ...notMe(ctx, 'someone controls both of your email addresses: secure them and change your password.'),
      ]);
    case 'mfa-reset-by-admin':
      return layout(ctx, 'MFA was reset by an administrator', [
        paragraph(
          `An administrator turned multi-factor authentication (MFA) off for your account ${message.username}, as asked when every factor is lost. Every earlier session was signed out. Set up MFA again after your next login.`,
        ),
        ...notMe(ctx, 'contact your administrator at once and change your password.'),
      ]);
    case 'account-locked':
      return layout(ctx, 'account locked', [
        paragraph(`There were too many failed sign-in attempts on your account ${message.username}.`),
        paragraph(
          `Sign-in from the address that made them is refused until ${formatDate(message.lockedUntilSeconds * 1000)}.`,
        ),
        ...notMe(ctx, 'someone may be guessing your password: choose a strong, unique one.'),
      ]);
    case 'second-factor-locked':
      // Counted only behind the password or a session (docs/contract.md § MFA endpoints): whoever
      // made these attempts had the password, and the password step itself is not locked.
      return layout(ctx, 'second-factor codes locked', [
        paragraph(
          `There were too many wrong second-factor codes (authenticator or recovery codes) for your account ${message.username}, after your password was right or in a signed-in session.`,
        ),
        paragraph(
          `Second-factor codes for this account are refused until ${formatDate(message.lockedUntilSeconds * 1000)}. Your password still works; the sign-in completes once the lock ends.`,
        ),
        ...notMe(ctx, 'someone knows your password: change it now.'),
      ]);
    case 'recovery-email-changed':
      return layout(ctx, 'recovery email changed', [
        paragraph(
          `The recovery email of your account ${message.username} was changed to ${maskEmail(message.newRecoveryEmail)}.`,
        ),
        paragraph('MFA reset codes are now sent to that address and to your main address.'),
        ...notMe(ctx, 'someone has access to your account: change your password and your recovery email.'),
      ]);
    case 'webauthn-added':
      return layout(ctx, message.isFirstFactor ? 'MFA enabled with a security key' : 'security key added', [
        paragraph(
          `The passkey or security key "${message.credentialName}" was added to your account ${message.username}.`,
        ),
        ...(message.isFirstFactor
          ? [
              paragraph(
                'Multi-factor authentication (MFA) is now on: signing in asks for it after your password.',
              ),
            ]
          : []),
        ...notMe(ctx, 'someone has access to your account: change your password and remove that key.'),
      ]);
    case 'webauthn-removed':
      return layout(ctx, 'security key removed', [
        paragraph(
          `The passkey or security key "${message.credentialName}" was removed from your account ${message.username}. It cannot sign in any more.`,
        ),
        ...notMe(
          ctx,
          'someone has access to your account: change your password and check your second factors.',
        ),
      ]);
    case 'device-trusted':
      return layout(ctx, 'browser trusted for 30 days', [
        paragraph(
          `A browser at ${message.clientAddress} was trusted at sign-in to your account ${message.username}. Until ${formatDate(message.trustedUntil)}, your password alone signs in there, without the second factor.`,
        ),
        paragraph('Your security page lists your trusted browsers; revoke any you do not recognise.'),
        ...notMe(
          ctx,
          'someone has your password and your second factor: revoke that browser, change your password and review your second factors.',
        ),
      ]);
    case 'new-login':
      return layout(ctx, 'sign-in from a new device', [
        paragraph(
          `Your account ${message.username} was signed in to on ${formatDate(message.at)} from a device and address (${message.clientAddress}) not used for it in the last 30 days.`,
        ),
        paragraph('If this was you, there is nothing to do. Your security page lists every session.'),
        ...notMe(
          ctx,
          'someone has your password: change it, end that session on your security page and turn on MFA if it is off.',
        ),
      ]);
    case 'notices-paused':
      return layout(ctx, 'more activity on your account', [
        paragraph(
          message.about === 'sign-in'
            ? `There were more sign-ins to your account ${message.username} from new devices or trusted browsers than we send notices for in a day.`
            : `There were more failed sign-in attempts on your account ${message.username} than we send notices for in a day.`,
        ),
        paragraph(
          `Further notices of this kind are paused until ${formatDate(message.resumesAt)}, so that nobody can flood your mailbox. Your security page lists every event and session meanwhile.`,
        ),
        ...notMe(
          ctx,
          message.about === 'sign-in'
            ? 'someone has your password: change it and end the sessions you do not know.'
            : 'someone may be guessing your password: choose a strong, unique one.',
        ),
      ]);
    case 'webauthn-clone-suspected':
      return layout(ctx, 'possible cloned security key', [
        paragraph(
          `A sign-in to your account ${message.username} with the passkey or security key "${message.credentialName}" was refused: the key's signature counter went backwards, which happens when a key has been copied.`,
        ),
        paragraph('Remove that key from your account and register it again, or replace it.'),
        ...notMe(ctx, 'someone may hold a copy of your key: remove it and change your password.'),
      ]);
    case 'password-changed':
      return layout(ctx, 'password changed', [
        paragraph(
          `The password of your account ${message.username} was changed. Every other session was signed out.`,
        ),
        ...notMe(
          ctx,
          'someone knew your password and has taken over your account: contact the administrator of this service now.',
        ),
      ]);
    case 'password-reset-code':
      return layout(ctx, 'reset your password', [
        paragraph(`Hello ${message.username},`),
        paragraph(
          `Someone asked to reset the password of your ${ctx.issuer} account ${message.username}. Enter this code on the reset page:`,
        ),
        { type: 'code', code: message.code },
        paragraph(
          `Or open this link. The code and the link work once, until ${formatDate(message.expiresAtMs)}.`,
        ),
        // The token rides in the fragment: browsers never send it to the server or in a Referer.
        {
          type: 'link',
          label: 'Choose a new password',
          href: `${ctx.publicUrl}/password/reset#token=${encodeURIComponent(message.token)}`,
        },
        paragraph(
          `If you did not ask for this, ignore this email: your password stays as it is. Never share this code; ${ctx.issuer} will never ask you for it. A new password does not turn off multi-factor authentication.`,
        ),
      ]);
    case 'email-verification':
      return layout(
        ctx,
        message.address === 'new_main' ? 'confirm your new email address' : 'verify your email address',
        [
          paragraph(`Hello ${message.username},`),
          paragraph(
            message.address === 'new_main'
              ? `Someone asked to make this the main address of your ${ctx.issuer} account ${message.username}. The current address stays until this one is confirmed. Enter this code on your security page:`
              : `Confirm that this is the ${message.address === 'main' ? 'main' : 'recovery'} address of your ${ctx.issuer} account ${message.username}. Enter this code on your security page:`,
          ),
          { type: 'code', code: message.code },
          paragraph(`Or open this link. Both work once, until ${formatDate(message.expiresAtMs)}.`),
          {
            type: 'link',
            label: 'Verify this address',
            href: `${ctx.publicUrl}/email/verify#token=${encodeURIComponent(message.token)}`,
          },
          ...(message.isRegistration
            ? [
                paragraph(
                  `Unless this address is verified, or the account signs in again, within ${UNVERIFIED_ACCOUNT_RELEASE_DAYS} days of registering, the account is removed and the address can be registered again.`,
                ),
                paragraph(
                  `If you did not register: ignore this email, and the address is yours again after ${UNVERIFIED_ACCOUNT_RELEASE_DAYS} days. If someone signs in to the account meanwhile, "Forgot password?" on the sign-in page, with this address, lets you take it over and delete it.`,
                ),
              ]
            : [paragraph('If you do not know this account, ignore this email: nothing changes.')]),
        ],
      );
    case 'email-changed':
      return layout(ctx, 'email address changed', [
        paragraph(
          `The main email address of your account ${message.username} was changed to ${maskEmail(message.newEmail)}. Mail about the account now goes there, and this address no longer signs in.`,
        ),
        paragraph(
          `If you did not do this, undo it with the link below until ${formatDate(message.undoExpiresAt)}: it restores this address and signs every session out. Then change your password: whoever made the change knew it.`,
        ),
        // The token rides in the fragment: browsers never send it to the server or in a Referer.
        {
          type: 'link',
          label: 'Undo the change',
          href: `${ctx.publicUrl}/email/undo#token=${encodeURIComponent(message.undoToken)}`,
        },
      ]);
    case 'email-change-undone':
      return layout(ctx, 'email address restored', [
        paragraph(
          `The change of the main email address of your account ${message.username} was undone: this address is its main address again, and every session was signed out.`,
        ),
        paragraph(
          'Whoever changed it knew your password: sign in, change your password now, and review your second factors and recovery email.',
        ),
        { type: 'link', label: `Sign in to ${ctx.issuer}`, href: `${ctx.publicUrl}/` },
      ]);
    case 'account-deleted':
      return layout(ctx, 'account deleted', [
        paragraph(
          `Your account ${message.username} was deleted, with its second factors, recovery codes and sessions. It cannot be restored, and this is the last mail about it.`,
        ),
        ...notMe(
          ctx,
          'someone had your password (and your second factor, if MFA was on): tell the administrator of this service, and change that password wherever else you use it.',
        ),
      ]);
    case 'password-reset':
      return layout(ctx, 'password reset', [
        paragraph(
          `The password of your account ${message.username} was reset with a code sent by email. Every session was signed out.`,
        ),
        ...notMe(
          ctx,
          'someone can read your email: secure your mailbox, then reset your password again and review your second factors.',
        ),
      ]);
  }
}
