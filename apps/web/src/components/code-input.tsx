import { useCallback, useEffect, useId, useRef, useState } from 'react';

export const TOTP_DIGITS = 6;

/**
 * A code field's value and a guard for its form's submit: an incomplete code is not sent.
 * Sent, the server's "Must be 6 digits" would replace what the last try said ("Invalid
 * code."), which is why the field is empty; so that message stays, and only a form with
 * nothing to say yet asks for the missing digits.
 */
export function useCodeField() {
  const [code, setValue] = useState('');
  const [isIncomplete, setIncomplete] = useState(false);
  const setCode = useCallback((value: string) => {
    setValue(value);
    setIncomplete(false);
  }, []);
  const isComplete = () => {
    const complete = code.length === TOTP_DIGITS;
    setIncomplete(!complete);
    return complete;
  };
  const incompleteMessage = isIncomplete ? `Enter all ${TOTP_DIGITS} digits.` : undefined;
  return { code, setCode, isComplete, incompleteMessage };
}

interface CodeInputProps {
  label: string;
  value: string;
  onChange(value: string): void;
  /** Called once the last digit is typed or a whole code is pasted. */
  onComplete?(code: string): void;
  error?: string | undefined;
  hint?: string;
  disabled?: boolean;
  autoFocus?: boolean;
}

/**
 * One input for a 6-digit code: one field for screen readers and password managers, digits
 * only (a pasted "123 456" becomes "123456"), submitted as soon as it is complete.
 */
export function CodeInput({
  label,
  value,
  onChange,
  onComplete,
  error,
  hint,
  disabled,
  autoFocus,
}: CodeInputProps) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  // After a rejected code, the (re-enabled, emptied) field takes focus for the next try.
  useEffect(() => {
    if (error && !disabled) input.current?.focus();
  }, [error, disabled]);
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const accept = (raw: string) => {
    const digits = raw.replace(/\D/g, '').slice(0, TOTP_DIGITS);
    onChange(digits);
    if (digits.length === TOTP_DIGITS && digits !== value) onComplete?.(digits);
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        ref={input}
        id={id}
        name="code"
        className="code-input"
        type="text"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]*"
        maxLength={TOTP_DIGITS + 8 /* room for a pasted "123 456" before it is cleaned */}
        spellCheck={false}
        placeholder="••••••"
        value={value}
        disabled={disabled}
        // biome-ignore lint/a11y/noAutofocus: the code is the only thing asked on these screens
        autoFocus={autoFocus}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        onChange={(event) => accept(event.target.value)}
      />
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
