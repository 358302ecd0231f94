// Reference data: the stable codes from the design, their consistency, and the code guards.
import { describe, expect, it } from 'vitest';
import {
  CHECKPOINT_CODES,
  CROSSING_POINT_CODES,
  CROSSING_POINTS,
  checkpointName,
  DEFAULT_DISTRICT_CROSSING_POINTS,
  DISTRICT_CODES,
  DISTRICTS,
  isCheckpointCode,
  isCrossingPointCode,
  isDistrictCode,
  isPortCode,
  PORT_CODES,
  PORTS,
  postKinds,
  takesBorderPasses,
  takesVessels,
} from '../../shared/domain/reference.ts';

describe('reference codes', () => {
  // Codes are written into credentials, so this list is a contract: changing it must break a test.
  it('keeps the district codes of the design', () => {
    expect(DISTRICT_CODES).toEqual(['CHAGAI', 'WASHUK', 'PANJGUR', 'KECH', 'GWADAR']);
  });

  it('keeps the crossing point codes of the design', () => {
    expect(CROSSING_POINT_CODES).toEqual([
      'TFT',
      'RJY',
      'MSK',
      'CDG',
      'JRK',
      'MND',
      'GBD',
      'JWN',
      'CMN',
      'TKM',
    ]);
  });

  it('keeps the port codes of the design', () => {
    expect(PORT_CODES).toEqual([
      'JWN',
      'PSK',
      'GWD',
      'PSN',
      'ORM',
      'DMB',
      'GDN',
      'KFH',
      'KRG',
      'IBH',
      'KTB',
      'SHB',
    ]);
  });

  it('describes every listed code and no other', () => {
    expect(Object.keys(DISTRICTS)).toEqual([...DISTRICT_CODES]);
    expect(Object.keys(CROSSING_POINTS)).toEqual([...CROSSING_POINT_CODES]);
    expect(Object.keys(PORTS)).toEqual([...PORT_CODES]);
  });

  it('lists JWN once among checkpoints although it is both a sea crossing and a port', () => {
    expect(CHECKPOINT_CODES.filter((code) => code === 'JWN')).toHaveLength(1);
    expect(CHECKPOINT_CODES).toHaveLength(CROSSING_POINT_CODES.length + PORT_CODES.length - 1);
  });

  it('puts the Iran crossing points in a rahdari district and the Afghan ones in none', () => {
    const iranWithoutDistrict = CROSSING_POINT_CODES.filter(
      (code) => CROSSING_POINTS[code].border === 'IR' && CROSSING_POINTS[code].district === null,
    );
    const afghan = CROSSING_POINT_CODES.filter((code) => CROSSING_POINTS[code].border === 'AF');

    expect(iranWithoutDistrict).toEqual([]);
    expect(afghan).toEqual(['CMN', 'TKM']);
    expect(afghan.map((code) => CROSSING_POINTS[code].district)).toEqual([null, null]);
  });

  it('places every crossing point inside Pakistan’s rough bounding box', () => {
    const outside = CROSSING_POINT_CODES.filter((code) => {
      const { lat, lon } = CROSSING_POINTS[code];
      return lat < 23.5 || lat > 37.5 || lon < 60.5 || lon > 77.5;
    });

    expect(outside).toEqual([]);
  });

  it('gives each district default crossing points on the Iran border within that district', () => {
    const misplaced = DISTRICT_CODES.flatMap((district) =>
      DEFAULT_DISTRICT_CROSSING_POINTS[district].filter(
        (code) => CROSSING_POINTS[code].district !== district || CROSSING_POINTS[code].border !== 'IR',
      ),
    );

    expect(misplaced).toEqual([]);
  });

  it('matches the design’s default crossing points per district', () => {
    expect(DEFAULT_DISTRICT_CROSSING_POINTS).toEqual({
      CHAGAI: ['TFT', 'RJY'],
      WASHUK: ['MSK'],
      PANJGUR: ['CDG', 'JRK'],
      KECH: ['MND'],
      GWADAR: ['GBD', 'JWN'],
    });
  });
});

describe('code guards', () => {
  it('recognises a district code', () => {
    expect(isDistrictCode('KECH')).toBe(true);
  });

  it('refuses a district code in the wrong case', () => {
    expect(isDistrictCode('kech')).toBe(false);
  });

  it.each(['toString', '__proto__', 'constructor', 'hasOwnProperty'])(
    'does not take the inherited name %s for a code',
    (name) => {
      expect([
        isDistrictCode(name),
        isCrossingPointCode(name),
        isPortCode(name),
        isCheckpointCode(name),
      ]).toEqual([false, false, false, false]);
    },
  );

  it('refuses values that are not strings', () => {
    expect([isCheckpointCode(undefined), isCheckpointCode(42), isCheckpointCode(['TFT'])]).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('treats a port as a checkpoint but not as a crossing point', () => {
    expect([isCheckpointCode('KFH'), isPortCode('KFH'), isCrossingPointCode('KFH')]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('treats an inland crossing point as a checkpoint but not as a port', () => {
    expect([isCheckpointCode('TFT'), isPortCode('TFT'), isCrossingPointCode('TFT')]).toEqual([
      true,
      false,
      true,
    ]);
  });

  it('treats JWN as both a crossing point and a port', () => {
    expect([isPortCode('JWN'), isCrossingPointCode('JWN')]).toEqual([true, true]);
  });
});

describe('checkpointName', () => {
  it('names a port', () => {
    expect(checkpointName('KFH')).toBe('Karachi Fish Harbour');
  });

  it('names JWN by its sea crossing', () => {
    expect(checkpointName('JWN')).toBe('Jiwani (sea)');
  });
});

describe('post kinds', () => {
  it('makes JWN both the sea crossing and a port, and every other code one kind only', () => {
    const kinds = Object.fromEntries(CHECKPOINT_CODES.map((code) => [code, postKinds(code)]));

    expect(kinds.JWN).toEqual(['sea-crossing', 'port']);
    expect(kinds.TFT).toEqual(['land-crossing']);
    expect(kinds.GWD).toEqual(['port']);
    expect(Object.entries(kinds).filter(([code, k]) => code !== 'JWN' && k.length !== 1)).toEqual([]);
  });

  it('takes border passes at crossing points only, and vessels at the sea crossing and ports only', () => {
    const passPosts = CHECKPOINT_CODES.filter(takesBorderPasses);
    const vesselPosts = CHECKPOINT_CODES.filter(takesVessels);

    expect(passPosts).toEqual([...CROSSING_POINT_CODES]);
    expect([...vesselPosts].sort()).toEqual([...PORT_CODES].sort());
  });
});
