import { type FormEvent, useId, useState } from 'react';
import { CodeInput, TOTP_DIGITS, useCodeField } from '../components/code-input.js';
import { FormError } from '../components/form-error.js';
import { SubmitButton } from '../components/submit-button.js';
import { Link, navigate } from '../router.js';
import { useSession } from '../session.js';
import { trpc } from '../trpc.js';
import { useSubmit } from '../use-submit.js';
import { getAssertion } from '../webauthn.js';

/** The second step of a login: the code from the authenticator app, or a security key. */
export function LoginCodePage() {
  const session = useSession();
  const pending = session.pendingMfa;
  const { code, setCode, isComplete, incompleteMessage } = useCodeField();
  const { run, isPending, error } = useSubmit();
  const keyStep = useSubmit();
  const [isTrusting, setTrusting] = useState(false);
  const trustId = useId();

  if (!pending) {
    return (
      <section aria-labelledby="code-title">
        <h1 id="code-title">Enter your code</h1>
        <p>This sign-in has expired or was already used. Start again with your password.</p>
        <Link to="/login" className="button button-primary">
          Back to log in
        </Link>
      </section>
    );
  }

  const verify = async (value: string) => {
    const auth = await run(() =>
      trpc.mfa.auth.mutate({ token: pending.mfaToken, code: value, trust_device: isTrusting }),
    );
    if (!auth) {
      setCode('');
      return;
    }
    session.signIn(auth);
    navigate('/security');
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (isComplete()) void verify(code);
  };
  const verifyWithKey = async () => {
    const auth = await keyStep.run(async () => {
      const { options } = await trpc.mfa.webauthn.authOptions.mutate({ token: pending.mfaToken });
      const response = await getAssertion(options);
      return trpc.mfa.webauthn.auth.mutate({ token: pending.mfaToken, response, trust_device: isTrusting });
    });
    if (!auth) return;
    session.signIn(auth);
    navigate('/security');
  };
  const tokenGone = error?.code === 'INVALID_MFA_TOKEN' || keyStep.error?.code === 'INVALID_MFA_TOKEN';

  return (
    <form onSubmit={submit} aria-labelledby="code-title" noValidate>
      <h1 id="code-title">Two-factor authentication</h1>
      <p>
        Open your authenticator app and enter the {TOTP_DIGITS}-digit code for{' '}
        <strong>{pending.identifier}</strong>.
      </p>
      <CodeInput
        label="Authentication code"
        value={code}
        onChange={setCode}
        onComplete={verify}
        error={error?.fields.code ?? error?.message ?? incompleteMessage}
        disabled={isPending}
        autoFocus
      />
      <div className="stack-tight">
        <div className="checkbox">
          <input
            id={trustId}
            type="checkbox"
            checked={isTrusting}
            aria-describedby={`${trustId}-hint`}
            onChange={(event) => setTrusting(event.target.checked)}
          />
          <label htmlFor={trustId}>Trust this browser for 30 days</label>
        </div>
        <p id={`${trustId}-hint`} className="field-hint">
          Your password alone will sign you in on this browser. Tick it only on a device you alone use.
        </p>
      </div>
      {tokenGone ? (
        <Link to="/login" className="button button-primary">
          Log in again
        </Link>
      ) : (
        <SubmitButton isPending={isPending} pendingLabel="Verifying…">
          Verify
        </SubmitButton>
      )}
      <div className="stack-tight">
        <p className="divider">
          <span>or</span>
        </p>
        <button
          type="button"
          className="button button-secondary"
          onClick={verifyWithKey}
          disabled={keyStep.isPending}
          aria-busy={keyStep.isPending}
        >
          {keyStep.isPending ? 'Waiting for your key…' : 'Use a security key'}
        </button>
        <FormError error={keyStep.error} />
      </div>
      <p className="aside">
        No access to your authenticator? <Link to="/recover">Use a recovery code</Link>
      </p>
    </form>
  );
}
