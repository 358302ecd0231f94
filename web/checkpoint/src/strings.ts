// Every word the checkpoint app shows, in English and Urdu: one catalogue per language with the same keys.
import type { Lang } from '../../shared/i18n.ts';
import type { Strings } from './catalogue.ts';
import { en } from './strings-en.ts';
import { ur } from './strings-ur.ts';

export {
  type AppWarning,
  FLAG_CODES,
  type FlagCode,
  type ReasonProblem,
  type Strings,
} from './catalogue.ts';

export const STRINGS: Record<Lang, Strings> = { en, ur };
