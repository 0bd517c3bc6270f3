import { useCallback, useState } from 'react';
import { Field } from '../field.js';
import { trpc } from '../trpc.js';
import { useSubmit } from '../use-submit.js';

interface Props {
  onSignedIn(token: string): void;
  onRegister(): void;
}

export function LoginPage({ onSignedIn, onRegister }: Props) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [notice, setNotice] = useState<string>();
  const login = useCallback(() => trpc.auth.login.mutate({ username, password }), [username, password]);
  const { submit, isPending, error } = useSubmit(login, (result) => {
    if (result.status === 'authenticated') onSignedIn(result.auth.token);
    else setNotice('This account uses multi-factor authentication.');
  });
  return (
    <form onSubmit={submit} aria-labelledby="login-title" noValidate>
      <h1 id="login-title">Log in to Twofold</h1>
      <Field
        label="Username or email"
        name="username"
        value={username}
        onChange={setUsername}
        autoComplete="username"
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
      />
      {error && !Object.keys(error.fields).length && (
        <p role="alert" className="form-error">
          {error.message}
        </p>
      )}
      {notice && <p role="status">{notice}</p>}
      <button type="submit" disabled={isPending}>
        {isPending ? 'Logging in…' : 'Log in'}
      </button>
      <button type="button" className="link" onClick={onRegister}>
        Create an account
      </button>
    </form>
  );
}
