// The local stand-ins through the local server: what the dev issuer puts in a token, and what the console shows.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startPlatform } from '../../local/platform.ts';
import { findPassType } from '../../shared/domain/pass-types.ts';
import { type TestPlatform, testPlatform } from '../support/platform.ts';

let p: TestPlatform;
const logged: string[] = [];

beforeAll(async () => {
  p = await testPlatform({ log: (line) => logged.push(line) });
});
afterAll(() => p.close());

const login = (body: unknown) => p.api('POST', '/dev/login', { body });

describe('POST /dev/login', () => {
  it("binds an applicant to a CNIC as Cognito's custom:cnic, in its 13 digits", async () => {
    const res = await login({ role: 'applicant', sub: 'resident-1', cnic: '54101-1234567-3' });

    expect(res.status).toBe(200);
    expect(decodeJwt(res.json.token)).toMatchObject({
      sub: 'resident-1',
      'cognito:groups': ['applicant'],
      'custom:cnic': '5410112345673',
    });
  });

  it('gives an applicant without a CNIC no custom:cnic claim', async () => {
    const res = await login({ role: 'applicant', sub: 'resident-2' });

    expect(decodeJwt(res.json.token)).not.toHaveProperty('custom:cnic');
  });

  it('refuses a CNIC that is not one, naming the field', async () => {
    const res = await login({ role: 'applicant', sub: 'resident-3', cnic: '54101-1234567' });

    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([{ field: 'cnic', message: expect.stringMatching(/13 digits/) }]);
  });

  it.each(['fia-officer', 'fia-supervisor', 'moi-analyst'])('refuses a CNIC for a %s', async (role) => {
    const res = await login({ role, sub: 'staff-1', cnic: '5410112345673' });

    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([{ field: 'cnic', message: 'Only an applicant is bound to a CNIC.' }]);
  });

  it('refuses a CNIC for a checkpoint officer', async () => {
    const res = await login({
      role: 'checkpoint-officer',
      sub: 'fc-1',
      checkpoint: 'TFT',
      cnic: '5410112345673',
    });

    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([{ field: 'cnic', message: 'Only an applicant is bound to a CNIC.' }]);
  });
});

describe('the test platform', () => {
  it('gives the handlers the rahdari without its placeholder end date, so tests outlive it', () => {
    const rahdari = findPassType('RAHDARI', p.passTypes);

    expect(rahdari).toMatchObject({ code: 'RAHDARI', maxValidityDays: 365 });
    expect(rahdari?.effectiveUntil).toBeUndefined();
  });

  it('removes its key directory, which holds private keys, when closed', async () => {
    const other = await testPlatform();
    expect(existsSync(other.keyDir)).toBe(true);

    await other.close();

    expect(existsSync(other.keyDir)).toBe(false);
  });
});

describe("the local server's request log", () => {
  it('names the route, not the path, so a CNIC in the path never reaches the console', async () => {
    const officer = await p.login('fia-officer', 'officer-1');
    logged.length = 0;

    await p.api('GET', '/watchlist/54101-1234567-3', { token: officer });
    await p.api('GET', '/watchlist/5410112345673', { token: officer });

    expect(logged).toEqual([
      expect.stringMatching(/^GET \/watchlist\/\{cnic\} 404 \d+ms$/),
      expect.stringMatching(/^GET \/watchlist\/\{cnic\} 404 \d+ms$/),
    ]);
  });

  it('shows no path at all for a request that matches no route', async () => {
    logged.length = 0;

    await p.api('GET', '/watchlist/5410112345673/history');

    expect(logged).toEqual([expect.stringMatching(/^GET \(no route\) 404 \d+ms$/)]);
  });
});

/** Sends raw bytes on a new connection and collects what comes back until the server closes or `waitMs` passes. */
function rawExchange(lines: string, options: { body?: Buffer; abort?: boolean; waitMs?: number } = {}) {
  const url = new URL(p.url);
  return new Promise<string>((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    let answer = '';
    const done = () => {
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(done, options.waitMs ?? 2000);
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
    socket.on('error', () => undefined);
    socket.write(lines);
    if (options.body) socket.write(options.body);
    if (options.abort) setTimeout(() => socket.destroy(), 50);
  });
}

describe('the local server and bodies', () => {
  let officer: string;
  beforeAll(async () => {
    officer = await p.login('fia-officer', 'officer-1');
  });

  it('answers 413 from a content-length over the limit without reading the body', async () => {
    const answer = await rawExchange(
      `POST /applications HTTP/1.1\r\nhost: local\r\nauthorization: Bearer ${officer}\r\ncontent-type: application/json\r\ncontent-length: 1000000\r\n\r\n`,
    );

    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain('urn:rahdari:problem:too-large');
  });

  it('reads a crossing batch up to its route group’s own limit, past the 64 KB of other routes', async () => {
    const checkpoint = await p.login('checkpoint-officer', 'fc-taftan-1', { checkpoint: 'TFT' });
    // About 200 KB of well-formed JSON: within POST /crossings' 1 MiB, far over what /applications takes.
    const records = Array.from({ length: 500 }, (_, i) => ({ id: `not-a-ulid-${i}`, pad: 'x'.repeat(380) }));

    const res = await p.api('POST', '/crossings', { token: checkpoint, body: { records } });

    // Read and judged record by record: each is refused for its own fields, none for the batch's size.
    expect(res.status).toBe(200);
    expect(res.json.results).toHaveLength(500);
  });

  it('stops reading a chunked body at the limit and answers 413', async () => {
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    const body = Buffer.concat(
      Array.from({ length: 8 }, () =>
        Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]),
      ),
    );

    const answer = await rawExchange(
      `POST /applications HTTP/1.1\r\nhost: local\r\nauthorization: Bearer ${officer}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n`,
      { body },
    );

    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('logs a client that aborts mid-body as gone, with no 500 and nothing on stderr', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    logged.length = 0;
    try {
      const answer = await rawExchange(
        `POST /applications HTTP/1.1\r\nhost: local\r\nauthorization: Bearer ${officer}\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"passType":`,
        { abort: true, waitMs: 500 },
      );
      await new Promise((resolve) => setTimeout(resolve, 200));

      expect(answer).toBe('');
      expect(logged).toEqual([expect.stringMatching(/^POST \/applications client gone \d+ms$/)]);
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
    }
  });

  it('refuses a body that is not valid UTF-8 with 400, never replacing the bytes', async () => {
    const res = await fetch(`${p.url}/applications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json' },
      body: Buffer.concat([
        Buffer.from('{"passType":"RAHDARI","name":"'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('"}'),
      ]),
    });

    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toBe('The body is not valid UTF-8.');
  });
});

describe('the local server and its host', () => {
  it('refuses to start on an address other machines reach, since /dev/login grants any role', async () => {
    await expect(
      startPlatform({
        dynamodbEndpoint: 'http://127.0.0.1:9',
        tableName: 'unused',
        keyDir: '/nonexistent',
        host: '0.0.0.0',
      }),
    ).rejects.toThrow(/refusing to listen on 0\.0\.0\.0/);
  });

  it('makes npm start print one line and exit non-zero for HOST=0.0.0.0, before starting anything', () => {
    const run = spawnSync(process.execPath, ['local/start.ts'], {
      env: { ...process.env, HOST: '0.0.0.0', PORT: '0' },
      encoding: 'utf8',
      timeout: 20_000,
    });

    expect(run.status).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^rahdari: HOST 0\.0\.0\.0 is not a loopback address/),
    ]);
  });
});
