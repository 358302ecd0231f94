// Person-name matching for Pakistani and Arabic-origin names as clerks write them: tokens, phonetic keys, a scorer.
//
// After OpenSanctions' rigour and nomenklatura: names are cut into parts, each part folded to a canonical spelling
// by a variant table and to a phonetic key (a consonant skeleton), and the parts of a query are aligned one to one
// with the parts of a candidate by Jaro-Winkler, so a dropped middle name, a swapped order, "Mohd" for
// "Muhammad", "Abdool Wahid" for "Abdulwahid" or "Bux" for "Bakhsh" still match. Pure: no I/O.

/**
 * Spellings of one name part heard across Urdu, Balochi, Pashto and English clerks; the first is the canonical
 * form every other folds to. Built from the common transliteration pairs of NADRA records (ee/i, oo/u, q/k,
 * kh/k, -ed/-ad, dropped h) and the abbreviations clerks use; the phonetic key catches the rest.
 */
// biome-ignore format: a packed table reads better than one spelling per line
const VARIANTS: readonly (readonly string[])[] = [
  ['muhammad', 'mohammad', 'mohammed', 'muhammed', 'mohamad', 'mohamed', 'muhamad', 'muhamed', 'mohd', 'muhd',
    'mhd', 'md', 'mohammod', 'mohmmad', 'mohummad', 'muhammet', 'mahomed', 'mohamud', 'mhmd', 'm'],
  ['ahmad', 'ahmed', 'ahmd', 'ahamad', 'ahemad'],
  ['abdul', 'abdool', 'abdal', 'abdel', 'abd', 'abdu', 'abdur', 'abdus', 'abdun', 'abdud', 'abduz', 'abdush',
    'abdoul'],
  ['ghulam', 'gulam', 'gholam', 'ghullam', 'golam', 'gh'],
  ['bakhsh', 'baksh', 'bakhs', 'bux', 'buksh', 'bukhsh', 'bakhash', 'bakhush', 'baksh', 'bakshsh', 'bx'],
  ['hafeez', 'hafiz', 'hafees', 'hafis', 'hafez'],
  ['ullah', 'ulla', 'ullha', 'ulah', 'allah', 'alla', 'ullaah'],
  ['tareen', 'tarin', 'tarreen', 'tarine'],
  ['hussain', 'husain', 'hussein', 'husein', 'hosain', 'hossain', 'husayn', 'hussian', 'hussayn'],
  ['hassan', 'hasan', 'hasen', 'hassen', 'hasson'],
  ['yousaf', 'yusuf', 'yousuf', 'yusaf', 'yousef', 'yosuf', 'usuf', 'yoosuf', 'yusef'],
  ['yaqoob', 'yaqub', 'yakub', 'yakoob', 'yaqoub', 'yacoob', 'yaqob', 'yaqoop'],
  ['younus', 'yunus', 'younis', 'yunis', 'younas', 'yonus', 'younes'],
  ['usman', 'osman', 'usmaan', 'othman', 'uthman', 'usmon'],
  ['umar', 'omar', 'umer', 'omer', 'oumar'],
  ['essa', 'isa', 'eesa', 'esa', 'issa', 'iesa'],
  ['moosa', 'musa', 'mousa', 'mosa', 'muosa'],
  ['dawood', 'daud', 'dawud', 'daood', 'dawod', 'daoud'],
  ['ismail', 'ismael', 'esmail', 'ismayil', 'ismaeel', 'ismaiel'],
  ['ibrahim', 'ebrahim', 'ibraheem', 'ibrahem', 'ebraheem'],
  ['ishaq', 'ishaque', 'ishak', 'ishaak', 'eshaq', 'ishaaq'],
  ['qadir', 'qader', 'qadeer', 'kadir', 'qaadir', 'kadeer'],
  ['rehman', 'rahman', 'rahmaan', 'rehmaan', 'rahiman'],
  ['rasool', 'rasul', 'rasoul', 'rasol'],
  ['haider', 'hyder', 'haidar', 'hayder', 'haydar'],
  ['noor', 'nur', 'noore', 'nour'],
  ['zainab', 'zaynab', 'zenab', 'zeinab'],
  ['fatima', 'fatma', 'fatimah', 'fatema', 'fateema'],
  ['ayesha', 'aisha', 'aysha', 'ayisha', 'aesha', 'aishah'],
  ['khadija', 'khadijah', 'khadeeja', 'khadija', 'khatija'],
  ['bibi', 'bb', 'bebe', 'bibe'],
  ['begum', 'begam', 'baigum', 'begum'],
  ['jan', 'jaan', 'jann'],
  ['dad', 'daad'],
  ['gul', 'gull', 'ghul'],
  ['sher', 'shair', 'sheer', 'shir'],
  ['nabi', 'nabee', 'nabbi'],
  ['khan', 'khaan', 'kn'],
  ['shah', 'shaah', 'sha'],
  ['saeed', 'saeid', 'sayeed', 'saiid'],
  ['waheed', 'wahid', 'waheid'],
  ['baloch', 'baluch', 'bloch', 'balouch', 'biloch'],
  ['zahoor', 'zahur', 'zuhoor', 'zahour'],
  ['qasim', 'kasim', 'qaseem', 'qasem'],
  ['yaseen', 'yasin', 'yasine'],
  ['zia', 'ziya', 'ziaa'],
  ['naseer', 'nasir', 'naser', 'nasser'],
  ['rasheed', 'rashid', 'rasheid', 'rashed'],
  ['haq', 'haque', 'hak', 'huq'],
  ['din', 'deen', 'dean', 'udin', 'uddin', 'uddeen', 'udeen'],
  ['majeed', 'majid', 'mjeed'],
  ['kareem', 'karim', 'kariem', 'krim'],
  ['raheem', 'rahim', 'rahiem', 'rehim'],
  ['hameed', 'hamid', 'hamed'],
  ['khalid', 'khaled', 'khaleed'],
  ['tariq', 'tarik', 'tareq', 'tareek'],
  ['iqbal', 'ikbal', 'iqball'],
  ['mehrab', 'mihrab', 'mehraab'],
  ['murad', 'muraad', 'moraad', 'morad'],
  ['juma', 'jumma', 'jumah', 'jumaa'],
  ['chaudhry', 'chaudhary', 'choudhry', 'chaudhri', 'chaudry', 'chowdhury', 'ch'],
  ['haji', 'hajji', 'alhaj', 'alhajj', 'hajee', 'hji'],
  ['syed', 'sayed', 'sayyed', 'sayyid', 'seyed', 'sayad', 'sd'],
  ['mst', 'mussammat', 'musammat', 'mosammat', 'msst', 'mosamat', 'mussamat'],
  ['sardar', 'sirdar', 'sardaar'],
  ['sheikh', 'shaikh', 'shaykh', 'shekh', 'sk'],
  ['maulana', 'molana', 'moulana', 'mowlana', 'mulla', 'mullah', 'molvi', 'maulvi'],
  ['mir', 'meer'],
  ['hajiani', 'hajjani', 'hajyani'],
];

/**
 * Titles and kinship words written before or between names: kept (a title on both sides still agrees) but worth
 * a quarter of a name part, and never an index key, so "Haji Gul Khan" and "Gul Khan" meet.
 */
const HONORIFICS = new Set([
  'haji',
  'syed',
  'mst',
  'mr',
  'mrs',
  'ms',
  'miss',
  'dr',
  'sardar',
  'sheikh',
  'maulana',
  'mir',
  'malik',
  'mian',
  'khawaja',
  'hajiani',
  'chaudhry',
  'rana',
  'raja',
  'engr',
  'prof',
  'capt',
  'col',
  'sahibzada',
  'nawab',
]);

/**
 * Parts so common they say little alone: worth half a part, so a dropped "Muhammad" costs little, and not
 * paired with each other in the index (their pair partitions would hold most of the population).
 */
const COMMON = new Set(['muhammad', 'ahmad', 'ali', 'khan', 'bibi', 'baloch', 'jan', 'gul', 'shah', 'begum']);

/** Particles of Arabic compounds written as words: "Zia ul Haq", "Salah ud Din", "Noor-e-Alam". */
const CONNECTORS = new Set([
  'ul',
  'ur',
  'ud',
  'us',
  'un',
  'uz',
  'ut',
  'ush',
  'al',
  'el',
  'ad',
  'ar',
  'as',
  'e',
  'i',
]);

/** Suffix parts that belong to the part before them: "Hafiz Ullah" is Hafizullah, "Salah Uddin" Salahuddin. */
const SUFFIXES = new Set(['ullah', 'din']);

const CANONICAL = new Map<string, string>();
for (const spellings of VARIANTS) {
  const canonical = spellings[0] as string;
  for (const spelling of spellings) if (!CANONICAL.has(spelling)) CANONICAL.set(spelling, canonical);
}

/** One part of a name as matched: its canonical text, phonetic key and weight. */
export interface NamePart {
  text: string;
  key: string;
  weight: number;
  honorific: boolean;
  common: boolean;
}

/** Lower case, diacritics and marks stripped, every non-letter a space; "Abdul-Wahid" is "abdul wahid". */
export function normalizeName(input: string): string {
  return input
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’`ʼ]/g, '')
    .replace(/[^a-z]+/g, ' ')
    .trim();
}

/** The canonical spelling of one part: the variant table first, then the compounds' known heads and tails. */
export function foldPart(part: string): string {
  const known = CANONICAL.get(part);
  if (known) return known;
  // Joined compounds: fold their head (abdool-, mohd-) and tail (-ulla, -uddeen) as the separate words fold.
  const abd = /^abd(?:ul|ool|al|el|ur|us|un|ud|uz|ush|oul|u|oo)?(.{3,})$/.exec(part);
  if (abd) {
    const rest = abd[1] as string;
    if (/^(?:l?lah|ullah?|allah?|ulla)$/.test(rest)) return 'abdullah';
    return `abdul${CANONICAL.get(rest) ?? rest}`;
  }
  const ullah = /^(.{2,}?)(?:ullah|ulla|ullha|ulah|allah|alla)$/.exec(part);
  if (ullah) {
    const head = ullah[1] as string;
    return `${CANONICAL.get(head) ?? head}ullah`;
  }
  const uddin = /^(.{2,}?)u?d?d(?:ee|i|ea)n$/.exec(part);
  if (uddin && part.length > 6) {
    const head = uddin[1] as string;
    return `${CANONICAL.get(head) ?? head}uddin`;
  }
  const bakhsh = /^(.{2,}?)(?:bakhsh|baksh|bux|buksh|bukhsh|bakhs)$/.exec(part);
  if (bakhsh) {
    const head = bakhsh[1] as string;
    return `${CANONICAL.get(head) ?? head}bakhsh`;
  }
  return part;
}

/**
 * The phonetic key of a folded part: a consonant skeleton after folding the letters transliteration confuses
 * (q/k, kh/k, gh/g, sh/s, v/w, ph/f, th/t, dh/d, zh/z), dropping vowels, h, w and y after the first letter and
 * doubled letters; a leading vowel is kept as `a`. Hafeezullah, Hafizullah and Hafeezulla all give HFZL.
 */
export function phoneticKey(part: string): string {
  let s = part
    .replace(/ch/g, 'C')
    .replace(/kh/g, 'k')
    .replace(/gh/g, 'g')
    .replace(/sh/g, 's')
    .replace(/ph/g, 'f')
    .replace(/th/g, 't')
    .replace(/dh/g, 'd')
    .replace(/zh/g, 'z')
    .replace(/bh/g, 'b')
    .replace(/jh/g, 'j')
    .replace(/ck/g, 'k')
    .replace(/q/g, 'k')
    .replace(/x/g, 'ks')
    .replace(/c/g, 'k')
    .replace(/C/g, 'c')
    .replace(/v/g, 'w');
  if (s === '') return '';
  const first = /[aeiou]/.test(s.charAt(0)) ? 'a' : s.charAt(0);
  s = s.slice(1).replace(/[aeiouhwy]/g, '');
  let key = first;
  for (const ch of s) if (ch !== key.charAt(key.length - 1)) key += ch;
  return key.toUpperCase();
}

/** A father's name written into the query: "Abdul Wahid s/o Ghulam Rasool", "d/o", "son of". */
export function splitFatherName(input: string): { name: string; fatherName?: string } {
  const m =
    /^(.*?)\s+(?:s\s*\/\s*o|d\s*\/\s*o|w\s*\/\s*o|son\s+of|daughter\s+of|wife\s+of|walad)\s+(.+)$/i.exec(
      input.trim(),
    );
  if (!m) return { name: input };
  return { name: m[1] as string, fatherName: m[2] as string };
}

/**
 * The parts of a name as matched: normalized, folded, and with split compounds rejoined, so "Abdul Wahid",
 * "Abdul-Wahid", "Abdool Wahid" and "Abdulwahid" all give the one part `abdulwahid`, and "Hafiz Ullah" the part
 * `hafeezullah`.
 */
export function nameParts(input: string): NamePart[] {
  const words = normalizeName(input).split(' ').filter(Boolean).map(foldPart);
  const joined: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const previous = joined[joined.length - 1];
    const next = words[i + 1];
    if (word === 'abdul' && next !== undefined) {
      joined.push(foldPart(`abdul${next}`));
      i += 1;
    } else if (
      CONNECTORS.has(word) &&
      previous !== undefined &&
      next !== undefined &&
      !HONORIFICS.has(previous)
    ) {
      joined[joined.length - 1] = foldPart(`${previous}${word}${next}`);
      i += 1;
    } else if (SUFFIXES.has(word) && previous !== undefined && !HONORIFICS.has(previous)) {
      joined[joined.length - 1] = foldPart(`${previous}${word === 'din' ? 'uddin' : word}`);
    } else {
      joined.push(word);
    }
  }
  return joined.map((text) => {
    const honorific = HONORIFICS.has(text);
    const common = COMMON.has(text);
    return { text, key: phoneticKey(text), weight: honorific ? 0.25 : common ? 0.5 : 1, honorific, common };
  });
}

/** Jaro-Winkler similarity of two strings, 0 to 1 (prefix scale 0.1, up to four characters). */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (bMatched[j] || a.charAt(i) !== b.charAt(j)) continue;
      aMatched[i] = true;
      bMatched[j] = true;
      matches += 1;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[k]) k += 1;
    if (a.charAt(i) !== b.charAt(k)) transpositions += 1;
    k += 1;
  }
  const m = matches;
  const jaro = (m / a.length + m / b.length + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a.charAt(prefix) === b.charAt(prefix))
    prefix += 1;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** A part, or two neighbouring parts read as one word ("Sher Ali" against "Sherali"). */
interface Span {
  from: number;
  to: number;
  text: string;
  key: string;
  weight: number;
}

function spans(parts: readonly NamePart[]): Span[] {
  const out: Span[] = parts.map((p, i) => ({ from: i, to: i, text: p.text, key: p.key, weight: p.weight }));
  for (let i = 0; i + 1 < parts.length; i++) {
    const a = parts[i] as NamePart;
    const b = parts[i + 1] as NamePart;
    if (a.honorific || b.honorific) continue;
    const text = a.text + b.text;
    out.push({ from: i, to: i + 1, text, key: phoneticKey(text), weight: a.weight + b.weight });
  }
  return out;
}

/** How alike two parts (or joined parts) are: Jaro-Winkler on the folded text, raised when the keys agree. */
function partSimilarity(q: Span, c: Span): number {
  const jw = jaroWinkler(q.text, c.text);
  if (q.key === c.key && q.key.length > 0) return Math.max(jw, 0.8 + 0.15 * jw);
  // An initial ("M. Hafeez") agrees with any part it begins.
  if (
    (q.text.length === 1 && c.text.startsWith(q.text)) ||
    (c.text.length === 1 && q.text.startsWith(c.text))
  )
    return 0.75;
  return jw;
}

/** Below this a part is not counted as matched at all: Jaro-Winkler gives unrelated names 0.6 or so. */
const PART_THRESHOLD = 0.82;
/** What an unmatched candidate part costs against a matched query part's weight: a dropped name is cheap. */
const UNMATCHED_CANDIDATE_COST = 0.3;

/**
 * How well a candidate's name matches a query name, 0 to 1. Parts are aligned one to one, best pairs first
 * (a part may pair as one word with two neighbours of the other side); each matched query part earns its weight
 * times its similarity; the query's unmatched parts earn nothing and the candidate's cost a little, so a dropped
 * middle name lowers the score slightly and a wrong name a lot.
 */
export function scoreName(
  query: string | readonly NamePart[],
  candidate: string | readonly NamePart[],
): number {
  const q = typeof query === 'string' ? nameParts(query) : query;
  const c = typeof candidate === 'string' ? nameParts(candidate) : candidate;
  if (q.length === 0 || c.length === 0) return 0;
  const pairs: { q: Span; c: Span; sim: number }[] = [];
  for (const qs of spans(q))
    for (const cs of spans(c)) {
      const sim = partSimilarity(qs, cs);
      if (sim >= PART_THRESHOLD) pairs.push({ q: qs, c: cs, sim });
    }
  // Best first; among equals the single parts, so two parts that match two parts are not read as one word.
  pairs.sort(
    (x, y) =>
      y.sim - x.sim || x.q.to - x.q.from + (x.c.to - x.c.from) - (y.q.to - y.q.from + (y.c.to - y.c.from)),
  );
  const qUsed = new Array<boolean>(q.length).fill(false);
  const cUsed = new Array<boolean>(c.length).fill(false);
  let earned = 0;
  for (const pair of pairs) {
    if (qUsed.slice(pair.q.from, pair.q.to + 1).some(Boolean)) continue;
    if (cUsed.slice(pair.c.from, pair.c.to + 1).some(Boolean)) continue;
    qUsed.fill(true, pair.q.from, pair.q.to + 1);
    cUsed.fill(true, pair.c.from, pair.c.to + 1);
    earned += pair.q.weight * pair.sim;
  }
  const queryWeight = q.reduce((sum, p) => sum + p.weight, 0);
  const unmatched = c.reduce((sum, p, i) => sum + (cUsed[i] ? 0 : p.weight), 0);
  return earned / (queryWeight + UNMATCHED_CANDIDATE_COST * unmatched);
}

/** A person as the index holds them. */
export interface PersonName {
  name: string;
  fatherName: string;
}

/** Below this a father's name that was asked for does not narrow to the candidate: they are dropped. */
export const FATHER_THRESHOLD = 0.6;

/**
 * A candidate's score for a name search: the name's score, and where a father's name was asked for, two thirds
 * name and one third father; undefined when the father's name was asked for and does not match.
 */
export function scorePerson(
  query: { name: string; fatherName?: string | undefined },
  candidate: PersonName,
): number | undefined {
  const name = scoreName(query.name, candidate.name);
  if (query.fatherName === undefined) return name;
  const father = scoreName(query.fatherName, candidate.fatherName);
  if (father < FATHER_THRESHOLD) return undefined;
  return (2 * name + father) / 3;
}

/** How many parts of a name are indexed: a longer name's later parts are rarely the ones a clerk drops to. */
const MAX_INDEXED_PARTS = 5;

/**
 * Words that begin or end compound given names ("Gul Muhammad", "Khuda Bakhsh", "Sher Ali"): a query word that
 * starts or ends with one may be a compound written as one word, and is read as its two parts as well.
 */
const COMPOUND_HEADS = [
  'gul',
  'sher',
  'noor',
  'ullah',
  'khuda',
  'shah',
  'dad',
  'jan',
  'faiz',
  'wali',
  'nazar',
  'dost',
  'khair',
  'lal',
  'rahim',
  'nabi',
  'karim',
  'sahib',
  'murad',
  'pir',
  'mah',
  'zar',
  'taj',
  'dil',
  'muhammad',
  'ghulam',
  'rasool',
];
const COMPOUND_TAILS = [
  'muhammad',
  'bakhsh',
  'dad',
  'jan',
  'khan',
  'bibi',
  'ahmad',
  'gul',
  'naz',
  'bano',
  'pari',
  'shah',
  'nawaz',
  'ali',
];

/** Positions are doubled so the two halves of a split word sit between the word's neighbours. */
interface Entity {
  from: number;
  to: number;
  key: string;
  common: boolean;
}

/** The parts of a name that are indexed: not titles, the first MAX_INDEXED_PARTS. */
function indexedParts(parts: readonly NamePart[]): NamePart[] {
  return parts.filter((p) => !p.honorific && p.key !== '').slice(0, MAX_INDEXED_PARTS);
}

/** What a name is indexed under: its parts alone, so a person costs few items. */
function indexEntities(parts: readonly NamePart[]): Entity[] {
  return indexedParts(parts).map((p, i) => ({ from: 2 * i, to: 2 * i + 1, key: p.key, common: p.common }));
}

/**
 * What a query reads under: its parts, each two neighbours joined (the person may have written them as one
 * word), and a word that begins or ends a known compound split in two (the person may have written it apart).
 */
function queryEntities(parts: readonly NamePart[]): Entity[] {
  const kept = indexedParts(parts);
  const out = indexEntities(parts);
  for (let i = 0; i + 1 < kept.length; i++) {
    const text = (kept[i] as NamePart).text + (kept[i + 1] as NamePart).text;
    out.push({ from: 2 * i, to: 2 * i + 3, key: phoneticKey(foldPart(text)), common: false });
  }
  kept.forEach((part, i) => {
    const split = splitCompound(part.text);
    if (!split) return;
    const [head, tail] = split;
    out.push(
      { from: 2 * i, to: 2 * i, key: phoneticKey(head), common: COMMON.has(head) },
      { from: 2 * i + 1, to: 2 * i + 1, key: phoneticKey(tail), common: COMMON.has(tail) },
    );
  });
  return out;
}

/** A word read as a known compound's two parts, if it is one: "gulmuhammad" is gul + muhammad. */
function splitCompound(text: string): [string, string] | undefined {
  for (const head of COMPOUND_HEADS)
    if (text.length > head.length + 1 && text.startsWith(head))
      return [head, foldPart(text.slice(head.length))];
  for (const tail of COMPOUND_TAILS)
    if (text.length > tail.length + 1 && text.endsWith(tail))
      return [foldPart(text.slice(0, -tail.length)), tail];
  return undefined;
}

function pairKeysWhere(entities: readonly Entity[], keep: (a: Entity, b: Entity) => boolean): string[] {
  const keys = new Set<string>();
  for (let i = 0; i < entities.length; i++)
    for (let j = i + 1; j < entities.length; j++) {
      const a = entities[i] as Entity;
      const b = entities[j] as Entity;
      if (a.to >= b.from && b.to >= a.from) continue;
      if (!keep(a, b)) continue;
      keys.add(`2#${[a.key, b.key].sort().join('+')}`);
    }
  return [...keys];
}

/**
 * The index keys a person's name is written under: each part's key (`1#HFZL`) and each pair of its parts, in
 * either order (`2#HFZL+TRN`), so a query with any two of the person's parts, in any order and with others
 * dropped, finds them in one partition; a query's joined or split words are read both ways (queryEntities).
 */
export function nameIndexKeys(name: string): string[] {
  const entities = indexEntities(nameParts(name));
  const singles = new Set(entities.map((e) => `1#${e.key}`));
  return [...singles, ...pairKeysWhere(entities, () => true)];
}

/**
 * The partitions a name query reads, in tiers, most selective first: pairs of two distinctive parts; then pairs
 * with one common part (Muhammad, Khan, Bibi, …), whose partitions are larger; then pairs of two common parts;
 * a one-part query reads that part's partition. A search reads the next tier only when the ones before found no
 * good match, so "Muhammad Hassan Rind" reads Hassan+Rind, not every Muhammad Rind.
 */
export function nameQueryTiers(name: string): string[][] {
  const parts = nameParts(name);
  const entities = queryEntities(parts);
  const pairs = [
    pairKeysWhere(entities, (a, b) => !a.common && !b.common),
    pairKeysWhere(entities, (a, b) => a.common !== b.common),
    pairKeysWhere(entities, (a, b) => a.common && b.common),
  ].filter((tier) => tier.length > 0);
  // A one-word query reads that word's own partition first; its halves, if it is a compound, after.
  if (indexedParts(parts).length <= 1) {
    const singles = [...new Set(indexEntities(parts).map((e) => `1#${e.key}`))];
    return [...(singles.length > 0 ? [singles] : []), ...pairs];
  }
  return pairs;
}

/** Every partition a name query may read, in the order of its tiers. */
export function nameQueryKeys(name: string): string[] {
  return nameQueryTiers(name).flat();
}
