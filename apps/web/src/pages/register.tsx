import { useCallback, useState } from 'react';
import { Field } from '../field.js';
import { trpc } from '../trpc.js';
import { useSubmit } from '../use-submit.js';

interface Props {
  onSignedIn(token: string): void;
  onLogin(): void;
}

export function RegisterPage({ onSignedIn, onLogin }: Props) {
  const [form, setForm] = useState({ name: '', email: '', username: '', password: '' });
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const register = useCallback(() => trpc.auth.register.mutate(form), [form]);
  const { submit, isPending, error } = useSubmit(register, (auth) => onSignedIn(auth.token));
  return (
    <form onSubmit={submit} aria-labelledby="register-title" noValidate>
      <h1 id="register-title">Create your account</h1>
      <Field
        label="Name"
        name="name"
        value={form.name}
        onChange={set('name')}
        autoComplete="name"
        error={error?.fields.name}
      />
      <Field
        label="Email"
        name="email"
        type="email"
        value={form.email}
        onChange={set('email')}
        autoComplete="email"
        error={error?.fields.email}
      />
      <Field
        label="Username"
        name="username"
        value={form.username}
        onChange={set('username')}
        autoComplete="username"
        error={error?.fields.username}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        value={form.password}
        onChange={set('password')}
        autoComplete="new-password"
        error={error?.fields.password}
      />
      {error && !Object.keys(error.fields).length && (
        <p role="alert" className="form-error">
          {error.message}
        </p>
      )}
      <button type="submit" disabled={isPending}>
        {isPending ? 'Creating…' : 'Create account'}
      </button>
      <button type="button" className="link" onClick={onLogin}>
        I already have an account
      </button>
    </form>
  );
}
