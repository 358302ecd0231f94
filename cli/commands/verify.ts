// `rahdari verify`: one credential checked offline against a trust state, a full bundle or a bare JWKS.
import { existsSync } from 'node:fs';
import {
  MAX_BUNDLE_LENGTH,
  MalformedTrustError,
  parseJws,
  passPoints,
  trustStoreFromJwks,
  type VerificationResult,
  type VerifierTrust,
  verifyCredential,
} from '../../shared/credential.ts';
import { formatCnic } from '../../shared/domain/cnic.ts';
import { karachiDate } from '../../shared/domain/pass-types.ts';
import { isCheckpointCode } from '../../shared/domain/reference.ts';
import { TrustState } from '../../shared/trust-state.ts';
import { FileError } from '../../signing/key-dir.ts';
import { type CliIo, kindOf, need, parseCommand, UsageError } from '../io.ts';
import { readQrFromImage } from '../read-qr-image.ts';
import { readRoot, readState, readTrustFile } from '../trust-files.ts';

/** Exit codes of verify, also in --help and the README. */
export const VERIFY_EXIT = { valid: 0, otherVerdict: 1, badInput: 2, validUnrooted: 3 } as const;

async function readInput(input: string, io: CliIo): Promise<string> {
  if (input === '-') return (await io.readStdin()).replace(/\r?\n$/, '');
  if (!input.startsWith('rhd:/') && !input.startsWith('RHD:/') && !/^[\w-]+\.[\w-]+\.[\w-]*$/.test(input)) {
    // Neither QR text nor a JWS: it must name an image file.
    if (!existsSync(input)) throw new FileError(`${input}: no such file, and not QR text or a JWS either`);
    return readQrFromImage(input);
  }
  return input;
}

/**
 * The trust a --trust file gives. A state carries its pinned root (a --root must then match it); a full bundle
 * needs --root; a delta alone is refused, since it means nothing without the state it follows; a bare JWKS
 * takes no --root, as no root signs it, and yields unrooted keys.
 */
async function loadTrust(trustFile: string, rootFile: string | undefined): Promise<VerifierTrust> {
  const file = readTrustFile(trustFile);
  if (file.kind === 'state') {
    const root = rootFile === undefined ? undefined : await readRoot(rootFile);
    return readState(trustFile, root, file.json);
  }
  if (file.kind === 'jwks') {
    if (rootFile !== undefined) {
      throw new UsageError(
        `${trustFile} is a bare JWKS, which no root signs, so --root cannot vouch for it: give a trust state or bundle, or leave out --root`,
      );
    }
    try {
      return await trustStoreFromJwks(file.json);
    } catch (error) {
      if (error instanceof MalformedTrustError) throw new FileError(`${trustFile}: ${error.message}`);
      throw error;
    }
  }
  // Looked at before the root is needed, only to say what the file is: nothing read here is trusted.
  const unverified = parseJws(file.token, MAX_BUNDLE_LENGTH);
  if (typeof unverified !== 'string' && unverified.payload.since !== undefined) {
    throw new FileError(
      `${trustFile} is a delta bundle: it needs the trust state it applies to (rahdari trust update --state FILE ${trustFile})`,
    );
  }
  if (rootFile === undefined)
    throw new UsageError('a trust bundle is only trusted against a pinned root: give --root root.jwk');
  const root = await readRoot(rootFile);
  // When this file was downloaded is unknown here, so clock drift is judged only against the bundle's own time.
  const started = await TrustState.fromFullBundle(file.token, root, null);
  if (!started.ok)
    throw new FileError(`${trustFile}: trust bundle refused (${started.reason}): ${started.detail}`);
  return started.state;
}

const WARNING_TEXT: Record<string, string> = {
  BUNDLE_STALE: 'trust bundle is older than 24 hours: download a new one when there is signal',
  REVOCATION_UNKNOWN:
    'revocation unknown: this check cannot see passes revoked since the trust data was issued',
  CLOCK_DRIFT: "this device's clock is more than 5 minutes off the server's time",
  UNROOTED: 'trust not rooted: these keys come from a bare JWKS that no pinned root vouches for',
};

function printResult(result: VerificationResult, io: CliIo): void {
  let status: string = result.verdict;
  if (result.verdict === 'VALID' && result.warnings.includes('UNROOTED'))
    status = 'VALID (not rooted, revocation unknown)';
  else if (result.verdict === 'VALID' && result.warnings.includes('REVOCATION_UNKNOWN'))
    status = 'VALID (revocation unknown)';
  io.stdout(`${status}: ${result.detail}`);
  const c = result.claims;
  if (c) {
    // Pass days are Pakistan days; exp is the first second after the last valid day.
    const day = (s: number) => karachiDate(new Date(s * 1000));
    const cnic = (digits: number) => formatCnic(String(digits));
    if ('p' in c) {
      io.stdout(`border pass ${c.sub} (key ${result.kid})`);
      io.stdout(`  name:            ${c.n}`);
      io.stdout(`  father's name:   ${c.f}`);
      io.stdout(`  CNIC:            ${cnic(c.c)}`);
      io.stdout(`  crossing points: ${passPoints(c).join(', ')}`);
    } else {
      io.stdout(`vessel registration ${c.sub} (key ${result.kid})`);
      io.stdout(`  boat:            ${c.n}`);
      io.stdout(`  owner:           ${c.o} (CNIC ${cnic(c.c)})`);
      io.stdout(`  home port:       ${c.h}`);
      io.stdout(`  crew limit:      ${c.m}`);
    }
    // A boat certificate without nbf is valid from the moment it was issued.
    const from = c.nbf === undefined ? 'issue' : day(c.nbf);
    io.stdout(`  valid:           ${from} to ${day(c.exp - 1)} (Pakistan time)`);
  }
  for (const w of result.warnings) io.stdout(`warning: ${WARNING_TEXT[w] ?? w}`);
}

/** 0 only when the verdict is VALID and revocation was checked against rooted trust. */
export function verifyExitCode(result: VerificationResult): number {
  if (result.verdict !== 'VALID') return VERIFY_EXIT.otherVerdict;
  const unsure = result.warnings.includes('UNROOTED') || result.warnings.includes('REVOCATION_UNKNOWN');
  return unsure ? VERIFY_EXIT.validUnrooted : VERIFY_EXIT.valid;
}

export async function verifyCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(
    args,
    {
      trust: { type: 'string' },
      root: { type: 'string' },
      checkpoint: { type: 'string' },
      kind: { type: 'string' },
      at: { type: 'string' },
      json: { type: 'boolean' },
    },
    true,
  );
  if (positionals.length !== 1) throw new UsageError('verify takes exactly one INPUT');
  const now = values.at ? new Date(values.at) : io.now();
  if (Number.isNaN(now.getTime())) throw new UsageError(`--at ${values.at} is not an ISO time`);
  const kind = values.kind === undefined ? undefined : kindOf(values.kind, '--kind');
  const checkpoint = values.checkpoint?.toUpperCase();
  if (checkpoint !== undefined && !isCheckpointCode(checkpoint))
    throw new UsageError(`--checkpoint ${values.checkpoint} is not a crossing point or port code`);
  const trust = await loadTrust(need(values.trust, '--trust'), values.root);
  const input = await readInput(positionals[0] as string, io);
  const result = await verifyCredential(input, trust, {
    now,
    ...(kind ? { kind } : {}),
    ...(checkpoint ? { checkpoint } : {}),
  });
  if (values.json) io.stdout(JSON.stringify(result));
  else printResult(result, io);
  return verifyExitCode(result);
}
