import { useCallback, useEffect, useId, useState } from 'react';
import { useSession } from '../session.js';
import { describeFailure, trpc } from '../trpc.js';
import { type AddedKey, AddSecurityKey } from './add-security-key.js';
import { RecoveryCodes } from './recovery-codes.js';
import { type SecurityKey, SecurityKeyItem } from './security-key-item.js';

/** The recovery codes a first key made: shown once, until the person says they saved them. */
function NewRecoveryCodes({ codes, onDone }: { codes: readonly string[]; onDone(): void }) {
  const session = useSession();
  const [hasSaved, setSaved] = useState(false);
  const savedId = useId();
  return (
    <section className="stack-tight" aria-labelledby={`${savedId}-title`}>
      <h3 id={`${savedId}-title`}>Save your recovery codes</h3>
      <p>
        Each code logs you in once if you lose your keys. <strong>They are shown only now.</strong> Store them
        in a password manager or print them.
      </p>
      <RecoveryCodes codes={codes} username={session.profile?.user ?? ''} />
      <div className="checkbox">
        <input id={savedId} type="checkbox" checked={hasSaved} onChange={(e) => setSaved(e.target.checked)} />
        <label htmlFor={savedId}>I saved my recovery codes</label>
      </div>
      <div className="actions">
        <button type="button" className="button button-primary" disabled={!hasSaved} onClick={onDone}>
          Done
        </button>
      </div>
    </section>
  );
}

/** Security keys and passkeys (docs/contract.md § WebAuthn): list, add, rename, passkey choice, remove. */
export function SecurityKeys() {
  const session = useSession();
  const { refresh } = session;
  const [keys, setKeys] = useState<SecurityKey[]>();
  const [loadError, setLoadError] = useState<string>();
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>();
  const [status, setStatus] = useState<string>();

  const load = useCallback(async () => {
    try {
      const { credentials } = await trpc.mfa.webauthn.list.query();
      setKeys(credentials);
      setLoadError(undefined);
    } catch (failure) {
      setLoadError(describeFailure(failure).message);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const added = async ({ credential, recovery_codes }: AddedKey) => {
    setStatus(recovery_codes ? `${credential.name} added. MFA is now on.` : `${credential.name} added.`);
    if (recovery_codes) setRecoveryCodes(recovery_codes);
    await Promise.all([load(), refresh()]);
  };

  const removed = async (credential: SecurityKey) => {
    const wasMfaOn = session.profile?.mfa ?? false;
    const [, profile] = await Promise.all([load(), refresh()]);
    setStatus(
      wasMfaOn && profile?.mfa === false
        ? `${credential.name} removed. It was your last second factor: MFA is now off.`
        : `${credential.name} removed.`,
    );
  };

  return (
    <>
      <p>
        A security key (YubiKey, Titan…) or a passkey on your phone or laptop confirms your login with a
        touch, a PIN or your fingerprint. Adding the first one turns MFA on.
      </p>
      {status && (
        <p role="status" className="notice notice-success">
          {status}
        </p>
      )}
      {recoveryCodes && <NewRecoveryCodes codes={recoveryCodes} onDone={() => setRecoveryCodes(undefined)} />}
      {loadError && (
        <p role="alert" className="form-error">
          {loadError}
        </p>
      )}
      {keys && keys.length === 0 && <p className="muted">No security keys yet.</p>}
      {keys && keys.length > 0 && (
        <ul className="keys" aria-label="Your security keys">
          {keys.map((key) => (
            <SecurityKeyItem key={key.id} credential={key} onChanged={load} onRemoved={removed} />
          ))}
        </ul>
      )}
      <AddSecurityKey onAdded={added} />
    </>
  );
}
