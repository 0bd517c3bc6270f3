import { useCallback, useEffect, useState } from 'react';
import { describeFailure, type RouterOutputs, trpc } from '../trpc.js';

type Message = RouterOutputs['dev']['mail']['messages'][number];

const URL_PATTERN = /(https?:\/\/[^\s<>"]+)/g;

/** Mail text with its links clickable (the text is rendered as text, never as HTML). */
function MailText({ text }: { text: string }) {
  const parts = text.split(URL_PATTERN);
  return (
    <pre className="mail-text">
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one immutable text
          <a key={index} href={part}>
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </pre>
  );
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });

/** The development mailbox: what the server would have sent, newest first. */
export function DevMailPage() {
  const [messages, setMessages] = useState<Message[]>();
  const [error, setError] = useState<string>();
  const [isLoading, setLoading] = useState(false);
  const load = useCallback(() => {
    setLoading(true);
    trpc.dev.mail
      .query()
      .then(
        (result) => {
          setMessages(result.messages);
          setError(undefined);
        },
        (failure: unknown) => {
          const described = describeFailure(failure);
          setError(
            described.code === 'NOT_FOUND'
              ? 'The dev mailbox is off: this server runs in production.'
              : described.message,
          );
        },
      )
      .finally(() => setLoading(false));
  }, []);
  useEffect(load, [load]);

  return (
    <div className="stack">
      <div className="page-header">
        <h1>Dev mailbox</h1>
        <button
          type="button"
          className="button button-secondary"
          onClick={load}
          disabled={isLoading}
          aria-busy={isLoading}
        >
          {isLoading ? 'Loading…' : 'Refresh'}
        </button>
      </div>
      <p className="muted">
        Without SMTP_URL, emails are kept here instead of being sent. Never enabled in production.
      </p>
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
      {messages?.length === 0 && <p>No emails yet.</p>}
      <ol className="mailbox" data-testid="mailbox">
        {messages?.map((message) => (
          <li
            key={message.id}
            className="card mail"
            data-testid="mail"
            data-to={message.to}
            data-kind={message.kind}
          >
            <div className="mail-header">
              <h2>{message.subject}</h2>
              <span className="badge">{message.status}</span>
            </div>
            <p className="mail-meta">
              To <strong>{message.to}</strong> ·{' '}
              <time dateTime={new Date(message.createdAtMs).toISOString()}>
                {timeFormat.format(message.createdAtMs)}
              </time>
            </p>
            {message.text ? (
              <MailText text={message.text} />
            ) : (
              <p className="muted">Body removed after delivery.</p>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
