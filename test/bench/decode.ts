// QR decoding benchmark: our decoder beside zbarimg on the same 90 phone-like frames of a signed pass.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jpeg from 'jpeg-js';
import { createQrDecoder, type RgbaPixels } from '../../shared/qr-decode.ts';
import { FIELD_LEVELS, makeFieldSet } from '../field/field-set.ts';
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

export async function benchDecode(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rhd-bench-field-'));
  try {
    const set = await makeFieldSet(dir);
    const wasm = readFileSync(fileURLToPath(import.meta.resolve('zxing-wasm/reader/zxing_reader.wasm')));
    const decoder = await createQrDecoder({ wasm: { bytes: wasm }, platform: false });

    const ourReads = new Map<string, string[]>();
    const decodeMs: number[] = [];
    const fileMs: number[] = [];
    for (const frame of set.frames) {
      const pixels = readJpeg(frame.path);
      ourReads.set(frame.path, await decoder.decode(pixels));
      decodeMs.push(await fastest(RUNS_PER_FRAME, () => decoder.decode(pixels)));
      fileMs.push(await fastest(RUNS_PER_FRAME, () => decoder.decode(readJpeg(frame.path))));
    }
    const zbarReads = zbarimgMissing ? undefined : await zbarRead(set.frames.map((f) => f.path));
    const zbarMs: number[] = [];
    if (!zbarimgMissing) for (const frame of set.frames) zbarMs.push(1000 * (await zbarSeconds(frame.path)));

    const rows: BenchRow[] = [];
    let wrong = 0;
    for (const level of FIELD_LEVELS) {
      const frames = set.frames.filter((f) => f.level === level);
      const read = (reads: Map<string, string[]> | undefined) =>
        frames.filter((f) => reads?.get(f.path)?.includes(set.qrText)).length;
      wrong += frames.flatMap((f) => ourReads.get(f.path) ?? []).filter((t) => t !== set.qrText).length;
      rows.push({
        name: `${level} frames read (ZXing-C++ 1 pass)`,
        value: read(ourReads),
        unit: `of ${frames.length}`,
        ...(zbarReads && { baseline: { name: 'zbarimg, same frames', value: read(zbarReads) } }),
        note: level === 'hard' ? 'bar: never below zbarimg, more hard frames than it' : '',
      });
    }
    const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
    const ours = sorted(decodeMs);
    const withFile = sorted(fileMs);
    const zbar = sorted(zbarMs);
    const zbarBaseline = (q: number) =>
      zbarimgMissing
        ? {}
        : { baseline: { name: `zbarimg's own time, ${q * 100}th pct.`, value: quantile(zbar, q) } };
    rows.push(
      {
        name: `wrong reads (text other than the pass's), all ${set.frames.length} frames`,
        value: wrong,
        unit: 'frames',
        note: 'must be 0',
      },
      {
        name: 'decode 1280x720 RGBA frame, p50',
        value: quantile(ours, 0.5),
        unit: 'ms',
        ...zbarBaseline(0.5),
        note: `Node ${process.version}, fastest of ${RUNS_PER_FRAME} per frame`,
      },
      {
        name: 'decode 1280x720 RGBA frame, p95',
        value: quantile(ours, 0.95),
        unit: 'ms',
        ...zbarBaseline(0.95),
        note: 'bar: p95 ≤ 30 ms; zbarimg reads the JPEG itself (10 ms steps, process start excluded)',
      },
      {
        name: 'JPEG file (jpeg-js) + decode, p95',
        value: quantile(withFile, 0.95),
        unit: 'ms',
        ...zbarBaseline(0.95),
        note: 'like for like with zbarimg: both read the file',
      },
    );
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
