import { type FormEvent, useState } from 'react';
import { useSession } from '../session.js';
import { trpc } from '../trpc.js';
import { useSubmit } from '../use-submit.js';
import { Field } from './field.js';
import { FormError } from './form-error.js';
import { SubmitButton } from './submit-button.js';

/**
 * Changes the password, always with the current one (docs/contract.md § Accounts): every other
 * session ends, this one continues under the new token the server sets in the cookie.
 */
export function PasswordForm() {
  const session = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeated, setRepeated] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [saved, setSaved] = useState(false);
  const { run, isPending, error } = useSubmit();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    // Checked here only: the server never sees the repetition.
    const isSame = next === repeated;
    setMismatch(!isSame);
    if (!isSame) return;
    const result = await run(() => trpc.user.update.mutate({ password: next, current_password: current }));
    if (!result) return;
    setCurrent('');
    setNext('');
    setRepeated('');
    setSaved(true);
    await session.refresh();
  };

  return (
    <form onSubmit={submit} noValidate className="inline-form" aria-label="Change password">
      <Field
        label="Current password"
        name="current_password"
        type="password"
        value={current}
        onChange={setCurrent}
        autoComplete="current-password"
        error={error?.fields.current_password}
        required
      />
      <Field
        label="New password"
        name="password"
        type="password"
        value={next}
        onChange={setNext}
        autoComplete="new-password"
        hint="8 to 256 characters."
        error={error?.fields.password}
        required
      />
      <Field
        label="Repeat the new password"
        name="password_repeated"
        type="password"
        value={repeated}
        onChange={(value) => {
          setRepeated(value);
          setMismatch(false);
        }}
        autoComplete="new-password"
        error={mismatch ? 'Does not match the new password.' : undefined}
        required
      />
      <FormError error={error} shownFields={['current_password', 'password']} />
      <div className="actions">
        <SubmitButton isPending={isPending} pendingLabel="Changing…" variant="secondary">
          Change password
        </SubmitButton>
        {saved && (
          <span role="status" className="saved">
            Password changed. Your other sessions were signed out.
          </span>
        )}
      </div>
    </form>
  );
}
