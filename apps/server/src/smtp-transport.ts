import { createTransport } from 'nodemailer';

/** One email as handed to SMTP. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Where the mail worker hands mail; SMTP in production. */
export interface MailTransport {
  /** Resolves once the server accepted the message; rejects on any failure or on `signal`. */
  send(mail: OutgoingMail, signal: AbortSignal): Promise<void>;
  close(): void;
}

/** No stage of one SMTP session may stall for long: a stuck server must not hold the lease. */
const SMTP_CONNECTION_TIMEOUT_MS = 10_000;
const SMTP_GREETING_TIMEOUT_MS = 10_000;
const SMTP_SOCKET_TIMEOUT_MS = 30_000;

/**
 * SMTP over nodemailer. `smtpUrl` is `smtp://` (STARTTLS when offered) or `smtps://`
 * (implicit TLS), with optional `user:pass@`; `from` is the MAIL_FROM header.
 */
export function createSmtpTransport(smtpUrl: string, from: string): MailTransport {
  const transporter = createTransport({
    url: smtpUrl,
    connectionTimeout: SMTP_CONNECTION_TIMEOUT_MS,
    greetingTimeout: SMTP_GREETING_TIMEOUT_MS,
    socketTimeout: SMTP_SOCKET_TIMEOUT_MS,
    // Our messages carry no attachments: never let content reach the file system or network.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    async send(mail, signal) {
      await transporter.sendMail({ from, ...mail, signal });
    },
    close() {
      transporter.close();
    },
  };
}

/**
 * A short reason for the outbox row: the SMTP reply when there is one, else the error code.
 * Kept out of logs, since a server's reply may quote the recipient.
 */
export function describeSendFailure(error: unknown): { reason: string; errorCode: string } {
  if (!(error instanceof Error)) return { reason: 'unknown error', errorCode: 'UNKNOWN' };
  const details = error as Error & { code?: unknown; responseCode?: unknown; response?: unknown };
  const errorCode = [details.code, details.responseCode].filter((part) => part !== undefined).join(' ');
  const reply = typeof details.response === 'string' ? details.response : error.message;
  return { reason: `${errorCode || error.name}: ${reply}`, errorCode: errorCode || error.name };
}
