// The checkpoint app's post logic without a browser: one consistent status, who is out now, the search, posts by
// name in both languages, Pakistan time and the officers' shifts.
import { describe, expect, it } from 'vitest';
import type { TrustState } from '../../shared/trust-state.ts';
import { matches, outNow } from '../../web/checkpoint/src/history.ts';
import { placeList } from '../../web/checkpoint/src/places.ts';
import { flagText } from '../../web/checkpoint/src/queue-panel.ts';
import { shiftOf } from '../../web/checkpoint/src/shift-counts.ts';
import { postStatus } from '../../web/checkpoint/src/status.ts';
import type { LocalCrossing, SavedLogin, SavedRosters } from '../../web/checkpoint/src/storage.ts';
import { FLAG_CODES, STRINGS } from '../../web/checkpoint/src/strings.ts';
import { pktClock, pktStamp, pktTime } from '../../web/checkpoint/src/time.ts';

const NOW = Date.parse('2026-12-08T05:42:00Z');
const login = (expiresAt: number): SavedLogin => ({ token: 't', expiresAt, sub: 'cg-1', checkpoint: 'JWN' });
/** The trust state's own warnings are its business (trust-state.test.ts); here only what it says is used. */
const stateSaying = (...warnings: string[]) => ({ warnings: () => warnings }) as unknown as TrustState;

describe('the status at the top of the screen', () => {
  it('drops "log in again" once a new login is there, and keeps it while the login has expired', () => {
    const lastSync = { at: NOW - 60_000, outcome: 'login-needed' as const };
    expect(postStatus(stateSaying(), login(NOW / 1000 + 3600), lastSync, false, NOW).sync).toBeUndefined();
    const expired = postStatus(stateSaying(), login(NOW / 1000 - 1), lastSync, false, NOW);
    expect([expired.loginExpired, expired.sync]).toEqual([true, lastSync]);
  });

  it('drops "up to date" once the trust data has gone stale or run out', () => {
    const current = { at: NOW - 30 * 3600_000, outcome: 'current' as const, to: 4 };
    const stale = postStatus(
      stateSaying('BUNDLE_STALE', 'REVOCATION_UNKNOWN'),
      login(NOW),
      current,
      false,
      NOW,
    );
    expect(stale.sync).toBeUndefined();
    expect(stale.warnings).toEqual(['BUNDLE_STALE', 'REVOCATION_UNKNOWN']);
    expect(postStatus(stateSaying(), login(NOW), current, false, NOW).sync).toEqual(current);
  });

  it('adds the clock going back to the trust data’s warnings while it holds', () => {
    expect(postStatus(stateSaying('CLOCK_DRIFT'), login(NOW), undefined, true, NOW).warnings).toEqual([
      'CLOCK_DRIFT',
      'CLOCK_WENT_BACK',
    ]);
  });
});

function crossing(number: string, direction: 'OUT' | 'IN', at: string, state = 'queued'): LocalCrossing {
  return {
    record: {
      id: `${number}-${at}`,
      credential: 'x',
      kind: 'bp',
      checkpoint: 'JWN',
      direction,
      at,
      officer: 'cg-1',
      device: 'web-1',
      verdict: 'VALID',
    },
    state: state as LocalCrossing['state'],
    day: at.slice(0, 10),
    name: `Person ${number}`,
    number,
  };
}

describe('who is out now', () => {
  it('takes the latest crossing of each person from this device and the rosters, and lists those out', () => {
    const rosters: SavedRosters = {
      asOf: '2026-12-08T00:00:00Z',
      receivedAt: NOW,
      groups: [
        {
          number: 'ZG-1',
          leader: { name: 'L', organization: 'O', phone: '' },
          crossingPoint: 'TFT',
          departOn: '2026-12-01',
          returnBy: '2026-12-30',
          size: 2,
          members: [
            {
              pass: 'BP-3',
              name: 'Pilgrim 3',
              fatherName: 'F',
              latest: { direction: 'OUT', at: '2026-12-02T05:00:00Z' },
            },
            {
              pass: 'BP-4',
              name: 'Pilgrim 4',
              fatherName: 'F',
              latest: { direction: 'OUT', at: '2026-12-02T05:00:00Z' },
            },
          ],
        },
      ],
    };
    const kept = [
      crossing('BP-1', 'OUT', '2026-12-08T05:00:00Z'),
      crossing('BP-2', 'OUT', '2026-12-07T05:00:00Z'),
      crossing('BP-2', 'IN', '2026-12-08T04:00:00Z'),
      // Back, recorded here after the roster's OUT.
      crossing('BP-4', 'IN', '2026-12-08T03:00:00Z'),
      // Refused by the server: no crossing.
      crossing('BP-5', 'OUT', '2026-12-08T05:30:00Z', 'rejected'),
    ];
    expect(outNow(kept, rosters).map((o) => [o.number, o.source])).toEqual([
      ['BP-1', 'device'],
      ['BP-3', 'platform'],
    ]);
  });

  it('finds a person by any of their names in any case, or by the pass number with or without dashes', () => {
    expect(matches('dashti nasreen', 'Nasreen Dashti', 'BP-2026-000123')).toBe(true);
    expect(matches('2026000123', 'Nasreen Dashti', 'BP-2026-000123')).toBe(true);
    expect(matches('000123', 'Nasreen Dashti', 'BP-2026-000123')).toBe(true);
    expect(matches('kalmati', 'Nasreen Dashti', 'BP-2026-000123')).toBe(false);
  });
});

describe('words and times at the post', () => {
  it('names crossing points in the officer’s language with their codes, and leaves an unknown code as it is', () => {
    expect(placeList('TFT RJY', 'en')).toBe('Taftan–Mirjaveh (TFT), Rajay (RJY)');
    expect(placeList('TFT XYZ', 'ur')).toBe('تفتان–میرجاوہ (TFT)، XYZ');
  });

  it('has every server flag in both languages, and shows one it does not know by its code', () => {
    for (const code of FLAG_CODES) {
      expect(flagText(code, STRINGS.en)).not.toContain(code);
      expect(flagText(code, STRINGS.ur)).toMatch(/[\u0600-\u06ff]/);
    }
    expect(flagText('SOMETHING_NEW', STRINGS.en)).toBe('other flag (something new)');
  });

  it('shows Pakistan time, labelled, whatever the device zone', () => {
    expect(pktTime('2026-12-08T05:42:00Z')).toBe('10:42');
    expect(pktClock(NOW).replace(/[\u2066-\u2069]/g, '')).toBe('10:42 PKT');
    expect(pktStamp('2026-12-08T19:30:00Z').replace(/[\u2066-\u2069]/g, '')).toBe('2026-12-09 00:30 PKT');
  });

  it('files a check under the Pakistan day and its eight-hour shift', () => {
    expect(shiftOf(Date.parse('2026-12-08T02:59:00Z'))).toEqual({ day: '2026-12-08', shift: 0 });
    expect(shiftOf(Date.parse('2026-12-08T03:00:00Z'))).toEqual({ day: '2026-12-08', shift: 8 });
    expect(shiftOf(Date.parse('2026-12-08T18:59:00Z'))).toEqual({ day: '2026-12-08', shift: 16 });
    expect(shiftOf(Date.parse('2026-12-08T19:00:00Z'))).toEqual({ day: '2026-12-09', shift: 0 });
  });
});
