import { useState } from 'react';
import { downloadText } from '../download.js';

interface RecoveryCodesProps {
  codes: readonly string[];
  username: string;
}

/** 16 characters read better in groups of four. */
const formatRecoveryCode = (code: string) => code.match(/.{1,4}/g)?.join('-') ?? code;

/** The recovery codes, shown once, with copy and download. */
export function RecoveryCodes({ codes, username }: RecoveryCodesProps) {
  const [copied, setCopied] = useState<'copied' | 'failed'>();
  const text = [
    `Twofold recovery codes for ${username}`,
    'Each code works once. Keep them somewhere safe, away from your authenticator.',
    '',
    ...codes.map(formatRecoveryCode),
    '',
  ].join('\n');

  const copy = () =>
    navigator.clipboard.writeText(text).then(
      () => setCopied('copied'),
      () => setCopied('failed'),
    );

  return (
    <div className="recovery-codes">
      <ul className="code-grid" aria-label="Recovery codes" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code} className="mono">
            {formatRecoveryCode(code)}
          </li>
        ))}
      </ul>
      <div className="actions">
        <button type="button" className="button button-secondary" onClick={copy}>
          Copy
        </button>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => downloadText(`twofold-recovery-codes-${username}.txt`, text)}
        >
          Download .txt
        </button>
        <span role="status" className="saved">
          {copied === 'copied'
            ? 'Copied to the clipboard.'
            : copied === 'failed'
              ? 'Copy failed: select the codes instead.'
              : ''}
        </span>
      </div>
    </div>
  );
}
