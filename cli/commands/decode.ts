// `rahdari decode`: the QR text inside a PNG or JPEG.

import { type CliIo, parseCommand, UsageError } from '../io.ts';
import { readQrFromImage } from '../read-qr-image.ts';

export async function decodeCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseCommand(args, {}, true);
  if (positionals.length !== 1) throw new UsageError('decode takes exactly one IMAGE');
  io.stdout(await readQrFromImage(positionals[0] as string));
  return 0;
}
