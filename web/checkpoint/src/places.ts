// Checkpoint names in the officer's language: a pass, a boat's home port and a group's roster name posts by code.
import {
  CHECKPOINT_CODES,
  type CheckpointCode,
  checkpointName,
  isCheckpointCode,
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

/** A checkpoint's name in the language; an unknown code is shown as it is. */
export function placeName(code: string, lang: Lang): string {
  if (!isCheckpointCode(code)) return code;
  return lang === 'ur' ? CHECKPOINTS_UR[code] : checkpointName(code);
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
