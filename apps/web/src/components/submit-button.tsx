import type { ReactNode } from 'react';

interface SubmitButtonProps {
  isPending: boolean;
  children: ReactNode;
  pendingLabel: string;
  variant?: 'primary' | 'secondary' | 'danger';
}

/** Disabled while the request runs, so a form cannot be sent twice. */
export function SubmitButton({ isPending, children, pendingLabel, variant = 'primary' }: SubmitButtonProps) {
  return (
    <button type="submit" className={`button button-${variant}`} disabled={isPending} aria-busy={isPending}>
      {isPending ? (
        <>
          <span className="spinner" aria-hidden="true" />
          {pendingLabel}
        </>
      ) : (
        children
      )}
    </button>
  );
}
