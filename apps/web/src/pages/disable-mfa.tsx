import { type FormEvent, useState } from 'react';
import { CodeInput, useCodeField } from '../components/code-input.js';
import { EmailCodeFields } from '../components/email-code-fields.js';
import { Field } from '../components/field.js';
import { FormError } from '../components/form-error.js';
import { SubmitButton } from '../components/submit-button.js';
import { Link, navigate } from '../router.js';
import { useSession } from '../session.js';
import { type RouterInputs, trpc } from '../trpc.js';
import { useSubmit } from '../use-submit.js';

type Proof = 'totp' | 'recovery' | 'email';

const PROOFS: readonly { value: Proof; label: string; hint: string }[] = [
  { value: 'totp', label: 'Authenticator code', hint: 'The 6-digit code from your app.' },
  { value: 'recovery', label: 'Recovery code', hint: 'One of your saved codes; it is used up.' },
  { value: 'email', label: 'Codes by email', hint: 'One code to each of your two addresses.' },
];

export function DisableMfaPage() {
  const session = useSession();
  const profile = session.profile;
  const [proof, setProof] = useState<Proof>('totp');
  const { code, setCode, isComplete, incompleteMessage } = useCodeField();
  const [recoveryCode, setRecoveryCode] = useState('');
  const [mainCode, setMainCode] = useState('');
  const [recoveryEmailCode, setRecoveryEmailCode] = useState('');
  const [emailSent, setEmailSent] = useState(false);
  const disabling = useSubmit();
  const mailing = useSubmit();
  if (!profile) return null;

  if (!profile.mfa) {
    return (
      <section className="stack" aria-labelledby="disable-title">
        <h1 id="disable-title">Disable MFA</h1>
        <p className="notice">MFA is off for this account.</p>
        <Link to="/security">Back to security</Link>
      </section>
    );
  }

  const disable = async (input: RouterInputs['mfa']['disable']) => {
    const done = await disabling.run(async () => {
      await trpc.mfa.disable.mutate(input);
      return true;
    });
    if (!done) {
      if (proof === 'totp') setCode('');
      return;
    }
    session.setRecoveryWindowEndsAt(undefined);
    session.setFlash('MFA is now off. Your recovery codes no longer work.');
    await session.refresh();
    navigate('/security');
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (proof === 'totp') {
      if (isComplete()) void disable({ code });
    } else if (proof === 'recovery') void disable({ recovery_code: recoveryCode });
    else void disable({ main_email_code: mainCode, recovery_email_code: recoveryEmailCode });
  };

  const sendEmailCodes = async () => {
    const sent = await mailing.run(() => trpc.mfa.requestReset.mutate({ identifier: profile.user }));
    if (sent) setEmailSent(true);
  };

  const error = disabling.error;
  return (
    <div className="stack">
      <h1 id="disable-title">Disable MFA</h1>
      <form className="card" onSubmit={submit} noValidate aria-labelledby="disable-title">
        <fieldset className="choices">
          <legend>Confirm with</legend>
          {PROOFS.map((option) => (
            <label
              key={option.value}
              className={proof === option.value ? 'choice choice-selected' : 'choice'}
            >
              <input
                type="radio"
                name="proof"
                value={option.value}
                checked={proof === option.value}
                onChange={() => {
                  setProof(option.value);
                  disabling.clearError();
                }}
              />
              <span>
                <span className="choice-label">{option.label}</span>
                <span className="choice-hint">{option.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>

        {proof === 'totp' && (
          <CodeInput
            label="Authentication code"
            value={code}
            onChange={setCode}
            onComplete={(value) => void disable({ code: value })}
            error={error?.fields.code ?? error?.message ?? incompleteMessage}
            disabled={disabling.isPending}
          />
        )}

        {proof === 'recovery' && (
          <Field
            label="Recovery code"
            name="recovery_code"
            value={recoveryCode}
            onChange={setRecoveryCode}
            autoComplete="one-time-code"
            autoCapitalize="characters"
            spellCheck={false}
            className="mono"
            error={error?.fields.recovery_code ?? error?.message}
            required
          />
        )}

        {proof === 'email' && (
          <div className="stack-tight">
            <p>
              We send one code to <strong>{profile.email}</strong> and one to{' '}
              <strong>{profile.recovery_email || 'your recovery email'}</strong>.
            </p>
            <div className="actions">
              <button
                type="button"
                className="button button-secondary"
                onClick={sendEmailCodes}
                disabled={mailing.isPending}
                aria-busy={mailing.isPending}
              >
                {mailing.isPending ? 'Sending…' : emailSent ? 'Send new codes' : 'Email me the codes'}
              </button>
              {emailSent && (
                <span role="status" className="saved">
                  Sent. Check both mailboxes.
                </span>
              )}
            </div>
            <FormError error={mailing.error} />
            <EmailCodeFields
              mainCode={mainCode}
              recoveryCode={recoveryEmailCode}
              onMainCode={setMainCode}
              onRecoveryCode={setRecoveryEmailCode}
              fields={error?.fields}
            />
            <FormError error={error} shownFields={['main_email_code', 'recovery_email_code']} />
          </div>
        )}

        <div className="actions">
          <Link to="/security" className="button button-ghost">
            Cancel
          </Link>
          <SubmitButton isPending={disabling.isPending} pendingLabel="Disabling…" variant="danger">
            Disable MFA
          </SubmitButton>
        </div>
      </form>
    </div>
  );
}
