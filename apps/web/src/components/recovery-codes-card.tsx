import { useCallback, useEffect, useState } from 'react';
import { describeFailure, type RouterOutputs, trpc } from '../trpc.js';
import { useSubmit } from '../use-submit.js';
import { FormError } from './form-error.js';
import { RecoveryCodes } from './recovery-codes.js';
import { SubmitButton } from './submit-button.js';

type Status = RouterOutputs['mfa']['recoveryCodes']['status'];

/**
 * How many recovery codes are left, a warning while few are (docs/contract.md § Recovery
 * codes), and a new set on request, shown once. Asking for one confirms the password and a
 * code first when the session is not fresh (use-submit.ts).
 */
export function RecoveryCodesCard({ username }: { username: string }) {
  const [status, setStatus] = useState<Status>();
  const [loadError, setLoadError] = useState<string>();
  const [fresh, setFresh] = useState<readonly string[]>();
  const [isConfirming, setConfirming] = useState(false);
  const { run, isPending, error } = useSubmit();

  const load = useCallback(() => {
    trpc.mfa.recoveryCodes.status.query().then(
      (result) => {
        setStatus(result);
        setLoadError(undefined);
      },
      (failure: unknown) => setLoadError(describeFailure(failure).message),
    );
  }, []);
  useEffect(load, [load]);

  const regenerate = async () => {
    const result = await run(() => trpc.mfa.recoveryCodes.regenerate.mutate());
    if (!result) return;
    setConfirming(false);
    setFresh(result.recovery_codes);
    load();
  };

  return (
    <section className="card" aria-labelledby="codes-title">
      <h2 id="codes-title">Recovery codes</h2>
      {loadError && <p className="field-error">{loadError}</p>}
      {status && (
        <p data-testid="recovery-codes-left">
          {status.unused} unused recovery code{status.unused === 1 ? '' : 's'} left.
        </p>
      )}
      {status?.low && !fresh && (
        <p role="status" className="notice notice-warning">
          You are running out of recovery codes. Generate new ones so you can still sign in without your
          authenticator.
        </p>
      )}
      {fresh ? (
        <>
          <p role="status" className="notice notice-success">
            New recovery codes. Save them now: they are shown only once, and your earlier codes no longer
            work.
          </p>
          <RecoveryCodes codes={fresh} username={username} />
        </>
      ) : isConfirming ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void regenerate();
          }}
        >
          <p>Every recovery code you have now stops working, used or not.</p>
          <FormError error={error} shownFields={[]} />
          <div className="actions">
            <SubmitButton isPending={isPending} pendingLabel="Generating…">
              Replace my recovery codes
            </SubmitButton>
            <button type="button" className="button button-ghost" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <button type="button" className="button button-secondary" onClick={() => setConfirming(true)}>
          Generate new recovery codes
        </button>
      )}
    </section>
  );
}
