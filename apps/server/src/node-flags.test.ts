import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from './node-flags.js';

function startScriptOf(packageJson: URL): string {
  const manifest = JSON.parse(readFileSync(packageJson, 'utf8')) as { scripts: Record<string, string> };
  return manifest.scripts.start ?? '';
}

describe('SERVER_NODE_FLAGS', () => {
  it('are the flags both start scripts run the server with', () => {
    const flags = SERVER_NODE_FLAGS.join(' ');
    expect(startScriptOf(new URL('../../../package.json', import.meta.url))).toContain(
      `node ${flags} apps/server/dist/main.js`,
    );
    expect(startScriptOf(new URL('../package.json', import.meta.url))).toBe(`node ${flags} dist/main.js`);
  });
});
