/**
 * A person trusts this browser at the second step, logs out, logs in again with the password
 * alone, sees the browser on the security page and revokes it: the next login asks for the code
 * again (docs/contract.md § Trusted devices). In Chromium against the real server.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Enrollment,
  enableMfa,
  expectMfaStatus,
  logOut,
  registerAccount,
  submitPassword,
} from './flows.js';
import { newAccount, screenshot, setUpBrowserSession, type TestServer, totpCode } from './harness.js';

const session = setUpBrowserSession();
let server: TestServer;
let context: BrowserContext;
let page: Page;
const account = newAccount();
let enrollment: Enrollment;

beforeAll(() => {
  ({ server, context, page } = session);
});

const trustedList = () => page.getByRole('list', { name: 'Your trusted browsers' });

describe('a trusted browser', () => {
  it('is trusted at the second step when the box is ticked', async () => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Log in to Twofold' }).waitFor();
    await registerAccount(page, account);
    enrollment = await enableMfa(page, account);
    await logOut(page);

    await submitPassword(page, account.username, account.password);
    await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
    const trust = page.getByLabel('Trust this browser for 30 days');
    expect(await trust.isChecked()).toBe(false);
    await trust.check();
    await screenshot(page, 'trusted-device-login-code');
    // The enable step is spent: the next one.
    await page.getByLabel('Authentication code').pressSequentially(await totpCode(enrollment.secret, 1));
    await expectMfaStatus(page, 'On');

    await trustedList().getByText('This browser').waitFor();
    const cookie = (await context.cookies()).find((c) => c.name === 'twofold_trusted_device');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/trpc' });
    expect(await page.evaluate(() => document.cookie)).toBe('');
    await page.getByRole('listitem').filter({ hasText: 'A browser was trusted for 30 days' }).waitFor();
  });

  it('logs in with the password alone after logging out', async () => {
    await logOut(page);
    await submitPassword(page, account.username, account.password);
    await page.getByRole('heading', { name: 'Security', exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/security');
    await expectMfaStatus(page, 'On');
    await page.getByTestId('sessions').getByText('Password on a trusted browser').waitFor();
    await trustedList()
      .getByText(/Last used/)
      .waitFor();
    await screenshot(page, 'trusted-devices');
  });

  it('once revoked, the browser asks for the code again', async () => {
    await trustedList().getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('None. Tick “Trust this browser for 30 days”', { exact: false }).waitFor();
    await logOut(page);
    await submitPassword(page, account.username, account.password);
    await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login/code');
  });
});
