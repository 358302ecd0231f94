// Integration helper: the local border-pass API on its own table of the run's DynamoDB Local, and a small client.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import type { LocalFeedOptions } from '../../local/feed.ts';
import { type Platform, startPlatform } from '../../local/platform.ts';
import { findPassType, type PassType } from '../../shared/domain/pass-types.ts';
import { loadPassTypes } from '../../shared/domain/pass-types-config.ts';
import type { Role } from '../../shared/schemas.ts';
import { applicationBody } from './data.ts';
import { type TestTable, testTable } from './dynamodb.ts';

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test responses are inspected field by field
  json: any;
}

export interface TestPlatform {
  url: string;
  table: TestTable;
  keyDir: string;
  /** The pass types the handlers apply. */
  passTypes: readonly PassType[];
  /** The platform itself: its store and each route group's metrics. */
  platform: Platform;
  /**
   * A dev token; `bound` is what the account is bound to: a checkpoint officer's checkpoint, an applicant's CNIC,
   * a Fisheries officer's port.
   */
  login(
    role: Role,
    sub?: string,
    bound?: { checkpoint?: string; cnic?: string; port?: string },
  ): Promise<string>;
  api(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<ApiResponse>;
  /** Every item in the table (tests only: a Scan never runs on a request path). */
  items(): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** A JSON client of a local platform: the bearer token, a JSON or raw body, and the answer parsed when it is JSON. */
export function apiClient(baseUrl: string): TestPlatform['api'] {
  return async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  };
}

/**
 * The built-in rahdari ends on a placeholder date (2027-12-31). Tests apply from today for up to 90 days, so
 * as that date nears they would fail for a reason unrelated to what they test, and after it every application
 * would. The handlers therefore get the same rahdari without an end; a test about end dates sets its own.
 */
function openEndedRahdari(): PassType {
  const { effectiveUntil: _placeholder, ...rahdari } = findPassType('RAHDARI') as PassType;
  return rahdari;
}

/** The built-in pass types with `overrides` applied as ops would through PASS_TYPES. */
function configured(overrides: readonly PassType[]): readonly PassType[] {
  const loaded = loadPassTypes(overrides);
  if (!loaded.ok) throw new Error(`test pass types refused: ${loaded.errors.join('; ')}`);
  return loaded.passTypes;
}

export interface TestPlatformOptions {
  /** Overrides of the built-in pass types, as PASS_TYPES gives them; by default the rahdari without its end date. */
  passTypes?: readonly PassType[];
  /** Receives the local server's one-line request summaries. */
  log?: (line: string) => void;
  /** Run the feed's deliverer (`outboxDir` defaults to one under the platform's temporary directory). */
  feed?: Partial<LocalFeedOptions>;
  /** The handlers' clock; the real time by default. */
  clock?: () => Date;
}

/** One per test file: the local stack on its own table, with its own keys and pass types. */
export async function testPlatform(options: TestPlatformOptions = {}): Promise<TestPlatform> {
  const table = await testTable();
  const passTypes = configured(options.passTypes ?? [openEndedRahdari()]);
  const tempDir = mkdtempSync(join(tmpdir(), 'rahdari-it-'));
  const keyDir = join(tempDir, 'keys');
  const platform: Platform = await startPlatform({
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    tableName: table.tableName,
    keyDir,
    passTypes,
    port: 0,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.feed ? { feed: { outboxDir: join(tempDir, 'outbox'), ...options.feed } } : {}),
  });
  const api = apiClient(platform.url);
  return {
    url: platform.url,
    table,
    keyDir,
    passTypes,
    platform,
    api,
    async login(role, sub = `${role}-1`, bound = {}) {
      const res = await api('POST', '/dev/login', { body: { role, sub, ...bound } });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
      return res.json.token as string;
    },
    async items() {
      const all: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await table.client.send(
          new ScanCommand({ TableName: table.tableName, ...(start ? { ExclusiveStartKey: start } : {}) }),
        );
        all.push(...(out.Items ?? []));
        start = out.LastEvaluatedKey;
      } while (start);
      return all;
    },
    // The key directory holds private keys: gone with the platform, not left behind in /tmp.
    async close() {
      await platform.close();
      rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

/** A valid application for the given CNIC, from today (Pakistan time) for 90 days. */
export function applicationFor(cnic: string, overrides: Record<string, unknown> = {}) {
  return applicationBody(cnic, overrides);
}
