// Boat register benchmarks on DynamoDB Local: a generated fleet registered through the service vs the same
// transactions alone, one port listed page by page, and the certificate QR versions of the whole fleet.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { registerVessel } from '../../functions/services/vessels.ts';
import { documentClient } from '../../functions/store/client.ts';
import { createStore, type Store } from '../../functions/store/store.ts';
import type { Vessel } from '../../functions/store/vessels.ts';
import { startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { ensureTable } from '../../local/ensure-table.ts';
import { CountingMetrics } from '../../local/metrics.ts';
import { signCredential } from '../../shared/credential.ts';
import {
  formatCertificateSerial,
  formatOfficialNumber,
  validateVessel,
  vesselCertificateClaims,
} from '../../shared/domain/vessel.ts';
import { generateSigningKey, signerFromPkcs8 } from '../../shared/keys.ts';
import { qrVersion } from '../../shared/qr.ts';
import { karachiDay } from '../support/data.ts';
import { generateFleet } from '../support/fleet.ts';
import { type BenchRow, quantile } from './harness.ts';

const BOATS = Number(process.env.BENCH_BOATS ?? '5000');
const PAGE = 100;
/** The port listed page by page: Karachi Fish Harbour, the largest fleet. */
const LISTED_PORT = 'KFH';
const OFFICER = { sub: 'bench-fisheries', role: 'fisheries-officer' } as const;

async function freshStore(endpoint: string, name: string): Promise<Store> {
  const raw = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(raw, name);
  raw.destroy();
  return createStore(documentClient({ endpoint }), name);
}

export async function benchVessels(): Promise<BenchRow[]> {
  const dynamodb = await startDynamoDbLocal({ port: 0 });
  try {
    const signer = await signerFromPkcs8((await generateSigningKey()).pkcs8Pem);
    const today = karachiDay();
    const fleet = generateFleet(BOATS, 2026, { licenceValidFrom: today });

    // Through the service: validation, the duplicate and watchlist reads, the number, the signature, the
    // transaction with its guards and audit item. Each officer acts for the boat's own port.
    const service = await freshStore(dynamodb.endpoint, 'rahdari-bench-vessels');
    const deps = {
      store: service,
      clock: () => new Date(),
      metrics: new CountingMetrics('certificates'),
      passSigner: async () => signer,
    };
    // Baseline: the very TransactWriteItems a registration writes (counter, boat, name guard, audit item, and
    // the previous-registration guard and check where given), for boats validated and signed beforehand, on a
    // table of its own on the same engine: no reads, no rules, no signing.
    const raw = await freshStore(dynamodb.endpoint, 'rahdari-bench-vessels-raw');
    const year = Number(today.slice(0, 4));
    const serials = new Map<string, number>();
    const prepared: { vessel: Vessel; last: number }[] = [];
    const now = new Date();
    for (const boat of fleet) {
      const checked = validateVessel(boat, now);
      if (!checked.ok) throw new Error(`fleet boat refused: ${JSON.stringify(checked.errors)}`);
      const { warnings: _warnings, ...value } = checked.value;
      const last = serials.get(value.homePort) ?? 0;
      serials.set(value.homePort, last + 1);
      const officialNumber = formatOfficialNumber(value.homePort, year, last + 1);
      const serial = formatCertificateSerial(officialNumber, 1);
      const at = now.toISOString();
      const record = {
        ...value,
        officialNumber,
        status: 'ACTIVE' as const,
        certificates: 1,
        registeredAt: at,
        registeredBy: OFFICER,
        ownerSince: at,
        updatedAt: at,
      };
      const claims = vesselCertificateClaims(record, serial, now);
      const certificate = {
        serial,
        token: await signCredential(signer, 'vr', claims),
        kid: signer.kid,
        exp: claims.exp,
        issuedAt: at,
        issuedBy: OFFICER,
      };
      prepared.push({ vessel: { ...record, certificate }, last });
    }
    // Interleaved, boat by boat, so both see the engine in the same state (DynamoDB Local slows as it fills).
    const registered: Vessel[] = [];
    let serviceMs = 0;
    let rawMs = 0;
    for (const [i, boat] of fleet.entries()) {
      let t0 = performance.now();
      const { vessel } = await registerVessel(deps, boat, { actor: OFFICER, port: boat.homePort });
      serviceMs += performance.now() - t0;
      registered.push(vessel);
      const { vessel: same, last } = prepared[i] as { vessel: Vessel; last: number };
      t0 = performance.now();
      await raw.vessels.register({
        vessel: same,
        counter: { name: `VR-${same.homePort}`, year, value: last },
        actor: OFFICER,
      });
      rawMs += performance.now() - t0;
    }
    const servicePerSecond = (BOATS * 1000) / serviceMs;
    const rawPerSecond = (BOATS * 1000) / rawMs;

    // One port's boats, page by page through the store, against the same Query pages sent alone.
    const listPages = async () => {
      let cursor: string | undefined;
      let boats = 0;
      let pages = 0;
      do {
        const page = await service.vessels.list({
          port: LISTED_PORT,
          limit: PAGE,
          ...(cursor ? { cursor } : {}),
        });
        boats += page.items.length;
        pages += 1;
        cursor = page.cursor;
      } while (cursor);
      return { boats, pages };
    };
    const rawPages = async () => {
      let start: Record<string, unknown> | undefined;
      do {
        const out = await service.table.db.send(
          new QueryCommand({
            TableName: service.table.name,
            IndexName: 'GSI4',
            KeyConditionExpression: 'GSI4PK = :pk',
            ExpressionAttributeValues: { ':pk': `PORT#${LISTED_PORT}` },
            Limit: PAGE,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        start = out.LastEvaluatedKey;
      } while (start);
    };
    // Alternated over several rounds and the median taken: one round of each swings with the machine's load.
    const listRounds: number[] = [];
    const rawRounds: number[] = [];
    let listed = await listPages();
    await rawPages();
    for (let round = 0; round < 7; round++) {
      let t0 = performance.now();
      listed = await listPages();
      listRounds.push(performance.now() - t0);
      t0 = performance.now();
      await rawPages();
      rawRounds.push(performance.now() - t0);
    }
    const listMs = quantile(
      listRounds.sort((x, y) => x - y),
      0.5,
    );
    const rawListMs = quantile(
      rawRounds.sort((x, y) => x - y),
      0.5,
    );

    // The certificate QR of every boat registered, at error correction M.
    const versions = registered.map((v) => qrVersion(v.certificate.token)).sort((a, b) => a - b);
    const histogram = new Map<number, number>();
    for (const version of versions) histogram.set(version, (histogram.get(version) ?? 0) + 1);
    const distribution = [...histogram]
      .map(([version, n]) => `v${version}: ${((n * 100) / versions.length).toFixed(1)}%`)
      .join(', ');

    return [
      {
        name: `${BOATS.toLocaleString('en-US')} boats registered through the service`,
        value: servicePerSecond,
        unit: 'boats/s',
        baseline: { name: 'the same TransactWriteItems alone', value: rawPerSecond },
        note: 'target ratio >= 0.7; DynamoDB Local, sequential',
      },
      {
        name: `listing ${LISTED_PORT} (${listed.boats} boats) in pages of ${PAGE}`,
        value: listMs / listed.pages,
        unit: 'ms/page',
        baseline: { name: 'the same Query pages alone', value: rawListMs / listed.pages },
        note: `${listed.pages} pages, ${Math.round((listed.boats * 1000) / listMs)} boats/s`,
      },
      {
        name: 'certificate QR version p95 (ECC M)',
        value: quantile(versions, 0.95),
        unit: '',
        baseline: { name: 'goal', value: 12 },
        note: `median v${quantile(versions, 0.5)}, max v${versions.at(-1)}; ${distribution}`,
      },
    ];
  } finally {
    await dynamodb.stop();
  }
}
