import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { NodeCryptoPlugin } from '@otplib/plugin-crypto-node';
import { generate, ScureBase32Plugin } from 'otplib';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));
const SERVER_MAIN = join(HERE, '../../server/dist/main.js');
const SCREENSHOT_DIR = join(HERE, 'screenshots');
const STARTUP_TIMEOUT_MS = 20_000;

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The real server (built dist), on a free port, with a fresh data folder and database. It listens
 * on 127.0.0.1 only; the browser opens it as `http://localhost:PORT` (see launchBrowser), the
 * address a loopback server names itself by, since WebAuthn refuses an IP address as RP ID.
 */
async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'twofold-e2e-'));
  const child: ChildProcess = spawn(process.execPath, [SERVER_MAIN], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      NODE_ENV: 'test',
      SMTP_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), STARTUP_TIMEOUT_MS);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${stderr}`)));
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { event?: string; url?: string };
        if (entry.event === 'listening' && entry.url) {
          clearTimeout(timer);
          resolve(`http://localhost:${new URL(entry.url).port}`);
        }
      } catch {
        // Not a log line.
      }
    });
  });
  return {
    url,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Debian's Chromium, headless, without anything that phones home. `localhost` resolves to
 * 127.0.0.1 only, where the test server listens (never ::1 first).
 */
function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--host-resolver-rules=MAP localhost 127.0.0.1',
    ],
  });
}

/** What Chromium refused under the server's Content-Security-Policy, across watched contexts. */
const cspViolations: string[] = [];

/** Records CSP refusals (Chromium logs each as a console error), so a flow can assert none. */
export function watchCsp(context: BrowserContext): BrowserContext {
  context.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      cspViolations.push(message.text());
    }
  });
  return context;
}

const TOTP_PERIOD_SECONDS = 30;

/**
 * The authenticator app: the code for the current 30 s step plus `stepsAhead`. The server
 * accepts the next step too, so a flow that needs a second code in one step asks for the
 * next one instead of sleeping (a step, once used, is refused as a replay).
 */
export function totpCode(secret: string, stepsAhead = 0): Promise<string> {
  const epoch = Math.floor(Date.now() / 1000) + stepsAhead * TOTP_PERIOD_SECONDS;
  return generate({ secret, epoch, crypto: new NodeCryptoPlugin(), base32: new ScureBase32Plugin() });
}

/** What the test drives of Chromium's virtual authenticator (CDP `WebAuthn` domain). */
export interface VirtualAuthenticator {
  id: string;
  /** Whether the person passes user verification (false: a ceremony that requires it fails, as on a cancel). */
  setUserVerified(isUserVerified: boolean): Promise<void>;
  /** The credentials it holds (resident ones are passkeys). */
  credentials(): Promise<{ credentialId: string; isResidentCredential: boolean; signCount: number }[]>;
  remove(): Promise<void>;
}

/**
 * A platform passkey authenticator with user verification, answering every prompt at once
 * (`automaticPresenceSimulation`), through Chromium's own WebAuthn emulation.
 */
export async function addVirtualAuthenticator(
  context: BrowserContext,
  page: Page,
): Promise<VirtualAuthenticator> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    id: authenticatorId,
    async setUserVerified(isUserVerified) {
      await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified });
    },
    async credentials() {
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      return credentials;
    },
    async remove() {
      await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

let sequence = 0;

export function newAccount() {
  sequence += 1;
  const tag = `${Date.now().toString(36)}${sequence}`;
  return {
    name: `Ada Lovelace`,
    email: `ada.${tag}@example.test`,
    username: `ada.${tag}`,
    password: `analytical engine ${tag}`,
    recoveryEmail: `ada.recovery.${tag}@example.test`,
  };
}
export type Account = ReturnType<typeof newAccount>;

/** What one e2e file drives; its fields are set before the file's first test. */
export interface BrowserSession {
  server: TestServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** What the pages log as errors in the console (a failed request shows there too). */
  consoleErrors: string[];
}

/**
 * The hooks every e2e file shares: the real server and a Chromium page before its tests, a
 * screenshot of each failed test, no CSP violation after any (the pages run under the
 * server's CSP: nothing the app needs may be refused), both closed at the end.
 */
/** `serverEnv`: environment variables of the server (operator settings under test). */
export function setUpBrowserSession(serverEnv: Record<string, string> = {}): BrowserSession {
  const session = { consoleErrors: [] as string[] } as BrowserSession;
  beforeAll(async () => {
    [session.server, session.browser] = await Promise.all([startTestServer(serverEnv), launchBrowser()]);
    session.context = watchCsp(
      await session.browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 800 } }),
    );
    session.context.setDefaultTimeout(10_000);
    session.page = await session.context.newPage();
    session.page.on('console', (message) => {
      if (message.type() === 'error') session.consoleErrors.push(message.text());
    });
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') await screenshot(session.page, `failed-${task.name.slice(0, 40)}`);
    expect(cspViolations).toEqual([]);
  });
  afterAll(async () => {
    await session.browser?.close();
    await session.server?.close();
  });
  return session;
}
