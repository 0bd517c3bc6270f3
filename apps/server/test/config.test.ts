import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnvConfig } from '../src/config.js';

describe('parseEnvConfig', () => {
  it('falls back to the embedded defaults', () => {
    expect(parseEnvConfig({})).toMatchObject({
      PORT: 3000,
      HOST: 'localhost',
      DATA_DIR: './data',
      ISSUER: 'Twofold',
      NODE_ENV: 'development',
    });
    expect(parseEnvConfig({}).TRUST_PROXY).toBeUndefined();
    expect(parseEnvConfig({}).REQUIRE_VERIFIED_RECOVERY_EMAIL).toBe(false);
  });

  it('takes REQUIRE_VERIFIED_RECOVERY_EMAIL as 0, 1, false or true', () => {
    expect(parseEnvConfig({ REQUIRE_VERIFIED_RECOVERY_EMAIL: '1' }).REQUIRE_VERIFIED_RECOVERY_EMAIL).toBe(
      true,
    );
    expect(parseEnvConfig({ REQUIRE_VERIFIED_RECOVERY_EMAIL: 'false' }).REQUIRE_VERIFIED_RECOVERY_EMAIL).toBe(
      false,
    );
    expect(() => parseEnvConfig({ REQUIRE_VERIFIED_RECOVERY_EMAIL: 'yes' })).toThrow(ConfigError);
  });

  it('takes WEBAUTHN_RP_ID only as the host of PUBLIC_URL or a parent domain of it', () => {
    expect(
      parseEnvConfig({ PUBLIC_URL: 'https://auth.example.com', WEBAUTHN_RP_ID: 'Example.com' })
        .WEBAUTHN_RP_ID,
    ).toBe('example.com');
    expect(
      parseEnvConfig({ PUBLIC_URL: 'https://auth.example.com', WEBAUTHN_RP_ID: 'auth.example.com' })
        .WEBAUTHN_RP_ID,
    ).toBe('auth.example.com');
    for (const [url, rpId] of [
      ['https://auth.example.com', 'other.com'],
      ['https://auth.example.com', 'xample.com'],
      ['https://example.com', 'auth.example.com'],
      ['http://127.0.0.1:3000', '127.0.0.1'],
      ['https://auth.example.com', 'https://example.com'],
    ] as const) {
      expect(() => parseEnvConfig({ PUBLIC_URL: url, WEBAUTHN_RP_ID: rpId }), rpId).toThrow(
        /WEBAUTHN_RP_ID: /,
      );
    }
  });

  it('treats empty variables as unset', () => {
    const config = parseEnvConfig({ PORT: '', TRUST_PROXY: '' });
    expect(config.PORT).toBe(3000);
    expect(config.TRUST_PROXY).toBeUndefined();
  });

  it('takes TRUST_PROXY as off, a hop count of 1-5, or a list of addresses, CIDRs and proxy-addr names', () => {
    for (const off of ['0', 'false', 'FALSE'])
      expect(parseEnvConfig({ TRUST_PROXY: off }).TRUST_PROXY).toBeUndefined();
    expect(parseEnvConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toEqual({ hops: 1 });
    expect(parseEnvConfig({ TRUST_PROXY: '5' }).TRUST_PROXY).toEqual({ hops: 5 });
    expect(parseEnvConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::1' }).TRUST_PROXY).toEqual({
      addresses: ['loopback', '10.0.0.0/8', 'fd00::1'],
    });
  });

  it('refuses TRUST_PROXY values that trust every hop, or name no address, with a clear message', () => {
    for (const value of [
      'true',
      'yes',
      'all',
      '*',
      '6',
      '100',
      '0.0.0.0/0',
      '::/0',
      '10.0.0.1, ::/0',
      '0.0.0.0/0.0.0.0',
      '::ffff:0:0/96',
    ]) {
      expect(() => parseEnvConfig({ TRUST_PROXY: value }), value).toThrow(/TRUST_PROXY: .*trusts every hop/);
    }
    for (const value of ['no', 'proxy.example.com', '10.0.0.0/33']) {
      expect(() => parseEnvConfig({ TRUST_PROXY: value }), value).toThrow(/TRUST_PROXY: /);
    }
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

  describe('DATABASE_URL', () => {
    const keys = {
      JWT_SECRET: 'j'.repeat(40),
      ENCRYPTION_KEY: 'a'.repeat(64),
      TOKEN_HASH_KEY: 'b'.repeat(64),
    };

    it('selects PostgreSQL with a postgres:// or postgresql:// URL; unset keeps SQLite', () => {
      expect(parseEnvConfig({}).DATABASE_URL).toBeUndefined();
      for (const url of ['postgres://u:p@db.internal:5432/twofold', 'postgresql://db/twofold']) {
        expect(parseEnvConfig({ DATABASE_URL: url, ...keys })).toMatchObject({
          DATABASE_URL: url,
          DATABASE_SCHEMA: 'public',
          DATABASE_POOL_SIZE: 10,
        });
      }
    });

    it('refuses anything else, naming the variable and never echoing the URL', () => {
      for (const url of ['mysql://u:hunter2@db/x', 'db.internal:5432', 'http://u:hunter2@db/x']) {
        let message = '';
        try {
          parseEnvConfig({ DATABASE_URL: url, ...keys });
        } catch (error) {
          message = (error as Error).message;
        }
        expect(message, url).toMatch(/DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/);
        expect(message, url).not.toContain('hunter2');
      }
      expect(() => parseEnvConfig({ DATABASE_SCHEMA: 'public; drop table users' })).toThrow(
        /DATABASE_SCHEMA/,
      );
    });

    it('requires every shared key from the environment: keys made per DATA_DIR would differ per instance', () => {
      let message = '';
      try {
        parseEnvConfig({ DATABASE_URL: 'postgres://db/twofold', JWT_SECRET: keys.JWT_SECRET });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/ENCRYPTION_KEY: required with DATABASE_URL/);
      expect(message).toMatch(/TOKEN_HASH_KEY: required with DATABASE_URL/);
      expect(message).not.toMatch(/JWT_SECRET/);
    });
  });
});

describe('REQUIRE_MFA and REQUIRE_MFA_GRACE_DAYS (docs/contract.md § Required MFA)', () => {
  it('default to off without a grace, and take all with a whole number of days', () => {
    expect(parseEnvConfig({})).toMatchObject({ REQUIRE_MFA: 'off' });
    expect(parseEnvConfig({}).REQUIRE_MFA_GRACE_DAYS).toBeUndefined();
    expect(parseEnvConfig({ REQUIRE_MFA: ' ALL ' }).REQUIRE_MFA).toBe('all');
    expect(parseEnvConfig({ REQUIRE_MFA: 'off' }).REQUIRE_MFA).toBe('off');
    expect(parseEnvConfig({ REQUIRE_MFA: 'all', REQUIRE_MFA_GRACE_DAYS: '14' })).toMatchObject({
      REQUIRE_MFA: 'all',
      REQUIRE_MFA_GRACE_DAYS: 14,
    });
    expect(parseEnvConfig({ REQUIRE_MFA: 'all', REQUIRE_MFA_GRACE_DAYS: '0' }).REQUIRE_MFA_GRACE_DAYS).toBe(
      0,
    );
  });

  it('refuse other values with a message naming the variable', () => {
    for (const value of ['on', 'true', '1', 'admins', 'yes']) {
      expect(() => parseEnvConfig({ REQUIRE_MFA: value }), value).toThrow(ConfigError);
      expect(() => parseEnvConfig({ REQUIRE_MFA: value }), value).toThrow(
        /REQUIRE_MFA: must be one of off, all/,
      );
    }
    for (const days of ['-1', '1.5', 'seven', '7d', '3651', '1e3']) {
      expect(() => parseEnvConfig({ REQUIRE_MFA: 'all', REQUIRE_MFA_GRACE_DAYS: days }), days).toThrow(
        /REQUIRE_MFA_GRACE_DAYS: /,
      );
    }
    expect(() => parseEnvConfig({ REQUIRE_MFA_GRACE_DAYS: '7' })).toThrow(
      /REQUIRE_MFA_GRACE_DAYS: needs REQUIRE_MFA=all/,
    );
  });
});

describe('SECURITY_EVENTS_RETENTION_DAYS (docs/contract.md § Housekeeping)', () => {
  it('defaults to a year and takes a whole number of days', () => {
    expect(parseEnvConfig({}).SECURITY_EVENTS_RETENTION_DAYS).toBe(365);
    expect(parseEnvConfig({ SECURITY_EVENTS_RETENTION_DAYS: '90' }).SECURITY_EVENTS_RETENTION_DAYS).toBe(90);
  });

  it('refuses anything else with a message naming the variable', () => {
    for (const value of ['0', '-5', '1.5', 'forever', '36501']) {
      expect(() => parseEnvConfig({ SECURITY_EVENTS_RETENTION_DAYS: value }), value).toThrow(
        /SECURITY_EVENTS_RETENTION_DAYS: /,
      );
    }
  });
});

describe('CORS_ORIGINS (docs/contract.md § Cross-origin requests)', () => {
  it('defaults to none and takes a comma-separated list of exact origins', () => {
    expect(parseEnvConfig({}).CORS_ORIGINS).toEqual([]);
    expect(
      parseEnvConfig({ CORS_ORIGINS: 'https://console.example.com, http://localhost:5173,,' }).CORS_ORIGINS,
    ).toEqual(['https://console.example.com', 'http://localhost:5173']);
  });

  it('refuses wildcards, paths, other schemes and anything not written as a browser sends it', () => {
    for (const value of [
      '*',
      'null',
      'https://console.example.com/',
      'https://console.example.com/admin',
      'https://Console.example.com',
      'https://console.example.com:443',
      'ftp://console.example.com',
      'console.example.com',
      'https://*.example.com',
    ]) {
      expect(() => parseEnvConfig({ CORS_ORIGINS: value }), value).toThrow(/CORS_ORIGINS: /);
    }
  });

  it("refuses PUBLIC_URL's own origin: the web app is same-origin", () => {
    expect(() =>
      parseEnvConfig({
        PUBLIC_URL: 'https://auth.example.com/app',
        CORS_ORIGINS: 'https://auth.example.com',
      }),
    ).toThrow(/CORS_ORIGINS: must not list PUBLIC_URL's own origin/);
  });
});
