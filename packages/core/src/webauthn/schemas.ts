import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { z } from 'zod';
import { hasNoNul, NO_NUL_MESSAGE } from '../users/schemas.js';

const base64Url = (maxLength: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(maxLength, `must be at most ${maxLength} characters`)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, 'must be base64url');

/**
 * The browser's PublicKeyCredential as `toJSON()` gives it. Loose objects: browsers add fields
 * (extension outputs, hints) that the library ignores, and refusing them would break clients.
 * Sizes stay inside the 64 KiB body limit.
 */
const credentialFields = {
  id: base64Url(1366),
  rawId: base64Url(1366),
  type: z.literal('public-key'),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.looseObject({}).default({}),
};

export const ZRegistrationResponse = z.looseObject({
  ...credentialFields,
  response: z.looseObject({
    clientDataJSON: base64Url(8192),
    attestationObject: base64Url(32768),
    transports: z.array(z.string().max(32)).max(10).optional(),
  }),
});
export type TRegistrationResponse = z.infer<typeof ZRegistrationResponse>;

export const ZAuthenticationResponse = z.looseObject({
  ...credentialFields,
  response: z.looseObject({
    clientDataJSON: base64Url(8192),
    authenticatorData: base64Url(8192),
    signature: base64Url(2048),
    userHandle: base64Url(128).optional(),
  }),
});
export type TAuthenticationResponse = z.infer<typeof ZAuthenticationResponse>;

/** The shapes above are the library's JSON types, checked by zod; the library verifies the rest. */
export const asRegistrationResponse = (response: TRegistrationResponse) =>
  response as unknown as RegistrationResponseJSON;
export const asAuthenticationResponse = (response: TAuthenticationResponse) =>
  response as unknown as AuthenticationResponseJSON;

/**
 * Options for `navigator.credentials.create()` / `.get()` in their JSON form
 * (`PublicKeyCredential.parseCreationOptionsFromJSON`, or @simplewebauthn/browser).
 */
export const ZCreationOptions = z.looseObject({
  challenge: z.string(),
  rp: z.looseObject({ id: z.string().optional(), name: z.string() }),
  user: z.looseObject({ id: z.string(), name: z.string(), displayName: z.string() }),
  pubKeyCredParams: z.array(z.looseObject({ type: z.string(), alg: z.number() })),
  timeout: z.number().optional(),
  excludeCredentials: z.array(z.looseObject({ id: z.string(), type: z.string() })).optional(),
  authenticatorSelection: z.looseObject({}).optional(),
  attestation: z.string().optional(),
});
export const ZRequestOptions = z.looseObject({
  challenge: z.string(),
  rpId: z.string().optional(),
  timeout: z.number().optional(),
  allowCredentials: z.array(z.looseObject({ id: z.string(), type: z.string() })).optional(),
  userVerification: z.string().optional(),
});

export const asCreationOptions = (options: PublicKeyCredentialCreationOptionsJSON) =>
  options as z.infer<typeof ZCreationOptions>;
export const asRequestOptions = (options: PublicKeyCredentialRequestOptionsJSON) =>
  options as z.infer<typeof ZRequestOptions>;

export const ZCredentialName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  // PostgreSQL's text cannot hold U+0000: refused on both stores alike (users/schemas.ts).
  .refine(hasNoNul, NO_NUL_MESSAGE);

/** A credential as the user's settings page shows it; never its key or counter. */
export const ZWebAuthnCredentialSummary = z.object({
  id: z.string(),
  name: z.string(),
  /** May log in without the password (passkey login). */
  passwordless: z.boolean(),
  /** The authenticator reported it synced (a multi-device passkey). */
  backedUp: z.boolean(),
  /** Epoch milliseconds. */
  createdAtMs: z.number().int(),
  /** Epoch milliseconds; null until first used. */
  lastUsedAtMs: z.number().int().nullable(),
});
export type TWebAuthnCredentialSummary = z.infer<typeof ZWebAuthnCredentialSummary>;
