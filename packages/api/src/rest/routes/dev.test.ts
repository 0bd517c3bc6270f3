import { enqueueTestMail, openTestCore, type StoreTestCore } from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiApp } from '../../app.js';
import { silentLogger } from '../../logger.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const appWith = (devMailbox: boolean) => createApiApp({ core: t.core, logger: silentLogger, devMailbox });
/** The mailbox answers only a direct loopback peer: the Node socket `app.request` lacks. */
const fromLoopback = { incoming: { socket: { remoteAddress: '127.0.0.1' } } };

describe('GET /api/dev/mail', () => {
  it('answers the outbox as JSON, newest first, bodies included', async () => {
    await enqueueTestMail(t.core, { kind: 'mfa-enabled', to: 'first@example.test', username: 'first' });
    t.clock.advanceSeconds(1);
    await enqueueTestMail(t.core, {
      kind: 'reset-code',
      to: 'second@example.test',
      username: 'second',
      address: 'main',
      code: 'QW3RT',
      userId: 'user-2',
      expiresAtMs: t.clock.now() + 86_400_000,
    });
    const response = await appWith(true).request('/api/dev/mail', {}, fromLoopback);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const { messages } = (await response.json()) as { messages: Record<string, unknown>[] };
    expect(messages.map((m) => m.to)).toEqual(['second@example.test', 'first@example.test']);
    expect(Object.keys(messages[0] ?? {}).sort()).toEqual(
      ['createdAtMs', 'html', 'id', 'kind', 'status', 'subject', 'text', 'to'].sort(),
    );
    expect(String(messages[0]?.text).split('\n')).toContain('QW3RT');
    expect(messages[0]?.createdAtMs).toBe(t.clock.now());
  });

  it('answers an empty mailbox', async () => {
    const response = await appWith(true).request('/api/dev/mail', {}, fromLoopback);
    expect(await response.json()).toEqual({ messages: [] });
  });

  it('does not exist when the mailbox is off (production): 404 with the error envelope', async () => {
    await enqueueTestMail(t.core, { kind: 'mfa-enabled', to: 'a@example.test', username: 'a' });
    for (const path of ['/api/dev/mail', '/trpc/dev.mail']) {
      const response = await appWith(false).request(path, {}, fromLoopback);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('a@example.test');
    }
    const body = await (await appWith(false).request('/api/dev/mail', {}, fromLoopback)).json();
    expect(body).toEqual({ message: 'no such endpoint', code: 'NOT_FOUND' });
  });
});
