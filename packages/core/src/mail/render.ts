import type { MailMessage, RenderedMail } from './messages.js';

export interface RenderContext {
  issuer: string;
  publicUrl: string;
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function layout(ctx: RenderContext, subject: string, paragraphs: string[], code?: string): RenderedMail {
  const text = [...paragraphs, ...(code ? ['', code, ''] : []), `— ${ctx.issuer}`].join('\n');
  const codeHtml = code
    ? `<p style="font-family:ui-monospace,Menlo,Consolas,monospace;font-size:32px;letter-spacing:6px;font-weight:bold">${escapeHtml(code)}</p>`
    : '';
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">
<h1 style="font-size:20px">${escapeHtml(ctx.issuer)}</h1>
${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
${codeHtml}
</body></html>`;
  return { subject: `${ctx.issuer}: ${subject}`, text, html };
}

export function renderMail(ctx: RenderContext, message: MailMessage): RenderedMail {
  switch (message.kind) {
    case 'reset-code': {
      const link = `${ctx.publicUrl}/mfa/reset/${encodeURIComponent(message.userId)}`;
      const which = message.address === 'main' ? 'main' : 'recovery';
      return layout(
        ctx,
        'your MFA reset code',
        [
          `Someone asked to reset multi-factor authentication for ${message.username}.`,
          `This is the code for your ${which} address. You need it and the code sent to your other address.`,
          `It expires at ${new Date(message.expiresAt).toUTCString()}. Complete the reset at ${link}`,
          'If this was not you, ignore this email; nothing changes without both codes.',
        ],
        message.code,
      );
    }
    case 'mfa-enabled':
      return layout(ctx, 'MFA enabled', [`Multi-factor authentication was enabled for ${message.username}.`]);
    case 'mfa-disabled':
      return layout(ctx, 'MFA disabled', [
        `Multi-factor authentication was disabled for ${message.username}.`,
      ]);
    case 'recovery-code-used':
      return layout(ctx, 'a recovery code was used', [
        `A recovery code was used to sign in to ${message.username}. It cannot be used again.`,
      ]);
    case 'mfa-reset':
      return layout(ctx, 'MFA was reset by email', [
        `Multi-factor authentication for ${message.username} was reset with the codes sent by email.`,
      ]);
    case 'account-locked':
      return layout(ctx, 'account locked', [
        `Too many failed attempts on ${message.username}. Attempts are refused until ${new Date(message.lockedUntil * 1000).toUTCString()}.`,
      ]);
    case 'recovery-email-changed':
      return layout(ctx, 'recovery email changed', [
        `The recovery email of ${message.username} was set to ${message.newRecoveryEmail}.`,
      ]);
  }
}
