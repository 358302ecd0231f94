// The one place tests and benchmarks get their data: Pakistan days, unique CNICs, request bodies, stored records.

import { ulid } from 'ulid';
import { passRecord } from '../../functions/services/passes.ts';
import type { Actor, Application, Pass } from '../../functions/store/records.ts';
import { karachiDatePlus } from '../../shared/domain/pass-types.ts';

export { generateHolders, type Holder } from './holders.ts';

/** The calendar day in Pakistan `offset` days from `from` (today by default). */
export function karachiDay(offset = 0, from: Date = new Date()): string {
  return karachiDatePlus(from, offset);
}

/** `days` calendar days after a YYYY-MM-DD date. */
export function dayAfter(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86400_000).toISOString().slice(0, 10);
}

/**
 * CNICs no other case of the file uses (an open application holds its CNIC until decided): `prefix` keeps
 * files apart, the last digit picks the sex (odd male, even female).
 */
export function cnicSeries(prefix: string, lastDigit = 3): () => string {
  let serial = 0;
  return () => `${prefix}${String(++serial).padStart(12 - prefix.length, '0')}${lastDigit}`;
}

/** A valid body for POST /applications: the resident of most tests, from `validFrom` to 90 days later. */
export function applicationBody(
  cnic: string,
  overrides: Record<string, unknown> = {},
  validFrom: string = karachiDay(),
): Record<string, unknown> {
  return {
    passType: 'RAHDARI',
    cnic,
    name: 'Abdul Ghafoor Sanjrani',
    fatherName: 'Haji Muhammad Hassan',
    district: 'CHAGAI',
    crossingPoints: ['TFT', 'RJY'],
    validFrom,
    validUntil: dayAfter(validFrom, 90),
    ...overrides,
  };
}

/** An application as the store holds it, PENDING, submitted by an officer unless overridden. */
export function storedApplication(
  overrides: Partial<Application> & Pick<Application, 'id' | 'cnic'>,
): Application {
  const at = overrides.createdAt ?? new Date().toISOString();
  return {
    status: 'PENDING',
    passType: 'RAHDARI',
    name: 'Abdul Ghafoor Sanjrani',
    fatherName: 'Haji Muhammad Hassan',
    district: 'CHAGAI',
    crossingPoints: ['TFT', 'RJY'],
    validFrom: karachiDay(),
    validUntil: karachiDay(89),
    submittedBy: { sub: 'officer-1', role: 'fia-officer' },
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/**
 * The pass an approval of `app` stores, with its claims' validity; the store keeps the token as given, so any
 * compact JWS shape will do where nothing verifies it.
 */
export function storedPass(
  app: Application,
  number: string,
  issue: { token?: string; kid?: string; issuedAt: string; issuedBy: Actor },
): Pass {
  return passRecord(app, number, {
    token: issue.token ?? 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln',
    kid: issue.kid ?? 'testkid0',
    issuedAt: issue.issuedAt,
    issuedBy: issue.issuedBy,
  });
}

/** A Taftan post's record of a border pass as its device sends it (a fresh ULID, an OUT found VALID), at `at`. */
export function passCrossingAt(
  qrText: string,
  at: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: ulid(),
    credential: qrText,
    kind: 'bp',
    checkpoint: 'TFT',
    direction: 'OUT',
    at,
    officer: 'fc-taftan-1',
    device: 'taftan-phone-1',
    verdict: 'VALID',
    ...overrides,
  };
}
