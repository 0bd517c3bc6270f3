import { Field } from './field.js';

interface IdentifierFieldProps {
  /** The request field it fills: `username` at login, `identifier` on recover and reset. */
  name: 'username' | 'identifier';
  value: string;
  onChange(value: string): void;
  error: string | undefined;
}

/** Username or email, as the server accepts it wherever an account is named. */
export function IdentifierField({ name, value, onChange, error }: IdentifierFieldProps) {
  return (
    <Field
      label="Username or email"
      name={name}
      value={value}
      onChange={onChange}
      autoComplete="username"
      autoCapitalize="none"
      spellCheck={false}
      error={error}
      required
    />
  );
}
