import { useCallback, useRef, useState } from 'react';
import { describeFailure } from './trpc.js';

/** Runs a submit once at a time and keeps its error for display next to the fields. */
export function useSubmit<T>(action: () => Promise<T>, onSuccess: (result: T) => void) {
  const [isPending, setPending] = useState(false);
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | undefined>();
  const inFlight = useRef(false);
  const submit = useCallback(
    async (event?: { preventDefault(): void }) => {
      event?.preventDefault();
      if (inFlight.current) return;
      inFlight.current = true;
      setPending(true);
      setError(undefined);
      try {
        onSuccess(await action());
      } catch (failure) {
        setError(describeFailure(failure));
      } finally {
        inFlight.current = false;
        setPending(false);
      }
    },
    [action, onSuccess],
  );
  return { submit, isPending, error };
}
