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
});
