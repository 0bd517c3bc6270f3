import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnvConfig } from '../src/config.js';

describe('parseEnvConfig', () => {
  it('falls back to the embedded defaults', () => {
    expect(parseEnvConfig({})).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATA_DIR: './data',
      ISSUER: 'Twofold',
      TRUST_PROXY: false,
      NODE_ENV: 'development',
    });
  });

  it('treats empty variables as unset and parses flags', () => {
    expect(parseEnvConfig({ PORT: '', TRUST_PROXY: '1' })).toMatchObject({ PORT: 3000, TRUST_PROXY: true });
  });

  it('stops with a message naming every bad variable', () => {
    const attempt = () =>
      parseEnvConfig({ PORT: 'eighty', SMTP_URL: 'http://mail', JWT_SECRET: 'short', PUBLIC_URL: 'nope' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      for (const name of ['PORT', 'SMTP_URL', 'JWT_SECRET', 'PUBLIC_URL']) expect(message).toContain(name);
    }
  });

  it('takes MAIL_FROM as an address or "Name <address>", and nothing that could inject a header', () => {
    for (const from of ['mfa@example.com', 'Acme MFA <mfa@example.com>', '"Acme, Inc." <mfa@example.com>']) {
      expect(parseEnvConfig({ MAIL_FROM: from }).MAIL_FROM).toBe(from);
    }
    for (const from of [
      'Acme',
      'Acme <mfa>',
      'Acme <mfa@example.com>\r\nBcc: x@evil.test',
      'a b@example.com',
    ]) {
      expect(() => parseEnvConfig({ MAIL_FROM: from }), from).toThrow(/MAIL_FROM/);
    }
  });

  it('never echoes an SMTP_URL, which may carry a password, in its message', () => {
    expect(() => parseEnvConfig({ SMTP_URL: 'http://user:hunter2@mail.example.com' })).toThrow(ConfigError);
    try {
      parseEnvConfig({ SMTP_URL: 'http://user:hunter2@mail.example.com' });
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});
