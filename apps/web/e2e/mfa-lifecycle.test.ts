/**
 * A person enrolls in MFA, logs in with a TOTP code, recovers with a recovery code,
 * disables MFA inside the recovery window and, confirming the password (and later a code)
 * again, enrolls anew — all in Chromium against the real server.
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

describe('the MFA lifecycle in the browser', () => {
  it('registers from the login page, with the session in an HttpOnly cookie only', async () => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Log in to Twofold' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    // A page loaded directly is titled after its heading, and asking "who is signed in?"
    // while nobody is logs no failed request.
    await page.waitForFunction(() => document.title === 'Log in to Twofold · Twofold');
    expect(session.consoleErrors).toEqual([]);
    await screenshot(page, '01-login');

    await registerAccount(page, account, { shoot: true });
    await expectMfaStatus(page, 'Off');
    expect(await page.getByTestId('profile-username').textContent()).toBe(account.username);

    const [cookie, ...others] = await context.cookies();
    expect(others).toHaveLength(0);
    expect(cookie).toMatchObject({ name: 'twofold_session', httpOnly: true, sameSite: 'Strict', path: '/' });
    const visibleToScripts = await page.evaluate(() => ({
      cookie: document.cookie,
      storage: JSON.stringify({ ...window.localStorage, ...window.sessionStorage }),
    }));
    expect(visibleToScripts.cookie).toBe('');
    expect(visibleToScripts.storage).not.toContain(cookie?.value.slice(0, 20));
  });

  it('refuses a state change authenticated by the cookie without the CSRF header', async () => {
    const status = await page.evaluate(async () => {
      const response = await fetch('/trpc/auth.logout', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      return response.status;
    });
    expect(status).toBe(403);
    await page.reload();
    await expectMfaStatus(page, 'Off');
  });

  it('lists its sessions, ends another one, then all others', async () => {
    // Two more sessions of this account, from another client.
    const others: string[] = [];
    for (let i = 0; i < 2; i++) {
      const response = await fetch(`${server.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'OtherDevice/1.0' },
        body: JSON.stringify({ username: account.username, password: account.password }),
      });
      others.push(((await response.json()) as { token: string }).token);
    }
    await page.reload();
    const list = page.getByTestId('sessions');
    await list.getByText('This session').waitFor();
    await expect.poll(() => list.getByRole('listitem').count()).toBe(3);
    await list.getByRole('button', { name: 'End', exact: true }).first().click();
    await expect.poll(() => list.getByRole('listitem').count()).toBe(2);
    await page.getByRole('button', { name: 'End all other sessions' }).click();
    await expect.poll(() => list.getByRole('listitem').count()).toBe(1);
    await screenshot(page, '02-sessions');
    for (const token of others) {
      const me = await fetch(`${server.url}/api/auth/user`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(me.status).toBe(401);
    }
  });

  it('enables MFA in steps: recovery email, recovery codes, authenticator, done', async () => {
    await screenshot(page, '03-security-mfa-off');
    enrollment = await enableMfa(page, account, { shoot: true });
    await page.getByRole('listitem').filter({ hasText: 'MFA enabled' }).waitFor();
  });

  it('logs in with password then a TOTP code; a wrong code shows inline', async () => {
    const sessionCookie = (await context.cookies()).find((c) => c.name === 'twofold_session');
    await logOut(page);
    expect(await context.cookies()).toHaveLength(0);
    // Logout ended the session on the server: the old cookie replayed opens nothing.
    const replayed = await fetch(`${server.url}/trpc/auth.me`, {
      headers: { cookie: `twofold_session=${sessionCookie?.value}` },
    });
    expect(replayed.status).toBe(401);
    await submitPassword(page, account.username, account.password);
    await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login/code');
    const codeInput = page.getByLabel('Authentication code');
    expect(await codeInput.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await codeInput.getAttribute('inputmode')).toBe('numeric');
    await screenshot(page, '08-login-code');

    const good = await totpCode(enrollment.secret, 1); // the enable step is spent: use the next one
    const wrong = good === '000000' ? '111111' : '000000';
    await codeInput.pressSequentially(wrong);
    const error = page.getByRole('alert');
    await error.waitFor();
    expect(await codeInput.getAttribute('aria-invalid')).toBe('true');
    expect(await codeInput.inputValue()).toBe('');
    // Ready for the next try without reaching for the mouse.
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'code');
    await screenshot(page, '09-login-code-error');
    // Verify on the emptied field keeps saying why it is empty.
    const said = await error.textContent();
    await page.getByRole('button', { name: 'Verify' }).click();
    expect(await error.textContent()).toBe(said);

    // A pasted code with a space is cleaned to digits and submitted at once.
    await codeInput.fill(`${good.slice(0, 3)} ${good.slice(3)}`);
    await expectMfaStatus(page, 'On');
  });

  it('shows the recovery codes left and replaces them on request, shown once', async () => {
    const left = page.getByTestId('recovery-codes-left');
    await expect.poll(() => left.textContent()).toBe('6 unused recovery codes left.');
    await page.getByRole('button', { name: 'Generate new recovery codes' }).click();
    // The session is fresh (password and code just now): no confirmation dialog.
    await page.getByRole('button', { name: 'Replace my recovery codes' }).click();
    await page.getByTestId('recovery-codes').waitFor();
    const fresh = await page.getByTestId('recovery-codes').getByRole('listitem').allTextContents();
    expect(fresh).toHaveLength(6);
    expect(fresh.filter((code) => enrollment.recoveryCodes.includes(code))).toEqual([]);
    await screenshot(page, '09b-recovery-codes-regenerated');
    await expect.poll(() => left.textContent()).toBe('6 unused recovery codes left.');
    // The later steps recover with these: the enrolled ones stopped working.
    enrollment = { ...enrollment, recoveryCodes: fresh };
  });

  it('offers the disable choices: authenticator code, recovery code, codes by email', async () => {
    await page.getByRole('link', { name: 'Disable MFA' }).click();
    await page.getByRole('heading', { name: 'Disable MFA' }).waitFor();
    for (const choice of ['Authenticator code', 'Recovery code', 'Codes by email']) {
      expect(await page.getByRole('radio', { name: new RegExp(choice) }).count()).toBe(1);
    }
    await page.getByRole('radio', { name: /Codes by email/ }).check();
    await page.getByRole('button', { name: 'Email me the codes' }).waitFor();
    await page.getByRole('radio', { name: /Authenticator code/ }).check();
    await screenshot(page, '10-disable-choices');
    await page.getByRole('link', { name: 'Cancel' }).click();
    await expectMfaStatus(page, 'On');
  });

  it('recovers with a recovery code, then disables MFA within the countdown window', async () => {
    await logOut(page);
    await submitPassword(page, account.email, account.password);
    await page.getByRole('link', { name: 'Use a recovery code' }).click();
    await page.getByRole('heading', { name: 'Use a recovery code' }).waitFor();
    expect(await page.getByLabel('Username or email').inputValue()).toBe(account.email);

    await page.getByRole('textbox', { name: 'Recovery code' }).fill('AAAA-BBBB-CCCC-DDDD');
    await page.getByRole('button', { name: 'Log in with recovery code' }).click();
    await page.getByRole('alert').waitFor();
    await screenshot(page, '11-recover-error');

    const [code] = enrollment.recoveryCodes;
    await page.getByRole('textbox', { name: 'Recovery code' }).fill(code!.toLowerCase());
    await page.getByRole('button', { name: 'Log in with recovery code' }).click();
    const banner = page.getByTestId('recovery-banner');
    await banner.waitFor();
    const countdown = banner.getByTestId('countdown');
    const first = await countdown.textContent();
    expect(first).toMatch(/^(10:00|[0-9]:[0-5][0-9])$/);
    await page.waitForFunction(
      (before) => document.querySelector('[data-testid="countdown"]')?.textContent !== before,
      first,
    );
    await screenshot(page, '12-recovery-window');

    await banner.getByRole('button', { name: 'Disable MFA now' }).click();
    await expectMfaStatus(page, 'Off');
    expect(await page.getByTestId('recovery-banner').count()).toBe(0);
    await page.getByRole('status').filter({ hasText: 'MFA is now off' }).waitFor();
    const events = page.getByTestId('security-events');
    await events.getByText('MFA disabled').waitFor();
    await events.getByText('Recovery code used').waitFor();
    await screenshot(page, '13-security-events');
  });

  it('a recovery-code session confirms the password before enrolling again, then continues the wizard', async () => {
    await page.getByRole('link', { name: 'Enable MFA' }).click();
    await page.getByRole('heading', { name: '1. Recovery email' }).waitFor();
    await page.getByRole('button', { name: 'Continue' }).click();
    const dialog = page.getByRole('dialog', { name: "Confirm it's you" });
    await dialog.waitFor();
    // MFA is off now: the password alone.
    expect(await dialog.getByLabel('Code from your authenticator').count()).toBe(0);
    await dialog.getByLabel('Current password').fill('not the password');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.getByRole('alert').waitFor();
    await screenshot(page, '14-reauth-password');
    await dialog.getByLabel('Current password').fill(account.password);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    // The interrupted step runs again: the wizard goes on where the person was.
    await page.getByRole('heading', { name: '2. Save your recovery codes' }).waitFor();
    expect(await dialog.count()).toBe(0);
    await page.getByLabel('I saved my recovery codes').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
    await page.getByLabel('Code from the app').pressSequentially(await totpCode(secret));
    await page.getByRole('heading', { name: '4. Done' }).waitFor();
    await page.getByRole('button', { name: 'Back to security' }).click();
    await expectMfaStatus(page, 'On');

    // MFA is on again and this session has proven no code yet: the recovery email asks for both.
    await page.getByRole('textbox', { name: 'Recovery email address' }).fill(`new.${account.recoveryEmail}`);
    await page.getByRole('button', { name: 'Change recovery email' }).click();
    await dialog.waitFor();
    await dialog.getByLabel('Current password').fill(account.password);
    await screenshot(page, '15-reauth-password-and-code');
    await dialog.getByLabel('Code from your authenticator').fill(await totpCode(secret, 1));
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(await dialog.count()).toBe(0);
    await page.getByTestId('security-events').getByText('Password confirmed again').first().waitFor();
  });

  it('changes the password only with the current one; then only the new one logs in', async () => {
    const form = page.getByRole('form', { name: 'Change password' });
    const newPassword = `${account.password} renewed`;
    await form.getByLabel('Current password', { exact: true }).fill('not the password');
    await form.getByLabel('New password', { exact: true }).fill(newPassword);
    await form.getByLabel('Repeat the new password').fill(`${newPassword}!`);
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByText('Does not match the new password.').waitFor();
    await form.getByLabel('Repeat the new password').fill(newPassword);
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByRole('alert').waitFor();
    await form.getByLabel('Current password', { exact: true }).fill(account.password);
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByRole('status').filter({ hasText: 'Password changed.' }).waitFor();
    await screenshot(page, '16-password-changed');
    // This session goes on under its new token.
    await page.reload();
    await expectMfaStatus(page, 'On');

    await logOut(page);
    await submitPassword(page, account.username, account.password);
    await page.getByRole('alert').waitFor();
    await submitPassword(page, account.username, newPassword);
    await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
  });
});
