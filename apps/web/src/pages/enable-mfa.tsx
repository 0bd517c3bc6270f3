import { type FormEvent, useId, useState } from 'react';
import { CodeInput, useCodeField } from '../components/code-input.js';
import { FormError } from '../components/form-error.js';
import { QrCode } from '../components/qr-code.js';
import { RecoveryCodes } from '../components/recovery-codes.js';
import { RecoveryEmailForm } from '../components/recovery-email-form.js';
import { Stepper } from '../components/stepper.js';
import { SubmitButton } from '../components/submit-button.js';
import { Link, navigate } from '../router.js';
import { useSession } from '../session.js';
import { type RouterOutputs, trpc } from '../trpc.js';
import { useSubmit } from '../use-submit.js';

const STEPS = ['Recovery email', 'Recovery codes', 'Authenticator', 'Done'] as const;

type Enrollment = RouterOutputs['mfa']['generate'];

/** Groups of four, as authenticator apps show secrets. */
const formatSecret = (secret: string) => secret.match(/.{1,4}/g)?.join(' ') ?? secret;

export function EnableMfaPage() {
  const session = useSession();
  const profile = session.profile;
  const [step, setStep] = useState(0);
  const [enrollment, setEnrollment] = useState<Enrollment>();
  const [hasSaved, setSaved] = useState(false);
  const { code, setCode, isComplete, incompleteMessage } = useCodeField();
  const savedId = useId();
  const generation = useSubmit();
  const confirmation = useSubmit();
  if (!profile) return null;

  if (profile.mfa && step < 3) {
    return (
      <section className="stack" aria-labelledby="enable-title">
        <h1 id="enable-title">Enable MFA</h1>
        <p className="notice">MFA is already on for this account.</p>
        <Link to="/security">Back to security</Link>
      </section>
    );
  }

  const generate = async () => {
    const result = await generation.run(() => trpc.mfa.generate.mutate());
    if (!result) return;
    setEnrollment(result);
    setSaved(false);
    setStep(1);
  };

  const confirm = async (value: string) => {
    if (!enrollment) return;
    const done = await confirmation.run(async () => {
      await trpc.mfa.enable.mutate({
        code: value,
        secret: enrollment.secret,
        recovery_codes: enrollment.recovery_codes,
      });
      return true;
    });
    if (!done) {
      setCode('');
      return;
    }
    setStep(3);
    await session.refresh();
  };

  const submitCode = (event: FormEvent) => {
    event.preventDefault();
    if (isComplete()) void confirm(code);
  };

  return (
    <div className="stack">
      <h1 id="enable-title">Enable MFA</h1>
      {profile.mfa_enrollment_required && step < 3 && (
        <p className="notice notice-warning" data-testid="enrolment-required">
          This service requires two-factor authentication. Set it up now to use your account: until then, this
          is the only page open to you. You can also log out and come back later.
        </p>
      )}
      <Stepper steps={STEPS} current={step} />

      {step === 0 && (
        <section className="card" aria-labelledby="step-email">
          <h2 id="step-email">1. Recovery email</h2>
          <p>
            If you ever lose both your authenticator and your recovery codes, we send reset codes to your
            account email and to this recovery email.
          </p>
          <RecoveryEmailForm />
          <FormError error={generation.error} />
          <div className="actions">
            <button
              type="button"
              className="button button-primary"
              onClick={generate}
              disabled={!profile.recovery_email || generation.isPending}
              aria-busy={generation.isPending}
            >
              {generation.isPending ? 'Preparing…' : 'Continue'}
            </button>
            {!profile.recovery_email && <span className="field-hint">Set a recovery email first.</span>}
          </div>
        </section>
      )}

      {step === 1 && enrollment && (
        <section className="card" aria-labelledby="step-codes">
          <h2 id="step-codes">2. Save your recovery codes</h2>
          <p>
            Each code logs you in once if you lose your authenticator.{' '}
            <strong>They are shown only now.</strong> Store them in a password manager or print them.
          </p>
          <RecoveryCodes codes={enrollment.recovery_codes} username={profile.user} />
          <div className="checkbox">
            <input
              id={savedId}
              type="checkbox"
              checked={hasSaved}
              onChange={(e) => setSaved(e.target.checked)}
            />
            <label htmlFor={savedId}>I saved my recovery codes</label>
          </div>
          <div className="actions">
            <button type="button" className="button button-ghost" onClick={() => setStep(0)}>
              Back
            </button>
            <button
              type="button"
              className="button button-primary"
              disabled={!hasSaved}
              onClick={() => setStep(2)}
            >
              Continue
            </button>
          </div>
        </section>
      )}

      {step === 2 && enrollment && (
        <section className="card" aria-labelledby="step-app">
          <h2 id="step-app">3. Add Twofold to your authenticator</h2>
          <div className="enroll">
            <QrCode value={enrollment.link} label="QR code of the authenticator key" />
            <div>
              <p>Scan the QR code with your authenticator app (Aegis, 1Password, Google Authenticator…).</p>
              <p>Can't scan? Enter this key by hand, time-based, 6 digits:</p>
              <code className="secret" data-testid="totp-secret" data-secret={enrollment.secret}>
                {formatSecret(enrollment.secret)}
              </code>
            </div>
          </div>
          <form onSubmit={submitCode} noValidate aria-label="Confirm the authenticator">
            <CodeInput
              label="Code from the app"
              value={code}
              onChange={setCode}
              onComplete={confirm}
              hint="Enter the 6-digit code the app now shows, to confirm it is set up."
              error={confirmation.error?.fields.code ?? confirmation.error?.message ?? incompleteMessage}
              disabled={confirmation.isPending}
              autoFocus
            />
            <div className="actions">
              <button type="button" className="button button-ghost" onClick={() => setStep(1)}>
                Back
              </button>
              <SubmitButton isPending={confirmation.isPending} pendingLabel="Enabling…">
                Enable MFA
              </SubmitButton>
            </div>
          </form>
        </section>
      )}

      {step === 3 && (
        <section className="card" aria-labelledby="step-done">
          <h2 id="step-done">4. Done</h2>
          <p role="status" className="notice notice-success">
            MFA is on. From now on, logging in asks for a code from your authenticator.
          </p>
          <button type="button" className="button button-primary" onClick={() => navigate('/security')}>
            Back to security
          </button>
        </section>
      )}
    </div>
  );
}
