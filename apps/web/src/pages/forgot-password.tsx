import { type FormEvent, useState } from 'react';
import { Field } from '../components/field.js';
import { FormError } from '../components/form-error.js';
import { IdentifierField } from '../components/identifier-field.js';
import { NewPasswordField } from '../components/new-password-fields.js';
import { SubmitButton } from '../components/submit-button.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import { trpc } from '../trpc.js';
import { useSubmit } from '../use-submit.js';

export const PASSWORD_RESET_DONE =
  'Your password was reset and every session signed out. Log in with the new one.';

/** "Forgot password?": ask for a mail, then type its code with a new password (or open its link). */
export function ForgotPasswordPage() {
  const [identifier, setIdentifier] = useState('');
  const [isSent, setSent] = useState(false);
  const { run, isPending, error } = useSubmit();

  const request = async (event: FormEvent) => {
    event.preventDefault();
    const sent = await run(async () => {
      await trpc.auth.forgotPassword.mutate({ identifier });
      return true;
    });
    if (sent) setSent(true);
  };

  if (isSent) return <ResetWithCodeForm identifier={identifier} onAskAgain={() => setSent(false)} />;
  return (
    <form onSubmit={request} aria-labelledby="forgot-title" noValidate>
      <h1 id="forgot-title">Forgot your password?</h1>
      <p>Enter your username or email. If it names an account, we email a code and a link to its address.</p>
      <IdentifierField
        name="identifier"
        value={identifier}
        onChange={setIdentifier}
        error={error?.fields.identifier}
      />
      <FormError error={error} shownFields={['identifier']} />
      <SubmitButton isPending={isPending} pendingLabel="Sending…">
        Email me a code
      </SubmitButton>
      <p className="aside">
        Remembered it? <Link to="/login">Log in</Link>
      </p>
    </form>
  );
}

function ResetWithCodeForm({ identifier, onAskAgain }: { identifier: string; onAskAgain(): void }) {
  const session = useSession();
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const { run, isPending, error } = useSubmit();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const done = await run(async () => {
      await trpc.auth.resetPassword.mutate({ identifier, code, password });
      return true;
    });
    if (done) await session.signOut(PASSWORD_RESET_DONE);
  };

  return (
    <form onSubmit={submit} aria-labelledby="forgot-code-title" noValidate>
      <h1 id="forgot-code-title">Check your email</h1>
      <p role="status" className="notice">
        If an account matches, we sent it an 8-character code and a link, valid for 30 minutes. Enter the code
        here, or open the link.
      </p>
      <Field
        label="Code from the email"
        name="code"
        value={code}
        onChange={(value) => setCode(value.toUpperCase())}
        autoComplete="one-time-code"
        autoCapitalize="characters"
        spellCheck={false}
        error={error?.fields.code}
        required
      />
      <NewPasswordField value={password} onChange={setPassword} error={error?.fields.password} />
      <FormError error={error} shownFields={['code', 'password']} />
      <SubmitButton isPending={isPending} pendingLabel="Saving…">
        Set new password
      </SubmitButton>
      <p className="aside">
        No email? Check spam, or{' '}
        <Link to="/password/forgot" onClick={onAskAgain}>
          ask again
        </Link>{' '}
        (once a minute; earlier codes stay valid). With MFA on, logging in still asks for your second factor.
      </p>
    </form>
  );
}
