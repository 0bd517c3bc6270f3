import { type FormEvent, useState } from 'react';
import { EmailCodeFields } from '../components/email-code-fields.js';
import { FormError } from '../components/form-error.js';
import { SubmitButton } from '../components/submit-button.js';
import { Link, navigate } from '../router.js';
import { useSession } from '../session.js';
import { trpc } from '../trpc.js';
import { useSubmit } from '../use-submit.js';

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

  return (
    <form onSubmit={submit} aria-labelledby="reset-confirm-title" noValidate>
      <h1 id="reset-confirm-title">Enter the codes from your email</h1>
      <p role="status" className="notice">
        If the account has MFA and a recovery email, we sent two emails: one to its main address, one to the
        recovery address. Each holds a 5-character code, valid for 24 hours.
      </p>
      <EmailCodeFields
        mainCode={mainCode}
        recoveryCode={recoveryCode}
        onMainCode={setMainCode}
        onRecoveryCode={setRecoveryCode}
        fields={error?.fields}
      />
      <FormError error={error} shownFields={['main_email_code', 'recovery_email_code']} />
      <SubmitButton isPending={isPending} pendingLabel="Resetting…">
        Reset MFA and log in
      </SubmitButton>
      <p className="aside">
        No email? Check spam, or <Link to="/mfa/reset">request new codes</Link> (once a minute, 5 times a day;
        earlier codes stay valid).
      </p>
    </form>
  );
}
