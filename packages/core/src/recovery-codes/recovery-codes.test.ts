import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cryptoRandom } from '../random.js';
import { openTestCore, type StoreTestCore, TEST_META } from '../testing/index.js';
import { generateRecoveryCodes } from './generate.js';
import { hashRecoveryCodes } from './hash.js';
import { matchRecoveryCode } from './match.js';
import { normalizeRecoveryCode, ZRecoveryCode } from './normalize.js';

let t: StoreTestCore;
beforeAll(async () => {
  t = await openTestCore();
});
afterAll(() => t.close());

describe('recovery codes', () => {
  it('are 6 distinct codes of 16 base32 characters', () => {
    const codes = generateRecoveryCodes(cryptoRandom);
    expect(codes).toHaveLength(6);
    for (const code of codes) expect(code).toMatch(/^[A-Z2-7]{16}$/);
    expect(new Set(codes).size).toBe(6);
  });

  it('compare case-insensitively, ignoring spaces and dashes', async () => {
    const [code] = generateRecoveryCodes(cryptoRandom) as [string];
    const [codeHash] = (await hashRecoveryCodes(t.core, TEST_META, [code])) as [string];
    expect(codeHash).toMatch(/^\$argon2id\$/);
    const typed = `${code.slice(0, 4).toLowerCase()}-${code.slice(4, 8)} ${code.slice(8)}`;
    expect(normalizeRecoveryCode(typed)).toBe(code);
    expect(ZRecoveryCode.parse(typed)).toBe(code);
    await expect(matchRecoveryCode(t.core, TEST_META, [{ id: 'a', codeHash }], typed)).resolves.toEqual({
      id: 'a',
      codeHash,
    });
    await expect(
      matchRecoveryCode(t.core, TEST_META, [{ id: 'a', codeHash }], 'AAAAAAAAAAAAAAAA'),
    ).resolves.toBeUndefined();
  });

  it('reject malformed input at the schema', () => {
    for (const bad of ['', 'SHORT', 'AAAAAAAAAAAAAAA1', 'A'.repeat(17), 'x'.repeat(100)]) {
      expect(ZRecoveryCode.safeParse(bad).success).toBe(false);
    }
  });
});
