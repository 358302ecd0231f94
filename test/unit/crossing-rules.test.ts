// The pure rules of a crossing record: its canonical content and what a resend changed, the dates a credential's
// validity and a known revocation put on a record, and the schema's refusal of blank text.
import { describe, expect, it } from 'vitest';
import { afterKnownRevocation, beforeValidity } from '../../functions/services/crossing-anomalies.ts';
import {
  CONTENT_FIELDS,
  changedFields,
  claimFor,
  conflictDetail,
  type RecordContent,
} from '../../functions/services/crossing-content.ts';
import type { PassClaims } from '../../shared/credential.ts';
import { CrossingInput } from '../../shared/crossing-schemas.ts';
import { MIN_REASON_LENGTH } from '../../shared/domain/reasons.ts';

const stored: RecordContent & { credentialPk: string } = {
  id: '01JE3W4Q6M8Y0S2T4V6X8Z0B2D',
  credential: 'BP-2026-000123',
  credentialPk: 'PASS#BP-2026-000123',
  credentialKind: 'bp',
  checkpoint: 'TFT',
  direction: 'OUT',
  at: '2026-12-02T04:10:07.000Z',
  officer: 'fc-taftan-1',
  device: 'taftan-phone-1',
  deviceVerdict: 'VALID',
};

describe('the content of a crossing record', () => {
  it('has one digest for one content, whatever the time offset or the order the crew was typed in', () => {
    const boat = {
      ...stored,
      credentialKind: 'vr' as const,
      crew: { count: 2, cnics: ['4210112345671', '4210112345673'] },
    };
    const again = {
      ...boat,
      at: '2026-12-02T09:10:07+05:00',
      crew: { count: 2, cnics: ['4210112345673', '4210112345671'] },
    };
    expect(claimFor(again).claim.digest).toBe(claimFor(boat).claim.digest);
  });

  it.each([
    ['credential', { credential: 'BP-2026-000124' }],
    ['kind', { credentialKind: 'vr' as const }],
    ['checkpoint', { checkpoint: 'RJY' }],
    ['direction', { direction: 'IN' as const }],
    ['at', { at: '2026-12-02T04:10:07.001Z' }],
    ['officer', { officer: 'fc-taftan-2' }],
    ['device', { device: 'taftan-phone-2' }],
    ['verdict', { deviceVerdict: 'REVOKED' as const }],
    ['override', { override: { reason: 'Escorted.' } }],
    ['crew', { crew: { count: 1, cnics: [] } }],
    ['trustVersion', { trustVersion: 0 }],
  ] as [string, Partial<RecordContent>][])(
    'has another digest when %s changes, and names that field alone',
    (field, change) => {
      const original = claimFor(stored).claim;
      const resent = claimFor({ ...stored, ...change });
      expect(resent.claim.digest).not.toBe(original.digest);
      expect(changedFields(original, resent.canonical)).toEqual([field]);
    },
  );

  it('compares every field a device sends but its id', () => {
    expect([...CONTENT_FIELDS].sort()).toEqual([
      'at',
      'checkpoint',
      'credential',
      'crew',
      'device',
      'direction',
      'kind',
      'officer',
      'override',
      'trustVersion',
      'verdict',
    ]);
  });

  it('says what a conflicting resend moved, and only names the free text it changed', () => {
    const original = claimFor(stored).claim;
    const resent = claimFor({ ...stored, direction: 'IN', officer: 'someone' }).canonical;
    const detail = conflictDetail(original, resent, changedFields(original, resent));
    expect(detail).toBe(
      'Id resent with other content (direction OUT -> IN, officer); the crossing stored first stands and the resend was refused.',
    );
  });
});

const claims: PassClaims = {
  sub: 'BP-2026-000123',
  nbf: Date.parse('2026-12-01T19:00:00Z') / 1000,
  exp: Date.parse('2027-03-01T19:00:00Z') / 1000,
  n: 'Abdul Ghafoor',
  f: 'Haji Muhammad Hassan',
  c: 5410112345673,
  p: 'TFT RJY',
};
const nbfMs = claims.nbf * 1000;

describe('a record before its credential was valid', () => {
  it('is one when dated beyond the clock tolerance before nbf', () => {
    expect(beforeValidity({ atMs: nbfMs - 301_000, claims }, 300)).toBe(
      'Dated 2026-12-01T18:54:59.000Z, before the credential was valid from 2026-12-01T19:00:00.000Z.',
    );
  });

  it('is none within the tolerance, or for a boat certificate without nbf', () => {
    expect(beforeValidity({ atMs: nbfMs - 300_000, claims }, 300)).toBeUndefined();
    const { nbf: _nbf, ...open } = claims;
    expect(beforeValidity({ atMs: 0, claims: { ...open, o: 'x', h: 'GWD', m: 3 } }, 300)).toBeUndefined();
  });
});

describe('a record after a revocation its device knew', () => {
  const revocation = { at: Date.parse('2026-12-05T10:00:00Z'), version: 7 };
  const input = (verdict: CrossingInput['verdict'], trustVersion?: number) =>
    ({ verdict, ...(trustVersion !== undefined ? { trustVersion } : {}) }) as CrossingInput;
  const after = revocation.at + 60_000;
  const before = revocation.at - 60_000;

  it('is one when the device held the revocation and said VALID, or dated the record before it', () => {
    expect(afterKnownRevocation({ input: input('VALID', 7), atMs: after, revocation })).toContain(
      'recorded the credential as VALID',
    );
    expect(afterKnownRevocation({ input: input('REVOKED', 9), atMs: before, revocation })).toContain(
      'dated before it',
    );
  });

  it('is none when the device had not received it, did not say, or said REVOKED after it', () => {
    expect(afterKnownRevocation({ input: input('VALID', 6), atMs: before, revocation })).toBeUndefined();
    expect(afterKnownRevocation({ input: input('VALID'), atMs: before, revocation })).toBeUndefined();
    expect(afterKnownRevocation({ input: input('REVOKED', 7), atMs: after, revocation })).toBeUndefined();
    expect(afterKnownRevocation({ input: input('VALID', 7), atMs: after })).toBeUndefined();
  });
});

describe('the schema of a crossing record', () => {
  const record = {
    id: '01JE3W4Q6M8Y0S2T4V6X8Z0B2D',
    credential: 'rhd:/00',
    kind: 'bp',
    checkpoint: 'TFT',
    direction: 'OUT',
    at: '2026-12-02T04:10:07Z',
    officer: 'fc-taftan-1',
    device: 'taftan-phone-1',
    verdict: 'VALID',
  };
  const issues = (value: unknown) => {
    const parsed = CrossingInput.safeParse(value);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('/')}: ${i.message}`);
  };

  it('refuses an officer or device that is only space', () => {
    expect(issues({ ...record, officer: ' \t ' }).join()).toMatch(/^officer: /);
    expect(issues({ ...record, device: '   ' })).toEqual(['device: Must not be empty or only spaces.']);
  });

  it(`holds an override reason to the shared rule of at least ${MIN_REASON_LENGTH} characters once trimmed`, () => {
    expect(issues({ ...record, override: { reason: '  ' } })).toEqual([
      'override/reason: Give a reason; it must not be empty or only spaces.',
    ]);
    expect(issues({ ...record, override: { reason: ` ${'x'.repeat(MIN_REASON_LENGTH - 1)} ` } })).toEqual([
      `override/reason: Give a reason of at least ${MIN_REASON_LENGTH} characters.`,
    ]);
    expect(CrossingInput.parse({ ...record, override: { reason: ' Escorted. ' } }).override).toEqual({
      reason: 'Escorted.',
    });
  });

  it('takes a whole, non-negative trust version and nothing else', () => {
    expect(CrossingInput.parse({ ...record, trustVersion: 12 }).trustVersion).toBe(12);
    expect(issues({ ...record, trustVersion: -1 })).toHaveLength(1);
    expect(issues({ ...record, trustVersion: 1.5 })).toHaveLength(1);
    expect(issues({ ...record, trustVersion: '3' })).toHaveLength(1);
  });
});
