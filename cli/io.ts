// What every `rahdari` command receives instead of touching process globals: output, input, a clock.
import { parseArgs } from 'node:util';
import type { CredentialKind } from '../shared/credential.ts';

export interface CliIo {
  /** Writes one line to standard output. */
  stdout(line: string): void;
  /** Writes one line to standard error. */
  stderr(line: string): void;
  /** All of standard input as text. */
  readStdin(): Promise<string>;
  /** The device clock: verification time, bundle issue and receipt times. */
  now(): Date;
}

/** The process's own streams and clock, for the installed command. */
export function processIo(): CliIo {
  return {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    now: () => new Date(),
  };
}

/** A problem with what the user asked for: printed as one line with a pointer to --help, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = Record<string, { type: 'string' | 'boolean' }>;

/** parseArgs in strict mode: an unknown or misspelt flag is an error, never silently ignored. */
export function parseCommand<O extends Options>(args: string[], options: O, positionals = false) {
  return parseArgs({ args, options, strict: true, allowPositionals: positionals });
}

export function need(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`${flag} is required`);
  return value;
}

export function kindOf(value: string | undefined, flag: string): CredentialKind {
  if (value === 'bp' || value === 'vr') return value;
  throw new UsageError(`${flag} must be bp (border pass) or vr (vessel registration)`);
}

export function wholeNumber(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new UsageError(`${flag} must be a whole number`);
  return n;
}

export const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** Seconds as an ISO time without milliseconds. */
export const isoSeconds = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');
