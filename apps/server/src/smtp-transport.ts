import type { MailSendFailure } from '@twofold/core';
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

/** What a failed send reported, as core's delivery policy and the log need it. */
export interface SendFailureReport extends MailSendFailure {
  /** nodemailer's error code and the SMTP reply code (`EENVELOPE 550`): safe to log. */
  errorCode: string;
}

/**
 * A short reason for the outbox row (the SMTP reply when there is one, else the error code)
 * and the reply code and command nodemailer reports, from which core tells a permanent
 * rejection from a transient failure. The reason stays out of logs: a reply may quote the
 * recipient.
 */
export function describeSendFailure(error: unknown): SendFailureReport {
  if (!(error instanceof Error)) return { reason: 'unknown error', errorCode: 'UNKNOWN' };
  const details = error as Error & {
    code?: unknown;
    responseCode?: unknown;
    response?: unknown;
    command?: unknown;
  };
  const errorCode = [details.code, details.responseCode].filter((part) => part !== undefined).join(' ');
  const reply = typeof details.response === 'string' ? details.response : error.message;
  return {
    reason: `${errorCode || error.name}: ${reply}`,
    errorCode: errorCode || error.name,
    responseCode: typeof details.responseCode === 'number' ? details.responseCode : undefined,
    command: typeof details.command === 'string' ? details.command : undefined,
  };
}
