import { Field } from './field.js';

/** Email reset codes: 5 characters of an alphabet without look-alikes, shown uppercase. */
const normalizeEmailCode = (value: string) =>
  value
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, '')
    .slice(0, 5);

interface EmailCodeFieldsProps {
  mainCode: string;
  recoveryCode: string;
  onMainCode(value: string): void;
  onRecoveryCode(value: string): void;
  /** Per-field reasons from the server (`data.fields`). */
  fields: Record<string, string> | undefined;
}

/** The two codes of a reset request: one from each mailbox, both needed. */
export function EmailCodeFields({
  mainCode,
  recoveryCode,
  onMainCode,
  onRecoveryCode,
  fields,
}: EmailCodeFieldsProps) {
  const shared = {
    autoComplete: 'one-time-code',
    autoCapitalize: 'characters',
    spellCheck: false,
    className: 'mono',
    required: true,
  } as const;
  return (
    <>
      <Field
        label="Code sent to your main email"
        name="main_email_code"
        value={mainCode}
        onChange={(value) => onMainCode(normalizeEmailCode(value))}
        error={fields?.main_email_code}
        {...shared}
      />
      <Field
        label="Code sent to your recovery email"
        name="recovery_email_code"
        value={recoveryCode}
        onChange={(value) => onRecoveryCode(normalizeEmailCode(value))}
        error={fields?.recovery_email_code}
        {...shared}
      />
    </>
  );
}
