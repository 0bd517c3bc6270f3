import fc from 'fast-check';
import type { z } from 'zod';

/** `arb` one time in `every`, else null. */
export function sometimes<T>(arb: fc.Arbitrary<T>, every: number): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: every - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });
}

/** Strings an attacker would try, beside random ones. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  '../../etc/passwd',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '%00',
  '%',
  '%ZZ',
  '%E0%A4%A',
  '\uD800',
  '123456',
  '000000',
  'AAAAAAAAAAAAAAAA',
  'a@b.c',
  'user@example.test',
  '00000000-0000-4000-8000-000000000000',
  'x'.repeat(300),
  'ünïcödé-ŝţŕïñğ',
  '😀😀😀',
];

export const nastyString = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ minLength: 250, maxLength: 600 }),
);

const leaf = fc.oneof(
  nastyString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0, 1e308),
);

const value = fc.oneof(
  { weight: 4, arbitrary: leaf },
  { weight: 1, arbitrary: fc.array(leaf, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(nastyString, leaf, { maxKeys: 3 }) },
);

/** The top-level keys a zod object schema names, so generated bodies reach past "unknown key". */
export function keysOf(schema: z.ZodType | undefined): string[] {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

const base32Char = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.split(''));
const digit = fc.constantFrom(...'0123456789'.split(''));

/** Well-formed values for the field names the contract uses, so cases get past validation. */
const PLAUSIBLE: Record<string, fc.Arbitrary<unknown>> = {
  code: fc.string({ unit: digit, minLength: 6, maxLength: 6 }),
  token: fc.uuid(),
  id: fc.uuid(),
  secret: fc.string({ unit: base32Char, minLength: 32, maxLength: 32 }),
  recovery_code: fc.string({ unit: base32Char, minLength: 16, maxLength: 16 }),
  recovery_codes: fc.array(fc.string({ unit: base32Char, minLength: 16, maxLength: 16 }), {
    minLength: 6,
    maxLength: 6,
  }),
  main_email_code: fc.string({ unit: base32Char, minLength: 5, maxLength: 5 }),
  recovery_email_code: fc.string({ unit: base32Char, minLength: 5, maxLength: 5 }),
  username: fc.constantFrom('fuzzer', 'fuzz@example.test', 'nobody-here'),
  identifier: fc.constantFrom('fuzzer', 'fuzz@example.test', 'nobody-here'),
  password: fc.constantFrom('fuzzing-password', 'wrong-password'),
  email: fc.emailAddress(),
  recovery_email: fc.emailAddress(),
  name: fc.string({ minLength: 1, maxLength: 20 }),
};

/** Bodies: objects over the schema's keys with fuzzed values, arbitrary JSON, or raw text. */
export function bodyArb(
  keys: string[],
): fc.Arbitrary<{ kind: 'json'; value: unknown } | { kind: 'raw'; text: string } | { kind: 'none' }> {
  const shaped =
    keys.length > 0
      ? fc.record(
          Object.fromEntries(
            keys.map((key) => {
              const plausible = PLAUSIBLE[key];
              return [
                key,
                plausible
                  ? fc.oneof({ weight: 2, arbitrary: plausible }, { weight: 1, arbitrary: value })
                  : value,
              ];
            }),
          ),
          { requiredKeys: [] },
        )
      : fc.dictionary(nastyString, value, { maxKeys: 4 });
  return fc.oneof(
    { weight: 5, arbitrary: shaped.map((v) => ({ kind: 'json' as const, value: v })) },
    { weight: 2, arbitrary: fc.jsonValue().map((v) => ({ kind: 'json' as const, value: v })) },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          fc.string({ maxLength: 200 }),
          fc.constantFrom('{', '{"a":', '[', 'nul', '\u0000', '{"__proto__":{"x":1}}'),
        )
        .map((text) => ({ kind: 'raw' as const, text })),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  );
}

/** Header values fetch can send: printable ASCII only. */
const headerValue = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 60,
});

export const contentTypeArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'application/vnd.api+json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=----x',
      'application/xml',
      '*/*',
      '',
    ),
  },
  { weight: 1, arbitrary: headerValue },
);

export function headersArb(validToken: () => string): fc.Arbitrary<Record<string, string>> {
  return fc
    .record(
      {
        authorization: fc.oneof(
          fc.constant('VALID'),
          headerValue.map((v) => `Bearer ${v}`),
          headerValue,
          fc.constant('Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'),
        ),
        'x-forwarded-for': headerValue,
        'x-mfa-token': headerValue,
        cookie: headerValue,
        accept: fc.constantFrom('application/json', '*/*', 'text/html', ''),
      },
      { requiredKeys: [] },
    )
    .map((headers) => {
      if (headers.authorization === 'VALID') headers.authorization = `Bearer ${validToken()}`;
      return headers as Record<string, string>;
    });
}

/** encodeURIComponent that survives lone surrogates (they become U+FFFD, as on the wire). */
export function percentEncode(text: string): string {
  return encodeURIComponent(Buffer.from(text, 'utf8').toString('utf8'));
}

/** Path segments: encoded random text, raw traversal and broken percent-escapes. */
export const segmentArb = fc.oneof(
  { weight: 3, arbitrary: nastyString.map(percentEncode) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '..',
      '%2e%2e',
      '%',
      '%ZZ',
      '%00',
      '%E0%A4%A',
      '%2F',
      ';',
      'a'.repeat(2000),
      '',
    ),
  },
  { weight: 1, arbitrary: fc.uuid() },
);
