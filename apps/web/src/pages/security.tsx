import { useEffect } from 'react';
import { ChangeEmailForm } from '../components/change-email-form.js';
import { EmailVerificationCard } from '../components/email-verification-card.js';
import { LeaveCard } from '../components/leave-card.js';
import { PasswordForm } from '../components/password-form.js';
import { RecoveryCodesCard } from '../components/recovery-codes-card.js';
import { RecoveryEmailForm } from '../components/recovery-email-form.js';
import { SecurityEvents } from '../components/security-events.js';
import { SecurityKeys } from '../components/security-keys.js';
import { SessionsCard } from '../components/sessions-card.js';
import { TrustedDevicesCard } from '../components/trusted-devices-card.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';

/** Profile → Security: account, recovery email, MFA status, the event log, and leaving. */
export function SecurityPage() {
  const session = useSession();
  const profile = session.profile;
  const { setFlash } = session;
  // A confirmation is for the visit that follows it, not for every later one.
  useEffect(() => () => setFlash(undefined), [setFlash]);
  if (!profile) return null;
  return (
    <div className="stack">
      <h1>Security</h1>
      {session.flash && (
        <p role="status" className="notice notice-success">
          {session.flash}
        </p>
      )}
      <section className="card" aria-labelledby="account-title">
        <h2 id="account-title">Account</h2>
        <dl className="facts">
          <dt>Name</dt>
          <dd>{profile.name}</dd>
          <dt>Username</dt>
          <dd data-testid="profile-username">{profile.user}</dd>
          <dt>Email</dt>
          <dd data-testid="profile-email">{profile.email}</dd>
        </dl>
        <ChangeEmailForm />
      </section>

      <section className="card" aria-labelledby="verification-title">
        <h2 id="verification-title">Verified addresses</h2>
        <EmailVerificationCard />
      </section>

      <section className="card" aria-labelledby="mfa-title">
        <div className="card-header">
          <h2 id="mfa-title">Multi-factor authentication</h2>
          <span className={profile.mfa ? 'badge badge-on' : 'badge badge-off'} data-testid="mfa-status">
            {profile.mfa ? 'On' : 'Off'}
          </span>
        </div>
        {profile.mfa ? (
          <>
            <p>
              Logging in asks for a second factor after your password: a code from your authenticator app or
              one of your security keys.
            </p>
            <Link to="/security/disable" className="button button-danger-outline">
              Disable MFA
            </Link>
          </>
        ) : (
          <>
            <p>Protect your account with a code from an authenticator app, in addition to your password.</p>
            <Link to="/security/enable" className="button button-primary">
              Enable MFA
            </Link>
          </>
        )}
      </section>

      {profile.mfa && <RecoveryCodesCard username={profile.user} />}

      <section className="card" aria-labelledby="recovery-title">
        <h2 id="recovery-title">Recovery email</h2>
        <RecoveryEmailForm />
      </section>

      <section className="card" aria-labelledby="keys-title">
        <h2 id="keys-title">Security keys and passkeys</h2>
        <SecurityKeys />
      </section>

      <section className="card" aria-labelledby="password-title">
        <h2 id="password-title">Password</h2>
        <PasswordForm />
      </section>

      <section className="card" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Sessions</h2>
        <SessionsCard />
      </section>

      <section className="card" aria-labelledby="trusted-title">
        <h2 id="trusted-title">Trusted browsers</h2>
        <TrustedDevicesCard version={`${profile.mfa}`} />
      </section>

      <section className="card" aria-labelledby="events-title">
        <h2 id="events-title">Security events</h2>
        <SecurityEvents version={`${profile.mfa}:${profile.recovery_email}:${profile.email}`} />
      </section>

      <section className="card" aria-labelledby="leave-title">
        <h2 id="leave-title">Your data and leaving</h2>
        <LeaveCard />
      </section>
    </div>
  );
}
