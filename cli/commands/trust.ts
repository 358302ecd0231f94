// `rahdari trust init|update|show`: the device's trust state in a file, started from a full bundle, moved forward only.
import { existsSync } from 'node:fs';
import { type TrustRefusal, TrustState } from '../../shared/trust-state.ts';
import { FileError, readText } from '../../signing/key-dir.ts';
import { type CliIo, isoSeconds, need, parseCommand, seconds, UsageError } from '../io.ts';
import { readRoot, readState, writeState } from '../trust-files.ts';

// Refusals that say the file itself is bad (exit 2), as opposed to a good bundle that is not newer (exit 1).
const BAD_INPUT: ReadonlySet<TrustRefusal> = new Set([
  'MALFORMED',
  'INVALID_SIGNATURE',
  'UNKNOWN_KEY',
  'WRONG_TYPE',
  'NOT_FULL',
  'DAMAGED',
  'ROOT_MISMATCH',
]);

export async function trustCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'init') return trustInit(rest, io);
  if (sub === 'update') return trustUpdate(rest, io);
  if (sub === 'show') return trustShow(rest, io);
  throw new UsageError('trust takes init, update or show');
}

async function trustInit(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(
    args,
    { state: { type: 'string' }, root: { type: 'string' } },
    true,
  );
  const file = need(values.state, '--state');
  const root = await readRoot(need(values.root, '--root'));
  if (positionals.length !== 1) throw new UsageError('trust init takes exactly one full BUNDLE');
  const bundleFile = positionals[0] as string;
  // Starting over on an existing state could take it back to an older bundle: that is what update refuses.
  if (existsSync(file))
    throw new FileError(`${file} already exists: bring it forward with rahdari trust update`);
  const started = await TrustState.fromFullBundle(readText(bundleFile).trim(), root, seconds(io.now()));
  if (!started.ok) throw new FileError(`${bundleFile}: refused (${started.reason}): ${started.detail}`);
  writeState(file, started.state);
  io.stdout(`${file}: ${await summary(started.state)}`);
  return 0;
}

/**
 * Applies each bundle in order to the state. A refused one is named with its reason and the rest still tried,
 * but the file is only written when every one applied: a partial update is never saved.
 */
async function trustUpdate(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(args, { state: { type: 'string' } }, true);
  const file = need(values.state, '--state');
  if (positionals.length === 0) throw new UsageError('trust update takes one or more BUNDLE files');
  let state = await readState(file);
  let code = 0;
  for (const bundleFile of positionals) {
    let token: string;
    try {
      token = readText(bundleFile).trim();
    } catch (error) {
      io.stderr(`rahdari: ${(error as Error).message}`);
      code = 2;
      continue;
    }
    const next = await state.apply(token, seconds(io.now()));
    if (next.ok) {
      state = next.state;
      continue;
    }
    io.stderr(`rahdari: ${bundleFile}: refused (${next.reason}): ${next.detail}`);
    code = Math.max(code, BAD_INPUT.has(next.reason) ? 2 : 1);
  }
  if (code !== 0) {
    io.stderr(`rahdari: ${file} left unchanged`);
    return code;
  }
  writeState(file, state);
  io.stdout(`${file}: ${await summary(state)}`);
  return 0;
}

async function trustShow(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommand(args, { state: { type: 'string' } });
  const state = await readState(need(values.state, '--state'));
  const now = seconds(io.now());
  const ageHours = ((now - state.issuedAt) / 3600).toFixed(1);
  io.stdout(`version:        ${state.version}`);
  io.stdout(`issued:         ${isoSeconds(state.issuedAt)} (${ageHours} h ago by this clock)`);
  io.stdout(`valid until:    ${isoSeconds(state.validUntil)}`);
  io.stdout(`revocations:    ${state.revokedCount}`);
  io.stdout(`pass keys:      ${state.publicKeys.map((k) => k.kid).join(', ')}`);
  io.stdout(`bundles kept:   ${state.bundleCount}`);
  io.stdout(`root:           ${state.root.kid} (thumbprint ${await state.rootThumbprint()})`);
  return 0;
}

async function summary(state: TrustState): Promise<string> {
  return `version ${state.version}, ${state.revokedCount} revocation(s), ${state.keys.length} pass key(s), valid until ${isoSeconds(state.validUntil)}; root ${state.root.kid}`;
}
