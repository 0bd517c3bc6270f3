import { type FormEvent, useState } from 'react';
import { Field } from '../components/field.js';
import { FormError } from '../components/form-error.js';
import { SubmitButton } from '../components/submit-button.js';
import { Link, navigate } from '../router.js';
import { useSession } from '../session.js';
import { trpc } from '../trpc.js';
import { useSubmit } from '../use-submit.js';

const FIELDS = ['name', 'email', 'username', 'password'] as const;

export function RegisterPage() {
  const session = useSession();
  const [form, setForm] = useState({ name: '', email: '', username: '', password: '' });
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const { run, isPending, error } = useSubmit();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const auth = await run(() => trpc.auth.register.mutate(form));
    if (!auth) return;
    session.signIn(auth);
    navigate('/security');
  };

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
        required
      />
      <Field
        label="Email"
        name="email"
        type="email"
        value={form.email}
        onChange={set('email')}
        autoComplete="email"
        error={error?.fields.email}
        required
      />
      <Field
        label="Username"
        name="username"
        value={form.username}
        onChange={set('username')}
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        hint="3 to 32 characters: a–z, 0–9, . _ @ -"
        error={error?.fields.username}
        required
      />
      <Field
        label="Password"
        name="password"
        type="password"
        value={form.password}
        onChange={set('password')}
        autoComplete="new-password"
        hint="At least 8 characters. A passphrase is best."
        error={error?.fields.password}
        required
      />
      <FormError error={error} shownFields={FIELDS} />
      <SubmitButton isPending={isPending} pendingLabel="Creating account…">
        Create account
      </SubmitButton>
      <p className="aside">
        Already have an account? <Link to="/login">Log in</Link>
      </p>
    </form>
  );
}
