import { useEffect, useState } from 'react';

/** Seconds left until `endsAt` (epoch seconds), ticking every second, never below 0. */
export function useSecondsLeft(endsAt: number | undefined): number {
  const compute = () => (endsAt === undefined ? 0 : Math.max(0, Math.ceil(endsAt - Date.now() / 1000)));
  const [left, setLeft] = useState(compute);
  // biome-ignore lint/correctness/useExhaustiveDependencies: compute reads only endsAt
  useEffect(() => {
    setLeft(compute());
    if (endsAt === undefined) return;
    const timer = window.setInterval(() => setLeft(compute()), 1000);
    return () => window.clearInterval(timer);
  }, [endsAt]);
  return left;
}

/** 9:05 */
function formatMinutesSeconds(totalSeconds: number): string {
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

/**
 * A live countdown. Screen readers get the time as words, updated politely each minute
 * rather than every second.
 */
export function Countdown({ endsAt }: { endsAt: number }) {
  const left = useSecondsLeft(endsAt);
  const minutes = Math.ceil(left / 60);
  return (
    <>
      <time className="countdown" dateTime={`PT${left}S`} aria-hidden="true" data-testid="countdown">
        {formatMinutesSeconds(left)}
      </time>
      <span className="visually-hidden" aria-live="polite">
        {minutes === 1 ? 'less than a minute' : `${minutes} minutes`} left
      </span>
    </>
  );
}
