import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A compiled entry of this package (`dist/…`), whether the caller runs from dist or from src
 * (vitest): child processes always run the built JavaScript.
 */
export function distFile(relativePath: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package root of @twofold/bench not found');
    dir = parent;
  }
  const file = join(dir, 'dist', relativePath);
  if (!existsSync(file)) throw new Error(`${file} is missing: build @twofold/bench first`);
  return file;
}
