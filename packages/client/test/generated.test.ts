/**
 * The committed clients are what `pnpm --filter @twofold/client generate` makes from the
 * server as it is now: a changed route, schema or procedure fails here until they are
 * regenerated (and the change shows in review).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATED_PATHS, generate } from '../scripts/generate.js';

const PACKAGE_DIR = join(import.meta.dirname, '..');

function filesUnder(root: string, path: string): string[] {
  const full = join(root, path);
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full).flatMap((name) => filesUnder(root, join(path, name)));
}

let fresh: string;
beforeAll(async () => {
  fresh = mkdtempSync(join(tmpdir(), 'twofold-client-generate-'));
  await generate(fresh);
});
afterAll(() => rmSync(fresh, { recursive: true, force: true }));

describe('the generated clients', () => {
  it.each(Object.entries(GENERATED_PATHS))('%s matches what the server makes now', (_name, path) => {
    const committed = filesUnder(PACKAGE_DIR, path).sort();
    expect(filesUnder(fresh, path).sort(), 'run `pnpm --filter @twofold/client generate`').toEqual(committed);
    for (const file of committed) {
      const drifted = `${file} drifted: run \`pnpm --filter @twofold/client generate\``;
      expect(readFileSync(join(fresh, file), 'utf8'), drifted).toBe(
        readFileSync(join(PACKAGE_DIR, file), 'utf8'),
      );
    }
  });
});
