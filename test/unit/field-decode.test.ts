// The QR decoder on phone-like frames of a real pass, beside zbarimg on the same frames; and how it is started.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/rahdari.ts';
import { toQrText } from '../../shared/qr.ts';
import {
  createQrDecoder,
  enlargedFrame,
  QrDecodeError,
  type QrDecoder,
  type RgbaPixels,
} from '../../shared/qr-decode.ts';
import { renderQrPng } from '../../shared/qr-png.ts';
import {
  FIELD_LEVELS,
  FIELD_PYTHON,
  type FieldLevel,
  type FieldSet,
  makeFieldSet,
} from '../field/field-set.ts';
import { zbarimgMissing, zbarRead } from '../field/zbar.ts';

const WASM_PATH = fileURLToPath(import.meta.resolve('zxing-wasm/reader/zxing_reader.wasm'));
const wasmBytes = readFileSync(WASM_PATH);
const SAMPLE_JWS = 'eyJhbGciOiJFUzI1NiJ9.e30.c2lnbmF0dXJl';

const workDir = mkdtempSync(join(tmpdir(), 'rhd-field-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function readJpeg(path: string): RgbaPixels {
  const image = jpeg.decode(readFileSync(path), { useTArray: true, formatAsRGBA: true });
  return { data: image.data, width: image.width, height: image.height };
}

type Tally = Record<FieldLevel, { read: number; wrong: string[] }>;

function tally(set: FieldSet, textsOf: (path: string) => readonly string[]): Tally {
  const counts = Object.fromEntries(
    FIELD_LEVELS.map((l) => [l, { read: 0, wrong: [] as string[] }]),
  ) as Tally;
  for (const frame of set.frames) {
    const texts = textsOf(frame.path);
    if (texts.includes(set.qrText)) counts[frame.level].read++;
    for (const text of texts)
      if (text !== set.qrText) counts[frame.level].wrong.push(`${frame.path}: ${text}`);
  }
  return counts;
}

describe('the QR decoder on the field set', () => {
  let set: FieldSet;
  let ours: Tally;
  let firstPass: Tally;
  let zbar: Tally | undefined;
  const sizes = new Set<string>();

  beforeAll(async () => {
    set = await makeFieldSet(workDir);
    const decoder = await createQrDecoder({ wasm: { bytes: wasmBytes }, platform: false });
    const firstPassOnly = await createQrDecoder({
      wasm: { bytes: wasmBytes },
      platform: false,
      retry: false,
    });
    const read = new Map<string, string[]>();
    const readFirst = new Map<string, string[]>();
    for (const frame of set.frames) {
      const pixels = readJpeg(frame.path);
      sizes.add(`${pixels.width}x${pixels.height}`);
      read.set(frame.path, await decoder.decode(pixels));
      readFirst.set(frame.path, await firstPassOnly.decode(pixels));
    }
    ours = tally(set, (path) => read.get(path) ?? []);
    firstPass = tally(set, (path) => readFirst.get(path) ?? []);
    if (!zbarimgMissing) {
      const zbarTexts = await zbarRead(set.frames.map((f) => f.path));
      zbar = tally(set, (path) => zbarTexts.get(path) ?? []);
    }
  }, 900_000);

  it('has 30 frames at each level, each a 1280x720 JPEG of a version 13 or larger code', () => {
    // Act
    const levels = FIELD_LEVELS.map((level) => set.frames.filter((f) => f.level === level).length);

    // Assert
    expect(levels).toEqual([30, 30, 30, 30]);
    expect(sizes).toEqual(new Set(['1280x720']));
    expect(set.modules).toBeGreaterThanOrEqual(17 + 4 * 13);
    expect(set.qrText).toMatch(/^rhd:\/\d+$/);
  });

  it('reads every easy and every medium frame', () => {
    // Assert
    expect(ours.easy.read).toBe(30);
    expect(ours.medium.read).toBe(30);
  });

  it('reads at least a third of the hard frames', () => {
    // Assert
    expect(ours.hard.read).toBeGreaterThanOrEqual(10);
  });

  it('reads two thirds of the night frames, where the torch’s glare wipes out part of the code', () => {
    // Assert: error correction M makes up for the glare; at L the same pass reads about half as many (bench)
    expect(ours.night.read).toBeGreaterThanOrEqual(20);
  });

  it('reads hard frames on its second attempt that the first pass alone misses', () => {
    // Assert: the first pass alone is what it was before there was a second attempt
    expect(ours.hard.read).toBeGreaterThan(firstPass.hard.read);
    expect(firstPass.easy.read).toBe(30);
    expect(firstPass.medium.read).toBe(30);
  });

  it('never returns a text other than the pass’s QR text', () => {
    // Assert
    expect(FIELD_LEVELS.flatMap((level) => [...ours[level].wrong, ...firstPass[level].wrong])).toEqual([]);
  });

  it('reads at least as many frames as zbarimg at every level, and more hard ones', (context) => {
    context.skip(
      zbarimgMissing,
      'zbarimg is not on PATH (Debian: apt-get install zbar-tools; CI installs it)',
    );

    // Assert
    for (const level of FIELD_LEVELS)
      expect(ours[level].read).toBeGreaterThanOrEqual(zbar?.[level].read ?? 0);
    expect(ours.hard.read).toBeGreaterThan(zbar?.hard.read ?? Number.POSITIVE_INFINITY);
  });

  it('is calibrated so that zbarimg reads nearly all easy and medium frames, few hard ones and at most half the night ones', (context) => {
    context.skip(
      zbarimgMissing,
      'zbarimg is not on PATH (Debian: apt-get install zbar-tools; CI installs it)',
    );

    // Assert: the levels mean what they say, so the comparison above is on frames a phone could meet
    expect(zbar?.easy.read).toBeGreaterThanOrEqual(29);
    expect(zbar?.medium.read).toBeGreaterThanOrEqual(27);
    expect(zbar?.hard.read).toBeLessThanOrEqual(6);
    expect(zbar?.night.read).toBeLessThanOrEqual(15);
    expect(FIELD_LEVELS.flatMap((level) => zbar?.[level].wrong ?? [])).toEqual([]);
  });
});

describe('rahdari on phone photos of a pass', () => {
  // The pass in the field set is valid through 2026.
  const during = new Date('2026-07-01T00:00:00Z');
  let set: FieldSet;
  let jwks: string;

  beforeAll(async () => {
    const dir = join(workDir, 'cli');
    mkdirSync(dir);
    set = await makeFieldSet(dir, { perLevel: 1 });
    jwks = join(dir, 'jwks.json');
    writeFileSync(jwks, JSON.stringify({ keys: [set.publicJwk] }));
  }, 300_000);

  async function run(args: string[]) {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await main(args, {
      stdout: (line) => stdout.push(line),
      stderr: (line) => stderr.push(line),
      readStdin: async () => '',
      now: () => during,
    });
    return { code, stdout, stderr };
  }

  const photo = (level: FieldLevel) => set.frames.find((f) => f.level === level)?.path ?? '';

  it('decode prints the QR text of a photo', async () => {
    // Act
    const out = await run(['decode', photo('easy')]);

    // Assert
    expect(out).toEqual({ code: 0, stdout: [set.qrText], stderr: [] });
  });

  it('verify reads the pass in a photo and checks its signature', async () => {
    // Act
    const out = await run(['verify', photo('medium'), '--trust', jwks]);

    // Assert: a bare JWKS is unrooted trust, so a good signature exits 3 rather than 0
    expect(out.code).toBe(3);
    expect(out.stdout.join('\n')).toContain(set.holderName);
    expect(out.stderr).toEqual([]);
  });

  it('decode says in one line that a photo holds no code, and exits 2', async () => {
    // Prepare: the same photo with the pass covered by a sheet of paper
    const pixels = readJpeg(photo('easy'));
    pixels.data.fill(230);
    const covered = join(workDir, 'cli', 'covered.jpg');
    writeFileSync(covered, jpeg.encode({ ...pixels, data: Buffer.from(pixels.data) }, 75).data);

    // Act
    const out = await run(['decode', covered]);

    // Assert
    expect(out).toEqual({
      code: 2,
      stdout: [],
      stderr: [`rahdari: No QR code found in ${covered} (1280x720)`],
    });
  });
});

describe('enlargedFrame', () => {
  it('blends neighbouring pixels by distance, keeping the edges', () => {
    // Prepare: one black and one white pixel side by side
    const pixels = { data: Uint8Array.from([0, 0, 0, 255, 255, 255, 255, 255]), width: 2, height: 1 };

    // Act
    const enlarged = enlargedFrame(pixels, 2);

    // Assert: pixel centres at -0.25, 0.25, 0.75 and 1.25 of the source; weights in 1/256, rounded down
    expect([enlarged.width, enlarged.height]).toEqual([4, 2]);
    expect(Array.from(enlarged.luminance)).toEqual([0, 63, 191, 255, 0, 63, 191, 255]);
  });

  it('turns colour into its luminance', () => {
    // Prepare: pure red, green and blue
    const pixels = {
      data: Uint8Array.from([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255]),
      width: 3,
      height: 1,
    };

    // Act
    const enlarged = enlargedFrame(pixels, 1);

    // Assert
    expect(Array.from(enlarged.luminance)).toEqual([76, 149, 28]);
  });

  it('is a binary PGM file of its luminance', () => {
    // Prepare
    const pixels = { data: new Uint8Array(3 * 2 * 4).fill(200), width: 3, height: 2 };

    // Act
    const { pgm, luminance } = enlargedFrame(pixels, 1.5);

    // Assert
    const header = 'P5\n5 3\n255\n';
    expect(new TextDecoder().decode(pgm.subarray(0, header.length))).toBe(header);
    expect(pgm.subarray(header.length)).toEqual(luminance);
    expect(Array.from(luminance)).toEqual(new Array(15).fill(200));
  });
});

describe('the field set generator', () => {
  it('makes the same frames from the same code and seed', async () => {
    // Prepare
    const png = join(workDir, 'seeded-qr.png');
    writeFileSync(png, await renderQrPng(SAMPLE_JWS));
    const run = async (dir: string) => {
      await promisify(execFile)(FIELD_PYTHON, [
        fileURLToPath(new URL('../field/make_field_set.py', import.meta.url)),
        png,
        join(workDir, dir),
        '--per-level',
        '1',
        '--seed',
        '7',
      ]);
      return FIELD_LEVELS.map((level) => readFileSync(join(workDir, dir, `${level}-00.jpg`)));
    };

    // Act
    const first = await run('seeded-a');
    const second = await run('seeded-b');

    // Assert
    expect(second.map((b, i) => b.equals(first[i] as Buffer))).toEqual(FIELD_LEVELS.map(() => true));
  }, 60_000);
});

describe('createQrDecoder', () => {
  let server: Server;
  let requests: string[];
  let baseUrl: string;

  beforeAll(async () => {
    requests = [];
    server = createServer((request, response) => {
      requests.push(request.url ?? '');
      if (request.url === '/assets/zxing_reader.wasm') {
        response.writeHead(200, { 'content-type': 'application/wasm' }).end(wasmBytes);
      } else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function passPixels(): Promise<RgbaPixels> {
    const png = PNG.sync.read(Buffer.from(await renderQrPng(SAMPLE_JWS)));
    return { data: png.data, width: png.width, height: png.height };
  }

  it('loads the WebAssembly from the URL it is given and from nowhere else', async () => {
    // Prepare
    requests.length = 0;

    // Act
    const decoder = await createQrDecoder({ wasm: { url: `${baseUrl}/assets/zxing_reader.wasm` } });
    const texts = await decoder.decode(await passPixels());

    // Assert
    expect(decoder.engine).toBe('ZXing-C++');
    expect(requests).toEqual(['/assets/zxing_reader.wasm']);
    expect(texts).toEqual([toQrText(SAMPLE_JWS)]);
  });

  it('refuses a URL that does not serve the WebAssembly', async () => {
    // Act
    const start = createQrDecoder({ wasm: { url: `${baseUrl}/missing.wasm` } });

    // Assert
    await expect(start).rejects.toThrow(QrDecodeError);
    await expect(start).rejects.toThrow(/^Cannot fetch the QR decoder from .*missing\.wasm: 404$/);
  });

  it('starts from bytes that are a view into a larger buffer', async () => {
    // Prepare: how a Node Buffer read with others, or cut from a bundle, arrives
    const view = Buffer.concat([Buffer.from('prefix'), wasmBytes, Buffer.from('suffix')]).subarray(
      'prefix'.length,
      'prefix'.length + wasmBytes.length,
    );

    // Act
    const decoder = await createQrDecoder({ wasm: { bytes: view } });

    // Assert
    expect(await decoder.decode(await passPixels())).toEqual([toQrText(SAMPLE_JWS)]);
  });

  it('refuses WebAssembly that is not the build this zxing-wasm version needs', async () => {
    // Prepare
    const tampered = Uint8Array.from(wasmBytes);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;

    // Act
    const start = createQrDecoder({ wasm: { bytes: tampered } });

    // Assert
    await expect(start).rejects.toThrow(
      /^The QR decoder's WebAssembly is not the one zxing-wasm 3\.1\.4 needs$/,
    );
  });

  describe('where the platform has a BarcodeDetector', () => {
    afterEach(() => {
      vi.unstubAllGlobals();
    });

    /** A stand-in for the browser's detector, which Node lacks: what matters here is whether it is chosen. */
    function stubPlatform(formats: string[]) {
      class ImageDataStandIn {
        readonly width: number;
        constructor(_data: Uint8ClampedArray, width: number) {
          this.width = width;
        }
      }
      class DetectorStandIn {
        static getSupportedFormats = async () => formats;
        async detect(image: ImageDataStandIn) {
          return image.width > 0 ? [{ rawValue: 'from the platform' }] : [];
        }
      }
      vi.stubGlobal('ImageData', ImageDataStandIn);
      vi.stubGlobal('BarcodeDetector', DetectorStandIn);
    }

    it('uses it when it reads QR codes, without loading the WebAssembly', async () => {
      // Prepare
      stubPlatform(['ean_13', 'qr_code']);
      requests.length = 0;

      // Act
      const decoder = await createQrDecoder({ wasm: { url: `${baseUrl}/assets/zxing_reader.wasm` } });
      const texts = await decoder.decode(await passPixels());

      // Assert
      expect(decoder.engine).toBe('BarcodeDetector');
      expect(texts).toEqual(['from the platform']);
      expect(requests).toEqual([]);
    });

    it('falls back to ZXing-C++ when it does not read QR codes', async () => {
      // Prepare
      stubPlatform(['ean_13']);

      // Act
      const decoder = await createQrDecoder({ wasm: { bytes: wasmBytes } });
      const texts = await decoder.decode(await passPixels());

      // Assert
      expect(decoder.engine).toBe('ZXing-C++');
      expect(texts).toEqual([toQrText(SAMPLE_JWS)]);
    });

    it('is passed over when asked to, so ZXing-C++ can be measured anywhere', async () => {
      // Prepare
      stubPlatform(['qr_code']);

      // Act
      const decoder = await createQrDecoder({ wasm: { bytes: wasmBytes }, platform: false });

      // Assert
      expect(decoder.engine).toBe('ZXing-C++');
    });
  });

  describe('once started', () => {
    let decoder: QrDecoder;
    beforeAll(async () => {
      decoder = await createQrDecoder({ wasm: { bytes: wasmBytes } });
    });

    it('finds nothing in a frame without a code', async () => {
      // Prepare
      const blank = { data: new Uint8Array(640 * 480 * 4).fill(200), width: 640, height: 480 };

      // Act
      const texts = await decoder.decode(blank);

      // Assert
      expect(texts).toEqual([]);
    });

    it.each([
      [
        'too few bytes for its size',
        { data: new Uint8Array(10 * 10 * 4 - 1), width: 10, height: 10 },
        /needs 400 RGBA bytes, got 399/,
      ],
      [
        'a size that is not a whole number',
        { data: new Uint8Array(0), width: 0.5, height: 10 },
        /whole positive numbers: 0.5x10/,
      ],
      ['no pixels at all', { data: new Uint8Array(0), width: 0, height: 0 }, /whole positive numbers: 0x0/],
    ])('refuses pixels with %s', async (_case, pixels, message) => {
      // Act
      const decode = decoder.decode(pixels);

      // Assert
      await expect(decode).rejects.toThrow(QrDecodeError);
      await expect(decode).rejects.toThrow(message);
    });
  });
});
