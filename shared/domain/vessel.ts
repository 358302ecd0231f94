// The rule for a registered boat: reference data, official numbers, which boats are acceptable, and their certificate's claims.

import type { FieldError } from './application.ts';
import { normalizePersonName } from './application.ts';
import { parseCnic } from './cnic.ts';
import { daysBetween, isCalendarDate, karachiDate, karachiDayStart } from './pass-types.ts';
import { isPortCode, type PortCode } from './reference.ts';
import { findForbiddenCharacter, normalizeTypedText } from './text.ts';

/** A label in both languages the certificate and the Fisheries pages print. */
export interface BilingualName {
  en: string;
  ur: string;
}

// Codes are written into records and certificates, so they never change once issued; names may be refined.

export interface BoatType extends BilingualName {
  /**
   * Whether the boat cannot work without an engine: a trawler cannot tow its net under sail or oars, while
   * a hora or a dhow may still sail. A motorised type registered with no engine is a typing mistake.
   */
  motorised: boolean;
  /** The gear the type is named after, which it must therefore carry (a gillnetter sets gillnets). */
  namedForGear?: FishingGearCode;
}

export const BOAT_TYPE_CODES = [
  'HORA',
  'YAKDAR',
  'DOONDO',
  'SKIFF',
  'FISHING_BOAT',
  'LAUNCH',
  'GILLNETTER',
  'LONGLINER',
  'TRAWLER',
  'PURSE_SEINER',
  'BATELA',
  'DHOW',
] as const;
export type BoatTypeCode = (typeof BOAT_TYPE_CODES)[number];

export const BOAT_TYPES = {
  // The Makran coast's small open plank boat, sailed or with an outboard or small inboard.
  HORA: { en: 'Hora', ur: 'ہوڑا', motorised: false },
  // A dugout or one-hull canoe for inshore hand-lining.
  YAKDAR: { en: 'Yakdar (dugout)', ur: 'یکدار', motorised: false },
  // The Sindh coast's wooden inshore boat (Keti Bandar, Shah Bandar, Ibrahim Hyderi).
  DOONDO: { en: 'Doondo', ur: 'ڈونڈو', motorised: false },
  // The fibreglass outboard boats that now make up much of the Makran inshore fleet.
  SKIFF: { en: 'Outboard skiff (fibreglass)', ur: 'آؤٹ بورڈ کشتی', motorised: true },
  FISHING_BOAT: { en: 'Fishing boat (other)', ur: 'ماہی گیر کشتی', motorised: false },
  // A decked wooden boat with an inboard diesel: the workhorse of Gwadar, Pasni and Karachi.
  LAUNCH: { en: 'Launch', ur: 'لانچ', motorised: true },
  GILLNETTER: { en: 'Gillnetter', ur: 'گل نیٹر', motorised: true, namedForGear: 'GILLNET' },
  LONGLINER: { en: 'Longliner', ur: 'لانگ لائنر', motorised: true, namedForGear: 'LONGLINE' },
  TRAWLER: { en: 'Trawler', ur: 'ٹرالر', motorised: true, namedForGear: 'TRAWL' },
  PURSE_SEINER: { en: 'Purse seiner', ur: 'پرس سینر', motorised: true, namedForGear: 'PURSE_SEINE' },
  // A large wooden boat of dhow build used for fishing and carrying catch.
  BATELA: { en: 'Batela', ur: 'بتیلا', motorised: false },
  // The sewn-plank or carvel trading dhow of the Gulf and Makran trade, often with no fishing gear at all.
  DHOW: { en: 'Dhow', ur: 'ڈاؤ', motorised: false },
} as const satisfies Record<BoatTypeCode, BoatType>;

export const HULL_MATERIAL_CODES = ['WOOD', 'WOOD_GRP', 'GRP', 'STEEL', 'ALUMINIUM', 'FERROCEMENT'] as const;
export type HullMaterialCode = (typeof HULL_MATERIAL_CODES)[number];

export const HULL_MATERIALS = {
  WOOD: { en: 'Wood', ur: 'لکڑی' },
  // Wooden hulls sheathed in fibreglass against shipworm are common enough to be their own entry.
  WOOD_GRP: { en: 'Wood sheathed in fibreglass', ur: 'فائبر چڑھی لکڑی' },
  GRP: { en: 'Fibreglass (GRP)', ur: 'فائبر گلاس' },
  STEEL: { en: 'Steel', ur: 'فولاد' },
  ALUMINIUM: { en: 'Aluminium', ur: 'ایلومینیم' },
  FERROCEMENT: { en: 'Ferrocement', ur: 'فیرو سیمنٹ' },
} as const satisfies Record<HullMaterialCode, BilingualName>;

export const FISHING_GEAR_CODES = [
  'GILLNET',
  'LONGLINE',
  'TRAWL',
  'HOOK_AND_LINE',
  'TROLL_LINE',
  'PURSE_SEINE',
  'CAST_NET',
  'TRAP',
  'NONE',
] as const;
export type FishingGearCode = (typeof FISHING_GEAR_CODES)[number];

export const FISHING_GEAR = {
  GILLNET: { en: 'Gillnet', ur: 'گل نیٹ' },
  LONGLINE: { en: 'Longline', ur: 'لانگ لائن' },
  TRAWL: { en: 'Trawl', ur: 'ٹرال جال' },
  HOOK_AND_LINE: { en: 'Hook and line', ur: 'کنڈی اور ڈوری' },
  TROLL_LINE: { en: 'Troll line', ur: 'ٹرولنگ ڈوری' },
  PURSE_SEINE: { en: 'Purse seine', ur: 'پرس سین جال' },
  CAST_NET: { en: 'Cast net', ur: 'پھینکنے والا جال' },
  TRAP: { en: 'Traps and pots', ur: 'پنجرے' },
  // A trading dhow carries no gear; saying so is an answer, unlike leaving the list empty.
  NONE: { en: 'No fishing gear', ur: 'ماہی گیری کا سامان نہیں' },
} as const satisfies Record<FishingGearCode, BilingualName>;

/** A boat's standing on the register; a lapsed licence is read from its dates, not stored as a status. */
export const VESSEL_STATUSES = ['ACTIVE', 'SUSPENDED', 'CANCELLED'] as const;
export type VesselStatus = (typeof VESSEL_STATUSES)[number];

// Object.hasOwn, not `in`, so inherited names such as 'toString' are never taken for codes.
export function isBoatTypeCode(value: unknown): value is BoatTypeCode {
  return typeof value === 'string' && Object.hasOwn(BOAT_TYPES, value);
}

export function isHullMaterialCode(value: unknown): value is HullMaterialCode {
  return typeof value === 'string' && Object.hasOwn(HULL_MATERIALS, value);
}

export function isFishingGearCode(value: unknown): value is FishingGearCode {
  return typeof value === 'string' && Object.hasOwn(FISHING_GEAR, value);
}

// ---------------------------------------------------------------------------------------------------------
// Official numbers and certificate serials

/**
 * The register began this century, and the format keeps four year digits; a number outside these years is
 * a typing mistake, not an old registration.
 */
const FIRST_YEAR = 2000;
const LAST_YEAR = 2099;
const OFFICIAL_NUMBER = /^([A-Z]{3})-([0-9]{4})-([0-9]{5})$/;
const CERTIFICATE_SERIAL = /^([A-Z]{3}-[0-9]{4}-[0-9]{5})\/([1-9][0-9]{0,2})$/;
/** A boat renewed every year for a century, with a transfer or two, stays far below this. */
const MAX_CERTIFICATES = 999;

export interface OfficialNumber {
  /** `<PORT>-<YEAR>-<5 digits>`, e.g. GWD-2026-00042. */
  number: string;
  port: PortCode;
  year: number;
  serial: number;
}

export type OfficialNumberResult = ({ ok: true } & OfficialNumber) | { ok: false; error: string };

/** The official number of the `serial`th boat a port registered in `year`; throws on values no number holds. */
export function formatOfficialNumber(port: PortCode, year: number, serial: number): string {
  if (!isPortCode(port)) throw new RangeError(`${String(port)} is not a port code.`);
  checkYear(year);
  if (!Number.isInteger(serial) || serial < 1 || serial > 99_999)
    throw new RangeError('An official number serial runs from 1 to 99999.');
  return `${port}-${year}-${String(serial).padStart(5, '0')}`;
}

/**
 * Reads an official number exactly as it is printed: upper case, dashes, no spaces. The port must be a
 * reference port, and serial 00000 is never issued because counters start at 1.
 */
export function parseOfficialNumber(text: string): OfficialNumberResult {
  const shape = 'An official number is written as PORT-YEAR-NNNNN, e.g. GWD-2026-00042.';
  if (typeof text !== 'string') return { ok: false, error: shape };
  const match = OFFICIAL_NUMBER.exec(text);
  if (match === null) return { ok: false, error: shape };
  const [, port, yearText, serialText] = match as unknown as [string, string, string, string];
  if (!isPortCode(port)) return { ok: false, error: `${port} is not a registering port.` };
  const year = Number(yearText);
  if (year < FIRST_YEAR || year > LAST_YEAR)
    return { ok: false, error: `The year in an official number runs from ${FIRST_YEAR} to ${LAST_YEAR}.` };
  const serial = Number(serialText);
  if (serial === 0) return { ok: false, error: 'No official number ends in 00000.' };
  return { ok: true, number: text, port, year, serial };
}

export interface CertificateSerial {
  /** `<official number>/<n>`, e.g. GWD-2026-00042/3. */
  serial: string;
  officialNumber: string;
  /** 1 for the boat's first certificate, then one more for each renewal, transfer or reinstatement. */
  sequence: number;
}

export type CertificateSerialResult = ({ ok: true } & CertificateSerial) | { ok: false; error: string };

/**
 * The serial of a boat's `sequence`th certificate: its official number, a slash, and the sequence with no
 * leading zeros, so each certificate has exactly one spelling and a revocation list matches it exactly. It
 * is the certificate's own number, never the boat's, yet carries the boat's, so the certificate needs no
 * separate claim for it (docs/decisions.md).
 */
export function formatCertificateSerial(officialNumber: string, sequence: number): string {
  const number = parseOfficialNumber(officialNumber);
  if (!number.ok) throw new RangeError(number.error);
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_CERTIFICATES)
    throw new RangeError(`A certificate sequence runs from 1 to ${MAX_CERTIFICATES}.`);
  return `${number.number}/${sequence}`;
}

/** Reads a certificate serial exactly as formatCertificateSerial writes it. */
export function parseCertificateSerial(text: string): CertificateSerialResult {
  const shape =
    'A certificate serial is written as the official number, a slash and a number, e.g. GWD-2026-00042/3.';
  if (typeof text !== 'string') return { ok: false, error: shape };
  const match = CERTIFICATE_SERIAL.exec(text);
  if (match === null) return { ok: false, error: shape };
  const [, numberText, sequenceText] = match as unknown as [string, string, string];
  const number = parseOfficialNumber(numberText);
  if (!number.ok) return { ok: false, error: number.error };
  return { ok: true, serial: text, officialNumber: number.number, sequence: Number(sequenceText) };
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR)
    throw new RangeError(`A year from ${FIRST_YEAR} to ${LAST_YEAR} is expected.`);
}

// ---------------------------------------------------------------------------------------------------------
// Validation

export interface OwnerInput {
  name: string;
  fatherName: string;
  /** Bare or dashed 5-7-1. */
  cnic: string;
  address: string;
}

export interface EngineInput {
  make: string;
  powerHp: number;
}

export interface VesselInput {
  name: string;
  type: string;
  homePort: string;
  owner: OwnerInput;
  lengthOverallM: number;
  grossTonnageGt: number;
  /** Left out for a boat with no engine (sail or oars). */
  engine?: EngineInput | undefined;
  hullMaterial: string;
  fishingGear: readonly string[];
  maxCrew: number;
  /** YYYY-MM-DD, the licence's first day (Pakistan time). */
  licenceValidFrom: string;
  /** YYYY-MM-DD, the licence's last day (inclusive). */
  licenceValidUntil: string;
  previousName?: string | undefined;
  /** The official number the hull held before, when it was registered elsewhere and cancelled there. */
  previousRegistration?: string | undefined;
}

export interface Owner {
  name: string;
  fatherName: string;
  /** 13 digits, no dashes. */
  cnic: string;
  address: string;
}

export interface Engine {
  make: string;
  powerHp: number;
}

export interface NormalizedVessel {
  name: string;
  type: BoatTypeCode;
  homePort: PortCode;
  owner: Owner;
  lengthOverallM: number;
  grossTonnageGt: number;
  engine?: Engine;
  hullMaterial: HullMaterialCode;
  fishingGear: FishingGearCode[];
  maxCrew: number;
  licenceValidFrom: string;
  licenceValidUntil: string;
  previousName?: string;
  previousRegistration?: string;
  /** Things an officer should look at that do not block registration, e.g. an unusual CNIC province. */
  warnings: string[];
}

export type VesselResult = { ok: true; value: NormalizedVessel } | { ok: false; errors: FieldError[] };

/**
 * Ranges for boats of the Makran and Sindh coasts, wide enough for every real boat and narrow enough to
 * catch a unit or a decimal point typed wrong:
 * - length 3–60 m: a yakdar dugout is about 4 m; Pakistan's largest deep-sea trawlers and trading dhows are
 *   under 50 m. Centimetres are the finest a surveyor measures.
 * - gross tonnage 0.5–500: an open hora is about 1 GT; a big steel trawler a few hundred.
 * - engine 1–3,000 HP: a 2 HP outboard up to the main engine of the largest trawler; tenths for the very
 *   common 9.9 HP outboard. A boat with no engine leaves `engine` out rather than giving 0 HP.
 * - crew 1–60, and at most two people per metre of length: more could not stand on the deck, so it is a
 *   mistake (or a boat carrying passengers, which this register does not license).
 */
export const VESSEL_LIMITS = {
  lengthOverallM: { min: 3, max: 60, decimals: 2 },
  grossTonnageGt: { min: 0.5, max: 500, decimals: 2 },
  powerHp: { min: 1, max: 3000, decimals: 1 },
  maxCrew: { min: 1, max: 60, decimals: 0 },
  crewPerMetre: 2,
  /** Longest licence, in whole years from its first day: see docs/decisions.md. */
  licenceYears: 3,
  /** How far ahead a licence may start, in days; a later season is licensed nearer the time. */
  licenceStartAheadDays: 365,
} as const;

/**
 * Checks every field and reports every problem at once, as validateApplication does, so a Fisheries officer
 * fixes a form in one pass. A check that relates two fields (crew to length, gear to type) is skipped when
 * either field is already wrong.
 */
export function validateVessel(input: VesselInput, now: Date): VesselResult {
  const errors: FieldError[] = [];
  const warnings: string[] = [];
  const fail = (field: string, message: string) => errors.push({ field, message });
  const today = karachiDate(now);

  const name = normalizeBoatName(input.name, 'Boat name');
  if (!name.ok) fail('name', name.message);

  const type = isBoatTypeCode(input.type) ? input.type : undefined;
  if (type === undefined) fail('type', 'This boat type is not known.');

  const homePort = isPortCode(input.homePort) ? input.homePort : undefined;
  if (homePort === undefined) fail('homePort', 'This port is not known.');

  const owner = checkOwner(input.owner, 'owner', fail);
  if (owner !== undefined) warnings.push(...owner.warnings);

  const length = checkMeasure(
    input.lengthOverallM,
    'lengthOverallM',
    'Length overall',
    ' m',
    VESSEL_LIMITS.lengthOverallM,
    fail,
  );
  const tonnage = checkMeasure(
    input.grossTonnageGt,
    'grossTonnageGt',
    'Gross tonnage',
    ' GT',
    VESSEL_LIMITS.grossTonnageGt,
    fail,
  );

  let engine: Engine | undefined;
  let engineOk = true;
  if (input.engine !== undefined && input.engine !== null) {
    const make = normalizeEngineMake(input.engine.make);
    if (!make.ok) fail('engine/make', make.message);
    const power = checkMeasure(
      input.engine.powerHp,
      'engine/powerHp',
      'Engine power',
      ' HP',
      VESSEL_LIMITS.powerHp,
      fail,
    );
    engineOk = make.ok && power !== undefined;
    if (make.ok && power !== undefined) engine = { make: make.value, powerHp: power };
  } else if (type !== undefined && BOAT_TYPES[type].motorised) {
    fail(
      'engine',
      `A ${BOAT_TYPES[type].en.toLowerCase()} cannot work without an engine: give its make and power.`,
    );
  }

  const hullMaterial = isHullMaterialCode(input.hullMaterial) ? input.hullMaterial : undefined;
  if (hullMaterial === undefined) fail('hullMaterial', 'This hull material is not known.');

  const fishingGear = checkGear(input.fishingGear, type, fail);

  const crew = checkMeasure(input.maxCrew, 'maxCrew', 'Maximum crew', '', VESSEL_LIMITS.maxCrew, fail);
  if (crew !== undefined && length !== undefined) {
    const limit = Math.floor(length * VESSEL_LIMITS.crewPerMetre);
    if (crew > limit)
      fail('maxCrew', `A boat ${length} m long can carry at most ${limit} crew (two per metre of length).`);
  }

  const validity = checkLicence(input.licenceValidFrom, input.licenceValidUntil, today, fail);

  let previousName: string | undefined;
  if (input.previousName !== undefined) {
    const previous = normalizeBoatName(input.previousName, 'Previous name');
    if (previous.ok) previousName = previous.value;
    else fail('previousName', previous.message);
  }

  let previousRegistration: string | undefined;
  if (input.previousRegistration !== undefined) {
    const parsed = parseOfficialNumber(input.previousRegistration);
    if (parsed.ok) previousRegistration = parsed.number;
    else fail('previousRegistration', parsed.error);
  }

  // Every undefined below has already produced an error; the checks are repeated so the types narrow.
  if (
    errors.length > 0 ||
    !name.ok ||
    type === undefined ||
    homePort === undefined ||
    owner === undefined ||
    length === undefined ||
    tonnage === undefined ||
    !engineOk ||
    hullMaterial === undefined ||
    fishingGear === undefined ||
    crew === undefined ||
    validity === undefined
  ) {
    return { ok: false, errors };
  }
  if (previousName !== undefined && vesselNameKey(previousName) === vesselNameKey(name.value))
    warnings.push('The previous name is the same as the name.');
  return {
    ok: true,
    value: {
      name: name.value,
      type,
      homePort,
      owner: owner.value,
      lengthOverallM: length,
      grossTonnageGt: tonnage,
      ...(engine === undefined ? {} : { engine }),
      hullMaterial,
      fishingGear,
      maxCrew: crew,
      licenceValidFrom: validity.from,
      licenceValidUntil: validity.until,
      ...(previousName === undefined ? {} : { previousName }),
      ...(previousRegistration === undefined ? {} : { previousRegistration }),
      warnings,
    },
  };
}

export type OwnerResult =
  | { ok: true; value: Owner; warnings: string[] }
  | { ok: false; errors: FieldError[] };

/** The rule for an owner on its own, as a transfer takes it; field paths start at `prefix`. */
export function validateOwner(input: OwnerInput, prefix = 'owner'): OwnerResult {
  const errors: FieldError[] = [];
  const owner = checkOwner(input, prefix, (field, message) => errors.push({ field, message }));
  return owner === undefined ? { ok: false, errors } : { ok: true, ...owner };
}

/** A transfer's new owner: the owner rule, and a different person from the current owner. */
export function validateTransfer(currentOwnerCnic: string, input: { owner: OwnerInput }): OwnerResult {
  const result = validateOwner(input.owner, 'owner');
  if (result.ok && result.value.cnic === currentOwnerCnic)
    return {
      ok: false,
      errors: [{ field: 'owner/cnic', message: 'The boat already belongs to this CNIC.' }],
    };
  return result;
}

export interface LicenceValidity {
  licenceValidFrom: string;
  licenceValidUntil: string;
}

export type RenewalResult = { ok: true; value: LicenceValidity } | { ok: false; errors: FieldError[] };

/**
 * The licence a renewal gives. Its certificate replaces the current one at once, so it starts today (or on
 * the current licence's first day, if that is still ahead) and runs to the new last day, which must be later
 * than the current one and within the longest licence from the new start.
 */
export function validateRenewal(
  current: LicenceValidity,
  input: { licenceValidUntil: string },
  now: Date,
): RenewalResult {
  const today = karachiDate(now);
  // Dates as YYYY-MM-DD compare as text; the later of the two.
  const from = [today, current.licenceValidFrom].sort()[1] as string;
  const until = input.licenceValidUntil;
  const fail = (message: string): RenewalResult => ({
    ok: false,
    errors: [{ field: 'licenceValidUntil', message }],
  });
  if (typeof until !== 'string' || !isCalendarDate(until))
    return fail('Must be a real date written as YYYY-MM-DD.');
  if (until <= current.licenceValidUntil)
    return fail(`Must be after ${current.licenceValidUntil}, the last day of the current licence.`);
  const latest = latestLicenceDay(from);
  if (until > latest)
    return fail(
      `A licence may run at most ${VESSEL_LIMITS.licenceYears} years: the latest last day is ${latest}.`,
    );
  return { ok: true, value: { licenceValidFrom: from, licenceValidUntil: until } };
}

/** The last day a licence starting on `from` may run to: the day before the same date N years on. */
export function latestLicenceDay(from: string): string {
  const [year, month, day] = from.split('-').map(Number) as [number, number, number];
  // Date.UTC rolls 29 February into 1 March of a common year, so the day before is 28 February.
  const anniversary = Date.UTC(year + VESSEL_LIMITS.licenceYears, month - 1, day);
  return new Date(anniversary - 86_400_000).toISOString().slice(0, 10);
}

function checkLicence(
  rawFrom: string,
  rawUntil: string,
  today: string,
  fail: (field: string, message: string) => void,
): { from: string; until: string } | undefined {
  let failed = false;
  const refuse = (field: string, message: string) => {
    failed = true;
    fail(field, message);
  };
  const from = typeof rawFrom === 'string' && isCalendarDate(rawFrom) ? rawFrom : undefined;
  if (from === undefined) {
    refuse('licenceValidFrom', 'Must be a real date written as YYYY-MM-DD.');
  } else if (from < today) {
    refuse('licenceValidFrom', `Must not be in the past; today is ${today} in Pakistan.`);
  } else if (daysBetween(today, from) > VESSEL_LIMITS.licenceStartAheadDays) {
    refuse(
      'licenceValidFrom',
      `Must be within ${VESSEL_LIMITS.licenceStartAheadDays} days of today (${today}).`,
    );
  }
  const until = typeof rawUntil === 'string' && isCalendarDate(rawUntil) ? rawUntil : undefined;
  if (until === undefined) {
    refuse('licenceValidUntil', 'Must be a real date written as YYYY-MM-DD.');
  } else if (from !== undefined && until <= from) {
    refuse('licenceValidUntil', "Must be after the licence's first day.");
  } else if (from !== undefined && until > latestLicenceDay(from)) {
    refuse(
      'licenceValidUntil',
      `A licence may run at most ${VESSEL_LIMITS.licenceYears} years: the latest last day is ${latestLicenceDay(from)}.`,
    );
  }
  return failed || from === undefined || until === undefined ? undefined : { from, until };
}

function checkOwner(
  input: OwnerInput,
  prefix: string,
  fail: (field: string, message: string) => void,
): { value: Owner; warnings: string[] } | undefined {
  if (typeof input !== 'object' || input === null) {
    fail(prefix, "Give the owner's name, father's name, CNIC and address.");
    return undefined;
  }
  const name = normalizePersonName(input.name, 'Name');
  if (!name.ok) fail(`${prefix}/name`, name.message);
  const fatherName = normalizePersonName(input.fatherName, "Father's name");
  if (!fatherName.ok) fail(`${prefix}/fatherName`, fatherName.message);
  const cnic = parseCnic(input.cnic);
  if (!cnic.ok) fail(`${prefix}/cnic`, cnic.error);
  const address = normalizeAddress(input.address);
  if (!address.ok) fail(`${prefix}/address`, address.message);
  if (!name.ok || !fatherName.ok || !cnic.ok || !address.ok) return undefined;
  return {
    value: { name: name.value, fatherName: fatherName.value, cnic: cnic.cnic, address: address.value },
    warnings: cnic.warnings,
  };
}

/**
 * A number within its range, with no more decimals than the field is measured in. Only finite JSON numbers
 * are taken: a string such as "12" means the form sent the wrong type, which the schema reports.
 */
function checkMeasure(
  value: number,
  field: string,
  label: string,
  unit: string,
  limits: { min: number; max: number; decimals: number },
  fail: (field: string, message: string) => void,
): number | undefined {
  const { min, max, decimals } = limits;
  const range = `${min}${unit} to ${max}${unit}`;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    fail(field, `${label} must be a number from ${range}.`);
    return undefined;
  }
  if (value < min || value > max) {
    fail(field, `${label} must be from ${range}.`);
    return undefined;
  }
  if (!hasAtMostDecimals(value, decimals)) {
    fail(
      field,
      decimals === 0
        ? `${label} must be a whole number.`
        : `${label} takes at most ${decimals} decimal ${decimals === 1 ? 'place' : 'places'}.`,
    );
    return undefined;
  }
  return value;
}

function hasAtMostDecimals(value: number, decimals: number): boolean {
  const scaled = value * 10 ** decimals;
  // A tolerance far below one step absorbs binary fractions (0.1 * 100 is 10.000000000000002).
  return Math.abs(scaled - Math.round(scaled)) < 1e-6;
}

function checkGear(
  gear: readonly string[],
  type: BoatTypeCode | undefined,
  fail: (field: string, message: string) => void,
): FishingGearCode[] | undefined {
  if (!Array.isArray(gear) || gear.length === 0) {
    fail('fishingGear', 'Choose at least one kind of fishing gear, or NONE for a boat that carries none.');
    return undefined;
  }
  const seen = new Set<string>();
  const accepted: FishingGearCode[] = [];
  let failed = false;
  gear.forEach((code, index) => {
    const field = `fishingGear/${index}`;
    if (!isFishingGearCode(code)) {
      failed = true;
      fail(field, 'This fishing gear is not known.');
    } else if (seen.has(code)) {
      failed = true;
      fail(field, `${code} is listed more than once.`);
    } else {
      accepted.push(code);
    }
    seen.add(code);
  });
  if (failed) return undefined;
  if (accepted.includes('NONE') && accepted.length > 1) {
    fail('fishingGear', 'NONE cannot stand beside other gear.');
    return undefined;
  }
  const named = type === undefined ? undefined : (BOAT_TYPES[type] as BoatType).namedForGear;
  if (type !== undefined && named !== undefined && !accepted.includes(named)) {
    fail(
      'fishingGear',
      `A ${BOAT_TYPES[type].en.toLowerCase()} carries ${FISHING_GEAR[named].en.toLowerCase()}: add ${named}.`,
    );
    return undefined;
  }
  return accepted;
}

// ---------------------------------------------------------------------------------------------------------
// Boat names, engine makes, addresses

export type TextResult = { ok: true; value: string } | { ok: false; message: string };

const LETTER = /^\p{L}$/u;
const MARK = /^\p{M}$/u;
const DIGIT = /^\p{Nd}$/u;
const ASCII_DIGIT = /^[0-9]$/;
const NAME_SCRIPT =
  /^[\p{Script_Extensions=Latin}\p{Script_Extensions=Arabic}\p{Script_Extensions=Inherited}]$/u;
const BOAT_NAME_PUNCTUATION = new Set([' ', '.', "'", '-']);
const ZWNJ = '\u200c';
const ZWJ = '\u200d';

/**
 * A boat's name as painted on its bow: letters of the Latin or Arabic script (Urdu and Balochi), their marks,
 * the digits 0–9 ("Al-Madina 786"), spaces, dots, apostrophes and hyphens; 2 to 40 characters after the
 * stored form (NFC, trimmed, runs of spaces as one, a typographic apostrophe as a plain one). Only ASCII
 * digits, so "Al-Madina 2" typed on an Urdu keyboard is not a different boat from the one typed in Latin.
 */
export function normalizeBoatName(raw: string, label = 'Boat name'): TextResult {
  if (typeof raw !== 'string') return { ok: false, message: `${label} must be text.` };
  const forbidden = findForbiddenCharacter(raw, 'single-line');
  if (forbidden !== undefined) return { ok: false, message: `${label} contains ${forbidden.description}` };
  const value = normalizeTypedText(raw, { collapseSpaces: true }).replaceAll('\u2019', "'");
  const chars = [...value];
  if (chars.length === 0) return { ok: false, message: `${label} is required.` };
  if (chars.length < 2) return { ok: false, message: `${label} must be at least 2 characters.` };
  if (chars.length > 40) return { ok: false, message: `${label} must be at most 40 characters.` };
  let previousIsLetterOrMark = false;
  let letters = 0;
  for (const char of chars) {
    if (BOAT_NAME_PUNCTUATION.has(char) || ASCII_DIGIT.test(char) || char === ZWNJ || char === ZWJ) {
      previousIsLetterOrMark = false;
      continue;
    }
    if (DIGIT.test(char)) return { ok: false, message: `${label} must write numbers with the digits 0–9.` };
    const isLetter = LETTER.test(char);
    const isMark = MARK.test(char) && previousIsLetterOrMark;
    if (!(isLetter || isMark) || !NAME_SCRIPT.test(char)) {
      return {
        ok: false,
        message: `${label} may contain only letters, the digits 0–9, spaces, dots, apostrophes and hyphens.`,
      };
    }
    if (isLetter) letters += 1;
    previousIsLetterOrMark = true;
  }
  if (letters === 0) return { ok: false, message: `${label} must contain letters.` };
  return { ok: true, value };
}

/**
 * The form two boat names are compared in to find a duplicate: case, spaces, dots, apostrophes and hyphens
 * do not tell boats apart ("Al-Madina", "Al Madina" and "ALMADINA" are one name).
 */
export function vesselNameKey(name: string): string {
  return name
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\s.'\u2019-]/gu, '');
}

const ENGINE_PUNCTUATION = new Set([' ', '.', '-', '/', '&', '(', ')', "'", '+']);

/** An engine maker, with model if given: "Yamaha", "Volvo Penta", "Cummins KTA-19", "Hino (reconditioned)". */
export function normalizeEngineMake(raw: string): TextResult {
  const label = 'Engine make';
  if (typeof raw !== 'string') return { ok: false, message: `${label} must be text.` };
  const forbidden = findForbiddenCharacter(raw, 'single-line');
  if (forbidden !== undefined) return { ok: false, message: `${label} contains ${forbidden.description}` };
  const value = normalizeTypedText(raw, { collapseSpaces: true }).replaceAll('\u2019', "'");
  const chars = [...value];
  if (chars.length === 0) return { ok: false, message: `${label} is required.` };
  if (chars.length < 2) return { ok: false, message: `${label} must be at least 2 characters.` };
  if (chars.length > 40) return { ok: false, message: `${label} must be at most 40 characters.` };
  let letters = 0;
  for (const char of chars) {
    if (ENGINE_PUNCTUATION.has(char) || ASCII_DIGIT.test(char)) continue;
    if ((LETTER.test(char) || MARK.test(char)) && NAME_SCRIPT.test(char)) {
      if (LETTER.test(char)) letters += 1;
      continue;
    }
    return {
      ok: false,
      message: `${label} may contain only letters, the digits 0–9, spaces and . - / & ( ) ' +`,
    };
  }
  if (letters === 0) return { ok: false, message: `${label} must contain letters.` };
  return { ok: true, value };
}

/**
 * An owner's postal address. It may span lines as people write them; the stored form is NFC, each line's
 * runs of spaces as one, blank lines dropped, trimmed. It must say something a letter can be sent to, so it
 * needs letters and at least 5 characters, and stays under 200.
 */
export function normalizeAddress(raw: string): TextResult {
  const label = 'Address';
  if (typeof raw !== 'string') return { ok: false, message: `${label} must be text.` };
  const forbidden = findForbiddenCharacter(raw, 'multi-line');
  if (forbidden !== undefined) return { ok: false, message: `${label} contains ${forbidden.description}` };
  const value = normalizeTypedText(raw)
    .split('\n')
    .map((line) => line.replace(/\p{Zs}+/gu, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
  const chars = [...value];
  if (chars.length === 0) return { ok: false, message: `${label} is required.` };
  if (chars.length < 5) return { ok: false, message: `${label} must be at least 5 characters.` };
  if (chars.length > 200) return { ok: false, message: `${label} must be at most 200 characters.` };
  if (!chars.some((char) => LETTER.test(char)))
    return { ok: false, message: `${label} must contain letters.` };
  return { ok: true, value };
}

// ---------------------------------------------------------------------------------------------------------
// The certificate

/** What a certificate is made from: a registered boat's record. */
export interface CertifiableVessel {
  officialNumber: string;
  name: string;
  homePort: PortCode;
  owner: Pick<Owner, 'name' | 'cnic'>;
  maxCrew: number;
  licenceValidFrom: string;
  licenceValidUntil: string;
}

/**
 * The claims of a `vr+jwt` boat certificate: only what a port post or a Coast Guard boarding party needs to
 * match a boat, its owner and its crew to the certificate offline. Short names keep the QR small; each is
 * documented in docs/credential-format.md.
 */
export interface VesselCertificateClaims {
  /** The certificate's serial, GWD-2026-00042/3: the boat's official number and which certificate of it. */
  sub: string;
  /**
   * Start of the licence's first day, Pakistan time (seconds); present only when that is after the moment of
   * issue. Otherwise the certificate is valid from the moment it exists, which RFC 7519 lets a missing `nbf`
   * say, and the 17 bytes go to the names instead.
   */
  nbf?: number;
  /** End of the licence's last day, Pakistan time (seconds). */
  exp: number;
  /** Boat name. */
  n: string;
  /** Home port code. */
  h: string;
  /** Owner's name. */
  o: string;
  /** Owner's CNIC as a 13-digit number. */
  c: number;
  /** Maximum crew. */
  m: number;
}

/**
 * The claims for the boat's certificate `serial`. Throws (a caller's mistake, never a user's) on a serial
 * that is not one of this boat's, a malformed record, or a licence that has already ended: no certificate
 * is issued for a lapsed licence.
 */
export function vesselCertificateClaims(
  vessel: CertifiableVessel,
  serial: string,
  now: Date,
): VesselCertificateClaims {
  const parsed = parseCertificateSerial(serial);
  if (!parsed.ok) throw new RangeError(parsed.error);
  if (parsed.officialNumber !== vessel.officialNumber)
    throw new RangeError(`${serial} is not a certificate of ${vessel.officialNumber}.`);
  if (!isPortCode(vessel.homePort)) throw new RangeError(`${vessel.homePort} is not a port code.`);
  const cnic = parseCnic(vessel.owner.cnic);
  if (!cnic.ok) throw new RangeError("The owner's CNIC is not 13 digits.");
  if (!isCalendarDate(vessel.licenceValidFrom) || !isCalendarDate(vessel.licenceValidUntil))
    throw new RangeError('The licence dates are not YYYY-MM-DD dates.');
  const nbf = karachiDayStart(vessel.licenceValidFrom) / 1000;
  const exp = karachiDayStart(vessel.licenceValidUntil) / 1000 + 86_400;
  if (exp <= nbf) throw new RangeError('The licence ends before it begins.');
  const issuedAt = Math.floor(now.getTime() / 1000);
  if (exp <= issuedAt)
    throw new RangeError(`The licence ended on ${vessel.licenceValidUntil}; renew it before certifying.`);
  return {
    sub: parsed.serial,
    ...(nbf > issuedAt ? { nbf } : {}),
    exp,
    n: vessel.name,
    h: vessel.homePort,
    o: vessel.owner.name,
    c: Number(cnic.cnic),
    m: vessel.maxCrew,
  };
}
