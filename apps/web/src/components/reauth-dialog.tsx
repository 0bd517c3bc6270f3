import { type FormEvent, type ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';
import { useSession } from '../session.js';
import { trpc } from '../trpc.js';
import { setReauthenticationHandler, useSubmit } from '../use-submit.js';
import { getAssertion } from '../webauthn.js';
import { CodeInput } from './code-input.js';
import { Field } from './field.js';
import { FormError } from './form-error.js';
import { SubmitButton } from './submit-button.js';

/** Answers the question a pending call asked: is the session fresh now? */
type Resolve = (isConfirmed: boolean) => void;

/**
 * Asks for the password again (and, while MFA is on, a code from the authenticator or a
 * security key) when the server answers REAUTHENTICATION_REQUIRED, then lets the interrupted
 * call run again.
 */
export function ReauthProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<Resolve>();
  useEffect(() => {
    setReauthenticationHandler(() => new Promise<boolean>((resolve) => setPending(() => resolve)));
    return () => setReauthenticationHandler(undefined);
  }, []);
  const finish = useCallback(
    (isConfirmed: boolean) => {
      pending?.(isConfirmed);
      setPending(undefined);
    },
    [pending],
  );
  return (
    <>
      {children}
      {pending && <ReauthDialog onDone={finish} />}
    </>
  );
}

function ReauthDialog({ onDone }: { onDone: Resolve }) {
  const session = useSession();
  const isMfaOn = session.profile?.mfa ?? false;
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const { run, isPending, error } = useSubmit();

  useEffect(() => {
    const element = dialog.current;
    // Modal: the page behind is inert until the person confirms or cancels.
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  const confirm = async (withCode: string) => {
    const auth = await run(() =>
      // Right after a recovery code the server needs no code: the recovery code was the factor.
      trpc.user.reauth.mutate({ password, ...(isMfaOn && withCode !== '' ? { code: withCode } : {}) }),
    );
    if (!auth) {
      setCode('');
      return;
    }
    session.signIn(auth);
    onDone(true);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void confirm(code);
  };
  // A key instead of a code (docs/contract.md § WebAuthn): users whose only factors are keys.
  const confirmWithKey = async () => {
    const auth = await run(async () => {
      const { options } = await trpc.mfa.webauthn.reauthOptions.mutate();
      const webauthn = await getAssertion(options);
      return trpc.user.reauth.mutate({ password, webauthn });
    });
    if (!auth) return;
    session.signIn(auth);
    onDone(true);
  };

  return (
    <dialog
      ref={dialog}
      className="card reauth-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onDone(false);
      }}
    >
      <form onSubmit={submit} noValidate>
        <h2 id={titleId}>Confirm it's you</h2>
        <p>
          {isMfaOn
            ? 'Enter your password and a code from your authenticator, or use your security key, to continue (no code is needed right after using a recovery code).'
            : 'Enter your password to continue.'}{' '}
          Changes to your sign-in methods and recovery email need a recent confirmation.
        </p>
        <Field
          label="Current password"
          name="password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
          error={error?.fields.password}
          autoFocus
        />
        {isMfaOn && (
          <CodeInput
            label="Code from your authenticator"
            value={code}
            onChange={setCode}
            error={error?.fields.code}
            disabled={isPending}
          />
        )}
        <FormError error={error} shownFields={['password', 'code']} />
        <div className="actions">
          <SubmitButton isPending={isPending} pendingLabel="Confirming…">
            Confirm
          </SubmitButton>
          {isMfaOn && (
            <button
              type="button"
              className="button button-secondary"
              disabled={isPending}
              onClick={() => void confirmWithKey()}
            >
              Use a security key
            </button>
          )}
          <button type="button" className="button button-ghost" onClick={() => onDone(false)}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
