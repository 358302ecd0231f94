// API benchmarks on DynamoDB Local: approvals through the handler vs raw transactions, and POST latency under load.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { ulid } from 'ulid';
import { createApprovalsHandler } from '../../functions/api/approvals.ts';
import { signPass } from '../../functions/services/passes.ts';
import type { Application, Pass } from '../../functions/store/records.ts';
import { startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { toHttpApiEvent } from '../../local/http-event.ts';
import { CountingMetrics } from '../../local/metrics.ts';
import { startPlatform } from '../../local/platform.ts';
import { PASS_TYPES } from '../../shared/domain/pass-types.ts';
import { signingFromConfig } from '../../signing/signing.ts';
import { generateHolders, karachiDay } from '../support/data.ts';
import { type BenchRow, quantile } from './harness.ts';

const APPROVALS = 300;
const POSTS = 1_000;
const CONCURRENCY = 32;

const today = (offset = 0) => karachiDay(offset);

export async function benchApi(): Promise<BenchRow[]> {
  const dynamodb = await startDynamoDbLocal({ port: 0 });
  try {
    const keyDir = join(mkdtempSync(join(tmpdir(), 'rahdari-bench-')), 'keys');
    const platform = await startPlatform({
      dynamodbEndpoint: dynamodb.endpoint,
      tableName: 'rahdari-bench',
      keyDir,
      port: 0,
    });
    // The approvals handler called directly, as Lambda would, over the platform's store.
    const store = platform.store;
    const signing = signingFromConfig({ keyDir, passKeyIds: [] });
    const handler = createApprovalsHandler({
      store,
      clock: () => new Date(),
      passTypes: PASS_TYPES,
      signing,
      logger: new Logger({ serviceName: 'approvals', logLevel: 'WARN' }),
      metrics: new CountingMetrics('approvals'),
    });
    const holders = generateHolders(APPROVALS + POSTS, 99);
    const officer = { sub: 'bench-officer', 'cognito:groups': '[fia-officer]' };
    const context = {} as Context;

    // Applications to approve, written straight through the store (not what is measured).
    const ids: string[] = [];
    const apps: Application[] = [];
    for (const [i, h] of [...holders.slice(0, APPROVALS), ...holders.slice(0, APPROVALS)].entries()) {
      const id = ulid();
      const at = new Date().toISOString();
      const app: Application = {
        id,
        status: 'PENDING',
        passType: 'RAHDARI',
        // One distinct CNIC per application: a CNIC may hold only one open application.
        cnic: `5${200_000_000_000 + i}`,
        name: h.name,
        fatherName: h.fatherName,
        district: h.district,
        crossingPoints: h.crossingPoints as never,
        validFrom: today(),
        validUntil: today(180),
        submittedBy: { sub: 'bench', role: 'fia-officer' },
        createdAt: at,
        updatedAt: at,
      };
      await store.applications.create(app);
      ids.push(id);
      apps.push(app);
    }

    const approveEvent = (id: string) =>
      toHttpApiEvent({
        routeKey: 'POST /applications/{id}/approve',
        method: 'POST',
        path: `/applications/${id}/approve`,
        headers: {},
        pathParameters: { id },
        claims: officer,
        requestId: ulid(),
        at: Date.now(),
      });
    let started = performance.now();
    for (const id of ids.slice(0, APPROVALS)) {
      const res = await handler(approveEvent(id), context);
      if (res.statusCode !== 201) throw new Error(`approval answered ${res.statusCode}: ${res.body}`);
    }
    const approvalsPerSecond = (APPROVALS * 1000) / (performance.now() - started);

    // Baseline: the very transaction an approval writes (counter, application, pass, the open-application guard, two audit items, the watchlist check), sent
    // straight through the store for already signed passes: no reads, no rules, no signing, no HTTP plumbing.
    const signer = await signing.pass();
    const year = Number(today().slice(0, 4));
    const prepared: { app: Application; pass: Pass }[] = [];
    for (const [i, app] of apps.slice(APPROVALS).entries()) {
      const number = `BP-${year}-${String(900_000 + i).padStart(6, '0')}`;
      const actor = { sub: 'bench-officer', role: 'fia-officer' } as const;
      prepared.push({ app, pass: await signPass(app, number, signer, actor, new Date()) });
    }
    started = performance.now();
    for (const [i, { app, pass }] of prepared.entries()) {
      await store.passes.issue({
        app,
        from: ['PENDING'],
        pass,
        counter: { name: 'BASE', year, value: i },
        actor: pass.issuedBy,
        unlistedCnic: app.cnic,
      });
    }
    const rawPerSecond = (APPROVALS * 1000) / (performance.now() - started);

    // The one read an approval cannot avoid (the application it signs), on the same engine.
    started = performance.now();
    for (const app of apps.slice(0, APPROVALS)) await store.applications.get(app.id);
    const readMs = (performance.now() - started) / APPROVALS;

    // POST /applications over HTTP with 32 clients at once.
    const token = (
      (await (
        await fetch(`${platform.url}/dev/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ role: 'fia-officer', sub: 'counter-1' }),
        })
      ).json()) as { token: string }
    ).token;
    const bodies = holders.slice(APPROVALS).map((h, i) =>
      JSON.stringify({
        passType: 'RAHDARI',
        cnic: `5${String(100000000000 + i).slice(0, 12)}`,
        name: h.name,
        fatherName: h.fatherName,
        district: h.district,
        crossingPoints: h.crossingPoints,
        validFrom: today(),
        validUntil: today(90),
      }),
    );
    const latencies: number[] = [];
    let next = 0;
    const wallStart = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++] as string;
          const t0 = performance.now();
          const res = await fetch(`${platform.url}/applications`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body,
          });
          await res.arrayBuffer();
          if (res.status !== 201) throw new Error(`POST /applications answered ${res.status}`);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const wall = performance.now() - wallStart;
    latencies.sort((a, b) => a - b);

    // Baseline for latency: GET /health, one key read through the same server and event plumbing.
    const healthLatencies: number[] = [];
    let h = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (h++ < POSTS) {
          const t0 = performance.now();
          await (await fetch(`${platform.url}/health`)).arrayBuffer();
          healthLatencies.push(performance.now() - t0);
        }
      }),
    );
    healthLatencies.sort((a, b) => a - b);
    await platform.close();

    return [
      {
        name: 'approvals through the handler (sign + store + audit)',
        value: approvalsPerSecond,
        unit: 'approvals/s',
        baseline: { name: 'the same TransactWriteItems alone', value: rawPerSecond },
        note: 'target ratio >= 0.7; DynamoDB Local, sequential',
      },
      {
        name: 'time per approval',
        value: 1000 / approvalsPerSecond,
        unit: 'ms',
        baseline: {
          name: 'the transaction + one GetItem of the application',
          value: 1000 / rawPerSecond + readMs,
        },
        note: 'what the handler adds beyond its unavoidable I/O',
      },
      {
        name: `POST /applications p50, ${CONCURRENCY} clients`,
        value: quantile(latencies, 0.5),
        unit: 'ms',
        baseline: { name: 'GET /health p50', value: quantile(healthLatencies, 0.5) },
      },
      {
        name: `POST /applications p95, ${CONCURRENCY} clients`,
        value: quantile(latencies, 0.95),
        unit: 'ms',
        baseline: { name: 'GET /health p95', value: quantile(healthLatencies, 0.95) },
        note: `${Math.round((POSTS * 1000) / wall)} applications/s over ${POSTS}`,
      },
    ];
  } finally {
    await dynamodb.stop();
  }
}
