// The QR field set: a real signed pass or boat certificate, printed, photographed as phone-like frames at four levels.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { signCredential } from '../../shared/credential.ts';
import { generateSigningKey, type PublicJwk, signerFromPkcs8 } from '../../shared/keys.ts';
import { type QrErrorCorrectionLevel, qrVersion, toQrText } from '../../shared/qr.ts';
import { renderQrPng } from '../../shared/qr-png.ts';
import { generateFleet } from '../support/fleet.ts';
import { generateHolders } from '../support/holders.ts';

/** Easy, medium and hard by day; night is low light with the phone's torch glaring off the card. */
export const FIELD_LEVELS = ['easy', 'medium', 'hard', 'night'] as const;
export type FieldLevel = (typeof FIELD_LEVELS)[number];

/** A border pass card, or a boat certificate (A5), each printed as the server prints it. */
export type FieldCredential = 'pass' | 'boat';

export interface FieldFrame {
  level: FieldLevel;
  path: string;
}

export interface FieldSet {
  /** The exact QR text of the credential every frame shows. */
  qrText: string;
  /** QR version of the code. */
  version: number;
  /** Modules across the code, quiet zone excluded. */
  modules: number;
  /** The public key that signed the credential, to verify it with. */
  publicJwk: PublicJwk;
  /** The holder's (pass) or the owner's (boat) name as the credential states it. */
  holderName: string;
  frames: FieldFrame[];
}

export interface FieldSetOptions {
  /** Frames per level; 30 unless told. */
  perLevel?: number;
  /** The same seed gives the same conditions frame by frame; 2026 unless told. */
  seed?: number;
  credential?: FieldCredential;
  /** Error correction level the code is rendered at; the renderer's default unless told. */
  ecl?: QrErrorCorrectionLevel;
}

/** CI installs Debian's PIL and numpy for this interpreter, not for whatever `python3` comes first on PATH. */
export const FIELD_PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('make_field_set.py', import.meta.url));
const PX_PER_MODULE = 6;
const QUIET_ZONE = 4;

/**
 * How many modules (quiet zone included) fit the box a credential's code is printed in, at the module size the
 * levels are drawn for. The levels were calibrated on the field set's pass as a version 13 code at ECC M: 69
 * modules and a 4-module quiet zone on each side. The pass card prints its code 260 CSS px wide (68.8 mm) and the
 * A5 boat certificate 62 mm wide, whatever its version: a code of fewer modules gets larger modules, not a
 * smaller print, so a smaller code is measured as the phone would see it.
 */
const PRINT_BOX_MODULES: Record<FieldCredential, number> = {
  pass: 69 + 2 * QUIET_ZONE,
  boat: ((69 + 2 * QUIET_ZONE) * 68.8) / 62,
};

interface SignedCredential {
  token: string;
  publicJwk: PublicJwk;
  holderName: string;
}

const NBF = Date.UTC(2026, 0, 1) / 1000;

/**
 * The credential in the field set: the holder (or boat) with the longest names among a seeded sample, since the
 * longest names make the densest code and so the hardest to read.
 */
async function signedCredential(credential: FieldCredential): Promise<SignedCredential> {
  const { pkcs8Pem, publicJwk } = await generateSigningKey();
  const signer = await signerFromPkcs8(pkcs8Pem);
  if (credential === 'boat') {
    const boat = generateFleet(200, 10)
      .map((b) => ({ b, length: b.name.length + b.owner.name.length }))
      .sort((a, b) => b.length - a.length)[0]?.b;
    if (!boat) throw new Error('no boat generated');
    const token = await signCredential(signer, 'vr', {
      sub: `${boat.homePort}-2026-00042/1`,
      exp: NBF + 365 * 86_400,
      n: boat.name,
      o: boat.owner.name,
      c: Number(boat.owner.cnic),
      h: boat.homePort,
      m: boat.maxCrew,
    });
    return { token, publicJwk, holderName: boat.owner.name };
  }
  const holder = generateHolders(400, 10)
    .map((h) => ({ h, length: h.name.length + h.fatherName.length + h.crossingPoints.join(' ').length }))
    .sort((a, b) => b.length - a.length)[0]?.h;
  if (!holder) throw new Error('no holder generated');
  const token = await signCredential(signer, 'bp', {
    sub: 'BP-2026-004711',
    nbf: NBF,
    exp: NBF + 365 * 86_400,
    n: holder.name,
    f: holder.fatherName,
    c: Number(holder.cnic),
    p: holder.crossingPoints.join(' '),
  });
  return { token, publicJwk, holderName: holder.name };
}

/**
 * Writes the field set into `dir` (frames are made on the spot, never committed) and lists its frames, level by
 * level in FIELD_LEVELS order.
 */
export async function makeFieldSet(dir: string, options: FieldSetOptions = {}): Promise<FieldSet> {
  const { perLevel = 30, seed = 2026, credential = 'pass', ecl } = options;
  const { token, publicJwk, holderName } = await signedCredential(credential);
  const png = await renderQrPng(token, { scale: PX_PER_MODULE, margin: QUIET_ZONE, ...(ecl && { ecl }) });
  const pngPath = join(dir, `${credential}-qr.png`);
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
      '--reference-modules',
      String(PRINT_BOX_MODULES[credential]),
      '--levels',
      FIELD_LEVELS.join(','),
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
  const version = qrVersion(token, ecl);
  return {
    qrText: toQrText(token),
    version,
    modules: 17 + 4 * version,
    publicJwk,
    holderName,
    frames: manifest.frames.map((f) => ({ level: f.level, path: join(dir, f.file) })),
  };
}
