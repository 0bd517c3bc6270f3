import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  head: string;
  body: string;
}

/**
 * Writes raw bytes to the server and reads the first response. Lets a test send what
 * fetch will not: lying Content-Length, hand-made chunking, bodies cut short.
 */
export function rawRequest(
  baseUrl: string,
  chunks: (string | Buffer)[],
  { timeoutMs = 5_000, gapMs = 0, tail }: { timeoutMs?: number; gapMs?: number; tail?: Promise<string> } = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no response within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = () => {
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return false;
      const head = received.slice(0, end);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
      const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? '0');
      const body = received.slice(end + 4);
      if (Buffer.byteLength(body) < length) return false;
      clearTimeout(timer);
      socket.destroy();
      resolve({ status, head, body: body.slice(0, length) });
      return true;
    };
    socket.on('data', (data) => {
      received += data.toString('utf8');
      finish();
    });
    // The server may answer and close before it has read everything we meant to send.
    socket.on('error', (error) => {
      if (!finish()) {
        clearTimeout(timer);
        reject(error);
      }
    });
    socket.on('close', () => {
      if (!finish()) {
        clearTimeout(timer);
        reject(new Error(`connection closed without a full response: ${received.slice(0, 200)}`));
      }
    });
    socket.on('connect', async () => {
      for (const chunk of chunks) {
        if (socket.destroyed) return;
        socket.write(chunk);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
      if (tail) {
        const rest = await tail;
        if (!socket.destroyed) socket.write(rest);
      }
    });
  });
}

/** A request sent in two parts: `send` writes the rest when the caller says so. */
export function splitRequest(
  baseUrl: string,
  first: string,
  rest: string,
  { timeoutMs = 20_000 } = {},
): { sendRest(): void; response: Promise<RawResponse> } {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const response = rawRequest(baseUrl, [first], { timeoutMs, tail: released.then(() => rest) });
  return { sendRest: release, response };
}

export function head(method: string, path: string, headers: Record<string, string | number>): string {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

export function chunked(body: string, chunkSize: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < body.length; i += chunkSize) {
    const part = body.slice(i, i + chunkSize);
    parts.push(`${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`);
  }
  parts.push('0\r\n\r\n');
  return parts;
}
