import { type FormEvent, useId, useState } from 'react';
import { useSession } from '../session.js';
import { type RouterOutputs, trpc } from '../trpc.js';
import { useSubmit } from '../use-submit.js';
import { createCredential } from '../webauthn.js';
import { Field } from './field.js';
import { FormError } from './form-error.js';
import { SubmitButton } from './submit-button.js';

export type AddedKey = RouterOutputs['mfa']['webauthn']['register'];

/**
 * Names a new security key or passkey and registers it. A first second factor turns MFA on,
 * so without MFA the server wants a recovery email first (docs/contract.md § Generate and
 * enable): until it is set, the form says so (the security page's recovery email form sits above).
 */
export function AddSecurityKey({ onAdded }: { onAdded(added: AddedKey): void }) {
  const session = useSession();
  const profile = session.profile;
  const [name, setName] = useState('');
  const [isPasswordless, setPasswordless] = useState(true);
  const [nameError, setNameError] = useState<string>();
  const passwordlessId = useId();
  const { run, isPending, error } = useSubmit();
  if (!profile) return null;

  if (!profile.mfa && !profile.recovery_email) {
    return (
      <p className="notice">
        Adding a key turns MFA on, which needs a recovery email: set a recovery email first (above). It lets
        you reset MFA if you ever lose your keys and recovery codes.
      </p>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // Checked before the key prompt, so nobody touches their key for a form the server refuses.
    if (name.trim() === '') {
      setNameError('Give the key a name, like “YubiKey” or “Laptop”.');
      return;
    }
    setNameError(undefined);
    const added = await run(async () => {
      const { options } = await trpc.mfa.webauthn.registrationOptions.mutate();
      const response = await createCredential(options);
      return trpc.mfa.webauthn.register.mutate({ name, passwordless: isPasswordless, response });
    });
    if (!added) return;
    setName('');
    onAdded(added);
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Add a security key or passkey">
      <Field
        label="Key name"
        name="name"
        value={name}
        onChange={setName}
        maxLength={64}
        hint="A name you will recognise, like “YubiKey” or “Laptop”."
        error={nameError ?? error?.fields.name}
        required
      />
      <div className="stack-tight">
        <div className="checkbox">
          <input
            id={passwordlessId}
            type="checkbox"
            checked={isPasswordless}
            aria-describedby={`${passwordlessId}-hint`}
            onChange={(event) => setPasswordless(event.target.checked)}
          />
          <label htmlFor={passwordlessId}>Allow sign-in with this key alone (passkey)</label>
        </div>
        <p id={`${passwordlessId}-hint`} className="field-hint">
          Then “Sign in with a passkey” needs no password. The key must check your PIN, fingerprint or face.
        </p>
      </div>
      <FormError error={error} shownFields={['name']} />
      <div className="actions">
        <SubmitButton isPending={isPending} pendingLabel="Waiting for your key…">
          Add security key
        </SubmitButton>
      </div>
    </form>
  );
}
