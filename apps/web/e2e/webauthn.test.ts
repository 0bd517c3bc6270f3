/**
 * A person adds a passkey from the security page (which turns MFA on), logs in with password
 * and the key, then with the passkey alone, and removes it (MFA off again) — in Chromium, with
 * Chromium's own virtual authenticator (CDP `WebAuthn`), against the real server.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  addSecurityKey,
  expectMfaStatus,
  logOut,
  registerAccount,
  securityKey,
  setRecoveryEmail,
  submitPassword,
} from './flows.js';
import {
  addVirtualAuthenticator,
  newAccount,
  screenshot,
  setUpBrowserSession,
  type TestServer,
  type VirtualAuthenticator,
} from './harness.js';

const session = setUpBrowserSession();
let server: TestServer;
let context: BrowserContext;
let page: Page;
let authenticator: VirtualAuthenticator;
const account = newAccount();

beforeAll(async () => {
  ({ server, context, page } = session);
  authenticator = await addVirtualAuthenticator(context, page);
});

describe('security keys and passkeys in the browser', () => {
  it('asks for a recovery email before the first key, then adds a passkey: MFA on, recovery codes once', async () => {
    await page.goto(server.url);
    expect(new URL(page.url()).hostname).toBe('localhost');
    await registerAccount(page, account);
    await expectMfaStatus(page, 'Off');
    const keys = page.getByRole('region', { name: 'Security keys and passkeys' });
    await keys.getByText(/set a recovery email first/i).waitFor();
    expect(await page.getByRole('form', { name: 'Add a security key or passkey' }).count()).toBe(0);
    await setRecoveryEmail(page, account);

    // A name is asked for before the key is touched.
    await page.getByRole('button', { name: 'Add security key' }).click();
    await page
      .locator('.field-error')
      .filter({ hasText: /Give the key a name/ })
      .waitFor();
    expect(await authenticator.credentials()).toHaveLength(0);

    const recoveryCodes = await addSecurityKey(page, 'Laptop', { shoot: 'webauthn-01-added-recovery-codes' });
    expect(recoveryCodes).toHaveLength(6);
    await expectMfaStatus(page, 'On');
    const [stored] = await authenticator.credentials();
    expect(stored?.isResidentCredential).toBe(true);
    const item = securityKey(page, 'Laptop');
    await item.getByText('Passkey', { exact: true }).waitFor();
    expect(await item.getByText(/Last used never/).count()).toBe(1);
    await page.getByRole('listitem').filter({ hasText: 'Security key added' }).waitFor();
  });

  it('renames the key', async () => {
    await securityKey(page, 'Laptop').getByRole('button', { name: 'Rename' }).click();
    const rename = page.getByRole('form', { name: 'Rename Laptop' });
    await rename.getByLabel('New name').fill('Work laptop');
    await rename.getByRole('button', { name: 'Save name' }).click();
    await securityKey(page, 'Work laptop').waitFor();
    await screenshot(page, 'webauthn-02-security-keys');
  });

  it('confirms it is you with the key: allowing passwordless sign-in again needs a fresh session', async () => {
    const item = securityKey(page, 'Work laptop');
    const passwordless = item.getByLabel('Passwordless sign-in with Work laptop');
    // Forbidding narrows what the key can do: no confirmation.
    await passwordless.click();
    await item.getByText('Passkey', { exact: true }).waitFor({ state: 'detached' });
    // Allowing widens it; this session proved only the password, and the user has no TOTP.
    await passwordless.click();
    const dialog = page.getByRole('dialog', { name: "Confirm it's you" });
    await dialog.waitFor();
    await dialog.getByLabel('Current password').fill(account.password);
    await dialog.getByRole('button', { name: 'Use a security key' }).click();
    await item.getByText('Passkey', { exact: true }).waitFor();
    expect(await dialog.count()).toBe(0);
  });

  it('logs in with the password, then the key at the second step', async () => {
    await logOut(page);
    await submitPassword(page, account.username, account.password);
    await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
    await screenshot(page, 'webauthn-03-second-step');
    const counterBefore = (await authenticator.credentials())[0]?.signCount ?? 0;
    await page.getByRole('button', { name: 'Use a security key' }).click();
    await expectMfaStatus(page, 'On');
    expect((await authenticator.credentials())[0]?.signCount).toBeGreaterThan(counterBefore);
    expect(
      await securityKey(page, 'Work laptop')
        .getByText(/Last used never/)
        .count(),
    ).toBe(0);
  });

  it('refuses the same authenticator twice with a clear message (the key login made the session fresh)', async () => {
    const form = page.getByRole('form', { name: 'Add a security key or passkey' });
    await form.getByLabel('Key name').fill('Laptop again');
    await form.getByRole('button', { name: 'Add security key' }).click();
    await form.getByRole('alert').filter({ hasText: 'already registered' }).waitFor();
    expect(await authenticator.credentials()).toHaveLength(1);
  });

  it('shows a clear message when the passkey prompt is cancelled or times out', async () => {
    await logOut(page);
    // The authenticator cannot verify the person: the browser answers NotAllowedError, as on a cancel.
    await authenticator.setUserVerified(false);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByRole('alert').filter({ hasText: 'cancelled or timed out' }).waitFor();
    await screenshot(page, 'webauthn-04-passkey-cancelled');
    await authenticator.setUserVerified(true);
  });

  it('signs in with the passkey alone, no username or password', async () => {
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expectMfaStatus(page, 'On');
    expect(await page.getByTestId('profile-username').textContent()).toBe(account.username);
    await page.getByRole('listitem').filter({ hasText: 'Logged in with a passkey' }).waitFor();
  });

  it('removes the last key after a confirmation: MFA turns off', async () => {
    const item = securityKey(page, 'Work laptop');
    await item.getByRole('button', { name: 'Remove' }).click();
    await item.getByText(/If it is your last second factor, MFA turns off/).waitFor();
    await item.getByRole('button', { name: 'Remove key' }).click();
    await page.getByRole('status').filter({ hasText: 'MFA is now off' }).waitFor();
    await expectMfaStatus(page, 'Off');
    await page.getByText('No security keys yet.').waitFor();
    await logOut(page);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /not accepted/ })
      .waitFor();
  });
});
