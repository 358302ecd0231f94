// The boat register's domain core: reference data, official numbers, the boat rule, request schemas, certificate claims.
import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import { signJwt } from '../../shared/credential.ts';
import { karachiDayStart } from '../../shared/domain/pass-types.ts';
import { PORT_CODES } from '../../shared/domain/reference.ts';
import {
  BOAT_TYPE_CODES,
  BOAT_TYPES,
  type CertifiableVessel,
  FISHING_GEAR,
  FISHING_GEAR_CODES,
  formatCertificateSerial,
  formatOfficialNumber,
  HULL_MATERIAL_CODES,
  HULL_MATERIALS,
  isBoatTypeCode,
  isFishingGearCode,
  isHullMaterialCode,
  latestLicenceDay,
  parseCertificateSerial,
  parseOfficialNumber,
  type VesselInput,
  validateOwner,
  validateRenewal,
  validateTransfer,
  validateVessel,
  vesselCertificateClaims,
  vesselNameKey,
} from '../../shared/domain/vessel.ts';
import { generateSigningKey, signerFromPkcs8 } from '../../shared/keys.ts';
import { qrVersion } from '../../shared/qr.ts';
import { zodIssuesToFieldErrors } from '../../shared/schemas.ts';
import {
  CancelInput,
  ReinstateInput,
  RenewInput,
  SuspendInput,
  TransferInput,
  VesselInput as VesselInputSchema,
  VesselListQuery,
} from '../../shared/vessel-schemas.ts';
import { generateFleet } from '../support/fleet.ts';

// Noon in Karachi on 10 March 2026.
const NOW = new Date('2026-03-10T07:00:00Z');

function boat(overrides: Partial<VesselInput> = {}): VesselInput {
  return {
    name: 'Al-Madina',
    type: 'LAUNCH',
    homePort: 'GWD',
    owner: {
      name: 'Karim Bakhsh Baloch',
      fatherName: 'Haji Dad Muhammad',
      cnic: '52101-1234567-1',
      address: 'House 12, Mulla Band, Gwadar',
    },
    lengthOverallM: 16.5,
    grossTonnageGt: 28.4,
    engine: { make: 'Yanmar', powerHp: 220 },
    hullMaterial: 'WOOD',
    fishingGear: ['GILLNET', 'HOOK_AND_LINE'],
    maxCrew: 14,
    licenceValidFrom: '2026-03-10',
    licenceValidUntil: '2027-03-09',
    ...overrides,
  };
}

function errorsOf(input: VesselInput, now = NOW) {
  const result = validateVessel(input, now);
  return result.ok ? [] : result.errors;
}

function accepted(input: VesselInput) {
  const result = validateVessel(input, NOW);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.errors)}`);
  return result.value;
}

describe('reference data', () => {
  const tables = [
    ['boat types', BOAT_TYPE_CODES, BOAT_TYPES],
    ['hull materials', HULL_MATERIAL_CODES, HULL_MATERIALS],
    ['fishing gear', FISHING_GEAR_CODES, FISHING_GEAR],
  ] as const;

  it.each(tables)('lists every code of the %s table once, and nothing else', (_, codes, table) => {
    expect(new Set(codes).size).toBe(codes.length);
    expect(Object.keys(table).sort()).toEqual([...codes].sort());
  });

  it.each(tables)('gives the %s upper-case ASCII codes', (_, codes) => {
    for (const code of codes) expect(code).toMatch(/^[A-Z][A-Z_]*[A-Z]$/);
  });

  it.each(tables)('names each of the %s in English and in Urdu script', (_, codes, table) => {
    for (const code of codes) {
      const name = table[code as keyof typeof table] as { en: string; ur: string };
      expect(name.en).toMatch(/^[A-Z][A-Za-z ()-]+$/);
      expect(name.ur).toMatch(/^[\p{Script=Arabic} ]+$/u);
    }
  });

  it('takes no inherited property name for a code', () => {
    for (const name of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
      expect(isBoatTypeCode(name)).toBe(false);
      expect(isHullMaterialCode(name)).toBe(false);
      expect(isFishingGearCode(name)).toBe(false);
    }
  });

  it('names the gear a gear-named type must carry from the gear table', () => {
    for (const type of Object.values(BOAT_TYPES)) {
      if ('namedForGear' in type) expect(isFishingGearCode(type.namedForGear)).toBe(true);
    }
  });
});

describe('official numbers', () => {
  it('formats the port, the year and a five-digit serial', () => {
    expect(formatOfficialNumber('GWD', 2026, 42)).toBe('GWD-2026-00042');
    expect(formatOfficialNumber('KFH', 2031, 99_999)).toBe('KFH-2031-99999');
  });

  it('reads back what it formats, for every port', () => {
    for (const port of PORT_CODES) {
      const number = formatOfficialNumber(port, 2026, 7);
      expect(parseOfficialNumber(number)).toEqual({ ok: true, number, port, year: 2026, serial: 7 });
    }
  });

  it.each([
    ['lower case', 'gwd-2026-00042', 'PORT-YEAR-NNNNN'],
    ['a leading space', ' GWD-2026-00042', 'PORT-YEAR-NNNNN'],
    ['a trailing newline', 'GWD-2026-00042\n', 'PORT-YEAR-NNNNN'],
    ['four serial digits', 'GWD-2026-0042', 'PORT-YEAR-NNNNN'],
    ['six serial digits', 'GWD-2026-000042', 'PORT-YEAR-NNNNN'],
    ['a two-digit year', 'GWD-26-00042', 'PORT-YEAR-NNNNN'],
    ['no dashes', 'GWD202600042', 'PORT-YEAR-NNNNN'],
    ['slashes', 'GWD/2026/00042', 'PORT-YEAR-NNNNN'],
    ['Arabic-Indic digits', 'GWD-٢٠٢٦-00042', 'PORT-YEAR-NNNNN'],
    ['a land crossing for a port', 'TFT-2026-00042', 'TFT is not a registering port'],
    ['a made-up port', 'XYZ-2026-00042', 'XYZ is not a registering port'],
    ['serial 00000', 'GWD-2026-00000', 'No official number ends in 00000'],
    ['a year before the register', 'GWD-1999-00042', 'runs from 2000 to 2099'],
    ['a pass number', 'BP-2026-000123', 'PORT-YEAR-NNNNN'],
    ['an empty string', '', 'PORT-YEAR-NNNNN'],
  ])('refuses %s (%j)', (_, text, message) => {
    const parsed = parseOfficialNumber(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.error).toContain(message);
  });

  it.each([
    ['an unknown port', () => formatOfficialNumber('XYZ' as 'GWD', 2026, 1)],
    ['serial 0', () => formatOfficialNumber('GWD', 2026, 0)],
    ['serial 100000', () => formatOfficialNumber('GWD', 2026, 100_000)],
    ['a fractional serial', () => formatOfficialNumber('GWD', 2026, 1.5)],
    ['year 1999', () => formatOfficialNumber('GWD', 1999, 1)],
  ])('will not format a number with %s', (_, format) => {
    expect(format).toThrow(RangeError);
  });
});

describe('certificate serials', () => {
  it('is the official number, a slash and the sequence without leading zeros', () => {
    expect(formatCertificateSerial('GWD-2026-00042', 1)).toBe('GWD-2026-00042/1');
    expect(formatCertificateSerial('KFH-2026-00100', 999)).toBe('KFH-2026-00100/999');
  });

  it('reads back the official number and the sequence', () => {
    expect(parseCertificateSerial('PSN-2027-00318/12')).toEqual({
      ok: true,
      serial: 'PSN-2027-00318/12',
      officialNumber: 'PSN-2027-00318',
      sequence: 12,
    });
  });

  // One spelling per certificate: a revocation list entry must match the certificate's sub exactly.
  it.each([
    'GWD-2026-00042/0',
    'GWD-2026-00042/01',
    'GWD-2026-00042/1000',
    'GWD-2026-00042',
    'GWD-2026-00042/',
    'GWD-2026-00042/-1',
    'XYZ-2026-00042/1',
    'GWD-2026-00000/1',
    'VC-2026-000123',
  ])('refuses %j', (text) => {
    expect(parseCertificateSerial(text).ok).toBe(false);
  });

  it.each([
    ['a malformed official number', () => formatCertificateSerial('GWD-2026-42', 1)],
    ['sequence 0', () => formatCertificateSerial('GWD-2026-00042', 0)],
    ['sequence 1000', () => formatCertificateSerial('GWD-2026-00042', 1000)],
  ])('will not format a serial with %s', (_, format) => {
    expect(format).toThrow(RangeError);
  });
});

describe('validateVessel', () => {
  it('accepts a complete boat and returns its normalized form', () => {
    const result = validateVessel(
      boat({ previousName: 'Sohni Baloch', previousRegistration: 'PSN-2026-00007' }),
      NOW,
    );

    expect(result).toEqual({
      ok: true,
      value: {
        name: 'Al-Madina',
        type: 'LAUNCH',
        homePort: 'GWD',
        owner: {
          name: 'Karim Bakhsh Baloch',
          fatherName: 'Haji Dad Muhammad',
          cnic: '5210112345671',
          address: 'House 12, Mulla Band, Gwadar',
        },
        lengthOverallM: 16.5,
        grossTonnageGt: 28.4,
        engine: { make: 'Yanmar', powerHp: 220 },
        hullMaterial: 'WOOD',
        fishingGear: ['GILLNET', 'HOOK_AND_LINE'],
        maxCrew: 14,
        licenceValidFrom: '2026-03-10',
        licenceValidUntil: '2027-03-09',
        previousName: 'Sohni Baloch',
        previousRegistration: 'PSN-2026-00007',
        warnings: [],
      },
    });
  });

  it('leaves engine, previous name and previous registration out when none were given', () => {
    const value = accepted(boat({ type: 'HORA', engine: undefined, lengthOverallM: 8, maxCrew: 4 }));

    expect(Object.keys(value)).not.toContain('engine');
    expect(Object.keys(value)).not.toContain('previousName');
    expect(Object.keys(value)).not.toContain('previousRegistration');
  });

  type Refusal = [string, Partial<VesselInput>, string, string | RegExp];
  // biome-ignore format: one refusal per line reads as a table
  const refusals: Refusal[] = [
    ['an empty boat name', { name: '   ' }, 'name', 'Boat name is required.'],
    ['a one-letter boat name', { name: 'A' }, 'name', 'at least 2 characters'],
    ['a 41-character boat name', { name: 'A'.repeat(41) }, 'name', 'at most 40 characters'],
    ['a boat name of digits only', { name: '786' }, 'name', 'must contain letters'],
    ['a boat name with Urdu digits', { name: 'المدینہ ۲' }, 'name', 'digits 0–9'],
    ['a boat name with an emoji', { name: 'Al-Madina 🚤' }, 'name', 'may contain only letters'],
    ['a boat name with a right-to-left override', { name: 'Al\u202eMadina' }, 'name', /U\+202E RIGHT-TO-LEFT OVERRIDE at position 3/],
    ['a boat name over two lines', { name: 'Al-Madina\n2' }, 'name', /U\+000A LINE FEED at position 10/],
    ['a boat name in Cyrillic', { name: 'Аль-Мадина' }, 'name', 'may contain only letters'],
    ['an unknown boat type', { type: 'YACHT' }, 'type', 'This boat type is not known.'],
    ['a boat type in lower case', { type: 'launch' }, 'type', 'This boat type is not known.'],
    ['an unknown home port', { homePort: 'XYZ' }, 'homePort', 'This port is not known.'],
    ['a land crossing as home port', { homePort: 'TFT' }, 'homePort', 'This port is not known.'],
    ['a length under 3 m', { lengthOverallM: 2.99 }, 'lengthOverallM', 'Length overall must be from 3 m to 60 m.'],
    ['a length over 60 m', { lengthOverallM: 60.01 }, 'lengthOverallM', 'Length overall must be from 3 m to 60 m.'],
    ['a length in millimetres', { lengthOverallM: 16.505 }, 'lengthOverallM', 'at most 2 decimal places'],
    ['a length that is not a number', { lengthOverallM: Number.NaN }, 'lengthOverallM', 'must be a number'],
    ['an infinite length', { lengthOverallM: Number.POSITIVE_INFINITY }, 'lengthOverallM', 'must be a number'],
    ['a length sent as text', { lengthOverallM: '16.5' as unknown as number }, 'lengthOverallM', 'must be a number'],
    ['a tonnage under 0.5 GT', { grossTonnageGt: 0.49 }, 'grossTonnageGt', 'Gross tonnage must be from 0.5 GT to 500 GT.'],
    ['a tonnage over 500 GT', { grossTonnageGt: 500.5 }, 'grossTonnageGt', 'Gross tonnage must be from 0.5 GT to 500 GT.'],
    ['a negative tonnage', { grossTonnageGt: -3 }, 'grossTonnageGt', 'from 0.5 GT to 500 GT'],
    ['a tonnage to three decimals', { grossTonnageGt: 28.125 }, 'grossTonnageGt', 'at most 2 decimal places'],
    ['an engine of 0 HP', { engine: { make: 'Yanmar', powerHp: 0 } }, 'engine/powerHp', 'Engine power must be from 1 HP to 3000 HP.'],
    ['an engine over 3000 HP', { engine: { make: 'Yanmar', powerHp: 3001 } }, 'engine/powerHp', 'from 1 HP to 3000 HP'],
    ['an engine power to two decimals', { engine: { make: 'Yamaha', powerHp: 9.95 } }, 'engine/powerHp', 'at most 1 decimal place'],
    ['an engine with no make', { engine: { make: ' ', powerHp: 40 } }, 'engine/make', 'Engine make is required.'],
    ['an engine make of one letter', { engine: { make: 'Y', powerHp: 40 } }, 'engine/make', 'at least 2 characters'],
    ['an engine make of digits only', { engine: { make: '4000', powerHp: 40 } }, 'engine/make', 'must contain letters'],
    ['an engine make with a zero-width space', { engine: { make: 'Yan\u200bmar', powerHp: 40 } }, 'engine/make', /U\+200B ZERO WIDTH SPACE at position 4/],
    ['an engine make with a semicolon', { engine: { make: 'Yanmar; DROP', powerHp: 40 } }, 'engine/make', 'may contain only'],
    ['a launch with no engine', { engine: undefined }, 'engine', 'A launch cannot work without an engine'],
    ['an unknown hull material', { hullMaterial: 'PLASTIC' }, 'hullMaterial', 'This hull material is not known.'],
    ['no fishing gear', { fishingGear: [] }, 'fishingGear', 'Choose at least one kind of fishing gear'],
    ['unknown fishing gear', { fishingGear: ['GILLNET', 'DYNAMITE'] }, 'fishingGear/1', 'This fishing gear is not known.'],
    ['the same gear twice', { fishingGear: ['GILLNET', 'GILLNET'] }, 'fishingGear/1', 'GILLNET is listed more than once.'],
    ['NONE beside other gear', { fishingGear: ['NONE', 'GILLNET'] }, 'fishingGear', 'NONE cannot stand beside other gear.'],
    ['a gillnetter without gillnets', { type: 'GILLNETTER', fishingGear: ['LONGLINE'] }, 'fishingGear', 'A gillnetter carries gillnet: add GILLNET.'],
    ['a trawler without a trawl', { type: 'TRAWLER', fishingGear: ['GILLNET'] }, 'fishingGear', 'add TRAWL'],
    ['no crew', { maxCrew: 0 }, 'maxCrew', 'Maximum crew must be from 1 to 60.'],
    ['a crew of 61', { maxCrew: 61, lengthOverallM: 40 }, 'maxCrew', 'Maximum crew must be from 1 to 60.'],
    ['half a crew member', { maxCrew: 3.5 }, 'maxCrew', 'Maximum crew must be a whole number.'],
    ['a crew of 40 on an 8 m boat', { type: 'HORA', engine: undefined, lengthOverallM: 8, maxCrew: 40 }, 'maxCrew', 'A boat 8 m long can carry at most 16 crew'],
    ['a licence starting yesterday', { licenceValidFrom: '2026-03-09' }, 'licenceValidFrom', 'today is 2026-03-10 in Pakistan'],
    ['a licence starting over a year ahead', { licenceValidFrom: '2027-03-11', licenceValidUntil: '2028-03-10' }, 'licenceValidFrom', 'within 365 days'],
    ['a licence start that is no date', { licenceValidFrom: '2026-02-30' }, 'licenceValidFrom', 'real date'],
    ['a licence start in another format', { licenceValidFrom: '10/03/2026' }, 'licenceValidFrom', 'real date'],
    ['a licence ending on its first day', { licenceValidUntil: '2026-03-10' }, 'licenceValidUntil', "after the licence's first day"],
    ['a licence ending before it starts', { licenceValidUntil: '2026-01-01' }, 'licenceValidUntil', "after the licence's first day"],
    ['a licence of three years and a day', { licenceValidUntil: '2029-03-10' }, 'licenceValidUntil', 'the latest last day is 2029-03-09'],
    ['a licence end that is no date', { licenceValidUntil: '2027-13-01' }, 'licenceValidUntil', 'real date'],
    ['a previous name of one letter', { previousName: 'B' }, 'previousName', 'Previous name must be at least 2 characters.'],
    ['a previous registration in the wrong form', { previousRegistration: 'GWD/2020/42' }, 'previousRegistration', 'PORT-YEAR-NNNNN'],
    ['a previous registration at a land crossing', { previousRegistration: 'TFT-2020-00042' }, 'previousRegistration', 'TFT is not a registering port'],
  ];

  it.each(refusals)('refuses %s', (_, overrides, field, message) => {
    const errors = errorsOf(boat(overrides));

    expect(errors).toHaveLength(1);
    expect(errors[0]?.field).toBe(field);
    if (typeof message === 'string') expect(errors[0]?.message).toContain(message);
    else expect(errors[0]?.message).toMatch(message);
  });

  type OwnerRefusal = [string, Partial<VesselInput['owner']>, string, string | RegExp];
  // biome-ignore format: one refusal per line reads as a table
  const ownerRefusals: OwnerRefusal[] = [
    ['no owner name', { name: '' }, 'owner/name', 'Name is required.'],
    ['an owner name with digits', { name: 'Karim 2' }, 'owner/name', 'may contain only letters'],
    ['an owner name of 61 characters', { name: `Abdul ${'G'.repeat(55)}` }, 'owner/name', 'at most 60 characters'],
    ['no father name', { fatherName: ' ' }, 'owner/fatherName', "Father's name is required."],
    ['a father name with a bidi isolate', { fatherName: 'Dad\u2067 Muhammad' }, 'owner/fatherName', /U\+2067 RIGHT-TO-LEFT ISOLATE/],
    ['a CNIC of 12 digits', { cnic: '521011234567' }, 'owner/cnic', 'CNIC must be 13 digits'],
    ['a CNIC starting with 9', { cnic: '92101-1234567-1' }, 'owner/cnic', 'cannot start with 9'],
    ['an empty address', { address: '' }, 'owner/address', 'Address is required.'],
    ['an address of four characters', { address: 'Pasn' }, 'owner/address', 'at least 5 characters'],
    ['an address without letters', { address: '12, 4, 7' }, 'owner/address', 'must contain letters'],
    ['an address with a byte order mark', { address: '\ufeffHouse 12, Gwadar' }, 'owner/address', /U\+FEFF ZERO WIDTH NO-BREAK SPACE/],
    ['an address of 201 characters', { address: `House ${'1'.repeat(195)}` }, 'owner/address', 'at most 200 characters'],
  ];

  it.each(ownerRefusals)('refuses %s', (_, overrides, field, message) => {
    const base = boat();
    const errors = errorsOf({ ...base, owner: { ...base.owner, ...overrides } });

    expect(errors).toHaveLength(1);
    expect(errors[0]?.field).toBe(field);
    if (typeof message === 'string') expect(errors[0]?.message).toContain(message);
    else expect(errors[0]?.message).toMatch(message);
  });

  it('refuses a missing owner with one error on the owner', () => {
    const errors = errorsOf(boat({ owner: null as unknown as VesselInput['owner'] }));

    expect(errors).toEqual([
      { field: 'owner', message: "Give the owner's name, father's name, CNIC and address." },
    ]);
  });

  // biome-ignore format: one acceptance per line reads as a table
  const acceptances: Array<[string, Partial<VesselInput>]> = [
    ['the shortest boat, 3 m', { type: 'YAKDAR', engine: undefined, lengthOverallM: 3, maxCrew: 2, grossTonnageGt: 0.5, fishingGear: ['HOOK_AND_LINE'] }],
    ['the longest boat, 60 m', { type: 'TRAWLER', lengthOverallM: 60, grossTonnageGt: 500, fishingGear: ['TRAWL'], maxCrew: 60 }],
    ['a length to the centimetre', { lengthOverallM: 16.55 }],
    ['a length whose binary form is inexact', { lengthOverallM: 12.3 }],
    ['a 9.9 HP outboard', { type: 'SKIFF', lengthOverallM: 6, maxCrew: 4, grossTonnageGt: 1.2, engine: { make: 'Yamaha', powerHp: 9.9 }, hullMaterial: 'GRP' }],
    ['a 1 HP engine', { type: 'HORA', lengthOverallM: 5, maxCrew: 2, engine: { make: 'Honda', powerHp: 1 } }],
    ['a 3000 HP engine', { engine: { make: 'Caterpillar 3516', powerHp: 3000 } }],
    ['an engine make with model and condition', { engine: { make: 'Hino (reconditioned) EF750', powerHp: 220 } }],
    ['an engine make in Urdu', { engine: { make: 'یانمار', powerHp: 220 } }],
    ['a hora under sail, with no engine', { type: 'HORA', engine: undefined, lengthOverallM: 8, maxCrew: 4 }],
    ['a trading dhow with no fishing gear', { type: 'DHOW', fishingGear: ['NONE'], lengthOverallM: 30, grossTonnageGt: 250, maxCrew: 18 }],
    ['a gillnetter that also sets longlines', { type: 'GILLNETTER', fishingGear: ['LONGLINE', 'GILLNET'] }],
    ['two crew per metre exactly', { type: 'HORA', engine: undefined, lengthOverallM: 7.5, maxCrew: 15 }],
    ['a licence of exactly three years', { licenceValidUntil: '2029-03-09' }],
    ['a licence of two days', { licenceValidUntil: '2026-03-11' }],
    ['a licence starting 365 days ahead', { licenceValidFrom: '2027-03-10', licenceValidUntil: '2028-03-09' }],
    ['a boat name with a number', { name: 'Al-Noor 786' }],
    ['a boat name in Urdu script', { name: 'نورِ خدا' }],
    ['a boat name with a superscript alef', { name: 'المصطفیٰ' }],
    ['a boat name with an Urdu joiner', { name: 'پی‌ٹی‌سی' }],
    ["a boat name with an apostrophe", { name: "Ma'a Al-Khair" }],
    ['a boat name of 40 characters', { name: 'Sultan-e-Madina Ghous-e-Azam Data Sahib ' }],
    ['an owner with a long real name', { owner: { name: 'Haji Malik Muhammad Aslam Khan Achakzai Kakar', fatherName: 'Mir Abdul Ghafoor Khan Sanjrani Baloch', cnic: '5410112345673', address: 'Killi Haji Abdullah, Chaman Road' } }],
    ['an owner named in Urdu', { owner: { name: 'کریم بخش بلوچ', fatherName: 'حاجی داد محمد', cnic: '52101-1234567-1', address: 'محلہ ملا بند، گوادر' } }],
    ['an address over two lines', { owner: { name: 'Karim Bakhsh', fatherName: 'Dad Muhammad', cnic: '5210112345671', address: 'House 12, Ward 4\r\nMulla Band, Gwadar' } }],
    ['a previous registration at another port', { previousRegistration: 'KFH-2019-00311' }],
  ];

  it.each(acceptances)('accepts %s', (_, overrides) => {
    expect(errorsOf(boat(overrides))).toEqual([]);
  });

  it('reports every problem at once, in form order', () => {
    const errors = errorsOf(
      boat({ name: '', type: 'YACHT', lengthOverallM: 100, maxCrew: 0, licenceValidUntil: 'soon' }),
    );

    expect(errors.map((error) => error.field)).toEqual([
      'name',
      'type',
      'lengthOverallM',
      'maxCrew',
      'licenceValidUntil',
    ]);
  });

  it('does not relate crew to a length that is already wrong', () => {
    const errors = errorsOf(boat({ lengthOverallM: 1, maxCrew: 20 }));

    expect(errors.map((error) => error.field)).toEqual(['lengthOverallM']);
  });

  it('stores names composed, trimmed, with single spaces and a plain apostrophe', () => {
    const value = accepted(
      boat({
        name: '  Ma\u2019a   Al-Khair ',
        owner: {
          name: ' Karim\u00a0 Bakhsh  Baloch',
          fatherName: 'Haji Dad Muhammad',
          cnic: '5210112345671',
          address: '  House 12,   Ward 4 \r\n\r\n  Mulla Band, Gwadar ',
        },
        engine: { make: ' Volvo   Penta ', powerHp: 220 },
      }),
    );

    expect(value.name).toBe("Ma'a Al-Khair");
    expect(value.owner.name).toBe('Karim Bakhsh Baloch');
    expect(value.owner.address).toBe('House 12, Ward 4\nMulla Band, Gwadar');
    expect(value.engine?.make).toBe('Volvo Penta');
  });

  it('stores an Urdu name typed with a decomposed hamza in its composed form', () => {
    // U+0627 ALEF + U+0654 HAMZA ABOVE composes to U+0623.
    const value = accepted(boat({ name: 'ال\u0627\u0654مین' }));

    expect(value.name).toBe('ال\u0623مین');
  });

  it('warns about an AJK CNIC without refusing it', () => {
    const base = boat();
    const value = accepted({ ...base, owner: { ...base.owner, cnic: '8210112345671' } });

    expect(value.warnings).toEqual([expect.stringContaining('CNIC starts with 8')]);
  });

  it('warns when the previous name is the boat name written another way', () => {
    const value = accepted(boat({ name: 'Al-Madina', previousName: 'AL MADINA' }));

    expect(value.warnings).toEqual(['The previous name is the same as the name.']);
  });

  it('judges the licence start by the date in Pakistan, not in UTC', () => {
    // 20:00 UTC on 9 March is already 10 March in Karachi.
    const lateEvening = new Date('2026-03-09T20:00:00Z');

    expect(
      errorsOf(boat({ licenceValidFrom: '2026-03-09', licenceValidUntil: '2027-03-08' }), lateEvening),
    ).toEqual([expect.objectContaining({ field: 'licenceValidFrom' })]);
    expect(errorsOf(boat(), lateEvening)).toEqual([]);
  });
});

describe('latestLicenceDay', () => {
  it.each([
    ['2026-03-10', '2029-03-09'],
    ['2026-01-01', '2028-12-31'],
    // A licence from 29 February runs to 28 February three years on, the day before 1 March.
    ['2028-02-29', '2031-02-28'],
    ['2027-03-01', '2030-02-28'],
  ])('a licence from %s may run to %s', (from, latest) => {
    expect(latestLicenceDay(from)).toBe(latest);
  });
});

describe('vesselNameKey', () => {
  it('matches names that differ only in case, spaces, dots, apostrophes and hyphens', () => {
    expect(vesselNameKey('Al-Madina')).toBe(vesselNameKey('AL MADINA'));
    expect(vesselNameKey("Ma'a Al-Khair")).toBe(vesselNameKey('Maa Al.Khair'));
  });

  it('tells apart names that differ in a letter or a number', () => {
    expect(vesselNameKey('Al-Madina')).not.toBe(vesselNameKey('Al-Madina 2'));
    expect(vesselNameKey('Al-Noor')).not.toBe(vesselNameKey('Al-Nur'));
  });
});

describe('validateOwner and validateTransfer', () => {
  const newOwner = {
    name: 'Gul Muhammad Kalmati',
    fatherName: 'Sher Jan',
    cnic: '52104-7654321-3',
    address: 'Kalmat, District Gwadar',
  };

  it('returns the new owner normalized', () => {
    expect(validateTransfer('5210112345671', { owner: newOwner })).toEqual({
      ok: true,
      value: { ...newOwner, cnic: '5210476543213' },
      warnings: [],
    });
  });

  it('refuses a transfer to the current owner, however the CNIC is written', () => {
    const result = validateTransfer('5210476543213', { owner: newOwner });

    expect(result).toEqual({
      ok: false,
      errors: [{ field: 'owner/cnic', message: 'The boat already belongs to this CNIC.' }],
    });
  });

  it('reports the owner fields under the prefix it is given', () => {
    const result = validateOwner({ ...newOwner, name: '', cnic: '1' }, 'newOwner');

    expect(result.ok ? [] : result.errors.map((error) => error.field)).toEqual([
      'newOwner/name',
      'newOwner/cnic',
    ]);
  });
});

describe('validateRenewal', () => {
  const current = { licenceValidFrom: '2025-06-01', licenceValidUntil: '2026-05-31' };

  it('starts the renewed licence today and runs it to the new last day', () => {
    expect(validateRenewal(current, { licenceValidUntil: '2027-05-31' }, NOW)).toEqual({
      ok: true,
      value: { licenceValidFrom: '2026-03-10', licenceValidUntil: '2027-05-31' },
    });
  });

  it('keeps a first day that is still ahead', () => {
    const ahead = { licenceValidFrom: '2026-04-01', licenceValidUntil: '2027-03-31' };

    expect(validateRenewal(ahead, { licenceValidUntil: '2028-03-31' }, NOW)).toEqual({
      ok: true,
      value: { licenceValidFrom: '2026-04-01', licenceValidUntil: '2028-03-31' },
    });
  });

  it('renews a licence that has already lapsed from today', () => {
    const lapsed = { licenceValidFrom: '2024-01-01', licenceValidUntil: '2024-12-31' };

    expect(validateRenewal(lapsed, { licenceValidUntil: '2026-12-31' }, NOW)).toEqual({
      ok: true,
      value: { licenceValidFrom: '2026-03-10', licenceValidUntil: '2026-12-31' },
    });
  });

  it.each([
    ['the same last day', '2026-05-31', 'Must be after 2026-05-31'],
    ['an earlier last day', '2026-04-30', 'Must be after 2026-05-31'],
    ['more than three years from today', '2029-03-10', 'the latest last day is 2029-03-09'],
    ['no date', '31/05/2027', 'real date'],
  ])('refuses %s', (_, until, message) => {
    const result = validateRenewal(current, { licenceValidUntil: until }, NOW);

    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.errors).toEqual([
      { field: 'licenceValidUntil', message: expect.stringContaining(message) },
    ]);
  });
});

function fieldErrors(schema: z.ZodMiniType, input: unknown) {
  const result = schema.safeParse(input);
  return result.success ? [] : zodIssuesToFieldErrors(result.error.issues);
}

describe('VesselInput schema', () => {
  it('takes a boat as a form sends it and leaves the rules to validateVessel', () => {
    const input = boat({ previousName: 'Sohni Baloch' });

    expect(VesselInputSchema.parse(input)).toEqual(input);
  });

  it.each([
    ['an unknown field', { ...boat(), colour: 'blue' }, 'colour', 'This field is not allowed.'],
    [
      'an unknown owner field',
      { ...boat(), owner: { ...boat().owner, phone: '0300' } },
      'owner/phone',
      'not allowed',
    ],
    ['a length sent as text', { ...boat(), lengthOverallM: '16.5' }, 'lengthOverallM', 'Must be a number.'],
    ['crew sent as text', { ...boat(), maxCrew: '14' }, 'maxCrew', 'Must be a number.'],
    ['gear as one string', { ...boat(), fishingGear: 'GILLNET' }, 'fishingGear', ''],
    ['no gear', { ...boat(), fishingGear: [] }, 'fishingGear', 'Choose at least one kind of fishing gear'],
    ['seventeen kinds of gear', { ...boat(), fishingGear: Array(17).fill('GILLNET') }, 'fishingGear', ''],
    [
      'a date with a time',
      { ...boat(), licenceValidFrom: '2026-03-10T00:00:00Z' },
      'licenceValidFrom',
      'real date',
    ],
    ['a boat name with a null character', { ...boat(), name: 'Al\u0000Madina' }, 'name', 'U+0000 NULL'],
    ['a type with a hidden character', { ...boat(), type: 'LAUNCH\u200b' }, 'type', 'U+200B'],
    ['a boat name of 81 characters', { ...boat(), name: 'A'.repeat(81) }, 'name', ''],
    ['an engine without power', { ...boat(), engine: { make: 'Yanmar' } }, 'engine/powerHp', ''],
  ])('refuses %s', (_, input, field, message) => {
    const errors = fieldErrors(VesselInputSchema, input);

    expect(errors.map((error) => error.field)).toContain(field);
    expect(errors.find((error) => error.field === field)?.message).toContain(message);
  });

  it('lets every boat of a generated fleet through, and validateVessel accepts them all', () => {
    for (const input of generateFleet(300, 11)) {
      const parsed = VesselInputSchema.safeParse(input);
      expect(parsed.success).toBe(true);
      if (parsed.success) expect(errorsOf(parsed.data)).toEqual([]);
    }
  });
});

describe('lifecycle request schemas', () => {
  it('takes a renewal as a new last day', () => {
    expect(RenewInput.parse({ licenceValidUntil: '2027-03-09' })).toEqual({
      licenceValidUntil: '2027-03-09',
    });
    expect(fieldErrors(RenewInput, { licenceValidUntil: 'next year' })).toEqual([
      { field: 'licenceValidUntil', message: 'Must be a real date written as YYYY-MM-DD.' },
    ]);
    expect(
      fieldErrors(RenewInput, { licenceValidFrom: '2026-03-10', licenceValidUntil: '2027-03-09' }),
    ).toEqual([{ field: 'licenceValidFrom', message: 'This field is not allowed.' }]);
  });

  it.each([
    ['suspend', SuspendInput],
    ['cancel', CancelInput],
  ] as const)('requires a reason to %s, stored trimmed', (_, schema) => {
    expect(schema.parse({ reason: '  Crew list did not match at Pasni  ' })).toEqual({
      reason: 'Crew list did not match at Pasni',
    });
    expect(fieldErrors(schema, {})).toEqual([{ field: 'reason', message: expect.any(String) }]);
    expect(fieldErrors(schema, { reason: 'no' })).toEqual([
      { field: 'reason', message: 'Give a reason of at least 3 characters.' },
    ]);
    expect(fieldErrors(schema, { reason: 'Seen \u202eat sea' })).toEqual([
      { field: 'reason', message: expect.stringContaining('U+202E') },
    ]);
  });

  it('takes a reinstatement with or without a note, but not an empty one', () => {
    expect(ReinstateInput.parse({})).toEqual({});
    expect(ReinstateInput.parse({ note: ' Papers checked at Gwadar office\r\n' })).toEqual({
      note: 'Papers checked at Gwadar office',
    });
    expect(fieldErrors(ReinstateInput, { note: '  ' })).toEqual([
      { field: 'note', message: 'Leave the note out or write at least 3 characters.' },
    ]);
  });

  it('takes a transfer as a whole new owner', () => {
    const owner = {
      name: 'Gul Muhammad',
      fatherName: 'Sher Jan',
      cnic: '5210476543213',
      address: 'Kalmat, Pasni',
    };

    expect(TransferInput.parse({ owner })).toEqual({ owner });
    expect(fieldErrors(TransferInput, { owner: { ...owner, address: undefined } })).toEqual([
      { field: 'owner/address', message: expect.any(String) },
    ]);
    expect(fieldErrors(TransferInput, { owner, price: 100 })).toEqual([
      { field: 'price', message: 'This field is not allowed.' },
    ]);
  });
});

describe('VesselListQuery', () => {
  it('reads codes in any case, a dashed CNIC as 13 digits, and a default page of 25', () => {
    expect(VesselListQuery.parse({ port: 'gwd', ownerCnic: '52101-1234567-1', status: 'suspended' })).toEqual(
      {
        port: 'GWD',
        ownerCnic: '5210112345671',
        status: 'SUSPENDED',
        limit: 25,
      },
    );
  });

  it('passes a cursor and a limit through', () => {
    expect(VesselListQuery.parse({ cursor: 'eyJwayI6IlZFU1NFTCJ9', limit: '100' })).toEqual({
      cursor: 'eyJwayI6IlZFU1NFTCJ9',
      limit: 100,
    });
  });

  it.each([
    ['an unknown port', { port: 'XYZ' }, 'port', 'Not a known port code.'],
    ['a land crossing', { port: 'TFT' }, 'port', 'Not a known port code.'],
    ['a bad CNIC', { ownerCnic: '12345' }, 'ownerCnic', 'CNIC must be 13 digits'],
    ['an unknown status', { status: 'SUNK' }, 'status', 'Must be one of ACTIVE, SUSPENDED, CANCELLED.'],
    ['a limit of 0', { limit: '0' }, 'limit', 'Must be a whole number from 1 to 100.'],
    ['a limit of 101', { limit: '101' }, 'limit', 'Must be a whole number from 1 to 100.'],
    ['a fractional limit', { limit: '2.5' }, 'limit', 'Must be a whole number from 1 to 100.'],
    ['an empty cursor', { cursor: '' }, 'cursor', 'The cursor is not one this list returned.'],
    ['a misspelt parameter', { prot: 'GWD' }, 'prot', 'This field is not allowed.'],
  ])('refuses %s', (_, query, field, message) => {
    expect(fieldErrors(VesselListQuery, query)).toEqual([
      { field, message: expect.stringContaining(message) },
    ]);
  });
});

describe('vesselCertificateClaims', () => {
  const registered: CertifiableVessel = {
    officialNumber: 'GWD-2026-00042',
    name: 'Al-Madina',
    homePort: 'GWD',
    owner: { name: 'Karim Bakhsh Baloch', cnic: '5210112345671' },
    maxCrew: 14,
    licenceValidFrom: '2026-03-10',
    licenceValidUntil: '2027-03-09',
  };

  it('carries the serial, the licence end, the boat, its home port, owner, CNIC and crew limit', () => {
    expect(vesselCertificateClaims(registered, 'GWD-2026-00042/1', NOW)).toEqual({
      sub: 'GWD-2026-00042/1',
      // 2027-03-10T00:00+05:00, the end of 9 March in Pakistan.
      exp: Date.parse('2027-03-09T19:00:00Z') / 1000,
      n: 'Al-Madina',
      h: 'GWD',
      o: 'Karim Bakhsh Baloch',
      c: 5210112345671,
      m: 14,
    });
  });

  it('carries nbf, the start of the first day in Pakistan, only for a licence that has not begun', () => {
    const ahead = { ...registered, licenceValidFrom: '2026-04-01' };

    expect(vesselCertificateClaims(ahead, 'GWD-2026-00042/1', NOW).nbf).toBe(
      Date.parse('2026-03-31T19:00:00Z') / 1000,
    );
    expect(vesselCertificateClaims(registered, 'GWD-2026-00042/2', NOW)).not.toHaveProperty('nbf');
  });

  it('certifies a transferred boat with the new owner and a home port other than its number’s', () => {
    const moved = {
      ...registered,
      homePort: 'PSN' as const,
      owner: { name: 'Gul Muhammad', cnic: '52104-7654321-3' },
    };

    expect(vesselCertificateClaims(moved, 'GWD-2026-00042/3', NOW)).toMatchObject({
      h: 'PSN',
      o: 'Gul Muhammad',
      c: 5210476543213,
    });
  });

  it.each([
    ['another boat’s serial', registered, 'GWD-2026-00043/1', NOW],
    ['a malformed serial', registered, 'VC-2026-000123', NOW],
    ['a lapsed licence', registered, 'GWD-2026-00042/1', new Date('2027-03-09T19:00:00Z')],
    ['an unknown home port', { ...registered, homePort: 'TFT' as 'GWD' }, 'GWD-2026-00042/1', NOW],
    ['a damaged CNIC', { ...registered, owner: { name: 'K B', cnic: '52101' } }, 'GWD-2026-00042/1', NOW],
  ])('refuses to build claims for %s', (_, vessel, serial, now) => {
    expect(() => vesselCertificateClaims(vessel, serial, now)).toThrow(RangeError);
  });

  it('still issues a certificate on the last minute of the licence', () => {
    const lastMinute = new Date('2027-03-09T18:59:00Z');

    expect(vesselCertificateClaims(registered, 'GWD-2026-00042/1', lastMinute).exp).toBe(
      karachiDayStart('2027-03-10') / 1000,
    );
  });
});

describe('generateFleet', () => {
  it('gives the same fleet for the same seed and a different one for another', () => {
    expect(generateFleet(50, 3)).toEqual(generateFleet(50, 3));
    expect(generateFleet(50, 3)).not.toEqual(generateFleet(50, 4));
  });

  it('spreads boats over every port, both scripts, with and without engines, and no duplicates', () => {
    const fleet = generateFleet(1000, 5);
    const ports = new Set(fleet.map((b) => b.homePort));
    const keys = new Set(fleet.map((b) => `${b.homePort}|${b.owner.cnic}|${vesselNameKey(b.name)}`));
    const previous = fleet.flatMap((b) =>
      b.previousRegistration === undefined ? [] : [b.previousRegistration],
    );

    expect([...ports].sort()).toEqual([...PORT_CODES].sort());
    expect(fleet.some((b) => /\p{Script=Arabic}/u.test(b.name))).toBe(true);
    expect(fleet.some((b) => /^[\p{Script=Latin}0-9 '.-]+$/u.test(b.name))).toBe(true);
    expect(fleet.some((b) => b.engine === undefined)).toBe(true);
    expect(keys.size).toBe(fleet.length);
    expect(new Set(previous).size).toBe(previous.length);
    expect(new Set(fleet.map((b) => b.owner.cnic)).size).toBeLessThan(fleet.length);
  });

  it('gives Sindh owners Sindh CNICs and Makran owners Balochistan ones', () => {
    for (const b of generateFleet(300, 9)) {
      const province = b.owner.cnic.charAt(0);
      if (['KFH', 'KRG', 'IBH', 'KTB', 'SHB'].includes(b.homePort)) expect(['4', '5']).toContain(province);
      else expect(province).toBe('5');
    }
  });
});

describe('certificate QR size', () => {
  it('stays at version 12 or below, ECC M, for 95% of 1,000 generated boats', async () => {
    const signer = await signerFromPkcs8((await generateSigningKey()).pkcs8Pem);
    const counters = new Map<string, number>();
    const versions: number[] = [];
    for (const input of generateFleet(1000, 2026)) {
      const value = accepted(input);
      const serial = (counters.get(value.homePort) ?? 0) + 1;
      counters.set(value.homePort, serial);
      const officialNumber = formatOfficialNumber(value.homePort, 2026, serial);
      const claims = vesselCertificateClaims(
        { ...value, officialNumber },
        formatCertificateSerial(officialNumber, 1),
        NOW,
      );
      versions.push(qrVersion(await signJwt(signer, 'vr+jwt', claims)));
    }
    versions.sort((a, b) => a - b);

    expect(versions[Math.ceil(0.95 * versions.length) - 1]).toBeLessThanOrEqual(12);
  }, 60_000);
});
