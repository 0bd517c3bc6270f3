import { compileTrustProxy, type TrustProxy } from '@twofold/api';
import {
  CHECKED_KEYS,
  DEFAULT_ROTATION_DAYS,
  MAX_MFA_GRACE_DAYS,
  REQUIRE_MFA_MODES,
  SECURITY_EVENTS_RETENTION_DAYS,
} from '@twofold/core';
import { z } from 'zod';
import { DEFAULT_HOST } from './listen.js';

/** More hops than any sane proxy chain; beyond it the leftmost, client-written entry gets close. */
const MAX_TRUSTED_PROXY_HOPS = 5;

/** Values that trust every hop: X-Forwarded-For would then be whatever the client wrote. */
const TRUSTS_EVERY_HOP = new Set(['true', 'yes', 'on', 'all', '*']);
/** A range of prefix length 0 (`0.0.0.0/0`, `::/0`, `0.0.0.0/0.0.0.0`) or all of IPv4 mapped into IPv6. */
const EVERY_ADDRESS_RANGE = /\/0+(\.0+){0,3}$|^::ffff:[^/]*\/(\d|[1-8]\d|9[0-6])$/i;

const trustsEveryHop = (value: string) =>
  `"${value}" trusts every hop, so any client could choose its own address: give the number of proxies in front (1-${MAX_TRUSTED_PROXY_HOPS}) or their addresses`;

/**
 * docs/contract.md § MFA endpoints (client address): unset, `0` or `false`: off; 1-5: that many
 * trusted hops (1 = the socket peer); otherwise addresses, CIDRs and proxy-addr names.
 */
const ZTrustProxy = z.string().transform((raw, ctx): TrustProxy | undefined => {
  const value = raw.trim();
  const lower = value.toLowerCase();
  if (lower === '0' || lower === 'false') return undefined;
  if (TRUSTS_EVERY_HOP.has(lower)) {
    ctx.addIssue({ code: 'custom', message: trustsEveryHop(value) });
    return z.NEVER;
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > MAX_TRUSTED_PROXY_HOPS) ctx.addIssue({ code: 'custom', message: trustsEveryHop(value) });
    return { hops };
  }
  const addresses = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const everyAddress = addresses.find((entry) => EVERY_ADDRESS_RANGE.test(entry));
  if (everyAddress !== undefined) {
    ctx.addIssue({ code: 'custom', message: trustsEveryHop(everyAddress) });
    return z.NEVER;
  }
  try {
    compileTrustProxy({ addresses });
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: `${error instanceof Error ? error.message : 'invalid'}: give proxy addresses, CIDRs, loopback, linklocal or uniquelocal`,
    });
    return z.NEVER;
  }
  return { addresses };
});

/**
 * docs/contract.md § Cross-origin requests: comma-separated exact origins (scheme, host, port as
 * a browser sends them in `Origin`), compared as strings; never `*`, which would let any page
 * read the answers.
 */
const ZCorsOrigins = z.string().transform((raw, ctx): string[] => {
  const origins = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const origin of origins) {
    // Origins match exactly: a wildcard would not match what it seems to, and `*` would match any page.
    if (origin.includes('*') || origin === 'null') {
      ctx.addIssue({
        code: 'custom',
        message: `"${origin}" would let other pages read answers: list exact origins`,
      });
      continue;
    }
    const parsed = URL.canParse(origin) ? new URL(origin) : undefined;
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
      ctx.addIssue({
        code: 'custom',
        message: `"${origin}" is not an exact origin: give scheme, host and port only, in lowercase, e.g. https://console.example.com`,
      });
    }
  }
  return [...new Set(origins)];
});

/** `Name <address>` or a bare address; no line breaks (they would inject mail headers). */
const MAIL_FROM_PATTERN = /^(?:[^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/;

/** docs/contract.md § Configuration. Every variable is validated; a bad value stops the start. */
export const ZEnvConfig = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  /** `localhost` (the default): both 127.0.0.1 and ::1 (see listen.ts); otherwise one address. */
  HOST: z.string().min(1).default(DEFAULT_HOST),
  DATA_DIR: z.string().min(1).default('./data'),
  /**
   * postgres://… selects the PostgreSQL store (several instances share it); unset, the
   * embedded SQLite file in DATA_DIR. Never echoed: it may carry a password.
   */
  DATABASE_URL: z
    .string()
    .refine((value) => URL.canParse(value) && /^postgres(?:ql)?:$/.test(new URL(value).protocol), {
      message: 'must be a postgres:// or postgresql:// URL',
    })
    .optional(),
  /** The PostgreSQL schema of Twofold's tables (a plain lowercase name), for a database shared with others. */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a plain lowercase identifier')
    .default('public'),
  /**
   * Keys changed on purpose since the last start (comma-separated names): the start-up key
   * check (docs/contract.md § Configuration) takes them and records them instead of refusing.
   */
  KEYS_CHANGED: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(CHECKED_KEYS, { message: `each must be one of ${CHECKED_KEYS.join(', ')}` })))
    .default([]),
  /** Connections each instance keeps to PostgreSQL. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  /** How long a request waits for a PostgreSQL connection before it answers 503 (ms). */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /**
   * The HS256 key earlier versions signed sessions with; it now only verifies their tokens
   * issued before the first Ed25519 signing key, for their 24 hours (docs/contract.md).
   */
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Days a session-signing key signs before the next one is made; each is published 10 min ahead. */
  SIGNING_KEY_ROTATION_DAYS: z.coerce.number().int().min(1).max(365).default(DEFAULT_ROTATION_DAYS),
  /** 32 bytes as 64 hex or base64; a comma-separated list rotates keys (the first seals). */
  ENCRYPTION_KEY: z.string().min(1).optional(),
  /**
   * 32 bytes as 64 hex or base64: the HMAC key of MFA and reset tokens, apart from the
   * encryption keys so rotating them voids no live token. Unset: DATA_DIR/token-hash-key.
   */
  TOKEN_HASH_KEY: z
    .string()
    .trim()
    .regex(/^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/, 'must be 32 bytes, as 64 hex digits or base64')
    .optional(),
  ISSUER: z.string().min(1).max(64).default('Twofold'),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * WebAuthn RP ID when the site is on a subdomain and keys should serve the parent domain:
   * PUBLIC_URL's host or a parent domain of it, never an IP address (browsers refuse one).
   */
  WEBAUTHN_RP_ID: z
    .string()
    .trim()
    .toLowerCase()
    .regex(
      /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/,
      'must be a domain name',
    )
    .refine((value) => !/^[0-9.]+$/.test(value), 'must be a domain name, not an IP address')
    .optional(),
  /** Turning MFA on waits for a verified recovery address (docs/contract.md § Verified addresses). */
  REQUIRE_VERIFIED_RECOVERY_EMAIL: z
    .enum(['0', '1', 'false', 'true'], { message: 'must be 0, 1, false or true' })
    .optional()
    .transform((value) => value === '1' || value === 'true'),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z
    .string()
    .regex(MAIL_FROM_PATTERN, 'must be an address or "Name <address>"')
    .default('Twofold <no-reply@twofold.local>'),
  TRUST_PROXY: ZTrustProxy.optional(),
  /** Origins of other sites' pages that may read REST answers (bearer tokens only); unset: none. */
  CORS_ORIGINS: ZCorsOrigins.default([]),
  /**
   * docs/contract.md § Required MFA: `all` gives users without a second factor a session that
   * can only enrol one; `off` (the default) does not.
   */
  REQUIRE_MFA: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(REQUIRE_MFA_MODES, { message: `must be one of ${REQUIRE_MFA_MODES.join(', ')}` }))
    .default('off'),
  /** Days users who existed when the requirement began may still work without a second factor. */
  REQUIRE_MFA_GRACE_DAYS: z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number of days')
    .transform(Number)
    .pipe(z.number().max(MAX_MFA_GRACE_DAYS, `must be at most ${MAX_MFA_GRACE_DAYS} days`))
    .optional(),
  /** docs/contract.md § Housekeeping: days security events are kept (then deleted). */
  SECURITY_EVENTS_RETENTION_DAYS: z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number of days')
    .transform(Number)
    .pipe(z.number().min(1, 'must be at least 1 day').max(36_500, 'must be at most 36500 days'))
    .default(SECURITY_EVENTS_RETENTION_DAYS),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /**
   * Turns on `GET /metrics` (README § Metrics), readable only with `Authorization: Bearer <token>`.
   * Unset: the endpoint answers 404. Long enough that guessing it is hopeless.
   */
  METRICS_TOKEN: z.string().trim().min(16, 'must be at least 16 characters').optional(),
  /** libuv's thread pool (read by libuv itself at start); argon2 gets all but one thread, one per core at most. */
  UV_THREADPOOL_SIZE: z.coerce.number().int().min(1).max(1024).optional(),
});
export type EnvConfig = z.infer<typeof ZEnvConfig>;

/** Keys every instance on one database must share: made per DATA_DIR, they would differ per machine. */
const SHARED_KEYS = ['JWT_SECRET', 'ENCRYPTION_KEY', 'TOKEN_HASH_KEY'] as const;

export class ConfigError extends Error {}

/** Parses the environment; empty strings count as unset. */
export function parseEnvConfig(env: NodeJS.ProcessEnv): EnvConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = ZEnvConfig.superRefine((config, ctx) => {
    if (config.WEBAUTHN_RP_ID !== undefined) {
      // The RP ID must be the origin's host or a registrable suffix of it (W3C WebAuthn § 5.1.3 / 5.1.4).
      const host = config.PUBLIC_URL === undefined ? 'localhost' : new URL(config.PUBLIC_URL).hostname;
      const rpId = config.WEBAUTHN_RP_ID;
      if (host !== rpId && !host.endsWith(`.${rpId}`)) {
        ctx.addIssue({
          code: 'custom',
          path: ['WEBAUTHN_RP_ID'],
          message: `must be the host of PUBLIC_URL (${host}) or a parent domain of it`,
        });
      }
    }
    const ownOrigin = config.PUBLIC_URL === undefined ? undefined : new URL(config.PUBLIC_URL).origin;
    if (ownOrigin !== undefined && config.CORS_ORIGINS.includes(ownOrigin)) {
      // The web app's own requests are same-origin; listed here they would lose their cookie.
      ctx.addIssue({
        code: 'custom',
        path: ['CORS_ORIGINS'],
        message: `must not list PUBLIC_URL's own origin (${ownOrigin}): the web app needs no CORS`,
      });
    }
    if (config.REQUIRE_MFA_GRACE_DAYS !== undefined && config.REQUIRE_MFA === 'off') {
      // A grace period for a requirement that is off is a mistake worth stopping for.
      ctx.addIssue({
        code: 'custom',
        path: ['REQUIRE_MFA_GRACE_DAYS'],
        message: 'needs REQUIRE_MFA=all',
      });
    }
    if (config.DATABASE_URL === undefined) return;
    for (const key of SHARED_KEYS) {
      if (config[key] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'required with DATABASE_URL: every instance must seal, open and sign with the same keys',
        });
      }
    }
  }).safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
