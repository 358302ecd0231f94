// Checkpoint and district names in the officer's language: a pass lists its crossing points by code.
import {
  CHECKPOINT_CODES,
  type CheckpointCode,
  checkpointName,
  DISTRICTS,
  type DistrictCode,
  isCheckpointCode,
  isDistrictCode,
} from '../../../shared/domain/reference.ts';
import type { Lang } from '../../shared/i18n.ts';

/** Urdu names of the posts, as written on the signboards and in the Levies' and FIA's orders. */
const CHECKPOINTS_UR: Record<CheckpointCode, string> = {
  TFT: 'تفتان–میرجاوہ',
  RJY: 'راجے',
  MSK: 'ماشکیل',
  CDG: 'چیدگی',
  JRK: 'جیرک–پروم',
  MND: 'منڈ (ردیگ)–پشین',
  GBD: 'گبد–ریمدان',
  JWN: 'جیونی (سمندری)',
  CMN: 'چمن',
  TKM: 'طورخم',
  PSK: 'پشوکان',
  GWD: 'گوادر',
  PSN: 'پسنی',
  ORM: 'اورماڑہ',
  DMB: 'ڈام (سونمیانی)',
  GDN: 'گڈانی',
  KFH: 'کراچی فش ہاربر',
  KRG: 'کورنگی',
  IBH: 'ابراہیم حیدری',
  KTB: 'کیٹی بندر',
  SHB: 'شاہ بندر',
};

const DISTRICTS_UR: Record<DistrictCode, string> = {
  CHAGAI: 'چاغی',
  WASHUK: 'واشک',
  PANJGUR: 'پنجگور',
  KECH: 'کیچ',
  GWADAR: 'گوادر',
};

/** A checkpoint's name in the language; an unknown code is shown as it is. */
export function placeName(code: string, lang: Lang): string {
  if (!isCheckpointCode(code)) return code;
  return lang === 'ur' ? CHECKPOINTS_UR[code] : checkpointName(code);
}

/** A district's name in the language; an unknown code is shown as it is. */
export function districtName(code: string, lang: Lang): string {
  if (!isDistrictCode(code)) return code;
  return lang === 'ur' ? DISTRICTS_UR[code] : DISTRICTS[code].name;
}

/** A pass's crossing points ("TFT RJY") as names, each with its code: "Taftan–Mirjaveh (TFT), Rajay (RJY)". */
export function placeList(codes: string, lang: Lang): string {
  const names = codes
    .split(/[\s,]+/)
    .filter((code) => code !== '')
    .map((code) => (isCheckpointCode(code) ? `${placeName(code, lang)} (${code})` : code));
  return names.join(lang === 'ur' ? '، ' : ', ');
}

/** Every checkpoint code, for the login's choice of post. */
export const POSTS: readonly CheckpointCode[] = CHECKPOINT_CODES;
