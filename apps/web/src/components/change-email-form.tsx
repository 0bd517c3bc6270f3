import { type FormEvent, useState } from 'react';
import { useSession } from '../session.js';
import { trpc } from '../trpc.js';
import { useSubmit } from '../use-submit.js';
import { Field } from './field.js';
import { FormError } from './form-error.js';
import { SubmitButton } from './submit-button.js';

/**
 * Asks to make another address the main email (docs/contract.md § Changing the email): the new
 * address gets a link and takes over once it is opened; until then nothing changes.
 */
export function ChangeEmailForm() {
  const session = useSession();
  const [value, setValue] = useState('');
  const { run, isPending, error } = useSubmit();
  const pending = session.emailStatus?.pending_email ?? '';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const status = await run(() => trpc.user.changeEmail.mutate({ email: value }));
    if (!status) return;
    await session.updateEmailStatus(status);
    setValue('');
  };

  return (
    <form onSubmit={submit} noValidate className="inline-form" aria-label="Change email">
      <Field
        label="New email address"
        name="email"
        type="email"
        value={value}
        onChange={setValue}
        autoComplete="email"
        hint="We send a link to the new address; your email changes once you open it. The current address is told and can undo the change for 7 days."
        error={error?.fields.email}
        required
      />
      <FormError error={error} shownFields={['email']} />
      <div className="actions">
        <SubmitButton isPending={isPending} pendingLabel="Sending…" variant="secondary">
          Change email
        </SubmitButton>
        {pending !== '' && (
          <span role="status" className="saved" data-testid="pending-email">
            Waiting for you to open the link sent to {pending}.
          </span>
        )}
      </div>
    </form>
  );
}
