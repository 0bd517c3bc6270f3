import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One email as the SMTP server received it, parsed. */
export interface ReceivedMail {
  envelopeTo: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
}

export interface SmtpReceiver {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** Resolves once `count` emails have arrived in total; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** Every RCPT TO address the server was offered, accepted or not, in order. */
  offeredRecipients: string[];
  /** Refuses RCPT TO `address` with `responseCode` (e.g. 550, 451) until `lift()`. */
  rejectRecipient(address: string, responseCode: number): { lift(): void };
  /** Incoming DATA is held until `release()` while a gate is up. */
  holdData(): { arrived: Promise<void>; release(): void };
  close(): Promise<void>;
}

/**
 * A real SMTP server on 127.0.0.1 (npm smtp-server), no TLS or AUTH, that keeps what it
 * receives. `port: 0` picks a free port; pass a port to come back on the same one.
 */
export async function startSmtpReceiver(port = 0): Promise<SmtpReceiver> {
  const received: ReceivedMail[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let gate: { onArrive: () => void; released: Promise<void> } | undefined;
  const offeredRecipients: string[] = [];
  const rejections = new Map<string, number>();

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    closeTimeout: 200,
    logger: false,
    onRcptTo(address, _session, callback) {
      offeredRecipients.push(address.address);
      const responseCode = rejections.get(address.address);
      if (responseCode === undefined) return callback();
      const refusal = new Error(`${responseCode >= 500 ? 'mailbox unavailable' : 'try again later'}`);
      callback(Object.assign(refusal, { responseCode }));
    },
    onData(stream, session, callback) {
      const envelopeTo = session.envelope.rcptTo.map((rcpt) => rcpt.address);
      const currentGate = gate;
      simpleParser(stream)
        .then(async (parsed: ParsedMail) => {
          if (currentGate) {
            currentGate.onArrive();
            await currentGate.released;
          }
          received.push({
            envelopeTo,
            from: parsed.from?.text ?? '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
          });
          for (const waiter of waiters.filter((w) => received.length >= w.count)) waiter.resolve();
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;

  return {
    port: boundPort,
    url: `smtp://127.0.0.1:${boundPort}`,
    received,
    offeredRecipients,
    rejectRecipient(address, responseCode) {
      rejections.set(address, responseCode);
      return { lift: () => rejections.delete(address) };
    },
    waitFor(count, timeoutMs = 10_000) {
      if (received.length >= count) return Promise.resolve(received);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`expected ${count} emails, received ${received.length}`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(received);
          },
        });
      });
    },
    holdData() {
      let release = () => {};
      let onArrive = () => {};
      const arrived = new Promise<void>((resolve) => {
        onArrive = resolve;
      });
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      gate = { onArrive, released };
      return {
        arrived,
        release: () => {
          gate = undefined;
          release();
        },
      };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
