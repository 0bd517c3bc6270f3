import { type FormEvent, useState } from 'react';
import { Field } from '../components/field.js';
import { IdentifierField } from '../components/identifier-field.js';
import { SubmitButton } from '../components/submit-button.js';
import { Link, navigate } from '../router.js';
import { useSession } from '../session.js';
import { trpc } from '../trpc.js';
import { useSubmit } from '../use-submit.js';

/** Log in with one of the recovery codes saved when MFA was enabled. */
export function RecoverPage() {
  const session = useSession();
  const [identifier, setIdentifier] = useState(session.pendingMfa?.identifier ?? '');
  const [recoveryCode, setRecoveryCode] = useState('');
  const { run, isPending, error } = useSubmit();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await run(() => trpc.mfa.recover.mutate({ identifier, recovery_code: recoveryCode }));
    if (!result) return;
    session.signIn(result.auth);
    session.setRecoveryWindowEndsAt(result.expiresAtSeconds);
    navigate('/security');
  };
  const codeError =
    error?.fields.recovery_code ?? (error && !error.fields.identifier ? error.message : undefined);

  return (
    <form onSubmit={submit} aria-labelledby="recover-title" noValidate>
      <h1 id="recover-title">Use a recovery code</h1>
      <p>Each of the recovery codes you saved when you enabled MFA works once.</p>
      <IdentifierField
        name="identifier"
        value={identifier}
        onChange={setIdentifier}
        error={error?.fields.identifier}
      />
      <Field
        label="Recovery code"
        name="recovery_code"
        value={recoveryCode}
        onChange={setRecoveryCode}
        autoComplete="one-time-code"
        autoCapitalize="characters"
        spellCheck={false}
        className="mono"
        hint="16 characters; spaces and dashes are ignored."
        error={codeError}
        required
      />
      <SubmitButton isPending={isPending} pendingLabel="Checking…">
        Log in with recovery code
      </SubmitButton>
      <p className="aside">
        Lost your recovery codes too? <Link to="/mfa/reset">Reset MFA by email</Link>
      </p>
    </form>
  );
}
