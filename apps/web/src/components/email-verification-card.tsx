import { type FormEvent, useState } from 'react';
import { useSession } from '../session.js';
import { trpc } from '../trpc.js';
import { useSubmit } from '../use-submit.js';
import { Field } from './field.js';
import { FormError } from './form-error.js';
import { SubmitButton } from './submit-button.js';

type AddressKind = 'email' | 'recovery_email';

/**
 * Which addresses are verified, a verification mail for the others, and the code it holds (a
 * code of a new main address's mail confirms the change, docs/contract.md § Changing the email).
 * The status is the session's, read again whenever the profile's addresses change.
 */
export function EmailVerificationCard() {
  const session = useSession();
  const status = session.emailStatus;
  const [sentTo, setSentTo] = useState<AddressKind>();
  const [code, setCode] = useState('');
  const send = useSubmit();
  const verify = useSubmit();

  const sendTo = async (address: AddressKind) => {
    const sent = await send.run(async () => {
      await trpc.user.sendEmailVerification.mutate({ address });
      return true;
    });
    if (sent) setSentTo(address);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const next = await verify.run(() => trpc.user.verifyEmail.mutate({ code }));
    if (!next) return;
    await session.updateEmailStatus(next);
    // A code that confirmed a new main address changed the profile.
    if (next.email !== session.profile?.email) await session.refresh();
    setCode('');
    setSentTo(undefined);
  };

  if (!status) return <p className="muted">Loading…</p>;
  const rows: { kind: AddressKind; label: string; address: string; verified: boolean }[] = [
    { kind: 'email', label: 'Email', address: status.email, verified: status.email_verified },
    ...(status.recovery_email
      ? [
          {
            kind: 'recovery_email' as const,
            label: 'Recovery email',
            address: status.recovery_email,
            verified: status.recovery_email_verified,
          },
        ]
      : []),
  ];
  const hasUnverified = rows.some((row) => !row.verified) || status.pending_email !== '';
  return (
    <div className="stack">
      <ul className="verification-list">
        {rows.map((row) => (
          <li key={row.kind} data-testid={`verification-${row.kind}`}>
            {row.label}: {row.address}{' '}
            <span className={row.verified ? 'badge badge-on' : 'badge badge-off'}>
              {row.verified ? 'Verified' : 'Not verified'}
            </span>{' '}
            {!row.verified && (
              <button
                type="button"
                className="button button-secondary"
                disabled={send.isPending}
                onClick={() => sendTo(row.kind)}
              >
                Send verification email
              </button>
            )}
          </li>
        ))}
      </ul>
      <FormError error={send.error} />
      {sentTo && (
        <p role="status" className="notice">
          Sent. Enter the code from the email, or open its link.
        </p>
      )}
      {hasUnverified && (
        <form onSubmit={submit} aria-label="Verify with a code" noValidate>
          <Field
            label="Verification code"
            name="code"
            value={code}
            onChange={(value) => setCode(value.toUpperCase())}
            autoComplete="one-time-code"
            spellCheck={false}
            error={verify.error?.fields.code}
          />
          <FormError error={verify.error} shownFields={['code']} />
          <SubmitButton isPending={verify.isPending} pendingLabel="Verifying…" variant="secondary">
            Verify
          </SubmitButton>
        </form>
      )}
    </div>
  );
}
