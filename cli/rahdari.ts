#!/usr/bin/env node
// The `rahdari` command: keys, signing, trust bundles, offline verification and QR decoding from a terminal.
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  type CredentialKind,
  claimsOf,
  type PassClaims,
  passPoints,
  signCredential,
  type TrustStore,
  trustStoreFromJwks,
  type VerificationResult,
  type VesselClaims,
  verifyCredential,
} from '../shared/credential.ts';
import { formatCnic, parseCnic } from '../shared/domain/cnic.ts';
import { karachiDate } from '../shared/domain/pass-types.ts';
import { type PublicJwk, toPublicJwk } from '../shared/keys.ts';
import { qrVersion, renderQrSvg, toQrText } from '../shared/qr.ts';
import { renderQrPng } from '../shared/qr-png.ts';
import {
  DEFAULT_BUNDLE_VALIDITY_SECONDS,
  signTrustBundle,
  trustStoreFromBundle,
  verifyTrustBundle,
} from '../shared/trust-bundle.ts';
import { FileError, initKeyDir, KEY_FILES, loadKeyDir, readJson, readText } from '../signing/key-dir.ts';
import { QrImageError, readQrFromImage } from './read-qr-image.ts';

const USAGE = `usage:
  rahdari keys init --dir DIR
  rahdari keys export-kms --key-id ALIAS-OR-ARN --out FILE [--region REGION]
  rahdari sign --keys DIR --type bp|vr --claims FILE [--png OUT] [--svg OUT]
  rahdari trust-bundle --keys DIR [--revoked FILE] [--version N] [--valid-days N] --out FILE
  rahdari verify INPUT --trust FILE [--root FILE] [--checkpoint CODE] [--kind bp|vr] [--at ISO-TIME] [--json]
  rahdari decode IMAGE

INPUT is QR text (rhd:/…), a raw JWS, a path to a PNG/JPEG photo of the QR, or - for standard input.
verify exits 0 only for VALID, 1 for any other verdict, 2 for bad usage or input.`;

/** A problem with what the user asked for: printed as one line, exit 2. */
class UsageError extends Error {}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

function need(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`${flag} is required`);
  return value;
}

function kindOf(value: string | undefined, flag: string): CredentialKind {
  if (value === 'bp' || value === 'vr') return value;
  throw new UsageError(`${flag} must be bp (border pass) or vr (vessel registration)`);
}

/** The public JWK of a KMS key (the trust root in AWS), for pinning on checkpoint devices or publishing. */
async function keysExportKms(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { 'key-id': { type: 'string' }, out: { type: 'string' }, region: { type: 'string' } },
  });
  const keyId = need(values['key-id'], '--key-id');
  const out = need(values.out, '--out');
  const [{ KMSClient }, { kmsPublicKey }] = await Promise.all([
    import('@aws-sdk/client-kms'),
    import('../signing/kms-signer.ts'),
  ]);
  const client = new KMSClient(values.region ? { region: values.region } : {});
  let jwk: PublicJwk;
  try {
    jwk = await kmsPublicKey(client, keyId);
  } catch (error) {
    throw new FileError(`KMS key ${keyId}: ${(error as Error).message.split('\n')[0]}`);
  }
  writeFileSync(out, `${JSON.stringify(jwk, null, 2)}\n`);
  console.log(`public key ${jwk.kid} of ${keyId} written to ${out}`);
}

async function keysInit(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { dir: { type: 'string' } } });
  const dir = need(values.dir, '--dir');
  const keys = await initKeyDir(dir);
  console.log(`trust root ${keys.root.kid} and pass-signing key ${keys.signing.kid} written to ${dir}`);
  console.log(`publish ${dir}/${KEY_FILES.jwks}; pin ${dir}/${KEY_FILES.rootJwk} on checkpoint devices`);
}

/**
 * Claims from a file. For convenience nbf and exp may be ISO dates, the CNIC may be written XXXXX-XXXXXXX-X and
 * crossing points may be a list; they are signed in their compact form.
 */
function readClaims(file: string, kind: CredentialKind): PassClaims | VesselClaims {
  const raw = readJson(file);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new FileError(`${file}: not a JSON object`);
  const payload: Record<string, unknown> = { ...raw };
  for (const name of ['nbf', 'exp']) {
    const value = payload[name];
    if (typeof value === 'string') {
      const ms = Date.parse(value);
      if (Number.isNaN(ms)) throw new FileError(`${file}: ${name} is neither seconds nor an ISO date`);
      payload[name] = Math.floor(ms / 1000);
    }
  }
  if (typeof payload.c === 'string') {
    const cnic = parseCnic(payload.c);
    if (!cnic.ok) throw new FileError(`${file}: c: ${cnic.error}`);
    payload.c = Number(cnic.cnic);
  }
  if (Array.isArray(payload.p)) payload.p = payload.p.join(' ');
  const claims = claimsOf(kind, payload);
  const required = kind === 'bp' ? 'sub, nbf, exp, n, f, c, p' : 'sub, nbf, exp, n, o, c, h, m';
  if (!claims)
    throw new FileError(`${file}: a ${kind} credential needs ${required} (see docs/credential-format.md)`);
  if (claims.exp <= claims.nbf) throw new FileError(`${file}: exp must be after nbf`);
  return claims;
}

async function sign(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      keys: { type: 'string' },
      type: { type: 'string' },
      claims: { type: 'string' },
      png: { type: 'string' },
      svg: { type: 'string' },
    },
  });
  const kind = kindOf(values.type, '--type');
  const claims = readClaims(need(values.claims, '--claims'), kind);
  const { signing } = await loadKeyDir(need(values.keys, '--keys'));
  const token =
    kind === 'bp'
      ? await signCredential(signing, 'bp', claims as PassClaims)
      : await signCredential(signing, 'vr', claims as VesselClaims);
  if (values.png) writeFileSync(values.png, await renderQrPng(token));
  if (values.svg) writeFileSync(values.svg, await renderQrSvg(token));
  console.log(toQrText(token));
  console.error(
    `signed ${claims.sub} with key ${signing.kid}: ${token.length} characters, QR version ${qrVersion(token)} at ECC M`,
  );
}

function readRevoked(file: string | undefined): string[] {
  if (!file) return [];
  const text = readText(file).trim();
  if (text.startsWith('[')) {
    const list = readJson(file);
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) {
      throw new FileError(`${file}: must be a JSON array of credential numbers`);
    }
    return list;
  }
  return text.split(/\s+/).filter(Boolean);
}

function positiveInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`${flag} must be a whole number`);
  return n;
}

async function trustBundle(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      keys: { type: 'string' },
      revoked: { type: 'string' },
      out: { type: 'string' },
      version: { type: 'string' },
      'valid-days': { type: 'string' },
    },
  });
  const out = need(values.out, '--out');
  const revoked = readRevoked(values.revoked);
  const keys = await loadKeyDir(need(values.keys, '--keys'));
  const iat = seconds(new Date());
  const validity =
    positiveInt(values['valid-days'], '--valid-days', DEFAULT_BUNDLE_VALIDITY_SECONDS / 86400) * 86400;
  const token = await signTrustBundle(keys.root, {
    iss: 'rahdari',
    iat,
    validUntil: iat + validity,
    keys: keys.jwks.keys,
    version: positiveInt(values.version, '--version', revoked.length),
    revoked,
  });
  writeFileSync(out, `${token}\n`);
  console.log(
    `trust bundle with ${keys.jwks.keys.length} key(s) and ${revoked.length} revocation(s) written to ${out}`,
  );
}

async function readInput(input: string): Promise<string> {
  if (input === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  }
  if (!input.startsWith('rhd:/') && !input.startsWith('RHD:/') && !/^[\w-]+\.[\w-]+\.[\w-]*$/.test(input)) {
    // Neither QR text nor a JWS: it must name an image file.
    if (!existsSync(input)) throw new FileError(`${input}: no such file, and not QR text or a JWS either`);
    return readQrFromImage(input);
  }
  return input;
}

async function loadTrust(trustFile: string, rootFile: string | undefined): Promise<TrustStore> {
  const text = readText(trustFile).trim();
  if (text.startsWith('{')) {
    const jwks = readJson(trustFile) as { keys?: PublicJwk[] };
    if (!Array.isArray(jwks.keys)) throw new FileError(`${trustFile}: a JWKS needs a "keys" array`);
    return trustStoreFromJwks({ keys: jwks.keys });
  }
  if (!rootFile)
    throw new UsageError('a trust bundle is only trusted against a pinned root: give --root root.jwk');
  // The kid is recomputed from the key itself, so a hand-edited root.jwk cannot pin a key under another name.
  const root = await toPublicJwk(readJson(rootFile) as Partial<PublicJwk>).catch(() => {
    throw new FileError(`${rootFile}: not a P-256 public key (JWK)`);
  });
  const check = await verifyTrustBundle(text, root);
  if (!check.ok) throw new FileError(`${trustFile}: trust bundle refused (${check.reason}): ${check.detail}`);
  // When this file was downloaded is unknown here, so clock drift is judged only against the bundle's own time.
  return trustStoreFromBundle(check.bundle);
}

const WARNING_TEXT: Record<string, string> = {
  BUNDLE_STALE: 'trust bundle is older than 24 hours: download a new one when there is signal',
  REVOCATION_UNKNOWN:
    'revocation unknown: this check cannot see passes revoked since the trust data was issued',
  CLOCK_DRIFT: "this device's clock is more than 5 minutes off the server's time",
};

function printResult(result: VerificationResult): void {
  const status =
    result.verdict === 'VALID' && result.warnings.includes('REVOCATION_UNKNOWN')
      ? 'VALID (revocation unknown)'
      : result.verdict;
  console.log(`${status}: ${result.detail}`);
  const c = result.claims;
  if (c) {
    // Pass days are Pakistan days; exp is the first second after the last valid day.
    const day = (s: number) => karachiDate(new Date(s * 1000));
    const cnic = (digits: number) => formatCnic(String(digits));
    if ('p' in c) {
      console.log(`border pass ${c.sub} (key ${result.kid})`);
      console.log(`  name:            ${c.n}`);
      console.log(`  father's name:   ${c.f}`);
      console.log(`  CNIC:            ${cnic(c.c)}`);
      console.log(`  crossing points: ${passPoints(c).join(', ')}`);
    } else {
      console.log(`vessel registration ${c.sub} (key ${result.kid})`);
      console.log(`  boat:            ${c.n}`);
      console.log(`  owner:           ${c.o} (CNIC ${cnic(c.c)})`);
      console.log(`  home port:       ${c.h}`);
      console.log(`  crew limit:      ${c.m}`);
    }
    console.log(`  valid:           ${day(c.nbf)} to ${day(c.exp - 1)} (Pakistan time)`);
  }
  for (const w of result.warnings) console.log(`warning: ${WARNING_TEXT[w] ?? w}`);
}

async function verify(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      trust: { type: 'string' },
      root: { type: 'string' },
      checkpoint: { type: 'string' },
      kind: { type: 'string' },
      at: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('verify takes exactly one INPUT');
  const now = values.at ? new Date(values.at) : new Date();
  if (Number.isNaN(now.getTime())) throw new UsageError(`--at ${values.at} is not an ISO time`);
  const kind = values.kind === undefined ? undefined : kindOf(values.kind, '--kind');
  const trust = await loadTrust(need(values.trust, '--trust'), values.root);
  const input = await readInput(positionals[0] as string);
  const result = await verifyCredential(input, trust, {
    now,
    ...(kind ? { kind } : {}),
    ...(values.checkpoint ? { checkpoint: values.checkpoint.toUpperCase() } : {}),
  });
  if (values.json) console.log(JSON.stringify(result));
  else printResult(result);
  return result.verdict === 'VALID' ? 0 : 1;
}

async function decode(args: string[]): Promise<void> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw new UsageError('decode takes exactly one IMAGE');
  console.log(await readQrFromImage(positionals[0] as string));
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'keys':
      if (rest[0] === 'init') await keysInit(rest.slice(1));
      else if (rest[0] === 'export-kms') await keysExportKms(rest.slice(1));
      else throw new UsageError('keys takes init or export-kms');
      return 0;
    case 'sign':
      await sign(rest);
      return 0;
    case 'trust-bundle':
      await trustBundle(rest);
      return 0;
    case 'verify':
      return verify(rest);
    case 'decode':
      await decode(rest);
      return 0;
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const known = error instanceof UsageError || error instanceof FileError || error instanceof QrImageError;
  const parseError =
    error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
  if (!known && !parseError) throw error;
  console.error(`rahdari: ${(error as Error).message}`);
  if (error instanceof UsageError || parseError) console.error('run rahdari --help for usage');
  process.exitCode = 2;
}
