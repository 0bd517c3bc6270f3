/**
 * A person who forgot the password asks for a mail from the login page, reads the code and the
 * link in the dev mailbox, sets a new password through the link, and logs in with it: with MFA
 * on, the second factor is still asked for.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Enrollment, enableMfa, logOut, registerAccount, submitPassword } from './flows.js';
import { newAccount, screenshot, setUpBrowserSession, type TestServer, totpCode } from './harness.js';

const session = setUpBrowserSession();
let server: TestServer;
let page: Page;
const account = newAccount();
const NEW_PASSWORD = `a new passphrase ${account.username}`;
let enrollment: Enrollment;

beforeAll(() => {
  ({ server, page } = session);
});

/** The code and link of the newest forgot-password email to `to`, as shown in the dev mailbox. */
async function readForgotMail(mailbox: Page, to: string) {
  const mail = mailbox
    .locator(`[data-testid="mail"][data-to="${to}"][data-kind="password-reset-code"]`)
    .first();
  await mail.waitFor();
  const text = (await mail.locator('pre').textContent()) ?? '';
  const code = /^\s*([2-9A-HJ-NP-Z]{8})\s*$/m.exec(text)?.[1];
  const link = /https?:\/\/\S+\/password\/reset#token=[\w%-]+/.exec(text)?.[0];
  expect(code, text).toBeDefined();
  expect(link, text).toBeDefined();
  return { code: code!, link: link! };
}

describe('forgot password', () => {
  it('enrolls a user with MFA', async () => {
    await page.goto(`${server.url}/login`);
    await registerAccount(page, account);
    enrollment = await enableMfa(page, account);
    await logOut(page);
  });

  it('asks for a mail from "Forgot password?" on the login page', async () => {
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await page.getByLabel('Username or email').fill(account.email);
    await screenshot(page, '30-forgot-request');
    await page.getByRole('button', { name: 'Email me a code' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    // A wrong code is refused on the code page.
    await page.getByLabel('Code from the email').fill('AAAAAAAA');
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByRole('alert').waitFor();
    await screenshot(page, '31-forgot-code');
  });

  it('sets a new password through the emailed link, read in the dev mailbox', async () => {
    const mailbox = await session.context.newPage();
    await mailbox.goto(`${server.url}/dev/mail`);
    await mailbox.getByRole('heading', { name: 'Dev mailbox' }).waitFor();
    const { link } = await readForgotMail(mailbox, account.email);
    await mailbox.close();

    const url = new URL(link);
    await page.goto(`${server.url}${url.pathname}${url.hash}`);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    // The token leaves the address bar once read.
    expect(new URL(page.url()).hash).toBe('');
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page
      .locator('.field-error')
      .filter({ hasText: /8 characters/ })
      .waitFor();
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await screenshot(page, '32-forgot-new-password');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByRole('heading', { name: 'Log in to Twofold' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Your password was reset' }).waitFor();
  });

  it('logs in with the new password, and the second factor is still asked for', async () => {
    await submitPassword(page, account.username, account.password);
    await page.getByRole('alert').waitFor();
    await submitPassword(page, account.username, NEW_PASSWORD);
    await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
    await page.getByLabel('Authentication code').pressSequentially(await totpCode(enrollment.secret, 1));
    await page.getByRole('heading', { name: 'Security', exact: true }).waitFor();
    await page.getByTestId('security-events').getByText('Password reset by email').waitFor();
    await screenshot(page, '33-forgot-done');
  });
});
