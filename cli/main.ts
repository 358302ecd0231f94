// The `rahdari` command's dispatcher: argv in, exit code out, every failure a single line.
import { UnknownCheckpointError } from '../shared/credential.ts';
import { FileError } from '../signing/key-dir.ts';
import { decodeCommand } from './commands/decode.ts';
import { exportCommand } from './commands/export.ts';
import { feedCommand, TableUnreachable } from './commands/feed.ts';
import { keysCommand } from './commands/keys.ts';
import { searchCommand } from './commands/search.ts';
import { signCommand } from './commands/sign.ts';
import { trustCommand } from './commands/trust.ts';
import { trustBundleCommand } from './commands/trust-bundle.ts';
import { verifyCommand } from './commands/verify.ts';
import { type CliIo, UsageError } from './io.ts';
import { QrImageError } from './read-qr-image.ts';

export type { CliIo } from './io.ts';

export const USAGE = `usage:
  rahdari keys init --dir DIR
  rahdari keys export-kms --key-id ALIAS-OR-ARN --out FILE [--region REGION]
  rahdari sign --keys DIR --type bp|vr --claims FILE [--png OUT] [--svg OUT]
  rahdari trust-bundle --keys DIR [--revoked FILE] [--version N] [--since N] [--valid-days N] --out FILE
  rahdari trust init --state FILE --root ROOT.jwk BUNDLE
  rahdari trust update --state FILE BUNDLE...
  rahdari trust show --state FILE
  rahdari verify INPUT --trust STATE|BUNDLE|JWKS [--root ROOT.jwk] [--checkpoint CODE] [--kind bp|vr]
                 [--at ISO-TIME] [--json]
  rahdari decode IMAGE
  rahdari feed status [--table NAME] [--endpoint URL] [--region REGION] [--json]
  rahdari feed redrive [DELIVERY-ID] [--table NAME] [--endpoint URL] [--region REGION]
  rahdari export --date YYYY-MM-DD [--bucket NAME] [--table NAME] [--endpoint URL] [--s3-endpoint URL]
  rahdari search reindex [--table NAME] [--endpoint URL] [--region REGION] [--json]

INPUT is QR text (rhd:/…), a raw JWS, a path to a PNG/JPEG photo of the QR, or - for standard input.
--trust is a trust state file (it carries its pinned root; a --root must match it), a full trust bundle
(needs --root), or a bare JWKS (takes no --root: signatures only, trust not rooted, revocation unknown).
A delta bundle only applies to a state: rahdari trust update.

verify exits 0 for VALID checked against rooted trust, 1 for any other verdict, 2 for bad usage or input,
3 for VALID when revocation is unknown (a bare JWKS, or trust past its validUntil).
trust update exits 0 when every bundle applied, 1 when one was refused as older or out of order, 2 for bad
usage or input; on any refusal the state file is left exactly as it was.

feed reads the table named by --table / TABLE_NAME (DynamoDB Local: --endpoint, as npm start prints it). feed
redrive without an id sends every dead batch again; each keeps its delivery id, so the Ministry drops repeats.
search reindex indexes by name the people of every application, boat and pilgrim group already stored (one Scan
of the table; idempotent, so it may run again at any time).`;

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  keys: keysCommand,
  sign: signCommand,
  'trust-bundle': trustBundleCommand,
  trust: trustCommand,
  verify: verifyCommand,
  decode: decodeCommand,
  feed: feedCommand,
  export: exportCommand,
  search: searchCommand,
};

/** Runs one command. Returns the exit code; bad usage or input is one line on stderr and exit 2. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.stdout(USAGE);
    return command === undefined ? 2 : 0;
  }
  try {
    const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!run) throw new UsageError(`unknown command ${command}`);
    return await run(rest, io);
  } catch (error) {
    const usage = error instanceof UsageError || isParseArgsError(error);
    const known =
      usage ||
      error instanceof FileError ||
      error instanceof QrImageError ||
      error instanceof UnknownCheckpointError ||
      error instanceof TableUnreachable;
    if (!known) throw error;
    io.stderr(`rahdari: ${(error as Error).message}`);
    if (usage) io.stderr('run rahdari --help for usage');
    return 2;
  }
}

function isParseArgsError(error: unknown): boolean {
  return error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
}
