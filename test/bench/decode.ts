// QR decoding benchmark: our decoder beside zbarimg on the same phone-like frames of a signed pass and boat certificate.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jpeg from 'jpeg-js';
import { fromQrText, qrVersion } from '../../shared/qr.ts';
import { createQrDecoder, type QrDecoder, type RgbaPixels } from '../../shared/qr-decode.ts';
import {
  FIELD_LEVELS,
  type FieldCredential,
  type FieldSet,
  type FieldSetOptions,
  makeFieldSet,
} from '../field/field-set.ts';
import { zbarimgMissing, zbarRead, zbarSeconds } from '../field/zbar.ts';
import { type BenchRow, quantile } from './harness.ts';

// Each frame is timed this many times and its fastest run kept, so that another process taking the CPU for a
// moment does not pass for the decoder's own cost.
const RUNS_PER_FRAME = 3;

function readJpeg(path: string): RgbaPixels {
  const image = jpeg.decode(readFileSync(path), { useTArray: true, formatAsRGBA: true });
  return { data: image.data, width: image.width, height: image.height };
}

async function fastest(runs: number, op: () => Promise<unknown>): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await op();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

interface Reading {
  set: FieldSet;
  /** What each frame gave, with the second attempt and with the first pass alone. */
  reads: Map<string, string[]>;
  firstReads: Map<string, string[]>;
  zbarReads: Map<string, string[]> | undefined;
  /** Fastest time of each frame, in frame order. */
  ms: number[];
  firstMs: number[];
}

async function readFieldSet(
  dir: string,
  options: FieldSetOptions,
  decoder: QrDecoder,
  firstPass: QrDecoder,
  timed: boolean,
): Promise<Reading> {
  mkdirSync(dir);
  const set = await makeFieldSet(dir, options);
  const reads = new Map<string, string[]>();
  const firstReads = new Map<string, string[]>();
  const ms: number[] = [];
  const firstMs: number[] = [];
  for (const frame of set.frames) {
    const pixels = readJpeg(frame.path);
    reads.set(frame.path, await decoder.decode(pixels));
    firstReads.set(frame.path, await firstPass.decode(pixels));
    if (!timed) continue;
    ms.push(await fastest(RUNS_PER_FRAME, () => decoder.decode(pixels)));
    firstMs.push(await fastest(RUNS_PER_FRAME, () => firstPass.decode(pixels)));
  }
  const zbarReads = zbarimgMissing ? undefined : await zbarRead(set.frames.map((f) => f.path));
  return { set, reads, firstReads, zbarReads, ms, firstMs };
}

function rateRows(label: string, { set, reads, firstReads, zbarReads }: Reading): BenchRow[] {
  return FIELD_LEVELS.map((level) => {
    const frames = set.frames.filter((f) => f.level === level);
    const read = (texts: Map<string, string[]> | undefined) =>
      frames.filter((f) => texts?.get(f.path)?.includes(set.qrText)).length;
    return {
      name: `${label}, ${level} frames read`,
      value: read(reads),
      unit: `of ${frames.length}`,
      ...(zbarReads && { baseline: { name: 'zbarimg, same frames', value: read(zbarReads) } }),
      note: `first pass alone ${read(firstReads)}${level === 'hard' ? '; bar: ≥ 10, never below zbarimg' : ''}`,
    };
  });
}

function wrongReads({ set, reads, firstReads }: Reading): number {
  return set.frames
    .flatMap((f) => [...(reads.get(f.path) ?? []), ...(firstReads.get(f.path) ?? [])])
    .filter((text) => text !== set.qrText).length;
}

const describeCode = (set: FieldSet) => `version ${set.version}, ${set.modules} modules`;

/** The QR size of the test vectors' pass and boat certificate at ECC M, the level kept, beside L. */
function sizeRows(): BenchRow[] {
  const vector = (file: string) => {
    const { input } = JSON.parse(
      readFileSync(fileURLToPath(new URL(`../vectors/${file}`, import.meta.url)), 'utf8'),
    ) as { input: string };
    return fromQrText(input);
  };
  return [
    ['pass (test vector valid-pass-qr)', vector('valid-pass-qr.json')],
    ['boat certificate (test vector valid-vessel)', vector('valid-vessel.json')],
  ].map(([name, token = '']) => {
    const at = (ecl: 'M' | 'L') => 17 + 4 * qrVersion(token, ecl);
    return {
      name: `${name}: modules across at ECC M`,
      value: at('M'),
      unit: 'modules',
      baseline: { name: 'same token at ECC L', value: at('L') },
      note: `version ${qrVersion(token, 'M')} at M, ${qrVersion(token, 'L')} at L; M kept (docs/credential-format.md)`,
    };
  });
}

export async function benchDecode(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rhd-bench-field-'));
  try {
    const wasm = readFileSync(fileURLToPath(import.meta.resolve('zxing-wasm/reader/zxing_reader.wasm')));
    const decoder = await createQrDecoder({ wasm: { bytes: wasm }, platform: false });
    const firstPass = await createQrDecoder({ wasm: { bytes: wasm }, platform: false, retry: false });

    const credentials: FieldCredential[] = ['pass', 'boat'];
    const rows: BenchRow[] = sizeRows();
    let wrong = 0;
    let frames = 0;
    let timing: Reading | undefined;
    for (const credential of credentials) {
      const at = (ecl: 'M' | 'L') =>
        readFieldSet(join(dir, `${credential}-${ecl}`), { credential, ecl }, decoder, firstPass, false);
      // Timed on the pass at ECC M, the code checkpoints read most; the same frames as the rates.
      const chosen = await readFieldSet(
        join(dir, `${credential}-M-timed`),
        { credential, ecl: 'M' },
        decoder,
        firstPass,
        credential === 'pass',
      );
      if (credential === 'pass') timing = chosen;
      rows.push(...rateRows(`${credential} at ECC M (${describeCode(chosen.set)})`, chosen));
      // The same credential at ECC L, printed in the same box: larger modules, half the error correction.
      const lower = await at('L');
      rows.push(...rateRows(`${credential} at ECC L (${describeCode(lower.set)})`, lower));
      wrong += wrongReads(chosen) + wrongReads(lower);
      frames += chosen.set.frames.length + lower.set.frames.length;
    }
    rows.push({
      name: `wrong reads (text other than the credential's), all ${frames} frames`,
      value: wrong,
      unit: 'frames',
      note: 'must be 0',
    });
    if (timing) rows.push(...(await timingRows(timing)));
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function timingRows({ set, ms, firstMs }: Reading): Promise<BenchRow[]> {
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  const zbar: number[] = [];
  if (!zbarimgMissing) for (const frame of set.frames) zbar.push(1000 * (await zbarSeconds(frame.path)));
  const ours = sorted(ms);
  const first = sorted(firstMs);
  const zbarSorted = sorted(zbar);
  const hard = set.frames.flatMap((f, i) => (f.level === 'hard' ? [i] : []));
  const hardOurs = sorted(hard.map((i) => ms[i] as number));
  const hardFirst = sorted(hard.map((i) => firstMs[i] as number));
  const zbarBaseline = (q: number) =>
    zbarimgMissing
      ? {}
      : { baseline: { name: `zbarimg's own time, ${q * 100}th pct.`, value: quantile(zbarSorted, q) } };
  const note = `pass at ECC M, all ${set.frames.length} frames, Node ${process.version}, fastest of ${RUNS_PER_FRAME}`;
  return [
    {
      name: 'first pass, 1280x720 frame, p50',
      value: quantile(first, 0.5),
      unit: 'ms',
      ...zbarBaseline(0.5),
      note,
    },
    {
      name: 'first pass, 1280x720 frame, p95',
      value: quantile(first, 0.95),
      unit: 'ms',
      ...zbarBaseline(0.95),
      note: 'bar: p95 ≤ 30 ms; zbarimg reads the JPEG itself (10 ms steps, process start excluded)',
    },
    {
      name: 'with the second attempt, p50',
      value: quantile(ours, 0.5),
      unit: 'ms',
      baseline: { name: 'first pass alone, p50', value: quantile(first, 0.5) },
      note: 'the second attempt runs only on a frame the first pass cannot read',
    },
    {
      name: 'with the second attempt, p95',
      value: quantile(ours, 0.95),
      unit: 'ms',
      baseline: { name: 'first pass alone, p95', value: quantile(first, 0.95) },
      note: 'bar: p95 ≤ 60 ms, so a frame read on the second attempt still leaves room in the 150 ms scan-to-verdict',
    },
    {
      name: 'hard frames with the second attempt, p95',
      value: quantile(hardOurs, 0.95),
      unit: 'ms',
      baseline: { name: 'first pass alone, hard, p95', value: quantile(hardFirst, 0.95) },
      note: 'most hard frames pay for both attempts',
    },
  ];
}
