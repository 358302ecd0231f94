// `npm run bench`: every benchmark of the platform, each figure beside a baseline measured in the same run.
import { benchApi } from './api.ts';
import { benchBundles } from './bundles.ts';
import { benchCredential } from './credential.ts';
import { benchCrossings } from './crossings.ts';
import { benchFeed } from './feed.ts';
import { benchGroups } from './groups.ts';
import { printTable } from './harness.ts';
import { benchQrRender } from './qr.ts';
import { benchSearch } from './search.ts';
import { benchVessels } from './vessels.ts';
import { benchExport, benchReports } from './volume.ts';

const suites: [string, () => Promise<Parameters<typeof printTable>[1]>][] = [
  ['Credential core', benchCredential],
  ['QR rendering', benchQrRender],
  ['QR decoding on phone-like frames', async () => (await import('./decode.ts')).benchDecode()],
  ['Border-pass API on DynamoDB Local', benchApi],
  ['Boat register on DynamoDB Local', benchVessels],
  ['Crossing sync on DynamoDB Local', benchCrossings],
  ['Ministry feed on DynamoDB Local', benchFeed],
  ['Daily export at volume on DynamoDB Local and s3rver', benchExport],
  ['Reports at volume on DynamoDB Local', benchReports],
  ['Pilgrim groups on DynamoDB Local', benchGroups],
  ['FIA search on DynamoDB Local', benchSearch],
  ['Lambda bundles', benchBundles],
  ['Checkpoint app in Chromium', async () => (await import('./checkpoint.ts')).benchCheckpoint()],
  [
    'Checkpoint app: a queue of people through the camera in Chromium',
    async () => (await import('./checkpoint-queue.ts')).benchCheckpointQueue(),
  ],
  ['Office pages in Chromium', async () => (await import('./office.ts')).benchOffice()],
  [
    'Checkpoint app sending crossings in Chromium',
    async () => (await import('./checkpoint-sync.ts')).benchCheckpointSync(),
  ],
];

const only = process.argv[2];
console.log(`Rahdari benchmarks on Node ${process.version}, ${new Date().toISOString()}`);
for (const [title, run] of suites) {
  if (only && !title.toLowerCase().includes(only.toLowerCase())) continue;
  printTable(title, await run());
}
