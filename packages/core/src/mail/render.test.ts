import { describe, expect, it } from 'vitest';
import type { MailKind, MailMessage } from './messages.js';
import { maskEmail, renderMail } from './render.js';

const ctx = { issuer: 'Acme <ID>', publicUrl: 'https://id.acme.test' };
const EXPIRES_AT = Date.UTC(2026, 0, 2, 12, 0, 0);

const resetCode = (address: 'main' | 'recovery', code = 'K7M2Q'): MailMessage => ({
  kind: 'reset-code',
  to: 'alice@example.test',
  username: 'alice',
  address,
  code,
  userId: '0b6c4f0e-2a6b-4c4e-9d7a-3f0d1c2b3a49',
  expiresAtMs: EXPIRES_AT,
});

const NOTIFICATIONS: Record<
  Exclude<
    MailKind,
    'reset-code' | 'password-reset-code' | 'email-verification' | 'email-changed' | 'email-change-undone'
  >,
  [MailMessage, string]
> = {
  'mfa-enabled': [{ kind: 'mfa-enabled', to: 'a@x.test', username: 'alice' }, 'MFA enabled'],
  'mfa-disabled': [{ kind: 'mfa-disabled', to: 'a@x.test', username: 'alice' }, 'MFA disabled'],
  'recovery-code-used': [
    { kind: 'recovery-code-used', to: 'a@x.test', username: 'alice' },
    'a recovery code was used',
  ],
  'recovery-codes-regenerated': [
    { kind: 'recovery-codes-regenerated', to: 'a@x.test', username: 'alice' },
    'new recovery codes',
  ],
  'mfa-reset': [{ kind: 'mfa-reset', to: 'a@x.test', username: 'alice' }, 'MFA was reset by email'],
  'mfa-reset-by-admin': [
    { kind: 'mfa-reset-by-admin', to: 'a@x.test', username: 'alice' },
    'MFA was reset by an administrator',
  ],
  'account-locked': [
    { kind: 'account-locked', to: 'a@x.test', username: 'alice', lockedUntilSeconds: EXPIRES_AT / 1000 },
    'account locked',
  ],
  'second-factor-locked': [
    {
      kind: 'second-factor-locked',
      to: 'a@x.test',
      username: 'alice',
      lockedUntilSeconds: EXPIRES_AT / 1000,
    },
    'second-factor codes locked',
  ],
  'recovery-email-changed': [
    {
      kind: 'recovery-email-changed',
      to: 'a@x.test',
      username: 'alice',
      newRecoveryEmail: 'backup.person@example.test',
    },
    'recovery email changed',
  ],
  'password-changed': [{ kind: 'password-changed', to: 'a@x.test', username: 'alice' }, 'password changed'],
  'password-reset': [{ kind: 'password-reset', to: 'a@x.test', username: 'alice' }, 'password reset'],
  'account-deleted': [{ kind: 'account-deleted', to: 'a@x.test', username: 'alice' }, 'account deleted'],
  'webauthn-added': [
    {
      kind: 'webauthn-added',
      to: 'a@x.test',
      username: 'alice',
      credentialName: 'Laptop',
      isFirstFactor: false,
    },
    'security key added',
  ],
  'webauthn-removed': [
    { kind: 'webauthn-removed', to: 'a@x.test', username: 'alice', credentialName: 'Laptop' },
    'security key removed',
  ],
  'webauthn-clone-suspected': [
    { kind: 'webauthn-clone-suspected', to: 'a@x.test', username: 'alice', credentialName: 'Laptop' },
    'possible cloned security key',
  ],
  'device-trusted': [
    {
      kind: 'device-trusted',
      to: 'a@x.test',
      username: 'alice',
      clientAddress: '203.0.113.7',
      trustedUntil: EXPIRES_AT,
    },
    'browser trusted for 30 days',
  ],
  'new-login': [
    { kind: 'new-login', to: 'a@x.test', username: 'alice', clientAddress: '203.0.113.7', at: EXPIRES_AT },
    'sign-in from a new device',
  ],
  'notices-paused': [
    { kind: 'notices-paused', to: 'a@x.test', username: 'alice', about: 'sign-in', resumesAt: EXPIRES_AT },
    'more activity on your account',
  ],
};

describe('renderMail: recovery code used', () => {
  const used = (remaining?: number) =>
    renderMail(ctx, {
      kind: 'recovery-code-used',
      to: 'a@x.test',
      username: 'alice',
      ...(remaining === undefined ? {} : { remaining }),
    }).text;

  it('says how few codes are left from 2 down, and asks for new ones', () => {
    expect(used(2)).toContain('You have 2 unused recovery codes left. Generate new ones');
    expect(used(1)).toContain('You have 1 unused recovery code left.');
    expect(used(0)).toContain('You have 0 unused recovery codes left.');
  });

  it('says nothing of the count above 2, or when it was not counted', () => {
    expect(used(3)).not.toContain('unused recovery code');
    expect(used()).not.toContain('unused recovery code');
  });
});

describe('renderMail: reset code', () => {
  it('puts the code alone on its own line of the text part', () => {
    const { text } = renderMail(ctx, resetCode('main'));
    const lines = text.split('\n');
    expect(lines).toContain('K7M2Q');
    expect(lines.filter((line) => line.includes('K7M2Q'))).toEqual(['K7M2Q']);
  });

  it('shows the code in large monospace in the HTML part', () => {
    const { html } = renderMail(ctx, resetCode('main'));
    expect(html).toMatch(/<p style="[^"]*monospace[^"]*font-size:32px[^"]*">K7M2Q<\/p>/);
  });

  it('names the product, the expiry and links to PUBLIC_URL/mfa/reset/<user-id>', () => {
    const link = 'https://id.acme.test/mfa/reset/0b6c4f0e-2a6b-4c4e-9d7a-3f0d1c2b3a49';
    const { subject, text, html } = renderMail(ctx, resetCode('recovery'));
    expect(subject).toBe('Acme <ID>: your MFA reset code');
    expect(text).toContain('Acme <ID>');
    expect(text).toContain('Fri, 02 Jan 2026 12:00:00 GMT');
    expect(text).toContain(link);
    expect(html).toContain(`<a href="${link}">`);
    expect(html).toContain('Fri, 02 Jan 2026 12:00:00 GMT');
    // HTML-escaped issuer: a product name cannot inject markup.
    expect(html).toContain('Acme &#60;ID&#62;');
    expect(html).not.toContain('Acme <ID>');
  });

  it('tells each address which code it holds', () => {
    expect(renderMail(ctx, resetCode('main')).text).toContain('sent to your main address');
    expect(renderMail(ctx, resetCode('recovery')).text).toContain('sent to your recovery address');
  });

  it('keeps the code out of the subject', () => {
    expect(renderMail(ctx, resetCode('main', 'ZZ9ZZ')).subject).not.toContain('ZZ9ZZ');
  });
});

describe('renderMail: notifications', () => {
  for (const [kind, [message, subject]] of Object.entries(NOTIFICATIONS)) {
    it(`${kind}: subject, product name, text and HTML, link to sign in`, () => {
      const mail = renderMail(ctx, message);
      expect(mail.subject).toBe(`Acme <ID>: ${subject}`);
      expect(mail.text).toContain('alice');
      expect(mail.text).toContain('If this was not you');
      expect(mail.text).toContain('https://id.acme.test/');
      expect(mail.html).toContain('<a href="https://id.acme.test/">');
      expect(mail.html).toContain('Acme &#60;ID&#62;');
    });
  }

  it('gives the lock end of a locked account', () => {
    expect(renderMail(ctx, NOTIFICATIONS['account-locked'][0]).text).toContain(
      'Fri, 02 Jan 2026 12:00:00 GMT',
    );
  });

  it('tells a second-factor lock apart from a password lock', () => {
    const { text, html } = renderMail(ctx, NOTIFICATIONS['second-factor-locked'][0]);
    expect(text).toContain('too many wrong second-factor codes');
    expect(text).toContain('Fri, 02 Jan 2026 12:00:00 GMT');
    // It was reached past the password (or in a session): the advice is about that, not guessing.
    expect(text).toContain('your password was right');
    expect(text).not.toContain('guessing your password');
    expect(text).not.toContain('failed sign-in attempts');
    expect(html).toContain('second-factor codes');
  });

  it('masks the new recovery address, which may be read by the owner of the old one', () => {
    const mail = renderMail(ctx, NOTIFICATIONS['recovery-email-changed'][0]);
    expect(mail.text).toContain('b•••@example.test');
    expect(mail.text).not.toContain('backup.person');
    expect(mail.html).not.toContain('backup.person');
  });
});

describe('renderMail: forgot password', () => {
  const mail = renderMail(ctx, {
    kind: 'password-reset-code',
    to: 'alice@example.test',
    username: 'alice',
    code: 'K7M2Q8WZ',
    token: 'tok_en-123',
    expiresAtMs: EXPIRES_AT,
  });

  it('puts the code alone on its line and the token in the fragment of the link', () => {
    expect(mail.text.split('\n')).toContain('K7M2Q8WZ');
    expect(mail.text).toContain('https://id.acme.test/password/reset#token=tok_en-123');
    expect(mail.text).toContain('Fri, 02 Jan 2026 12:00:00 GMT');
    expect(mail.html).toContain('K7M2Q8WZ');
  });
});

describe('renderMail: a changed main email', () => {
  const changed = renderMail(ctx, {
    kind: 'email-changed',
    to: 'alice@example.test',
    username: 'alice',
    newEmail: 'mallory.new@example.test',
    undoToken: 'undo_tok-1',
    undoExpiresAt: EXPIRES_AT,
  });

  it('masks the new address and carries the undo token in the fragment, with its end', () => {
    expect(changed.subject).toBe('Acme <ID>: email address changed');
    expect(changed.text).toContain('m•••@example.test');
    expect(changed.text).not.toContain('mallory.new');
    expect(changed.html).not.toContain('mallory.new');
    expect(changed.text).toContain('https://id.acme.test/email/undo#token=undo_tok-1');
    expect(changed.text).toContain('Fri, 02 Jan 2026 12:00:00 GMT');
  });

  it('confirms a new address in words of its own, and tells an undo', () => {
    const confirm = renderMail(ctx, {
      kind: 'email-verification',
      to: 'new@example.test',
      username: 'alice',
      address: 'new_main',
      code: 'K7M2Q8WZ',
      token: 'tok',
      expiresAtMs: EXPIRES_AT,
    });
    expect(confirm.subject).toBe('Acme <ID>: confirm your new email address');
    expect(confirm.text).toContain('The current address stays until this one is confirmed.');
    const undone = renderMail(ctx, { kind: 'email-change-undone', to: 'a@x.test', username: 'alice' });
    expect(undone.text).toContain('every session was signed out');
  });
});

describe('maskEmail', () => {
  it('keeps the first character and the domain', () => {
    expect(maskEmail('jane.doe@example.com')).toBe('j•••@example.com');
    expect(maskEmail('not-an-address')).toBe('•••');
  });
});
