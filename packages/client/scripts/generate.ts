/**
 * `pnpm --filter @twofold/client generate`: regenerates what this package derives from the
 * server, into the package (or into `root`, for the test that checks the committed copy):
 * - `openapi.json`: the document `GET /api/openapi.json` serves;
 * - `src/generated/rest/`: the REST client `@hey-api/openapi-ts` makes from it;
 * - `src/generated/app-router.ts`: the tRPC router type, standalone.
 * Needs `@twofold/api` built (`pnpm turbo run build --filter=@twofold/client^...`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient } from '@hey-api/openapi-ts';
import { buildOpenApiDocument, restRoutes } from '@twofold/api';
import { appRouterDeclaration } from './app-router-declaration.js';

export const GENERATED_PATHS = {
  openApiDocument: 'openapi.json',
  restClient: join('src', 'generated', 'rest'),
  appRouter: join('src', 'generated', 'app-router.ts'),
} as const;

const PACKAGE_DIR = join(import.meta.dirname, '..');

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

export async function generate(root: string = PACKAGE_DIR): Promise<void> {
  const documentFile = join(root, GENERATED_PATHS.openApiDocument);
  write(documentFile, `${JSON.stringify(buildOpenApiDocument(restRoutes), null, 2)}\n`);
  await createClient({
    input: documentFile,
    output: {
      path: join(root, GENERATED_PATHS.restClient),
      clean: true,
      // Node's ES modules need the extension (the package is built by tsc, not a bundler).
      module: { extension: '.js' },
    },
    plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk'],
    logs: { level: 'silent', file: false },
  });
  write(join(root, GENERATED_PATHS.appRouter), appRouterDeclaration());
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await generate();
  console.log(`generated ${Object.values(GENERATED_PATHS).join(', ')}`);
}
