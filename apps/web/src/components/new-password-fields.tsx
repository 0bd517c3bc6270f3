import { Field } from './field.js';

interface NewPasswordFieldProps {
  value: string;
  onChange(value: string): void;
  error: string | undefined;
}

/** The new password of a reset, under registration's rules (the server says why it refuses one). */
export function NewPasswordField({ value, onChange, error }: NewPasswordFieldProps) {
  return (
    <Field
      label="New password"
      name="password"
      type="password"
      value={value}
      onChange={onChange}
      autoComplete="new-password"
      hint="At least 8 characters."
      error={error}
      required
    />
  );
}
