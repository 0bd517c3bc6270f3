import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The built web app (apps/web/dist), found through the workspace dependency. */
export function findWebRoot(): string | undefined {
  const require = createRequire(import.meta.url);
  const root = join(dirname(require.resolve('@twofold/web/package.json')), 'dist');
  return existsSync(join(root, 'index.html')) ? root : undefined;
}
