import { useState } from 'react';
import { FormError } from '../components/form-error.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import { trpc } from '../trpc.js';
import { useSubmit } from '../use-submit.js';

/** The token of the emailed link rides in the fragment (`#token=…`), which never reaches a server. */
function takeTokenFromFragment(): string {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
  if (token) window.history.replaceState(null, '', window.location.pathname);
  return token;
}

/**
 * `/email/verify#token=…`: the link of a verification mail. It verifies on a click, not on
 * load, so a mail scanner that opens links verifies nothing.
 */
export function VerifyEmailPage() {
  const session = useSession();
  const [token] = useState(takeTokenFromFragment);
  const [isDone, setDone] = useState(false);
  const { run, isPending, error } = useSubmit();

  const verify = async () => {
    const status = await run(() => trpc.auth.verifyEmail.mutate({ token }));
    if (status) setDone(true);
  };

  const next = session.state.status === 'signed-in' ? '/security' : '/login';
  return (
    <div className="stack">
      <h1>Verify your email address</h1>
      {isDone ? (
        <p role="status" className="notice notice-success">
          Address verified. <Link to={next}>Continue</Link>
        </p>
      ) : token ? (
        <>
          <p>Confirm that this address belongs to your account.</p>
          <button type="button" className="button button-primary" disabled={isPending} onClick={verify}>
            Verify this address
          </button>
          <FormError error={error} />
        </>
      ) : (
        <p>
          This address lacks the part of the link that proves the email. Open the link from the email again.
        </p>
      )}
    </div>
  );
}
