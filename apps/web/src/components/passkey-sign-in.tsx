import { navigate } from '../router.js';
import { useSession } from '../session.js';
import { trpc } from '../trpc.js';
import { useSubmit } from '../use-submit.js';
import { getAssertion } from '../webauthn.js';
import { FormError } from './form-error.js';

/**
 * "Sign in with a passkey": no username, no password. The browser offers the passkeys it holds
 * for this site; the server accepts one the user allowed for it (docs/contract.md § WebAuthn).
 */
export function PasskeySignIn() {
  const session = useSession();
  const { run, isPending, error } = useSubmit();

  const signIn = async () => {
    const auth = await run(async () => {
      const { options } = await trpc.mfa.webauthn.loginOptions.mutate();
      const response = await getAssertion(options);
      return trpc.mfa.webauthn.login.mutate({ response });
    });
    if (!auth) return;
    session.signIn(auth);
    navigate('/security');
  };

  return (
    <div className="stack-tight">
      <p className="divider">
        <span>or</span>
      </p>
      <button
        type="button"
        className="button button-secondary"
        onClick={signIn}
        disabled={isPending}
        aria-busy={isPending}
      >
        {isPending ? 'Waiting for your passkey…' : 'Sign in with a passkey'}
      </button>
      <FormError error={error} />
    </div>
  );
}
