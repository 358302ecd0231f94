// zbarimg as the reference QR reader: what it reads in each of many images, from one process run.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';

export const zbarimgMissing = spawnSync('zbarimg', ['--version']).error !== undefined;

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|apos|quot);/g, (_m, name: string) =>
    name === 'lt' ? '<' : name === 'gt' ? '>' : name === 'amp' ? '&' : name === 'apos' ? "'" : '"',
  );
}

// zbarimg's linear readers now and then see a phantom DataBar or EAN code in a QR's modules, so every read here
// turns on its QR reader alone: the question is always what QR text an image holds.
const QR_ONLY = ['-Sdisable', '-Sqrcode.enable'];

/** The QR texts zbarimg reads in one image, one a line (`--raw`), for a check of one rendered code. */
export function zbarQrTexts(path: string): string[] {
  const out = execFileSync('zbarimg', [...QR_ONLY, '--raw', '-q', path], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line !== '');
}

/**
 * Runs zbarimg once over `paths` with only its QR reader on. Its XML output names each source image, so texts
 * are matched to images without one process per image.
 */
export async function zbarRead(paths: readonly string[]): Promise<Map<string, string[]>> {
  const result = await zbarimg(['--xml', ...paths]);
  const texts = new Map<string, string[]>(paths.map((p) => [p, []]));
  for (const source of result.stdout.split('<source href=').slice(1)) {
    const href = unescapeXml(/^'([^']*)'|^"([^"]*)"/.exec(source)?.slice(1).find(Boolean) ?? '');
    const found = [...source.matchAll(/<data><!\[CDATA\[([\s\S]*?)\]\]><\/data>/g)].map((m) => m[1] ?? '');
    texts.set(href, found);
  }
  return texts;
}

/**
 * zbarimg's own time for one image, from its summary line ("scanned 1 barcode symbols from 1 images in 0.11
 * seconds"): reading the file (ImageMagick's JPEG decoder) and scanning, process start excluded, to 10 ms.
 */
export async function zbarSeconds(path: string): Promise<number> {
  const { stderr } = await zbarimg([path]);
  const summary = /from 1 images? in ([\d.]+) seconds/.exec(stderr);
  if (!summary) throw new Error(`zbarimg printed no timing for ${path}`);
  return Number(summary[1]);
}

async function zbarimg(args: string[]): Promise<{ stdout: string; stderr: string }> {
  try {
    return await promisify(execFile)('zbarimg', [...QR_ONLY, ...args], {
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    // zbarimg exits 4 when an image held no code: an answer, not a failure.
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (failed.code === 4) return { stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    throw error;
  }
}
