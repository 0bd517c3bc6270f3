import { type FormEvent, useState } from 'react';
import { Field } from '../components/field.js';
import { FormError } from '../components/form-error.js';
import { IdentifierField } from '../components/identifier-field.js';
import { PasskeySignIn } from '../components/passkey-sign-in.js';
import { SubmitButton } from '../components/submit-button.js';
import { Link, navigate } from '../router.js';
import { useSession } from '../session.js';
import { trpc } from '../trpc.js';
import { useSubmit } from '../use-submit.js';

export function LoginPage() {
  const session = useSession();
  const notice = session.state.status === 'anonymous' ? session.state.notice : undefined;
  const [username, setUsername] = useState(session.pendingMfa?.identifier ?? '');
  const [password, setPassword] = useState('');
  const { run, isPending, error } = useSubmit();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await run(() => trpc.auth.login.mutate({ username, password }));
    if (!result) return;
    if (result.status === 'authenticated') {
      session.signIn(result.auth);
      navigate('/security');
    } else {
      session.setPendingMfa({ mfaToken: result.mfaToken, identifier: username });
      navigate('/login/code');
    }
  };

  return (
    <div className="stack">
      <form onSubmit={submit} aria-labelledby="login-title" noValidate>
        <h1 id="login-title">Log in to Twofold</h1>
        {notice && (
          <p role="status" className="notice">
            {notice}
          </p>
        )}
        <IdentifierField
          name="username"
          value={username}
          onChange={setUsername}
          error={error?.fields.username}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
          error={error?.fields.password}
          required
        />
        <p className="aside">
          <Link to="/password/forgot">Forgot password?</Link>
        </p>
        <FormError error={error} shownFields={['username', 'password']} />
        <SubmitButton isPending={isPending} pendingLabel="Logging in…">
          Log in
        </SubmitButton>
      </form>
      <PasskeySignIn />
      <p className="aside">
        New here? <Link to="/register">Create an account</Link>
        <br />
        Lost your authenticator and recovery codes? <Link to="/mfa/reset">Reset MFA by email</Link>
      </p>
    </div>
  );
}
