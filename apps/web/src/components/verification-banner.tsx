import { useState } from 'react';
import { usePathname } from '../router.js';
import { useSession } from '../session.js';
import { trpc } from '../trpc.js';
import { useSubmit } from '../use-submit.js';

/** Pages where the banner would only repeat what they say. */
const QUIET_PATHS = new Set(['/email/verify', '/email/undo', '/security/enable']);

/**
 * "Verify your email": registration mailed a link to the main address (docs/contract.md §
 * Verified addresses), and until it is used, this says so on every page, with a way to have it
 * sent again. A pending new address is named too: it takes over only once confirmed.
 */
export function VerificationBanner() {
  const session = useSession();
  const pathname = usePathname();
  const status = session.emailStatus;
  const [isSent, setSent] = useState(false);
  const { run, isPending, error } = useSubmit();
  if (!status || QUIET_PATHS.has(pathname.replace(/(.)\/$/, '$1'))) return null;
  const isUnverified = !status.email_verified;
  if (!isUnverified && status.pending_email === '') return null;

  const resend = async () => {
    const sent = await run(async () => {
      await trpc.user.sendEmailVerification.mutate({ address: 'email' });
      return true;
    });
    if (sent) setSent(true);
  };

  return (
    <section
      className="banner banner-warning"
      aria-label="Verify your email"
      data-testid="verification-banner"
    >
      <div>
        {isUnverified && (
          <>
            <p className="banner-title">Verify your email address.</p>
            <p>We sent a link to {status.email}. Open it to confirm that the address is yours.</p>
          </>
        )}
        {status.pending_email !== '' && (
          <p>Your email changes to {status.pending_email} once you open the link we sent there.</p>
        )}
        {isSent && (
          <p role="status" className="saved">
            Sent again. Check your inbox.
          </p>
        )}
        {error && (
          <p role="alert" className="form-error">
            {error.message}
          </p>
        )}
      </div>
      {isUnverified && (
        <button
          type="button"
          className="button button-secondary"
          onClick={resend}
          disabled={isPending}
          aria-busy={isPending}
        >
          {isPending ? 'Sending…' : 'Resend email'}
        </button>
      )}
    </section>
  );
}
