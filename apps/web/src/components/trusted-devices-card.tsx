import { useCallback, useEffect, useState } from 'react';
import { describeFailure, type RouterOutputs, trpc } from '../trpc.js';
import { useSubmit } from '../use-submit.js';
import { FormError } from './form-error.js';

type TrustedDevice = RouterOutputs['user']['trustedDevices']['list']['devices'][number];

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * The browsers trusted at the second step (the password alone signs in there), each with
 * "Revoke"; reloads when `version` changes (turning MFA off revokes them all).
 */
export function TrustedDevicesCard({ version }: { version: unknown }) {
  const [devices, setDevices] = useState<TrustedDevice[]>();
  const [loadError, setLoadError] = useState<string>();
  const { run, isPending, error } = useSubmit();

  const load = useCallback(() => {
    trpc.user.trustedDevices.list.query().then(
      (result) => {
        setDevices(result.devices);
        setLoadError(undefined);
      },
      (failure: unknown) => setLoadError(describeFailure(failure).message),
    );
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the reload trigger
  useEffect(load, [load, version]);

  const revoke = async (id: string) => {
    const done = await run(async () => {
      await trpc.user.trustedDevices.revoke.mutate({ id });
      return true;
    });
    if (done) load();
  };

  if (loadError) return <p role="alert">{loadError}</p>;
  if (!devices) return <p aria-busy="true">Loading trusted browsers…</p>;
  if (devices.length === 0) {
    return <p>None. Tick “Trust this browser for 30 days” at the second login step to add one.</p>;
  }
  return (
    <>
      <p>On these browsers your password alone signs you in, until the date shown.</p>
      <ul className="sessions" aria-label="Your trusted browsers" data-testid="trusted-devices">
        {devices.map((device) => (
          <li key={device.id} className="session">
            <div className="session-header">
              <span className="session-device">{device.userAgent ?? 'Unknown browser'}</span>
              {device.isCurrent && <span className="badge badge-on">This browser</span>}
            </div>
            <p className="session-meta">
              {device.clientAddress} · Trusted {dateFormat.format(device.createdAtMs)} ·{' '}
              {device.lastUsedAtMs === null
                ? 'Not used yet'
                : `Last used ${dateFormat.format(device.lastUsedAtMs)}`}{' '}
              · Until {dateFormat.format(device.expiresAtMs)}
            </p>
            <button
              type="button"
              className="button button-danger-outline"
              disabled={isPending}
              onClick={() => void revoke(device.id)}
            >
              Revoke
            </button>
          </li>
        ))}
      </ul>
      <FormError error={error} />
    </>
  );
}
