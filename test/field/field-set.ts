// The QR field set: a real signed pass, rendered as printed, photographed as 90 phone-like frames at three levels.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { signCredential } from '../../shared/credential.ts';
import { generateSigningKey, type PublicJwk, signerFromPkcs8 } from '../../shared/keys.ts';
import { qrVersion, toQrText } from '../../shared/qr.ts';
import { renderQrPng } from '../../shared/qr-png.ts';
import { generateHolders } from '../support/holders.ts';

export const FIELD_LEVELS = ['easy', 'medium', 'hard'] as const;
export type FieldLevel = (typeof FIELD_LEVELS)[number];

export interface FieldFrame {
  level: FieldLevel;
  path: string;
}

export interface FieldSet {
  /** The exact QR text of the pass every frame shows. */
  qrText: string;
  /** Modules across the code, quiet zone excluded. */
  modules: number;
  /** The public key that signed the pass, to verify it with. */
  publicJwk: PublicJwk;
  /** The holder's name as the pass states it. */
  holderName: string;
  frames: FieldFrame[];
}

/** CI installs Debian's PIL and numpy for this interpreter, not for whatever `python3` comes first on PATH. */
export const FIELD_PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('make_field_set.py', import.meta.url));
const PX_PER_MODULE = 6;
const QUIET_ZONE = 4;

/**
 * The pass in the field set: the holder with the longest names among a seeded sample, since a long pass makes
 * the densest code and so the hardest to read.
 */
async function signedPass(): Promise<{ token: string; publicJwk: PublicJwk; holderName: string }> {
  const holder = generateHolders(400, 10)
    .map((h) => ({ h, length: h.name.length + h.fatherName.length + h.crossingPoints.join(' ').length }))
    .sort((a, b) => b.length - a.length)[0]?.h;
  if (!holder) throw new Error('no holder generated');
  const { pkcs8Pem, publicJwk } = await generateSigningKey();
  const signer = await signerFromPkcs8(pkcs8Pem);
  const nbf = Date.UTC(2026, 0, 1) / 1000;
  const token = await signCredential(signer, 'bp', {
    sub: 'BP-2026-004711',
    nbf,
    exp: nbf + 365 * 86_400,
    n: holder.name,
    f: holder.fatherName,
    c: Number(holder.cnic),
    p: holder.crossingPoints.join(' '),
  });
  return { token, publicJwk, holderName: holder.name };
}

/**
 * Writes the field set into `dir` (frames are made on the spot, never committed) and lists its frames, easy
 * first. `perLevel` frames per level; the same seed gives the same conditions frame by frame.
 */
export async function makeFieldSet(dir: string, perLevel = 30, seed = 2026): Promise<FieldSet> {
  const { token, publicJwk, holderName } = await signedPass();
  const png = await renderQrPng(token, { scale: PX_PER_MODULE, margin: QUIET_ZONE });
  const pngPath = join(dir, 'pass-qr.png');
  await writeFile(pngPath, png);
  try {
    await promisify(execFile)(FIELD_PYTHON, [
      SCRIPT,
      pngPath,
      dir,
      '--per-level',
      String(perLevel),
      '--seed',
      String(seed),
      '--scale',
      String(PX_PER_MODULE),
    ]);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim().split('\n').at(-1) ?? String(error);
    throw new Error(
      `Cannot make the QR field set with ${FIELD_PYTHON} (Debian: apt-get install python3-pil python3-numpy): ${stderr}`,
    );
  }
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as {
    frames: { file: string; level: FieldLevel }[];
  };
  return {
    qrText: toQrText(token),
    modules: 17 + 4 * qrVersion(token),
    publicJwk,
    holderName,
    frames: manifest.frames.map((f) => ({ level: f.level, path: join(dir, f.file) })),
  };
}
