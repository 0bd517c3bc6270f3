/**
 * The rest of an account's life in the browser: a new account is asked to verify its email (a
 * banner), changes its main email through the link mailed to the new address, undoes that from
 * the link mailed to the old one, downloads its data and deletes itself.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerAccount, submitPassword } from './flows.js';
import { newAccount, screenshot, setUpBrowserSession, type TestServer } from './harness.js';

const session = setUpBrowserSession();
let server: TestServer;
let page: Page;
const account = newAccount();
const NEW_EMAIL = `moved.${account.email}`;

beforeAll(() => {
  ({ server, page } = session);
});

/** The newest link of `kind` mailed to `to` (path and fragment), as the dev mailbox shows it. */
async function mailedLink(to: string, kind: string, path: RegExp): Promise<string> {
  const mailbox = await session.context.newPage();
  try {
    await mailbox.goto(`${server.url}/dev/mail`);
    const mail = mailbox.locator(`[data-testid="mail"][data-to="${to}"][data-kind="${kind}"]`).first();
    await mail.waitFor();
    const text = (await mail.locator('pre').textContent()) ?? '';
    const link = new RegExp(`https?://\\S+${path.source}#token=[\\w%-]+`).exec(text)?.[0];
    expect(link, text).toBeDefined();
    const url = new URL(link!);
    return `${url.pathname}${url.hash}`;
  } finally {
    await mailbox.close();
  }
}

describe('an account from registration to deletion', () => {
  it('asks a new account to verify its email in a banner', async () => {
    await page.goto(`${server.url}/login`);
    await registerAccount(page, account);
    const banner = page.getByTestId('verification-banner');
    await banner.getByText('Verify your email address.').waitFor();
    await banner.getByText(account.email).waitFor();
    await screenshot(page, '35-verify-banner');
  });

  it('changes the email once the link sent to the new address is opened', async () => {
    await page.getByLabel('New email address').fill(NEW_EMAIL);
    await page.getByRole('button', { name: 'Change email' }).click();
    await page.getByTestId('pending-email').filter({ hasText: NEW_EMAIL }).waitFor();
    // Nothing changed yet.
    await page.getByTestId('profile-email').filter({ hasText: account.email }).waitFor();
    await screenshot(page, '36-change-email-pending');

    await page.goto(`${server.url}${await mailedLink(NEW_EMAIL, 'email-verification', /\/email\/verify/)}`);
    await page.getByRole('button', { name: 'Verify this address' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Your email is ${NEW_EMAIL}` })
      .waitFor();
    await page.getByRole('link', { name: 'Continue' }).click();
    await page.getByTestId('profile-email').filter({ hasText: NEW_EMAIL }).waitFor();
    await page.getByTestId('verification-email').getByText('Verified', { exact: true }).waitFor();
    expect(await page.getByTestId('verification-banner').count()).toBe(0);
  });

  it('undoes the change from the link sent to the old address, which signs every session out', async () => {
    await page.goto(`${server.url}${await mailedLink(account.email, 'email-changed', /\/email\/undo/)}`);
    await page.getByRole('heading', { name: 'Undo the email change' }).waitFor();
    await page.getByRole('button', { name: 'Restore my previous email' }).click();
    await page.getByRole('status').filter({ hasText: 'Your previous email address is back' }).waitFor();
    await screenshot(page, '37-email-change-undone');
    await page.getByRole('link', { name: 'log in', exact: true }).click();
    await page.getByRole('heading', { name: 'Log in to Twofold' }).waitFor();
    await submitPassword(page, account.email, account.password);
    await page.getByTestId('profile-email').filter({ hasText: account.email }).waitFor();
  });

  it('downloads the data and deletes the account', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download your data' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`twofold-account-${account.username}.json`);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
      profile: { username: string; email: string };
      securityEvents: { type: string }[];
    };
    expect(exported.profile).toMatchObject({ username: account.username, email: account.email });
    expect(exported.securityEvents.map((event) => event.type)).toContain('email_change_undone');
    expect(JSON.stringify(exported)).not.toContain(account.password);

    const form = page.getByRole('form', { name: 'Delete account' });
    await form.getByLabel('Type your username to confirm').fill('someone-else');
    await form.getByRole('button', { name: 'Delete my account' }).click();
    await form.getByText(`Type ${account.username} to confirm.`).waitFor();
    await form.getByLabel('Type your username to confirm').fill(account.username);
    await screenshot(page, '38-delete-account');
    await form.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByRole('status').filter({ hasText: 'Your account was deleted.' }).waitFor();

    await submitPassword(page, account.username, account.password);
    await page.getByRole('alert').waitFor();
    expect(page.url()).toMatch(/\/login$/);
  });
});
