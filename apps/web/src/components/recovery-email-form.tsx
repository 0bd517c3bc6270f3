import { type FormEvent, useState } from 'react';
import { useSession } from '../session.js';
import { trpc } from '../trpc.js';
import { useSubmit } from '../use-submit.js';
import { Field } from './field.js';
import { FormError } from './form-error.js';
import { SubmitButton } from './submit-button.js';

/** Sets or changes the recovery email (it cannot be emptied once set). */
export function RecoveryEmailForm({ onSaved }: { onSaved?(): void }) {
  const session = useSession();
  const current = session.profile?.recovery_email ?? '';
  const [value, setValue] = useState(current);
  const [saved, setSaved] = useState(false);
  const { run, isPending, error } = useSubmit();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const profile = await run(() => trpc.user.update.mutate({ recovery_email: value }));
    if (!profile) return;
    await session.refresh();
    setSaved(true);
    onSaved?.();
  };

  return (
    <form onSubmit={submit} noValidate className="inline-form">
      <Field
        label="Recovery email address"
        name="recovery_email"
        type="email"
        value={value}
        onChange={(next) => {
          setValue(next);
          setSaved(false);
        }}
        autoComplete="email"
        hint="A second address you control, other than your account email. Needed to reset MFA if you lose everything."
        error={error?.fields.recovery_email}
        required
      />
      <FormError error={error} shownFields={['recovery_email']} />
      <div className="actions">
        <SubmitButton
          isPending={isPending}
          pendingLabel="Saving…"
          variant={current ? 'secondary' : 'primary'}
        >
          {current ? 'Change recovery email' : 'Set recovery email'}
        </SubmitButton>
        {saved && (
          <span role="status" className="saved">
            Saved.
          </span>
        )}
      </div>
    </form>
  );
}
