import { useCallback, useEffect, useState } from 'react';
import { describeFailure, type RouterOutputs, trpc } from '../trpc.js';
import { useSubmit } from '../use-submit.js';
import { FormError } from './form-error.js';

type SessionInfo = RouterOutputs['user']['sessions']['list']['sessions'][number];

/** Exhaustive: a new sign-in method on the server fails this build until it has a label. */
const METHOD_LABELS: Record<SessionInfo['method'], string> = {
  registration: 'Account created',
  password: 'Password',
  password_totp: 'Password and authenticator code',
  password_webauthn: 'Password and security key',
  password_trusted_device: 'Password on a trusted browser',
  passkey: 'Passkey',
  recovery_code: 'Recovery code',
  email_reset: 'MFA reset by email',
};

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The user's signed-in sessions, each with an "End" button, and "End all other sessions". */
export function SessionsCard() {
  const [sessions, setSessions] = useState<SessionInfo[]>();
  const [loadError, setLoadError] = useState<string>();
  const { run, isPending, error } = useSubmit();

  const load = useCallback(() => {
    trpc.user.sessions.list.query().then(
      (result) => {
        setSessions(result.sessions);
        setLoadError(undefined);
      },
      (failure: unknown) => setLoadError(describeFailure(failure).message),
    );
  }, []);
  useEffect(load, [load]);

  const end = async (id: string) => {
    const done = await run(async () => {
      await trpc.user.sessions.end.mutate({ id });
      return true;
    });
    if (done) load();
  };

  const endOthers = async () => {
    const done = await run(() => trpc.user.sessions.endOthers.mutate());
    if (done) load();
  };

  if (loadError) return <p role="alert">{loadError}</p>;
  if (!sessions) return <p aria-busy="true">Loading sessions…</p>;
  const hasOthers = sessions.some((session) => !session.isCurrent);
  return (
    <>
      <ul className="sessions" data-testid="sessions">
        {sessions.map((session) => (
          <li key={session.id} className="session">
            <div className="session-header">
              <span className="session-device">{session.userAgent ?? 'Unknown device'}</span>
              {session.isCurrent && <span className="badge badge-on">This session</span>}
            </div>
            <p className="session-meta">
              {METHOD_LABELS[session.method]} · {session.clientAddress} · Signed in{' '}
              {dateFormat.format(session.createdAtMs)} · Last seen {dateFormat.format(session.lastSeenAtMs)}
            </p>
            {!session.isCurrent && (
              <button
                type="button"
                className="button button-danger-outline"
                disabled={isPending}
                onClick={() => void end(session.id)}
              >
                End
              </button>
            )}
          </li>
        ))}
      </ul>
      <FormError error={error} />
      {hasOthers && (
        <button
          type="button"
          className="button button-secondary"
          disabled={isPending}
          onClick={() => void endOthers()}
        >
          End all other sessions
        </button>
      )}
    </>
  );
}
