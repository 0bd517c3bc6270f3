import { type FormEvent, useState } from 'react';
import { FormError } from '../components/form-error.js';
import { IdentifierField } from '../components/identifier-field.js';
import { SubmitButton } from '../components/submit-button.js';
import { navigate } from '../router.js';
import { useSession } from '../session.js';
import { trpc } from '../trpc.js';
import { useSubmit } from '../use-submit.js';

/** Lost both the authenticator and the recovery codes: prove both mailboxes instead. */
export function ResetRequestPage() {
  const session = useSession();
  const [identifier, setIdentifier] = useState(session.pendingMfa?.identifier ?? '');
  const { run, isPending, error } = useSubmit();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await run(() => trpc.mfa.requestReset.mutate({ identifier }));
    if (result) navigate(`/mfa/reset/${encodeURIComponent(result.token)}`, { replace: false });
  };

  return (
    <form onSubmit={submit} aria-labelledby="reset-title" noValidate>
      <h1 id="reset-title">Reset MFA by email</h1>
      <p>
        We send one code to your account's email and another to your recovery email. Enter both to turn MFA
        off and log in.
      </p>
      <IdentifierField
        name="identifier"
        value={identifier}
        onChange={setIdentifier}
        error={error?.fields.identifier}
      />
      <FormError error={error} shownFields={['identifier']} />
      <SubmitButton isPending={isPending} pendingLabel="Sending…">
        Email me the codes
      </SubmitButton>
    </form>
  );
}
