// A separate process that exports one day and can be killed mid-upload: it prints `part <n>` as each part of the
// crossings file is taken by S3, and holds every part past HOLD_AFTER_PART until it is killed (SIGKILL: no abort,
// no clean-up, as a Lambda that times out). Arguments come in the environment.
import { exportDay } from '../../functions/services/export.ts';
import { documentClient } from '../../functions/store/client.ts';
import { createStore } from '../../functions/store/store.ts';
import { localS3Client } from '../../local/s3.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const store = createStore(documentClient({ endpoint: env('DYNAMODB_ENDPOINT') }), env('TABLE_NAME'));
const s3 = localS3Client(env('S3_ENDPOINT'));
const holdAfter = Number(env('HOLD_AFTER_PART'));
s3.middlewareStack.add(
  (next, context) => async (args) => {
    const input = args.input as { PartNumber?: number; Key?: string };
    const isCrossingPart =
      context.commandName === 'UploadPartCommand' && input.Key?.endsWith('crossing.ndjson.gz');
    if (isCrossingPart && (input.PartNumber ?? 0) > holdAfter) await new Promise(() => undefined);
    const out = await next(args);
    if (isCrossingPart) process.stdout.write(`part ${input.PartNumber}\n`);
    return out;
  },
  { step: 'initialize', name: 'holdPartsForTheKill' },
);
await exportDay(
  { outbox: store.feed, s3, bucket: env('BUCKET'), partSize: Number(env('PART_SIZE')) },
  env('DAY'),
);
process.stdout.write('exported\n');
