// The rule for a border-pass application: which ones are acceptable, and the normalized form that is stored.
import { parseCnic } from './cnic.ts';
import {
  daysBetween,
  findPassType,
  isCalendarDate,
  karachiDate,
  PASS_TYPES,
  type PassType,
  passTypeInEffectOn,
} from './pass-types.ts';
import {
  CROSSING_POINTS,
  type CrossingPointCode,
  DISTRICTS,
  type DistrictCode,
  isCrossingPointCode,
  isDistrictCode,
} from './reference.ts';
import { findForbiddenCharacter, normalizeTypedText } from './text.ts';

/** One problem with one field; `field` is a '/'-joined path such as 'cnic' or 'crossingPoints/1'. */
export interface FieldError {
  field: string;
  message: string;
}

export interface ApplicationInput {
  passType: string;
  cnic: string;
  name: string;
  fatherName: string;
  district: string;
  crossingPoints: readonly string[];
  /** YYYY-MM-DD, first day of validity. */
  validFrom: string;
  /** YYYY-MM-DD, last day of validity (inclusive). */
  validUntil: string;
  phone?: string | undefined;
}

export interface NormalizedApplication {
  passType: string;
  /** 13 digits, no dashes. */
  cnic: string;
  name: string;
  fatherName: string;
  district: DistrictCode;
  crossingPoints: CrossingPointCode[];
  validFrom: string;
  validUntil: string;
  /** +92 3XX XXXXXXX without spaces, when given. */
  phone?: string;
  /** Things an officer should look at that do not block the application, e.g. an unusual CNIC province. */
  warnings: string[];
}

export type ApplicationResult =
  | { ok: true; value: NormalizedApplication }
  | { ok: false; errors: FieldError[] };

/**
 * Checks every field and reports every problem at once, so a counter officer can fix a form in one pass.
 * A check that depends on another field (district eligibility needs a known pass type) is skipped when
 * that field is already wrong, rather than reported twice.
 */
export function validateApplication(
  input: ApplicationInput,
  now: Date,
  passTypes: readonly PassType[] = PASS_TYPES,
): ApplicationResult {
  const errors: FieldError[] = [];
  const warnings: string[] = [];
  const fail = (field: string, message: string) => errors.push({ field, message });
  const today = karachiDate(now);

  const found = findPassType(input.passType, passTypes);
  // A group type is not judged further here: the other fields' checks would only repeat that it does not fit.
  const type = found?.group === undefined ? found : undefined;
  if (found === undefined) {
    fail('passType', 'This pass type does not exist.');
  } else if (type === undefined) {
    fail('passType', `The ${found.name} is issued to groups: their leader applies for the whole group.`);
  } else if (!passTypeInEffectOn(type, today)) {
    fail('passType', notInEffectMessage(type, today));
  }

  const cnic = parseCnic(input.cnic);
  if (cnic.ok) warnings.push(...cnic.warnings);
  else fail('cnic', cnic.error);

  const name = normalizePersonName(input.name, 'Name');
  if (!name.ok) fail('name', name.message);
  const fatherName = normalizePersonName(input.fatherName, "Father's name");
  if (!fatherName.ok) fail('fatherName', fatherName.message);

  const district = isDistrictCode(input.district) ? input.district : undefined;
  const eligible = district !== undefined && type?.eligibleDistricts.includes(district) === true;
  if (district === undefined) {
    fail('district', 'This district is not known.');
  } else if (type !== undefined && !eligible) {
    fail('district', `Residents of ${DISTRICTS[district].name} cannot hold a ${type.name}.`);
  }

  const crossingPoints = checkCrossingPoints(
    input.crossingPoints,
    eligible && type !== undefined ? { type, district } : undefined,
    fail,
  );

  const validFrom = isCalendarDate(input.validFrom) ? input.validFrom : undefined;
  if (validFrom === undefined) {
    fail('validFrom', 'Must be a real date written as YYYY-MM-DD.');
  } else if (validFrom < today) {
    fail('validFrom', `Must not be in the past; today is ${today} in Pakistan.`);
  } else if (type !== undefined && passTypeInEffectOn(type, today) && !passTypeInEffectOn(type, validFrom)) {
    fail('validFrom', notInEffectMessage(type, validFrom));
  }

  const validUntil = isCalendarDate(input.validUntil) ? input.validUntil : undefined;
  if (validUntil === undefined) {
    fail('validUntil', 'Must be a real date written as YYYY-MM-DD.');
  } else if (validFrom !== undefined && validUntil <= validFrom) {
    fail('validUntil', 'Must be after the first day of validity.');
  } else if (
    validFrom !== undefined &&
    type !== undefined &&
    daysBetween(validFrom, validUntil) + 1 > type.maxValidityDays
  ) {
    fail('validUntil', `A ${type.name} may cover at most ${type.maxValidityDays} days, counting both ends.`);
  } else if (type?.effectiveUntil !== undefined && validUntil > type.effectiveUntil) {
    fail('validUntil', `Must not be after ${type.effectiveUntil}, the last day of the ${type.name}.`);
  }

  let phone: string | undefined;
  if (input.phone !== undefined) {
    phone = normalizePakistaniMobile(input.phone);
    if (phone === undefined)
      fail('phone', 'Must be a Pakistani mobile number such as 03001234567 or +923001234567.');
  }

  // Every undefined below has already produced an error; the checks are repeated so the types narrow.
  if (
    errors.length > 0 ||
    type === undefined ||
    !cnic.ok ||
    !name.ok ||
    !fatherName.ok ||
    district === undefined ||
    crossingPoints === undefined ||
    validFrom === undefined ||
    validUntil === undefined
  ) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: {
      passType: type.code,
      cnic: cnic.cnic,
      name: name.value,
      fatherName: fatherName.value,
      district,
      crossingPoints,
      validFrom,
      validUntil,
      ...(phone === undefined ? {} : { phone }),
      warnings,
    },
  };
}

function notInEffectMessage(type: PassType, day: string): string {
  return day < type.effectiveFrom
    ? `The ${type.name} is only issued from ${type.effectiveFrom}.`
    : `The ${type.name} ended on ${type.effectiveUntil}.`;
}

function checkCrossingPoints(
  points: readonly string[],
  rule: { type: PassType; district: DistrictCode } | undefined,
  fail: (field: string, message: string) => void,
): CrossingPointCode[] | undefined {
  if (!Array.isArray(points) || points.length === 0) {
    fail('crossingPoints', 'Choose at least one crossing point.');
    return undefined;
  }
  const allowed = rule === undefined ? undefined : (rule.type.allowedPoints[rule.district] ?? []);
  const seen = new Set<string>();
  const accepted: CrossingPointCode[] = [];
  let failed = false;
  points.forEach((point, index) => {
    const field = `crossingPoints/${index}`;
    if (!isCrossingPointCode(point)) {
      failed = true;
      fail(field, 'This crossing point is not known.');
    } else if (seen.has(point)) {
      failed = true;
      fail(field, `${point} is listed more than once.`);
    } else if (rule !== undefined && allowed !== undefined && !allowed.includes(point)) {
      failed = true;
      fail(
        field,
        `${CROSSING_POINTS[point].name} is not open to residents of ${DISTRICTS[rule.district].name} under the ${rule.type.name}.`,
      );
    } else {
      accepted.push(point);
    }
    seen.add(point);
  });
  return failed ? undefined : accepted;
}

// Letters of the Latin or Arabic script (which covers Urdu and Balochi), and the marks that sit on them.
const LETTER = /^\p{L}$/u;
const MARK = /^\p{M}$/u;
const NAME_SCRIPT =
  /^[\p{Script_Extensions=Latin}\p{Script_Extensions=Arabic}\p{Script_Extensions=Inherited}]$/u;
const NAME_PUNCTUATION = new Set([' ', '.', "'", '-']);
const ZWNJ = '\u200c';
const ZWJ = '\u200d';

export type NameResult = { ok: true; value: string } | { ok: false; message: string };

/**
 * Refuses a character no typed text may hold (naming it), then trims, collapses runs of spaces to one,
 * composes Unicode (NFC) so the same name typed on two keyboards is stored alike, and turns a typographic
 * apostrophe into a plain one; then checks the result. A name is one line: a tab or line break is refused,
 * not turned into a space, since it means the text came from somewhere other than a name field.
 */
export function normalizePersonName(raw: string, label = 'Name'): NameResult {
  const forbidden = findForbiddenCharacter(raw, 'single-line');
  if (forbidden !== undefined) return { ok: false, message: `${label} contains ${forbidden.description}` };
  const value = normalizeTypedText(raw, { collapseSpaces: true }).replaceAll('\u2019', "'");
  const chars = [...value];
  if (chars.length === 0) return { ok: false, message: `${label} is required.` };
  if (chars.length < 2) return { ok: false, message: `${label} must be at least 2 characters.` };
  if (chars.length > 60) return { ok: false, message: `${label} must be at most 60 characters.` };
  let previousIsLetterOrMark = false;
  let letters = 0;
  for (const char of chars) {
    if (NAME_PUNCTUATION.has(char)) {
      previousIsLetterOrMark = false;
      continue;
    }
    // Only inside an Arabic-script word, which findForbiddenCharacter has made sure of.
    if (char === ZWNJ || char === ZWJ) {
      previousIsLetterOrMark = false;
      continue;
    }
    const isLetter = LETTER.test(char);
    const isMark = MARK.test(char) && previousIsLetterOrMark;
    if (!(isLetter || isMark) || !NAME_SCRIPT.test(char)) {
      return {
        ok: false,
        message: `${label} may contain only letters, spaces, dots, apostrophes and hyphens.`,
      };
    }
    if (isLetter) letters += 1;
    previousIsLetterOrMark = true;
  }
  if (letters === 0) return { ok: false, message: `${label} must contain letters.` };
  return { ok: true, value };
}

/** Pakistani mobile numbers: 03XXXXXXXXX or +923XXXXXXXXX. */
export const PAKISTANI_MOBILE = /^(?:\+92|0)3[0-9]{9}$/;

/** The number in +923XXXXXXXXX form, or undefined if it is not a Pakistani mobile number. */
export function normalizePakistaniMobile(input: string): string | undefined {
  const trimmed = input.trim();
  if (!PAKISTANI_MOBILE.test(trimmed)) return undefined;
  return trimmed.startsWith('+') ? trimmed : `+92${trimmed.slice(1)}`;
}
