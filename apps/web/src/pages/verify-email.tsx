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
 * `/email/verify#token=…`: the link of a verification mail, or of the mail confirming a new main
 * address. It verifies on a click, not on load, so a mail scanner that opens links verifies nothing.
 */
export function VerifyEmailPage() {
  const session = useSession();
  const [token] = useState(takeTokenFromFragment);
  const [verifiedEmail, setDone] = useState<string>();
  const { run, isPending, error } = useSubmit();

  const verify = async () => {
    const status = await run(() => trpc.auth.verifyEmail.mutate({ token }));
    if (!status) return;
    setDone(status.email);
    // Signed in here too: the banner and the profile (a confirmed new email) follow at once.
    if (session.state.status === 'signed-in') {
      await session.refresh();
      await session.updateEmailStatus().catch(() => undefined);
    }
  };

  const next = session.state.status === 'signed-in' ? '/security' : '/login';
  return (
    <div className="stack">
      <h1>Verify your email address</h1>
      {verifiedEmail !== undefined ? (
        <p role="status" className="notice notice-success">
          Address verified. Your email is {verifiedEmail}. <Link to={next}>Continue</Link>
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
