/**
 * With REQUIRE_MFA=all (docs/contract.md § Required MFA), a new user is taken from sign-up
 * straight to setting up a second factor, cannot reach any other page until it is on, and
 * then uses the account as usual — in Chromium against the real server.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { completeMfaEnrolment } from './flows.js';
import { newAccount, screenshot, setUpBrowserSession, type TestServer } from './harness.js';

const session = setUpBrowserSession({ REQUIRE_MFA: 'all' });
let server: TestServer;
let page: Page;
const account = newAccount();

beforeAll(() => {
  ({ server, page } = session);
});

describe('required MFA in the browser', () => {
  it('sends a new account to the MFA setup, with the reason, and keeps it there', async () => {
    await page.goto(`${server.url}/register`);
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill(account.name);
    await page.getByLabel('Email', { exact: true }).fill(account.email);
    await page.getByLabel('Username', { exact: true }).fill(account.username);
    await page.getByLabel('Password', { exact: true }).fill(account.password);
    await page.getByRole('button', { name: 'Create account' }).click();

    await page.getByTestId('enrolment-required').waitFor();
    expect(new URL(page.url()).pathname).toBe('/security/enable');
    expect(await page.getByTestId('enrolment-required').textContent()).toMatch(/requires two-factor/);
    expect(
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Security' }).count(),
    ).toBe(0);
    await screenshot(page, 'require-mfa-01-setup');

    // Typing another address leads back to the setup.
    await page.goto(`${server.url}/security`);
    await page.getByTestId('enrolment-required').waitFor();
    expect(new URL(page.url()).pathname).toBe('/security/enable');
  });

  it('opens the account once MFA is on', async () => {
    await completeMfaEnrolment(page, account);
    expect(new URL(page.url()).pathname).toBe('/security');
    expect(await page.getByTestId('enrolment-required').count()).toBe(0);
    expect(session.consoleErrors).toEqual([]);
  });
});
