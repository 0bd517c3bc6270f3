/**
 * Registration mails a verification to the new address by itself; the person opens its link
 * from the dev mailbox, and the security page then shows the address verified.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerAccount } from './flows.js';
import { newAccount, screenshot, setUpBrowserSession, type TestServer } from './harness.js';

const session = setUpBrowserSession();
let server: TestServer;
let page: Page;
const account = newAccount();

beforeAll(() => {
  ({ server, page } = session);
});

describe('verifying an address', () => {
  it('verifies the main address from the emailed link', async () => {
    await page.goto(`${server.url}/login`);
    await registerAccount(page, account);
    const row = page.getByTestId('verification-email');
    await row.getByText('Not verified').waitFor();
    await page.getByTestId('verification-banner').getByText('Verify your email address.').waitFor();

    const mailbox = await session.context.newPage();
    await mailbox.goto(`${server.url}/dev/mail`);
    const mail = mailbox
      .locator(`[data-testid="mail"][data-to="${account.email}"][data-kind="email-verification"]`)
      .first();
    await mail.waitFor();
    const text = (await mail.locator('pre').textContent()) ?? '';
    const link = /https?:\/\/\S+\/email\/verify#token=[\w%-]+/.exec(text)?.[0];
    expect(link, text).toBeDefined();
    await mailbox.close();

    const url = new URL(link!);
    await page.goto(`${server.url}${url.pathname}${url.hash}`);
    await page.getByRole('heading', { name: 'Verify your email address' }).waitFor();
    await page.getByRole('button', { name: 'Verify this address' }).click();
    await page.getByRole('status').filter({ hasText: 'Address verified' }).waitFor();
    await screenshot(page, '34-email-verified');
    await page.getByRole('link', { name: 'Continue' }).click();
    await page.getByTestId('verification-email').getByText('Verified', { exact: true }).waitFor();
    // The banner that asked for it is gone.
    expect(await page.getByTestId('verification-banner').count()).toBe(0);
  });
});
