// A flood client in a process of its own (an attacker's event loop is not the victim's):
// waves of parallel slow-hash requests for unknown names, from one local address, until its
// stdin closes. Prints `ready` at the first answer, and at the end every answer as one JSON line.
// Usage: node flood-process.mjs <base url> <local address> <requests per wave>
import { Agent, request } from 'node:http';

const [baseUrl = '', localAddress = '127.0.0.2', waveArg = '32'] = process.argv.slice(2);
const wave = Number(waveArg);
const { hostname, port } = new URL(baseUrl);
const agent = new Agent({ keepAlive: true, maxSockets: wave, localAddress });

let isRunning = true;
process.stdin.on('end', () => {
  isRunning = false;
});
process.stdin.resume();

function send(method, path, body) {
  const payload = JSON.stringify(body);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port: Number(port),
        method,
        path,
        agent,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => {
          let code;
          try {
            code = JSON.parse(text).code;
          } catch {
            code = undefined;
          }
          resolve({
            status: res.statusCode,
            ms: performance.now() - started,
            retryAfter: res.headers['retry-after'],
            code,
          });
        });
      },
    );
    // The server may close an idle keep-alive socket just as it is reused: send again.
    req.on('error', (error) => {
      if (req.reusedSocket && error.code === 'ECONNRESET') send(method, path, body).then(resolve, reject);
      else reject(error);
    });
    req.end(payload);
  });
}

let sequence = 0;
function floodRequest(i) {
  sequence += 1;
  const name = `ghost${process.pid}x${sequence}`;
  switch (i % 4) {
    case 0:
      return send('POST', '/api/user/mfa/recover', { identifier: name, recovery_code: 'ABCDEFGHIJKLMNOP' });
    case 1:
      return send('POST', '/api/user/mfa/reset', { identifier: name });
    case 2:
      return send('PUT', `/api/user/mfa/reset/${name}`, {
        main_email_code: 'ABCDE',
        recovery_email_code: 'FGHJK',
      });
    default:
      return send('POST', '/api/login', { username: name, password: 'wrong-guess' });
  }
}

const answers = [];
let isReady = false;
while (isRunning) {
  const results = await Promise.all(
    Array.from({ length: wave }, (_, i) =>
      floodRequest(i).then((answer) => {
        if (!isReady) {
          isReady = true;
          process.stdout.write('ready\n');
        }
        return answer;
      }),
    ),
  );
  answers.push(...results);
}
process.stdout.write(`${JSON.stringify(answers)}\n`);
agent.destroy();
