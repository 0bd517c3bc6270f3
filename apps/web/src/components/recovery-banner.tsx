import { useSession } from '../session.js';
import { trpc } from '../trpc.js';
import { useSubmit } from '../use-submit.js';
import { Countdown, useSecondsLeft } from './countdown.js';

/**
 * After a login with a recovery code, MFA can be disabled without another proof for 10
 * minutes (the window's end comes from mfa.recover's `expiresAtSeconds`).
 */
export function RecoveryBanner() {
  const session = useSession();
  const endsAt = session.recoveryWindowEndsAt;
  const left = useSecondsLeft(endsAt);
  const { run, isPending, error } = useSubmit();
  if (endsAt === undefined || !session.profile?.mfa) return null;

  const disableNow = async () => {
    const done = await run(async () => {
      await trpc.mfa.disable.mutate({});
      return true;
    });
    if (!done) return;
    session.setRecoveryWindowEndsAt(undefined);
    session.setFlash('MFA is now off. Enable it again when you have a new authenticator.');
    await session.refresh();
  };

  if (left === 0) {
    return (
      <section className="banner banner-muted" aria-label="Recovery window">
        <p>
          The recovery window has closed. To disable MFA now, use a code from your authenticator, another
          recovery code, or codes sent by email.
        </p>
        <button
          type="button"
          className="button button-ghost"
          onClick={() => session.setRecoveryWindowEndsAt(undefined)}
        >
          Dismiss
        </button>
      </section>
    );
  }
  return (
    <section className="banner banner-warning" aria-label="Recovery window" data-testid="recovery-banner">
      <div>
        <p className="banner-title">You signed in with a recovery code.</p>
        <p>
          For <Countdown endsAt={endsAt} /> you can disable MFA without another code — for example if you lost
          your authenticator. That recovery code is now used up.
        </p>
        {error && (
          <p role="alert" className="form-error">
            {error.message}
          </p>
        )}
      </div>
      <button
        type="button"
        className="button button-danger"
        onClick={disableNow}
        disabled={isPending}
        aria-busy={isPending}
      >
        {isPending ? 'Disabling…' : 'Disable MFA now'}
      </button>
    </section>
  );
}
