import { useId } from 'react';

interface FieldProps {
  label: string;
  name: string;
  type?: string;
  value: string;
  onChange(value: string): void;
  error?: string | undefined;
  autoComplete?: string;
}

export function Field({ label, name, type = 'text', value, onChange, error, autoComplete }: FieldProps) {
  const id = useId();
  return (
    <label htmlFor={id}>
      {label}
      <input
        id={id}
        name={name}
        type={type}
        value={value}
        autoComplete={autoComplete}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(e.target.value)}
        required
      />
      {error && (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      )}
    </label>
  );
}
