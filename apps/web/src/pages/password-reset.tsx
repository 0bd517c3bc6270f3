import { type FormEvent, useState } from 'react';
import { FormError } from '../components/form-error.js';
import { NewPasswordField } from '../components/new-password-fields.js';
import { SubmitButton } from '../components/submit-button.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import { trpc } from '../trpc.js';
import { useSubmit } from '../use-submit.js';
import { PASSWORD_RESET_DONE } from './forgot-password.js';

/** The token of the emailed link rides in the fragment (`#token=…`), which never reaches a server. */
function takeTokenFromFragment(): string {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
  // Out of the address bar and the history once read.
  if (token) window.history.replaceState(null, '', window.location.pathname);
  return token;
}

/** `/password/reset#token=…`: the link of a forgot-password email. */
export function PasswordResetPage() {
  const session = useSession();
  const [token] = useState(takeTokenFromFragment);
  const [password, setPassword] = useState('');
  const { run, isPending, error } = useSubmit();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const done = await run(async () => {
      await trpc.auth.resetPassword.mutate({ token, password });
      return true;
    });
    if (done) await session.signOut(PASSWORD_RESET_DONE);
  };

  if (!token) {
    return (
      <div className="stack">
        <h1>Reset link incomplete</h1>
        <p>
          This address lacks the part of the link that proves the email. Open the link from the email again,
          or <Link to="/password/forgot">enter the code instead</Link>.
        </p>
      </div>
    );
  }
  return (
    <form onSubmit={submit} aria-labelledby="password-reset-title" noValidate>
      <h1 id="password-reset-title">Choose a new password</h1>
      <NewPasswordField value={password} onChange={setPassword} error={error?.fields.password} />
      <FormError error={error} shownFields={['password']} />
      <SubmitButton isPending={isPending} pendingLabel="Saving…">
        Set new password
      </SubmitButton>
      <p className="aside">
        Link expired or used? <Link to="/password/forgot">Ask for a new one</Link>. With MFA on, logging in
        still asks for your second factor.
      </p>
    </form>
  );
}
