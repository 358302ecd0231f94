// Seeded pilgrims (Zaireen) for group tests and benchmarks: from all over Pakistan, with the long honorific names
// (Syed, Syeda, Agha, Mir) and the place names their CNICs carry, in both the spellings people type.
import { dayAfter, karachiDay } from './data.ts';
import { mulberry32, pick, type Random } from './holders.ts';

export interface Pilgrim {
  cnic: string;
  name: string;
  fatherName: string;
  district: string;
}

// Where Ziyarat groups travel from, with CNIC area prefixes of the province (1 KP, 3 Punjab, 4 Sindh, 5 Balochistan,
// 6 Islamabad, 7 Gilgit-Baltistan).
const PLACES: readonly (readonly [string, string])[] = [
  ['Karachi Central', '42101'],
  ['Karachi East', '42201'],
  ['Karachi West', '42401'],
  ['Hyderabad', '41303'],
  ['Khairpur', '45204'],
  ['Lahore', '35202'],
  ['Jhang', '33202'],
  ['Chiniot', '33203'],
  ['Rawalpindi', '37405'],
  ['Multan', '36302'],
  ['Dera Ismail Khan', '12101'],
  ['Kurram (Parachinar)', '21201'],
  ['Kohat', '14301'],
  ['Quetta (Hazara Town)', '54400'],
  ['Skardu', '71501'],
  ['Gilgit', '71101'],
  ['Islamabad', '61101'],
  ['Sheikhupura', '35404'],
];

const MALE = [
  'Ali Raza',
  'Muhammad Abbas',
  'Ghulam Hussain',
  'Hassan Askari',
  'Zulfiqar Ali',
  'Qamar Abbas',
  'Mazahir Hussain',
  'Imran Haider',
  'Tasawar Hussain',
  'Sajjad Ali',
  'Naqi',
  'Jafar',
  'Mehdi',
  'Baqir Ali',
  'Turab Ali',
  'Ghulam Abbas',
  'Muhammad Taqi',
  'Azadar Hussain',
  'Zaighum Abbas',
  'Ali Akbar',
];
const FEMALE = [
  'Kaneez Fatima',
  'Zainab Bibi',
  'Sakina',
  'Masooma',
  'Umm-e-Laila',
  'Syeda Narjis',
  'Rubab',
  'Fizza Batool',
  'Kaneez Sughra',
  'Tahira Batool',
  'Ume Farwa',
  'Zahra',
  'Ghulam Sakina',
  'Khadija Bibi',
];
const FAMILY = [
  'Naqvi',
  'Zaidi',
  'Rizvi',
  'Jafri',
  'Kazmi',
  'Bukhari',
  'Shah',
  'Hazara',
  'Turi',
  'Bangash',
  'Balti',
  'Abidi',
];
const URDU_MALE = ['سید علی رضا نقوی', 'غلام عباس زیدی', 'حسن عسکری جعفری', 'محمد تقی رضوی'];
const URDU_FEMALE = ['کنیز فاطمہ نقوی', 'سیدہ زینب کاظمی', 'سکینہ بی بی'];

function digits(random: Random, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += Math.floor(random() * 10);
  return out;
}

function pilgrim(random: Random): Pilgrim {
  const [district, area] = pick(random, PLACES);
  const female = random() < 0.45;
  const family = pick(random, FAMILY);
  const syed = ['Naqvi', 'Zaidi', 'Rizvi', 'Jafri', 'Kazmi', 'Bukhari', 'Shah', 'Abidi'].includes(family);
  const fatherName = `${syed ? 'Syed ' : random() < 0.2 ? 'Haji ' : ''}${pick(random, MALE)} ${family}`;
  const urdu = random() < 0.08;
  const name = urdu
    ? pick(random, female ? URDU_FEMALE : URDU_MALE)
    : female
      ? `${syed && random() < 0.6 ? 'Syeda ' : ''}${pick(random, FEMALE)} ${family}`
      : `${syed ? 'Syed ' : ''}${random() < 0.15 ? 'Muhammad ' : ''}${pick(random, MALE)} ${family}`;
  const genderDigit = 2 * Math.floor(random() * 5) + (female ? 0 : 1);
  return { cnic: `${area}${digits(random, 7)}${genderDigit}`, name, fatherName, district };
}

/** `count` pilgrims, every CNIC distinct; the same seed always gives the same people. */
export function generatePilgrims(count: number, seed: number): Pilgrim[] {
  const random = mulberry32(seed);
  const seen = new Set<string>();
  const out: Pilgrim[] = [];
  while (out.length < count) {
    const next = pilgrim(random);
    if (seen.has(next.cnic)) continue;
    seen.add(next.cnic);
    out.push(next);
  }
  return out;
}

/** A valid body for POST /groups: a Taftan group leaving `departOn` (today by default) for 30 days. */
export function groupBody(
  members: readonly Pilgrim[],
  overrides: Record<string, unknown> = {},
  departOn: string = karachiDay(),
): Record<string, unknown> {
  return {
    passType: 'ZIYARAT_GROUP',
    crossingPoint: 'TFT',
    route: 'Taftan – Zahedan – Mashhad – Qom – Karbala – Najaf',
    departOn,
    returnBy: dayAfter(departOn, 30),
    members: members.map((m) => ({
      cnic: m.cnic,
      name: m.name,
      fatherName: m.fatherName,
      district: m.district,
    })),
    ...overrides,
  };
}

/** An organizer as FIA registers one. */
export const ORGANIZER = {
  name: 'Syed Muhammad Raza Naqvi',
  fatherName: 'Syed Ghulam Abbas Naqvi',
  phone: '03001234567',
  organization: 'Anjuman-e-Zaireen-e-Karbala (Karachi)',
};
