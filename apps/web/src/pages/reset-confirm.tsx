import { type FormEvent, useState } from 'react';
import { Field } from '../components/field.js';
import { FormError } from '../components/form-error.js';
import { SubmitButton } from '../components/submit-button.js';
import { Link, navigate } from '../router.js';
import { useSession } from '../session.js';
import { trpc } from '../trpc.js';
import { useSubmit } from '../use-submit.js';

/** Email codes: 5 characters of an alphabet without look-alikes; shown uppercase. */
const normalizeEmailCode = (value: string) =>
  value
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, '')
    .slice(0, 5);

/** `/mfa/reset/<token or user id>`: the page after the request, and the link in both emails. */
export function ResetConfirmPage({ id }: { id: string }) {
  const session = useSession();
  const [mainCode, setMainCode] = useState('');
  const [recoveryCode, setRecoveryCode] = useState('');
  const { run, isPending, error } = useSubmit();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const auth = await run(() =>
      trpc.mfa.reset.mutate({ id, main_email_code: mainCode, recovery_email_code: recoveryCode }),
    );
    if (!auth) return;
    session.signIn(auth);
    session.setRecoveryWindowEndsAt(undefined);
    session.setFlash('MFA was reset and is now off. Enable it again with a new authenticator.');
    navigate('/security');
  };
  const gone = error?.code === 'NOT_FOUND';

  return (
    <form onSubmit={submit} aria-labelledby="reset-confirm-title" noValidate>
      <h1 id="reset-confirm-title">Enter the codes from your email</h1>
      <p role="status" className="notice">
        If the account has MFA and a recovery email, we sent two emails: one to its main address, one to the
        recovery address. Each holds a 5-character code, valid for 24 hours.
      </p>
      <Field
        label="Code sent to your main email"
        name="main_email_code"
        value={mainCode}
        onChange={(value) => setMainCode(normalizeEmailCode(value))}
        autoComplete="one-time-code"
        autoCapitalize="characters"
        spellCheck={false}
        className="mono"
        error={error?.fields.main_email_code}
        required
      />
      <Field
        label="Code sent to your recovery email"
        name="recovery_email_code"
        value={recoveryCode}
        onChange={(value) => setRecoveryCode(normalizeEmailCode(value))}
        autoComplete="one-time-code"
        autoCapitalize="characters"
        spellCheck={false}
        className="mono"
        error={error?.fields.recovery_email_code}
        required
      />
      <FormError error={error} shownFields={['main_email_code', 'recovery_email_code']} />
      {gone ? (
        <Link to="/mfa/reset" className="button button-primary">
          Request new codes
        </Link>
      ) : (
        <SubmitButton isPending={isPending} pendingLabel="Resetting…">
          Reset MFA and log in
        </SubmitButton>
      )}
      <p className="aside">
        No email? Check spam, or <Link to="/mfa/reset">request new codes</Link> (once a minute).
      </p>
    </form>
  );
}
