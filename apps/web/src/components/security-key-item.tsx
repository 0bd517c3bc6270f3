import { type FormEvent, useId, useState } from 'react';
import { type RouterOutputs, trpc } from '../trpc.js';
import { useSubmit } from '../use-submit.js';
import { Field } from './field.js';
import { FormError } from './form-error.js';
import { SubmitButton } from './submit-button.js';

export type SecurityKey = RouterOutputs['mfa']['webauthn']['list']['credentials'][number];

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

interface SecurityKeyItemProps {
  credential: SecurityKey;
  onChanged(): void;
  onRemoved(credential: SecurityKey): void;
}

type Mode = 'view' | 'rename' | 'remove';

/** One key: its facts, the passkey choice, rename and remove (with a confirmation). */
export function SecurityKeyItem({ credential, onChanged, onRemoved }: SecurityKeyItemProps) {
  const [mode, setMode] = useState<Mode>('view');
  const [name, setName] = useState(credential.name);
  const titleId = useId();
  const passwordlessId = useId();
  const { run, isPending, error, clearError } = useSubmit();

  const switchTo = (next: Mode) => {
    clearError();
    setName(credential.name);
    setMode(next);
  };

  const rename = async (event: FormEvent) => {
    event.preventDefault();
    const saved = await run(() => trpc.mfa.webauthn.update.mutate({ id: credential.id, name }));
    if (!saved) return;
    setMode('view');
    onChanged();
  };

  // Allowing passwordless sign-in widens what the key can do: the server may ask to confirm it's you.
  const setPasswordless = async (passwordless: boolean) => {
    const saved = await run(() => trpc.mfa.webauthn.update.mutate({ id: credential.id, passwordless }));
    if (saved) onChanged();
  };

  const remove = async () => {
    const done = await run(async () => {
      await trpc.mfa.webauthn.remove.mutate({ id: credential.id });
      return true;
    });
    if (done) onRemoved(credential);
  };

  return (
    <li className="key" aria-labelledby={titleId}>
      <div className="key-header">
        <span id={titleId} className="key-name">
          {credential.name}
        </span>
        {credential.passwordless && <span className="badge badge-on">Passkey</span>}
        {credential.backedUp && <span className="badge">Synced</span>}
      </div>
      <p className="key-meta">
        Added {dateFormat.format(credential.createdAtMs)} · Last used{' '}
        {credential.lastUsedAtMs === null ? 'never' : dateFormat.format(credential.lastUsedAtMs)}
      </p>

      {mode === 'view' && (
        <>
          <div className="checkbox">
            <input
              id={passwordlessId}
              type="checkbox"
              checked={credential.passwordless}
              disabled={isPending}
              onChange={(event) => void setPasswordless(event.target.checked)}
            />
            <label htmlFor={passwordlessId}>Passwordless sign-in with {credential.name}</label>
          </div>
          <FormError error={error} />
          <div className="actions">
            <button type="button" className="button button-secondary" onClick={() => switchTo('rename')}>
              Rename
            </button>
            <button type="button" className="button button-danger-outline" onClick={() => switchTo('remove')}>
              Remove
            </button>
          </div>
        </>
      )}

      {mode === 'rename' && (
        <form onSubmit={rename} noValidate aria-label={`Rename ${credential.name}`}>
          <Field
            label="New name"
            name="name"
            value={name}
            onChange={setName}
            maxLength={64}
            error={error?.fields.name}
            autoFocus
            required
          />
          <FormError error={error} shownFields={['name']} />
          <div className="actions">
            <SubmitButton isPending={isPending} pendingLabel="Saving…" variant="secondary">
              Save name
            </SubmitButton>
            <button type="button" className="button button-ghost" onClick={() => switchTo('view')}>
              Cancel
            </button>
          </div>
        </form>
      )}

      {mode === 'remove' && (
        <div className="stack-tight">
          <p className="notice">
            Remove <strong>{credential.name}</strong>? It can no longer sign you in. If it is your last second
            factor, MFA turns off and your recovery codes stop working.
          </p>
          <FormError error={error} />
          <div className="actions">
            <button
              type="button"
              className="button button-danger"
              onClick={remove}
              disabled={isPending}
              aria-busy={isPending}
            >
              {isPending ? 'Removing…' : 'Remove key'}
            </button>
            <button type="button" className="button button-ghost" onClick={() => switchTo('view')}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </li>
  );
}
