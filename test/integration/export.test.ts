// The daily export on DynamoDB Local and s3rver: a day's records per type as gzip NDJSON, byte-identical on a
// re-run, with a manifest whose counts and SHA-256 digests match its files; the CLI writes the same.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type CliIo, main } from '../../cli/main.ts';
import { exportDay } from '../../functions/services/export.ts';
import { type LocalS3, startLocalS3 } from '../../local/s3.ts';
import { karachiDate } from '../../shared/domain/pass-types.ts';
import { cnicSeries } from '../support/data.ts';
import { applicationFor, type TestPlatform, testPlatform } from '../support/platform.ts';

let p: TestPlatform;
let s3: LocalS3;
let dir: string;
const today = karachiDate(new Date());
const crossingIds: string[] = [];
const passNumbers: string[] = [];
const freshCnic = cnicSeries('64', 1);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rahdari-export-'));
  s3 = await startLocalS3({ directory: join(dir, 's3'), bucket: 'rahdari-feed' });
  p = await testPlatform();
  const officer = await p.login('fia-officer', 'officer-1');
  const taftan = await p.login('checkpoint-officer', 'fc-taftan-1', { checkpoint: 'TFT' });
  for (let n = 0; n < 2; n++) {
    const app = await p.api('POST', '/applications', { token: officer, body: applicationFor(freshCnic()) });
    const approved = await p.api('POST', `/applications/${app.json.id}/approve`, { token: officer });
    passNumbers.push(approved.json.pass.number);
    const shown = await p.api('GET', `/passes/${approved.json.pass.number}`, { token: officer });
    // Two OUTs in a row: the second carries a DOUBLE_OUT anomaly.
    const records = ['OUT', 'OUT', 'IN'].map((direction, i) => ({
      id: ulid(),
      credential: shown.json.qrText,
      kind: 'bp',
      checkpoint: 'TFT',
      direction,
      at: new Date(Date.now() - 600_000 + i * 1000).toISOString(),
      officer: 'fc-taftan-1',
      device: 'taftan-phone-1',
      verdict: 'VALID',
    }));
    await p.api('POST', '/crossings', { token: taftan, body: { records } });
    crossingIds.push(...records.map((r) => r.id));
  }
}, 60_000);
afterAll(async () => {
  await p?.close();
  await s3?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function object(key: string): Promise<Buffer> {
  const out = await s3.client().send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  return Buffer.from(
    await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
}

async function snapshot(day: string): Promise<Map<string, string>> {
  const manifest = await object(`feed/${day}/manifest.json`);
  const files = new Map<string, string>([['manifest.json', manifest.toString('base64')]]);
  for (const file of JSON.parse(manifest.toString()).files) {
    files.set(file.key, (await object(file.key)).toString('base64'));
  }
  return files;
}

describe('the daily export', () => {
  it('writes each type of the day with a manifest whose counts and digests match the files', async () => {
    const manifest = await exportDay(
      { outbox: p.platform.store.feed, s3: s3.client(), bucket: s3.bucket },
      today,
    );
    expect(manifest.files.map((f) => f.type)).toEqual([
      'crossing',
      'anomaly',
      'pass-issued',
      'pass-revoked',
      'vessel-change',
    ]);
    for (const file of manifest.files) {
      const body = await object(file.key);
      expect(createHash('sha256').update(body).digest('hex')).toBe(file.sha256);
      expect(body.length).toBe(file.bytes);
      const lines = gunzipSync(body).toString('utf8').split('\n').filter(Boolean);
      expect(lines).toHaveLength(file.records);
      for (const line of lines) expect(JSON.parse(line).type).toBe(file.type);
    }
    const crossings = gunzipSync(await object(`feed/${today}/crossing.ndjson.gz`))
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(crossings.map((c) => c.id)).toEqual([...crossingIds].sort());
    const byType = Object.fromEntries(manifest.files.map((f) => [f.type, f.records]));
    expect(byType).toEqual({
      crossing: 6,
      anomaly: 2,
      'pass-issued': 2,
      'pass-revoked': 0,
      'vessel-change': 0,
    });
    const stored = JSON.parse((await object(`feed/${today}/manifest.json`)).toString());
    expect(stored).toEqual(manifest);
  });

  it('gives byte-identical files and manifest when the day is exported again, here through the CLI', async () => {
    const first = await snapshot(today);
    const out: string[] = [];
    const io: CliIo = {
      stdout: (line) => out.push(line),
      stderr: () => undefined,
      readStdin: async () => '',
      now: () => new Date(),
    };
    const code = await main(
      [
        'export',
        '--date',
        today,
        '--bucket',
        s3.bucket,
        '--table',
        p.table.tableName,
        '--endpoint',
        inject('dynamodbEndpoint'),
        '--s3-endpoint',
        s3.endpoint,
      ],
      io,
    );
    expect(code).toBe(0);
    expect(out.at(-1)).toBe(`s3://${s3.bucket}/feed/${today}/manifest.json`);
    expect(await snapshot(today)).toEqual(first);
  });

  it('refuses a date that is not a day, in one line', async () => {
    const err: string[] = [];
    const io: CliIo = {
      stdout: () => undefined,
      stderr: (line) => err.push(line),
      readStdin: async () => '',
      now: () => new Date(),
    };
    expect(await main(['export', '--date', '2026-13-45', '--bucket', 'b', '--table', 't'], io)).toBe(2);
    expect(err[0]).toBe('rahdari: --date must be a day as YYYY-MM-DD');
  });
});
