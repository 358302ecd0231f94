// Starts AWS's DynamoDB Local (the jar shipped in amplify-dynamodb-simulator) as a child JVM and stops it again.
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

/** A problem the developer fixes on their machine; the message is one line that says how. */
export class LocalStackError extends Error {
  override name = 'LocalStackError';
}

export interface DynamoDbLocalOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Directory for the database file; omitted runs in memory. */
  dbPath?: string;
  /** How long to wait for the first answered ListTables; default 30 s. */
  startTimeoutMs?: number;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

// With -sharedDb the credentials only have to be present and well formed; they select nothing.
const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Starts DynamoDB Local and resolves once it answers a real ListTables. */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const java = findJava();
  const emulatorDir = findEmulatorDir();
  const dbPath = options.dbPath === undefined ? undefined : resolve(options.dbPath);
  if (dbPath !== undefined) mkdirSync(dbPath, { recursive: true });
  const timeoutMs = options.startTimeoutMs ?? 30_000;

  const requested = options.port ?? 0;
  if (requested !== 0) {
    await assertPortFree(requested);
    return launch(java, emulatorDir, requested, dbPath, timeoutMs);
  }
  // A port picked free can be taken before the JVM binds it; picking again is cheaper than failing the run.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(java, emulatorDir, await freePort(), dbPath, timeoutMs);
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt === 3) throw error;
    }
  }
}

class PortTakenError extends LocalStackError {}

function portInUse(port: number): LocalStackError {
  return new LocalStackError(`port ${port} is in use: set DYNAMODB_PORT to another port`);
}

async function launch(
  java: string,
  emulatorDir: string,
  port: number,
  dbPath: string | undefined,
  timeoutMs: number,
): Promise<DynamoDbLocal> {
  const args = [
    // C1 only: about 0.5 s faster to first answer, and a dev database never runs long enough for C2 to pay off.
    '-XX:TieredStopAtLevel=1',
    `-Djava.library.path=${join(emulatorDir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(emulatorDir, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    // One database whatever region or credentials a client uses, so the CLI, tests and server see the same tables.
    '-sharedDb',
    // A local stack must work offline and must not report usage anywhere.
    '-disableTelemetry',
    ...(dbPath === undefined ? ['-inMemory'] : ['-dbPath', dbPath]),
  ];
  const child = spawn(java, args, {
    // DynamoDB Local drops a metadata file into its working directory; keep it out of the repository.
    cwd: dbPath ?? tmpdir(),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const output = captureOutput(child);
  // 'error' without 'exit' is how a failed spawn shows up; either way the process is gone.
  const exited = new Promise<void>((done) => {
    child.once('exit', () => done());
    child.once('error', (error) => {
      output.add(`${error.message}\n`);
      done();
    });
  });
  track(child);
  exited.then(() => untrack(child));

  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(endpoint, child, exited, output, timeoutMs);
  } catch (error) {
    await stopChild(child, exited);
    if (/BindException|Address already in use/.test(output.text())) {
      throw new PortTakenError(portInUse(port).message);
    }
    throw error;
  }
  return { endpoint, port, stop: () => stopChild(child, exited) };
}

async function waitUntilAnswering(
  endpoint: string,
  child: ChildProcess,
  exited: Promise<void>,
  output: OutputTail,
  timeoutMs: number,
): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: localCredentials,
    maxAttempts: 1,
    // Something else may hold the port and never answer; a short timeout keeps the loop checking the JVM.
    requestHandler: { connectionTimeout: 1000, requestTimeout: 1000, throwOnRequestTimeout: true },
  });
  let dead = false;
  exited.then(() => {
    dead = true;
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      // A failed bind kills Jetty's main thread but leaves the JVM running, so read the failure from its output.
      if (dead || STARTUP_FAILED.test(output.text())) {
        const why = dead ? `exited (${child.exitCode ?? child.signalCode})` : 'failed';
        throw new LocalStackError(`DynamoDB Local ${why} before answering: ${oneLine(output.text())}`);
      }
      if (Date.now() > deadline) {
        throw new LocalStackError(
          `DynamoDB Local did not answer ListTables within ${timeoutMs} ms: ${oneLine(output.text())}`,
        );
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        // Connection refused until Jetty listens; the exit and deadline checks above end the loop.
        await Promise.race([sleep(25), exited]);
      }
    }
  } finally {
    client.destroy();
  }
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  untrack(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  // SIGTERM lets the JVM run its shutdown hooks; SIGKILL only if it hangs.
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

// Every running JVM, so one exit handler and one handler per signal cover them all.
const running = new Set<ChildProcess>();
const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let handlersInstalled = false;

function killAll(): void {
  for (const child of running) child.kill('SIGTERM');
}

function onSignal(signal: NodeJS.Signals): void {
  killAll();
  // Our listener suppresses Node's default exit; if nobody else handles the signal, die of it as Node would.
  if (process.listenerCount(signal) === 1) {
    uninstallHandlers();
    process.kill(process.pid, signal);
  }
}

function track(child: ChildProcess): void {
  running.add(child);
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAll);
  for (const signal of signals) process.on(signal, onSignal);
}

function untrack(child: ChildProcess): void {
  running.delete(child);
  if (running.size === 0) uninstallHandlers();
}

function uninstallHandlers(): void {
  if (!handlersInstalled) return;
  handlersInstalled = false;
  process.off('exit', killAll);
  for (const signal of signals) process.off(signal, onSignal);
}

function findJava(): string {
  const names = process.platform === 'win32' ? ['java.exe'] : ['java'];
  const dirs = [
    ...(process.env.JAVA_HOME ? [join(process.env.JAVA_HOME, 'bin')] : []),
    ...(process.env.PATH ?? '').split(delimiter),
  ];
  for (const dir of dirs) {
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here; keep looking
      }
    }
  }
  throw new LocalStackError('Java 17+ is required for DynamoDB Local: install openjdk-17-jre-headless');
}

function findEmulatorDir(): string {
  // Resolved through Node's module lookup so it works from any checkout or hoisted node_modules layout.
  const require = createRequire(import.meta.url);
  let packageJson: string;
  try {
    packageJson = require.resolve('amplify-dynamodb-simulator/package.json');
  } catch {
    throw new LocalStackError('amplify-dynamodb-simulator is not installed: run npm ci');
  }
  const dir = join(dirname(packageJson), 'emulator');
  if (!existsSync(join(dir, 'DynamoDBLocal.jar'))) {
    throw new LocalStackError(
      `DynamoDBLocal.jar is missing from ${dir}: reinstall amplify-dynamodb-simulator`,
    );
  }
  return dir;
}

function assertPortFree(port: number): Promise<void> {
  // Java listens on every interface, so probe the wildcard address the same way.
  return new Promise((answer, fail) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      fail(
        error.code === 'EADDRINUSE'
          ? portInUse(port)
          : new LocalStackError(
              `cannot listen on port ${port} (${error.code}): set DYNAMODB_PORT to another port`,
            ),
      );
    });
    server.listen({ port, exclusive: true }, () => server.close(() => answer()));
  });
}

function freePort(): Promise<number> {
  return new Promise((answer, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen({ port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => answer(port));
    });
  });
}

/** Keeps the last few KB of the JVM's stdout and stderr for error messages, and drains the pipes so Java never blocks. */
function captureOutput(child: ChildProcess): OutputTail {
  let tail = '';
  const add = (text: string) => {
    tail = (tail + text).slice(-16_000);
  };
  const keep = (chunk: Buffer) => add(chunk.toString('utf8'));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { add, text: () => tail };
}

interface OutputTail {
  add(text: string): void;
  text(): string;
}

const STARTUP_FAILED = /Exception in thread "main"/;

/** The JVM's own words without stack frames, short enough for one line of an error message. */
function oneLine(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^(at |\.\.\. \d+ more)/.test(line));
  return lines.slice(-6).join(' | ') || '(no output)';
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
