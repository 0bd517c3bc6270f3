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
 * `/email/undo#token=…`: the link mailed to the old address after a change of the main email
 * (docs/contract.md § Changing the email). One click restores it and signs every session out;
 * nothing happens on load, so a mail scanner that opens links undoes nothing.
 */
export function UndoEmailChangePage() {
  const session = useSession();
  const [token] = useState(takeTokenFromFragment);
  const [isDone, setDone] = useState(false);
  const { run, isPending, error } = useSubmit();

  const undo = async () => {
    const done = await run(async () => {
      await trpc.auth.undoEmailChange.mutate({ token });
      return true;
    });
    if (!done) return;
    setDone(true);
    // Every session ended, this browser's too: it now reads as signed out.
    await session.refresh().catch(() => undefined);
  };

  return (
    <div className="stack">
      <h1>Undo the email change</h1>
      {isDone ? (
        <div role="status" className="notice notice-success">
          <p>Your previous email address is back, and every session was signed out.</p>
          <p>
            Whoever changed it knew your password: <Link to="/login">log in</Link> and change your password
            now.
          </p>
        </div>
      ) : token ? (
        <>
          <p>
            The main email address of your account was changed. If you did not do this, restore your previous
            address: every session is signed out.
          </p>
          <button type="button" className="button button-danger" disabled={isPending} onClick={undo}>
            Restore my previous email
          </button>
          <FormError error={error} />
        </>
      ) : (
        <p>This address lacks the part of the link that proves it. Open the link from the email again.</p>
      )}
    </div>
  );
}
