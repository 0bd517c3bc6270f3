import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { type Account, screenshot, totpCode } from './harness.js';

/** What the test keeps of an enrollment: as a person would, from the screen. */
export interface Enrollment {
  secret: string;
  recoveryCodes: string[];
}

export async function registerAccount(page: Page, account: Account, options: { shoot?: boolean } = {}) {
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByRole('heading', { name: 'Create your account' }).waitFor();
  await page.getByLabel('Name', { exact: true }).fill(account.name);
  await page.getByLabel('Email', { exact: true }).fill(account.email);
  await page.getByLabel('Username', { exact: true }).fill(account.username);
  const password = page.getByLabel('Password', { exact: true });
  if (options.shoot) {
    // The server's reason for a field shows under that field, linked for screen readers.
    await password.fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page
      .locator('.field-error')
      .filter({ hasText: /8 characters/ })
      .waitFor();
    expect(await password.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await password.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${describedBy.split(' ').at(-1)}"]`).textContent()).toMatch(
      /8 characters/,
    );
    await screenshot(page, '02-register-field-error');
  }
  await password.fill(account.password);
  if (options.shoot) await screenshot(page, '02-register');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Security', exact: true }).waitFor();
  expect(page.url()).toMatch(/\/security$/);
}

export async function enableMfa(page: Page, account: Account, options: { shoot?: boolean } = {}) {
  await page.getByRole('link', { name: 'Enable MFA' }).click();
  return completeMfaEnrolment(page, account, options);
}

/** The steps of the enable page, from its first step on. */
export async function completeMfaEnrolment(page: Page, account: Account, options: { shoot?: boolean } = {}) {
  await page.getByRole('heading', { name: '1. Recovery email' }).waitFor();
  const continueButton = page.getByRole('button', { name: 'Continue' });
  expect(await continueButton.isDisabled()).toBe(true);
  await setRecoveryEmail(page, account);
  if (options.shoot) await screenshot(page, '04-enable-recovery-email');
  await continueButton.click();

  await page.getByRole('heading', { name: '2. Save your recovery codes' }).waitFor();
  const recoveryCodes = await page.getByTestId('recovery-codes').getByRole('listitem').allTextContents();
  expect(recoveryCodes).toHaveLength(6);
  for (const code of recoveryCodes) expect(code).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download .txt' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`twofold-recovery-codes-${account.username}.txt`);
  const saved = readFileSync(await download.path(), 'utf8');
  for (const code of recoveryCodes) expect(saved).toContain(code);
  if (options.shoot) await screenshot(page, '05-enable-recovery-codes');
  const next = page.getByRole('button', { name: 'Continue' });
  expect(await next.isDisabled()).toBe(true);
  await page.getByLabel('I saved my recovery codes').check();
  await next.click();

  await page.getByRole('heading', { name: '3. Add Twofold to your authenticator' }).waitFor();
  await page.getByRole('img', { name: 'QR code of the authenticator key' }).waitFor();
  const shown = await page.getByTestId('totp-secret').textContent();
  const secret = (shown ?? '').replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  if (options.shoot) await screenshot(page, '06-enable-authenticator');
  // Typed digit by digit: the 6th digit submits, no button press.
  await page.getByLabel('Code from the app').pressSequentially(await totpCode(secret));
  await page.getByRole('heading', { name: '4. Done' }).waitFor();
  if (options.shoot) await screenshot(page, '07-enable-done');
  await page.getByRole('button', { name: 'Back to security' }).click();
  await expectMfaStatus(page, 'On');
  return { secret, recoveryCodes } satisfies Enrollment;
}

/** Sets the recovery email in the form on screen (security page or enable step 1). */
export async function setRecoveryEmail(page: Page, account: Account) {
  await page.getByRole('textbox', { name: 'Recovery email address' }).fill(account.recoveryEmail);
  await page.getByRole('button', { name: 'Set recovery email' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
}

/** The security page's list item of the security key named `name`. */
export function securityKey(page: Page, name: string) {
  return page
    .getByRole('list', { name: 'Your security keys' })
    .getByRole('listitem')
    .filter({ has: page.getByText(name, { exact: true }) });
}

/**
 * Adds a security key from the security page (the browser's authenticator answers the prompt).
 * Answers the recovery codes when this key turned MFA on.
 */
export async function addSecurityKey(
  page: Page,
  name: string,
  options: { passwordless?: boolean; shoot?: string } = {},
): Promise<string[] | undefined> {
  const form = page.getByRole('form', { name: 'Add a security key or passkey' });
  await form.getByLabel('Key name').fill(name);
  await form.getByLabel(/Allow sign-in with this key alone/).setChecked(options.passwordless ?? true);
  const wasMfaOn = (await page.getByTestId('mfa-status').textContent()) === 'On';
  await form.getByRole('button', { name: 'Add security key' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `${name} added.` })
    .waitFor();
  await securityKey(page, name).waitFor();
  if (wasMfaOn) return undefined;
  const recoveryCodes = await page.getByTestId('recovery-codes').getByRole('listitem').allTextContents();
  expect(recoveryCodes).toHaveLength(6);
  for (const code of recoveryCodes) expect(code).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
  if (options.shoot) await screenshot(page, options.shoot);
  const done = page.getByRole('button', { name: 'Done' });
  expect(await done.isDisabled()).toBe(true);
  await page.getByLabel('I saved my recovery codes').check();
  await done.click();
  await page.getByTestId('recovery-codes').waitFor({ state: 'detached' });
  return recoveryCodes;
}

export async function expectMfaStatus(page: Page, status: 'On' | 'Off') {
  await page.getByTestId('mfa-status').filter({ hasText: status }).waitFor();
}

export async function logOut(page: Page) {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('heading', { name: 'Log in to Twofold' }).waitFor();
}

export async function submitPassword(page: Page, identifier: string, password: string) {
  await page.getByLabel('Username or email').fill(identifier);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}
