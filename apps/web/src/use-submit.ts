import { useCallback, useRef, useState } from 'react';
import { describeFailure, type Failure } from './trpc.js';

let onSessionLost: (() => void) | undefined;
let askReauthentication: (() => Promise<boolean>) | undefined;
let onEnrolmentRequired: (() => void) | undefined;

/** The session provider's hook: a call answered "session gone" signs the browser out. */
export function setSessionLostHandler(handler: (() => void) | undefined): void {
  onSessionLost = handler;
}

/**
 * The session provider's hook: a call answered `MFA_ENROLLMENT_REQUIRED` (the grace period
 * ended while the page was open) reads the profile again, which leads to the MFA setup.
 */
export function setEnrolmentRequiredHandler(handler: (() => void) | undefined): void {
  onEnrolmentRequired = handler;
}

/**
 * The re-authentication provider's hook: asks for the password (and a code with MFA on)
 * and answers whether the session is fresh now.
 */
export function setReauthenticationHandler(handler: (() => Promise<boolean>) | undefined): void {
  askReauthentication = handler;
}

/**
 * Runs the action; when the server wants a fresh session (changes of factors and of the
 * recovery email), asks the person to confirm and runs it once more, so they continue where
 * they were.
 */
async function withReauthentication<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (failure) {
    if (describeFailure(failure).code !== 'REAUTHENTICATION_REQUIRED' || !askReauthentication) throw failure;
    if (!(await askReauthentication())) throw failure;
    return action();
  }
}

/**
 * Runs one action at a time and keeps its failure for display next to the fields.
 * `run` answers the result, or undefined when the action failed or one is already running.
 */
export function useSubmit() {
  const [isPending, setPending] = useState(false);
  const [error, setError] = useState<Failure>();
  const inFlight = useRef(false);
  const run = useCallback(async <T>(action: () => Promise<T>): Promise<T | undefined> => {
    if (inFlight.current) return undefined;
    inFlight.current = true;
    setPending(true);
    setError(undefined);
    try {
      return await withReauthentication(action);
    } catch (failure) {
      const described = describeFailure(failure);
      if (described.code === 'UNAUTHENTICATED') onSessionLost?.();
      if (described.code === 'MFA_ENROLLMENT_REQUIRED') onEnrolmentRequired?.();
      setError(described);
      return undefined;
    } finally {
      inFlight.current = false;
      setPending(false);
    }
  }, []);
  const clearError = useCallback(() => setError(undefined), []);
  return { run, isPending, error, clearError };
}
