import { type FormEvent, useState } from 'react';
import { downloadText } from '../download.js';
import { useSession } from '../session.js';
import { type RouterInputs, trpc } from '../trpc.js';
import { useSubmit } from '../use-submit.js';
import { getAssertion } from '../webauthn.js';
import { Field } from './field.js';
import { FormError } from './form-error.js';
import { SubmitButton } from './submit-button.js';

type DeleteInput = RouterInputs['user']['delete'];

/** Six digits are an authenticator's code; anything else is taken for a recovery code. */
const proofOf = (typed: string): DeleteInput => {
  const value = typed.trim();
  if (value === '') return {};
  return /^\d{6}$/.test(value) ? { code: value } : { recovery_code: value };
};

/**
 * Leaving (docs/contract.md § Leaving): a download of everything the account holds, and its
 * deletion for good, which asks for the username as a confirmation and, with MFA on, a second
 * factor given with the request (a confirmation of the password comes first when the session
 * is not fresh).
 */
export function LeaveCard() {
  const session = useSession();
  const profile = session.profile;
  const exporting = useSubmit();
  const deleting = useSubmit();
  const [confirmation, setConfirmation] = useState('');
  const [proof, setProof] = useState('');
  const [mismatch, setMismatch] = useState(false);
  if (!profile) return null;

  const download = async () => {
    const data = await exporting.run(() => trpc.user.export.query());
    if (!data) return;
    downloadText(
      `twofold-account-${profile.user}.json`,
      `${JSON.stringify(data, null, 2)}\n`,
      'application/json;charset=utf-8',
    );
  };

  const finish = async (result: true | undefined) => {
    if (!result) return;
    await session.signOut('Your account was deleted.');
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const isConfirmed = confirmation.trim().toLowerCase() === profile.user;
    setMismatch(!isConfirmed);
    if (!isConfirmed) return;
    await finish(
      await deleting.run(async () => {
        await trpc.user.delete.mutate(proofOf(proof));
        return true as const;
      }),
    );
  };

  // A key instead of a code (docs/contract.md § WebAuthn): for users whose factors are keys.
  const deleteWithKey = async () => {
    const isConfirmed = confirmation.trim().toLowerCase() === profile.user;
    setMismatch(!isConfirmed);
    if (!isConfirmed) return;
    await finish(
      await deleting.run(async () => {
        const { options } = await trpc.mfa.webauthn.reauthOptions.mutate();
        await trpc.user.delete.mutate({ webauthn: await getAssertion(options) });
        return true as const;
      }),
    );
  };

  return (
    <div className="stack">
      <p>
        Download what your account holds: your profile, your sign-in methods (never their secrets), your
        sessions and your security events, as a JSON file.
      </p>
      <div className="actions">
        <button
          type="button"
          className="button button-secondary"
          onClick={download}
          disabled={exporting.isPending}
          aria-busy={exporting.isPending}
        >
          {exporting.isPending ? 'Preparing…' : 'Download your data'}
        </button>
      </div>
      <FormError error={exporting.error} />

      <form onSubmit={submit} noValidate className="inline-form" aria-label="Delete account">
        <p>
          Deleting your account removes it with its sign-in methods, recovery codes and sessions, for good.
          Your security history is kept without anything that names you.
        </p>
        <Field
          label="Type your username to confirm"
          name="confirm_username"
          value={confirmation}
          onChange={(value) => {
            setConfirmation(value);
            setMismatch(false);
          }}
          autoComplete="off"
          spellCheck={false}
          error={mismatch ? `Type ${profile.user} to confirm.` : undefined}
          required
        />
        {profile.mfa && (
          <Field
            label="Code from your authenticator, or a recovery code"
            name="code"
            value={proof}
            onChange={setProof}
            autoComplete="one-time-code"
            spellCheck={false}
            hint="A code you have not used yet: after confirming your password, wait for the next one."
            error={deleting.error?.fields.code ?? deleting.error?.fields.recovery_code}
          />
        )}
        <FormError error={deleting.error} shownFields={['code', 'recovery_code']} />
        <div className="actions">
          <SubmitButton isPending={deleting.isPending} pendingLabel="Deleting…" variant="danger">
            Delete my account
          </SubmitButton>
          {profile.mfa && (
            <button
              type="button"
              className="button button-danger-outline"
              disabled={deleting.isPending}
              onClick={() => void deleteWithKey()}
            >
              Delete with a security key
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
