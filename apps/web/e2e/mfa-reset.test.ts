/**
 * A person who lost both the authenticator and the recovery codes resets MFA with the two
 * codes emailed to the main and recovery addresses, read from the dev mailbox; a person who
 * still has a session disables MFA with the same two emailed codes.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { enableMfa, expectMfaStatus, logOut, registerAccount, submitPassword } from './flows.js';
import { newAccount, screenshot, setUpBrowserSession, type TestServer, watchCsp } from './harness.js';

const session = setUpBrowserSession();
let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const account = newAccount();

beforeAll(() => {
  ({ server, browser, context, page } = session);
});

/** The reset code and link of the newest reset email to `to`, as shown in the dev mailbox. */
async function readResetMail(mailbox: Page, to: string) {
  const mail = mailbox.locator(`[data-testid="mail"][data-to="${to}"][data-kind="reset-code"]`).first();
  await mail.waitFor();
  const text = (await mail.locator('pre').textContent()) ?? '';
  const code = /^\s*([2-9A-HJ-NP-Z]{5})\s*$/m.exec(text)?.[1];
  const link = /https?:\/\/\S+\/mfa\/reset\/[\w-]+/.exec(text)?.[0];
  expect(code, text).toBeDefined();
  expect(link, text).toBeDefined();
  return { code: code!, link: link! };
}

describe('resetting MFA by email', () => {
  it('enrolls a user with MFA and a recovery email', async () => {
    await page.goto(`${server.url}/login`);
    await registerAccount(page, account);
    await enableMfa(page, account);
    await logOut(page);
  });

  it('requests a reset from the login screen and lands on the code form', async () => {
    await submitPassword(page, account.username, account.password);
    await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
    await page.getByRole('link', { name: 'Use a recovery code' }).click();
    await page.getByRole('link', { name: 'Reset MFA by email' }).click();
    await page.getByRole('heading', { name: 'Reset MFA by email' }).waitFor();
    expect(await page.getByLabel('Username or email').inputValue()).toBe(account.username);
    await screenshot(page, '14-reset-request');
    await page.getByRole('button', { name: 'Email me the codes' }).click();
    await page.getByRole('heading', { name: 'Enter the codes from your email' }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/mfa\/reset\/[^/]+$/);
  });

  it('resets with both codes through the emailed link, read in the dev mailbox', async () => {
    const mailbox = await context.newPage();
    await mailbox.goto(`${server.url}/dev/mail`);
    await mailbox.getByRole('heading', { name: 'Dev mailbox' }).waitFor();
    const main = await readResetMail(mailbox, account.email);
    const recovery = await readResetMail(mailbox, account.recoveryEmail);
    expect(main.code).not.toBe(recovery.code);
    await screenshot(mailbox, '15-dev-mailbox');
    await mailbox.close();

    // The emailed link carries the user id; it opens the same form on this server.
    const linkPath = new URL(main.link).pathname;
    expect(linkPath).toBe(new URL(recovery.link).pathname);
    await page.goto(`${server.url}${linkPath}`);
    await page.getByRole('heading', { name: 'Enter the codes from your email' }).waitFor();

    await page.getByLabel('Code sent to your main email').fill(main.code);
    await page.getByLabel('Code sent to your recovery email').fill(main.code);
    await page.getByRole('button', { name: 'Reset MFA and log in' }).click();
    await page.getByRole('alert').waitFor();
    await screenshot(page, '16-reset-codes-error');

    // Lowercase is accepted as typed: the form shows it uppercase.
    await page.getByLabel('Code sent to your recovery email').fill(recovery.code.toLowerCase());
    expect(await page.getByLabel('Code sent to your recovery email').inputValue()).toBe(recovery.code);
    await page.getByRole('button', { name: 'Reset MFA and log in' }).click();
    await expectMfaStatus(page, 'Off');
    await page.getByRole('status').filter({ hasText: 'MFA was reset' }).waitFor();
    await page.getByTestId('security-events').getByText('MFA reset by email').waitFor();
    expect(await page.getByTestId('whoami').textContent()).toBe(account.username);
    await screenshot(page, '17-after-reset');
  });
});

describe('disabling MFA with codes by email', () => {
  it('emails one code to each address and disables with both', async () => {
    const other = newAccount();
    const otherContext = watchCsp(await browser.newContext({ viewport: { width: 1100, height: 800 } }));
    otherContext.setDefaultTimeout(10_000);
    const tab = await otherContext.newPage();
    try {
      await tab.goto(`${server.url}/login`);
      await registerAccount(tab, other);
      await enableMfa(tab, other);

      await tab.getByRole('link', { name: 'Disable MFA' }).click();
      await tab.getByRole('radio', { name: /Codes by email/ }).check();
      await tab.getByRole('button', { name: 'Email me the codes' }).click();
      await tab.getByRole('status').filter({ hasText: 'Sent. Check both mailboxes.' }).waitFor();

      const mailbox = await otherContext.newPage();
      await mailbox.goto(`${server.url}/dev/mail`);
      const main = await readResetMail(mailbox, other.email);
      const recovery = await readResetMail(mailbox, other.recoveryEmail);
      await mailbox.close();

      await tab.getByLabel('Code sent to your main email').fill(main.code);
      await tab.getByLabel('Code sent to your recovery email').fill(recovery.code);
      await tab.getByRole('button', { name: 'Disable MFA' }).click();
      await expectMfaStatus(tab, 'Off');
      await tab.getByRole('status').filter({ hasText: 'MFA is now off' }).waitFor();
    } finally {
      await otherContext.close();
    }
  });
});
