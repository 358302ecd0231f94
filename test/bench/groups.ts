// Pilgrim group benchmarks on DynamoDB Local: one request approving a group of 500 beside 500 single approvals of
// the same passes, both through their handlers as Lambda calls them, and the size of the group's application.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { base64url } from 'jose';
import { ulid } from 'ulid';
import { createApprovalsHandler } from '../../functions/api/approvals.ts';
import { createGroupApprovalsHandler } from '../../functions/api/group-approvals.ts';
import { submitGroup } from '../../functions/services/groups.ts';
import type { Application } from '../../functions/store/records.ts';
import { startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { toHttpApiEvent } from '../../local/http-event.ts';
import { CountingMetrics } from '../../local/metrics.ts';
import { startPlatform } from '../../local/platform.ts';
import { PASS_TYPES } from '../../shared/domain/pass-types.ts';
import { GroupInput } from '../../shared/group-schemas.ts';
import { qrVersion } from '../../shared/qr.ts';
import { signingFromConfig } from '../../signing/signing.ts';
import { karachiDay } from '../support/data.ts';
import { generatePilgrims, groupBody, ORGANIZER } from '../support/pilgrims.ts';
import { type BenchRow, quantile } from './harness.ts';

const MEMBERS = 500;
/** The approvals function's timeout in AWS (infra/constructs/function.ts): the request must finish well inside it. */
const FUNCTION_TIMEOUT_MS = 10_000;

export async function benchGroups(): Promise<BenchRow[]> {
  const dynamodb = await startDynamoDbLocal({ port: 0 });
  try {
    const keyDir = join(mkdtempSync(join(tmpdir(), 'rahdari-bench-')), 'keys');
    const platform = await startPlatform({
      dynamodbEndpoint: dynamodb.endpoint,
      tableName: 'rahdari-bench',
      keyDir,
      port: 0,
    });
    const store = platform.store;
    const signing = signingFromConfig({ keyDir, passKeyIds: [] });
    const observe = (name: string) => ({
      logger: new Logger({ serviceName: name, logLevel: 'WARN' }),
      metrics: new CountingMetrics(name),
    });
    const clock = () => new Date();
    const groupApprovals = createGroupApprovalsHandler({
      ...observe('groupApprovals'),
      store,
      clock,
      passTypes: PASS_TYPES,
      signing,
    });
    const approvals = createApprovalsHandler({
      ...observe('approvals'),
      store,
      clock,
      passTypes: PASS_TYPES,
      signing,
    });
    const supervisor = { sub: 'bench-supervisor', 'cognito:groups': '[fia-supervisor]' };
    const context = {} as Context;
    const event = (routeKey: string, path: string, pathParameters: Record<string, string>) =>
      toHttpApiEvent({
        routeKey,
        method: 'POST',
        path,
        headers: {},
        pathParameters,
        claims: supervisor,
        requestId: ulid(),
        at: Date.now(),
      });

    // The group, applied for through the service (not what is measured).
    const pilgrims = generatePilgrims(MEMBERS, 500);
    const body = groupBody(pilgrims);
    const bodyBytes = Buffer.byteLength(JSON.stringify(body));
    const actor = { sub: 'bench-supervisor', role: 'fia-supervisor' } as const;
    await store.groups.putOrganizer(
      { cnic: '4210112345671', ...ORGANIZER, registeredBy: actor, registeredAt: new Date().toISOString() },
      undefined,
      actor,
      new Date().toISOString(),
    );
    const group = await submitGroup(
      { store, clock, metrics: new CountingMetrics('groups'), passTypes: PASS_TYPES },
      GroupInput.parse({ ...body, leaderCnic: '4210112345671' }),
      { actor: { sub: 'bench-officer', role: 'fia-officer' }, fia: true, staff: true },
    );

    let started = performance.now();
    const res = await groupApprovals(
      event('POST /groups/{no}/approve', `/groups/${group.number}/approve`, { no: group.number }),
      context,
    );
    const groupMs = performance.now() - started;
    if (res.statusCode !== 200) throw new Error(`group approval answered ${res.statusCode}: ${res.body}`);

    // Baseline: the same 500 people as single applications, each approved by its own request.
    const ids: string[] = [];
    for (const [i, p] of pilgrims.entries()) {
      const at = new Date().toISOString();
      const app: Application = {
        id: ulid(),
        status: 'PENDING',
        passType: 'RAHDARI',
        cnic: `5${300_000_000_000 + i}`,
        name: p.name,
        fatherName: p.fatherName,
        district: 'CHAGAI',
        crossingPoints: ['TFT'],
        validFrom: karachiDay(),
        validUntil: karachiDay(30),
        submittedBy: { sub: 'bench', role: 'fia-officer' },
        createdAt: at,
        updatedAt: at,
      };
      await store.applications.create(app);
      ids.push(app.id);
    }
    started = performance.now();
    for (const id of ids) {
      const single = await approvals(
        event('POST /applications/{id}/approve', `/applications/${id}/approve`, { id }),
        context,
      );
      if (single.statusCode !== 201)
        throw new Error(`approval answered ${single.statusCode}: ${single.body}`);
    }
    const singlesMs = performance.now() - started;
    await platform.close();

    // A member's QR beside the same person's ordinary pass: what the group claim costs the code on paper.
    const header = base64url.encode(JSON.stringify({ alg: 'ES256', kid: 'A7jYEyNs', typ: 'bp+jwt' }));
    const signature = 'A'.repeat(86);
    const versionOf = (claims: object) =>
      qrVersion(`${header}.${base64url.encode(JSON.stringify(claims))}.${signature}`);
    const withGroup: number[] = [];
    const without: number[] = [];
    for (const [i, p] of pilgrims.entries()) {
      const claims = {
        sub: `BP-2026-${String(i + 1).padStart(6, '0')}`,
        nbf: 1_796_000_000,
        exp: 1_798_600_000,
        n: p.name,
        f: p.fatherName,
        c: Number(p.cnic),
        p: 'TFT',
      };
      without.push(versionOf(claims));
      withGroup.push(versionOf({ ...claims, g: 'ZG-2026-00012' }));
    }
    withGroup.sort((a, b) => a - b);
    without.sort((a, b) => a - b);

    return [
      {
        name: `approve a group of ${MEMBERS} in one request`,
        value: groupMs,
        unit: 'ms',
        baseline: { name: `${MEMBERS} single approvals, one request each`, value: singlesMs },
        note: `${(groupMs / FUNCTION_TIMEOUT_MS).toFixed(2)} of the 10 s function timeout`,
      },
      {
        name: "member's pass QR version at ECC M, p95",
        value: quantile(withGroup, 0.95),
        unit: '',
        baseline: { name: 'the same people on an ordinary pass', value: quantile(without, 0.95) },
        note: `max ${withGroup.at(-1)} beside ${without.at(-1)}`,
      },
      {
        name: `group application body, ${MEMBERS} members`,
        value: Math.round(bodyBytes / 1024),
        unit: 'KB',
        baseline: { name: 'the groups route body limit', value: 256 },
      },
    ];
  } finally {
    await dynamodb.stop();
  }
}
