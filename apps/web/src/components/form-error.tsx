import type { Failure } from '../trpc.js';

interface FormErrorProps {
  error: Failure | undefined;
  /** Fields the form shows next to their inputs; their errors are not repeated here. */
  shownFields?: readonly string[];
}

/** A failure that concerns no field on screen, announced at once. */
export function FormError({ error, shownFields = [] }: FormErrorProps) {
  if (!error) return null;
  if (shownFields.some((field) => error.fields[field])) return null;
  return (
    <p role="alert" className="form-error">
      {error.message}
    </p>
  );
}
