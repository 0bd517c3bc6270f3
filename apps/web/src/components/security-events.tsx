import { useCallback, useEffect, useState } from 'react';
import { describeFailure, type RouterOutputs, trpc } from '../trpc.js';

type SecurityEvent = RouterOutputs['user']['securityEvents']['events'][number];

/** Exhaustive: a new event type on the server fails this build until it has a label. */
const EVENT_LABELS: Record<SecurityEvent['type'], string> = {
  user_registered: 'Account created',
  login_succeeded: 'Logged in',
  login_failed: 'Failed login',
  login_locked: 'Logins locked after failures',
  mfa_enabled: 'MFA enabled',
  mfa_disabled: 'MFA disabled',
  mfa_auth_succeeded: 'Second step passed',
  mfa_auth_failed: 'Wrong code at login',
  second_factor_failed: 'Wrong second-factor proof',
  second_factor_locked: 'Second factor locked after failures',
  recovery_code_used: 'Recovery code used',
  recovery_codes_regenerated: 'New recovery codes generated',
  reset_requested: 'MFA reset requested',
  reset_completed: 'MFA reset by email',
  recovery_email_changed: 'Recovery email changed',
  reauth_succeeded: 'Password confirmed again',
  reauth_failed: 'Wrong password when confirming',
  password_changed: 'Password changed',
  password_change_failed: 'Wrong current password at password change',
  password_reset_requested: 'Password reset requested',
  password_reset_completed: 'Password reset by email',
  email_verified: 'Email address verified',
  email_change_requested: 'New email address asked for',
  email_changed: 'Email address changed',
  email_change_undone: 'Email address change undone',
  // Recorded as an account goes: never shown to anyone (docs/contract.md § Leaving).
  account_deleted: 'Account deleted',
  account_released: 'Account removed: its email was never verified',
  webauthn_added: 'Security key added',
  webauthn_updated: 'Security key changed',
  webauthn_removed: 'Security key removed',
  passkey_login_succeeded: 'Logged in with a passkey',
  webauthn_counter_regressed: 'Security key may be cloned (signature counter went back)',
  logged_out: 'Logged out',
  session_ended: 'A session was ended',
  other_sessions_ended: 'All other sessions were ended',
  device_trusted: 'A browser was trusted for 30 days',
  trusted_device_login_succeeded: 'Logged in on a trusted browser (password only)',
  trusted_device_revoked: 'A trusted browser was revoked',
  trusted_devices_revoked: 'Every trusted browser was revoked',
  admin_user_viewed: 'An administrator looked up this account',
  admin_events_viewed: 'An administrator read this history',
  admin_lockouts_cleared: 'An administrator ended a lockout',
  admin_mfa_reset: 'An administrator turned MFA off',
  admin_sessions_ended: 'An administrator signed out every session',
  admin_user_disabled: 'An administrator disabled this account',
  admin_user_enabled: 'An administrator enabled this account again',
};

const WARNING_EVENTS: ReadonlySet<SecurityEvent['type']> = new Set([
  'login_failed',
  'login_locked',
  'reauth_failed',
  'mfa_auth_failed',
  'second_factor_failed',
  'second_factor_locked',
  'password_change_failed',
  'webauthn_counter_regressed',
]);

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** The user's security events, newest first; reloads when `version` changes. */
export function SecurityEvents({ version }: { version: unknown }) {
  const [events, setEvents] = useState<SecurityEvent[]>();
  const [error, setError] = useState<string>();
  const load = useCallback(() => {
    trpc.user.securityEvents.query().then(
      (result) => {
        setEvents(result.events);
        setError(undefined);
      },
      (failure: unknown) => setError(describeFailure(failure).message),
    );
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the reload trigger
  useEffect(load, [load, version]);

  if (error) return <p role="alert">{error}</p>;
  if (!events) return <p aria-busy="true">Loading events…</p>;
  if (events.length === 0) return <p>No events yet.</p>;
  return (
    <ol className="events" data-testid="security-events">
      {events.map((event) => (
        <li key={event.id} className={WARNING_EVENTS.has(event.type) ? 'event event-warning' : 'event'}>
          <span className="event-type">{EVENT_LABELS[event.type]}</span>
          <span className="event-meta">
            <time dateTime={new Date(event.createdAtMs).toISOString()}>
              {dateFormat.format(event.createdAtMs)}
            </time>
            {event.clientAddress && <> · {event.clientAddress}</>}
          </span>
        </li>
      ))}
    </ol>
  );
}
