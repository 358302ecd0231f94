// Seeded generator of realistic border residents (names, CNICs, districts) for tests and benchmarks.

export type District = 'CHAGAI' | 'WASHUK' | 'PANJGUR' | 'KECH' | 'GWADAR';

export interface Holder {
  name: string;
  fatherName: string;
  /** 13 digits, no dashes: 5-digit area code, 7-digit serial, last digit odd for men and even for women. */
  cnic: string;
  district: District;
  crossingPoints: string[];
}

/** Each district's default crossing points. */
export const DISTRICT_CROSSING_POINTS: Readonly<Record<District, readonly string[]>> = {
  CHAGAI: ['TFT', 'RJY'],
  WASHUK: ['MSK'],
  PANJGUR: ['CDG', 'JRK'],
  KECH: ['MND'],
  GWADAR: ['GBD', 'JWN'],
};

// Border districts differ a lot in population; Kech and Gwadar send far more crossers than Washuk.
const DISTRICT_WEIGHTS: ReadonlyArray<readonly [District, number]> = [
  ['KECH', 30],
  ['CHAGAI', 25],
  ['GWADAR', 20],
  ['PANJGUR', 15],
  ['WASHUK', 10],
];

// Plausible NADRA area codes (province 5 = Balochistan). They only need to look right, not to be exact.
const AREA_CODES: Readonly<Record<District, readonly string[]>> = {
  CHAGAI: ['54101', '54102', '54103', '54104'],
  WASHUK: ['51601', '51602', '51603'],
  PANJGUR: ['52301', '52302', '52303'],
  KECH: ['52201', '52202', '52203', '52204', '52205'],
  GWADAR: ['52101', '52102', '52103', '52104'],
};

// Residents registered elsewhere (Karachi, Peshawar, Lahore) who hold a pass through family in the district.
const OUT_OF_PROVINCE_AREA_CODES = ['42101', '42201', '42301', '17301', '35202'];

// biome-ignore format: a packed word list reads better than one name per line
const MALE_GIVEN = [
  'Hassan', 'Ayub', 'Bashir', 'Chakar', 'Hammal', 'Bahram', 'Mehrab', 'Murad', 'Nasir', 'Jiand', 'Doda',
  'Sobdar', 'Kamalan', 'Washdil', 'Shahdad', 'Dostain', 'Gulzar', 'Akhtar', 'Zahoor', 'Waheed', 'Saeed',
  'Rashid', 'Hafeez', 'Shakoor', 'Nawaz', 'Ismail', 'Yaqoob', 'Younus', 'Essa', 'Moosa', 'Dawood', 'Saleh',
  'Juma', 'Karim', 'Rahim', 'Naseer', 'Zubair', 'Iqbal', 'Aslam', 'Anwar', 'Ghaus', 'Hayat', 'Qadir', 'Ali',
  'Umar', 'Usman', 'Bilal', 'Imran', 'Asif', 'Tariq', 'Jalal', 'Kamal', 'Hamid', 'Sharif', 'Azam', 'Barkat',
  'Fazal', 'Ibrahim', 'Ishaq', 'Liaqat', 'Mazhar', 'Nadir', 'Qasim', 'Sabir', 'Wazir', 'Zarif', 'Akbar',
  'Rustam', 'Sohrab', 'Shahbaz', 'Mehran', 'Balach', 'Gwaharam', 'Naseeb', 'Pazir', 'Sahib',
];

// Compound names are the norm in the region and give the long tail of the length distribution.
// biome-ignore format: a packed word list reads better than one name per line
const MALE_COMPOUND = [
  'Dad Karim', 'Dad Shah', 'Jan Muhammad', 'Khuda Bakhsh', 'Allah Bakhsh', 'Rahim Bakhsh', 'Sher Muhammad',
  'Dad Muhammad', 'Nabi Bakhsh', 'Karim Dad', 'Pir Jan', 'Lal Bakhsh', 'Sahib Dad', 'Murad Jan', 'Noor Ahmed',
  'Noor Muhammad', 'Gul Khan', 'Gul Muhammad', 'Naseer Ahmed', 'Faiz Muhammad', 'Jumma Khan', 'Sher Khan',
  'Zarif Khan', 'Abdullah Jan', 'Wali Muhammad', 'Nazar Muhammad', 'Khan Muhammad', 'Daud Khan',
  'Paindah Khan', 'Taj Muhammad', 'Mahmood Khan', 'Akhtar Jan', 'Dost Muhammad', 'Shah Nawaz', 'Ghulam Nabi',
  'Ghulam Rasool', 'Ghulam Qadir', 'Ghulam Haider', 'Ghulam Sarwar', 'Allah Dad', 'Khuda Dad', 'Gul Dad',
  'Sher Jan', 'Dil Murad', 'Khair Muhammad', 'Baloch Khan', 'Shah Murad', 'Rasool Bakhsh',
];

// Pashtun names ending in -ullah, mostly heard in Chagai's Pashtun villages.
// biome-ignore format: a packed word list reads better than one name per line
const MALE_ULLAH = [
  'Naqeebullah', 'Saifullah', 'Hayatullah', 'Rahmatullah', 'Asadullah', 'Habibullah', 'Faizullah', 'Ataullah',
  'Inayatullah', 'Hamdullah', 'Samiullah', 'Kaleemullah', 'Barkatullah', 'Ziaullah', 'Obaidullah',
];

// biome-ignore format: a packed word list reads better than one name per line
const ABDUL_SUFFIX = [
  'Ghafoor', 'Rahim', 'Wahid', 'Qadir', 'Samad', 'Hakeem', 'Majeed', 'Razzaq', 'Sattar', 'Ghani', 'Karim',
  'Latif', 'Malik', 'Hameed', 'Jabbar', 'Qayyum', 'Wahab', 'Baqi', 'Haq', 'Rasheed', 'Nabi', 'Rauf', 'Salam',
  'Aziz', 'Khaliq', 'Shakoor', 'Manan', 'Hai', 'Bari', 'Rehman',
];

// biome-ignore format: a packed word list reads better than one name per line
const FEMALE_GIVEN = [
  'Noor Bibi', 'Gul Bibi', 'Mah Gul', 'Zar Bibi', 'Shah Bibi', 'Taj Bibi', 'Mah Bibi', 'Hani', 'Mahnaz',
  'Sakina', 'Mahjabeen', 'Khadija', 'Sharifa', 'Gul Naz', 'Bano', 'Mahrang', 'Zainab', 'Fatima', 'Ameena',
  'Hajira', 'Rukhsana', 'Naseema', 'Shahnaz', 'Gul Bano', 'Sammi', 'Saeeda', 'Jamila', 'Zareena', 'Marvi',
  'Sabira', 'Halima', 'Hawa', 'Bibi Zainab', 'Bibi Fatima', 'Bibi Ayesha', 'Gul Jan', 'Mehr Jan', 'Sultana',
  'Noor Jahan', 'Shireen', 'Parveen', 'Nazia', 'Bakhtawar', 'Zar Jan', 'Gul Pari', 'Mah Pari',
];

// biome-ignore format: a packed word list reads better than one name per line
const BALOCH_TRIBES = [
  'Rind', 'Baloch', 'Sanjrani', 'Rakhshani', 'Mengal', 'Bizenjo', 'Marri', 'Bugti', 'Zehri', 'Raisani',
  'Notezai', 'Mohammad Hasni', 'Jamaldini', 'Badini', 'Kurd', 'Lehri', 'Gichki', 'Hoth', 'Dashti', 'Kalmati',
  'Jadgal', 'Nausherwani', 'Shahwani', 'Sasoli', 'Mirwani', 'Kambrani', 'Langove', 'Siahpad', 'Gorgej',
  'Sajdi', 'Jamali', 'Lashari', 'Buledi', 'Umrani', 'Rodeni', 'Mazarani', 'Sumalani', 'Kenagzai', 'Hammalani',
];

// biome-ignore format: a packed word list reads better than one name per line
const PASHTUN_TRIBES = [
  'Achakzai', 'Kakar', 'Tareen', 'Mandokhel', 'Kasi', 'Durrani', 'Barech', 'Noorzai', 'Alizai', 'Popalzai',
  'Ishaqzai', 'Babar', 'Panezai', 'Musakhel', 'Sherani', 'Luni', 'Jogezai',
];

// Chagai borders Afghanistan's Pashtun south, so its residents are far more often Pashtun than the Makran's.
const PASHTUN_SHARE: Readonly<Record<District, number>> = {
  CHAGAI: 0.3,
  WASHUK: 0.08,
  PANJGUR: 0.03,
  KECH: 0.02,
  GWADAR: 0.02,
};

export type Random = () => number;

/** mulberry32: a tiny, well-mixed 32-bit PRNG; enough for test data and identical on every platform. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

export function pickWeighted<T>(random: Random, weighted: ReadonlyArray<readonly [T, number]>): T {
  const total = weighted.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [item, weight] of weighted) {
    roll -= weight;
    if (roll < 0) return item;
  }
  return (weighted[weighted.length - 1] as readonly [T, number])[0];
}

function digits(random: Random, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += Math.floor(random() * 10);
  return out;
}

function maleGivenName(random: Random, pashtun: boolean): string {
  const roll = random();
  if (pashtun && roll < 0.3) return pick(random, MALE_ULLAH);
  if (roll < 0.3) return `Abdul ${pick(random, ABDUL_SUFFIX)}`;
  if (roll < 0.5) return `Muhammad ${pick(random, MALE_GIVEN)}`;
  if (roll < 0.75) return pick(random, MALE_COMPOUND);
  // A "Muhammad" in front of a compound name gives the longest given names.
  if (roll < 0.8) return `Muhammad ${pick(random, MALE_COMPOUND)}`;
  return pick(random, MALE_GIVEN);
}

function maleHonorific(random: Random, pashtun: boolean, isFather: boolean): string | undefined {
  // Fathers are older, so more of them have made the Hajj.
  const roll = random();
  if (roll < (isFather ? 0.18 : 0.07)) return 'Haji';
  if (roll < (isFather ? 0.24 : 0.11)) return pashtun ? 'Malik' : 'Mir';
  if (roll < (isFather ? 0.255 : 0.115)) return 'Sardar';
  return undefined;
}

function tribeName(random: Random, pashtun: boolean): string | undefined {
  const roll = random();
  if (roll < 0.12) return undefined;
  if (pashtun) return pick(random, PASHTUN_TRIBES);
  // "Baloch" in front of the tribe ("Abdul Ghafoor Baloch Sanjrani") is common on Baloch CNICs.
  if (roll < 0.22)
    return `Baloch ${pick(
      random,
      BALOCH_TRIBES.filter((t) => t !== 'Baloch'),
    )}`;
  return pick(random, BALOCH_TRIBES);
}

function joinName(...parts: Array<string | undefined>): string {
  return parts.filter((part) => part !== undefined).join(' ');
}

function generateHolder(random: Random): Holder {
  const district = pickWeighted(random, DISTRICT_WEIGHTS);
  const pashtun = random() < PASHTUN_SHARE[district];
  const female = random() < 0.35;

  const fatherTribe = tribeName(random, pashtun);
  // Most people carry their father's tribe; some CNICs omit it or record a sub-tribe instead.
  const ownTribe = random() < 0.85 ? fatherTribe : tribeName(random, pashtun);

  const fatherName = joinName(
    maleHonorific(random, pashtun, true),
    maleGivenName(random, pashtun),
    fatherTribe,
  );
  const name = female
    ? joinName(random() < 0.02 ? 'Hajiani' : undefined, pick(random, FEMALE_GIVEN), ownTribe)
    : joinName(maleHonorific(random, pashtun, false), maleGivenName(random, pashtun), ownTribe);

  const area =
    random() < 0.95 ? pick(random, AREA_CODES[district]) : pick(random, OUT_OF_PROVINCE_AREA_CODES);
  const genderDigit = 2 * Math.floor(random() * 5) + (female ? 0 : 1);
  const cnic = `${area}${digits(random, 7)}${genderDigit}`;

  const defaults = DISTRICT_CROSSING_POINTS[district];
  const crossingPoints = defaults.length > 1 && random() < 0.5 ? [pick(random, defaults)] : [...defaults];

  return { name, fatherName, cnic, district, crossingPoints };
}

/** `count` residents; the same seed always gives the same residents. */
export function generateHolders(count: number, seed: number): Holder[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => generateHolder(random));
}
