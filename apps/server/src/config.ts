import { z } from 'zod';

const ZBoolFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

/** `Name <address>` or a bare address; no line breaks (they would inject mail headers). */
const MAIL_FROM_PATTERN = /^(?:[^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/;

/** CONTRACT.md § Configuration. Every variable is validated; a bad value stops the start. */
export const ZEnvConfig = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** 32 bytes as 64 hex or base64; a comma-separated list rotates keys (the first seals). */
  ENCRYPTION_KEY: z.string().min(1).optional(),
  ISSUER: z.string().min(1).max(64).default('Twofold'),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z
    .string()
    .regex(MAIL_FROM_PATTERN, 'must be an address or "Name <address>"')
    .default('Twofold <no-reply@twofold.local>'),
  TRUST_PROXY: ZBoolFlag.default(false),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** libuv's thread pool (read by libuv itself at start); argon2 gets all but one thread, one per core at most. */
  UV_THREADPOOL_SIZE: z.coerce.number().int().min(1).max(1024).optional(),
});
export type EnvConfig = z.infer<typeof ZEnvConfig>;

export class ConfigError extends Error {}

/** Parses the environment; empty strings count as unset. */
export function parseEnvConfig(env: NodeJS.ProcessEnv): EnvConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = ZEnvConfig.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
