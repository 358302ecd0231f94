// Seeded generator of realistic Makran and Sindh coast boats and their owners, for tests and benchmarks.

import type { PortCode } from '../../shared/domain/reference.ts';
import type {
  BoatTypeCode,
  EngineInput,
  FishingGearCode,
  HullMaterialCode,
  VesselInput,
} from '../../shared/domain/vessel.ts';
import { formatOfficialNumber, VESSEL_LIMITS, vesselNameKey } from '../../shared/domain/vessel.ts';
import { generateHolders, type Holder, mulberry32, pick, pickWeighted, type Random } from './holders.ts';

const between = (random: Random, min: number, max: number) => min + random() * (max - min);
const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

// Karachi Fish Harbour lands most of Pakistan's catch; Gwadar, Pasni and Ormara lead the Makran coast.
const PORT_WEIGHTS: ReadonlyArray<readonly [PortCode, number]> = [
  ['KFH', 28],
  ['IBH', 10],
  ['KRG', 7],
  ['KTB', 5],
  ['SHB', 3],
  ['GWD', 13],
  ['PSN', 10],
  ['ORM', 8],
  ['JWN', 6],
  ['PSK', 4],
  ['DMB', 3],
  ['GDN', 3],
];

const SINDH: ReadonlySet<PortCode> = new Set(['KFH', 'IBH', 'KRG', 'KTB', 'SHB']);

// The Makran fleet is mostly small open boats; Karachi's is decked launches, gillnetters and trawlers.
const MAKRAN_TYPES: ReadonlyArray<readonly [BoatTypeCode, number]> = [
  ['HORA', 24],
  ['SKIFF', 26],
  ['YAKDAR', 5],
  ['LAUNCH', 18],
  ['GILLNETTER', 12],
  ['FISHING_BOAT', 5],
  ['BATELA', 4],
  ['LONGLINER', 3],
  ['DHOW', 3],
];
const SINDH_TYPES: ReadonlyArray<readonly [BoatTypeCode, number]> = [
  ['DOONDO', 18],
  ['LAUNCH', 20],
  ['GILLNETTER', 18],
  ['TRAWLER', 14],
  ['SKIFF', 8],
  ['FISHING_BOAT', 8],
  ['LONGLINER', 5],
  ['PURSE_SEINER', 4],
  ['HORA', 3],
  ['DHOW', 2],
];

type EngineKind = 'none' | 'outboard' | 'inboard';

interface TypeProfile {
  lengthM: readonly [number, number];
  tonnageGt: readonly [number, number];
  engines: ReadonlyArray<readonly [EngineKind, number]>;
  powerHp: readonly [number, number];
  crew: readonly [number, number];
  hulls: ReadonlyArray<readonly [HullMaterialCode, number]>;
  /** Gear the type always carries. */
  gear: readonly FishingGearCode[];
  /** Gear some boats of the type add. */
  extraGear: readonly FishingGearCode[];
}

// Rough figures from the boats seen in Pakistani fisheries surveys; they need to look right, not be exact.
const PROFILES: Readonly<Record<BoatTypeCode, TypeProfile>> = {
  HORA: {
    lengthM: [6, 11],
    tonnageGt: [0.8, 6],
    engines: [
      ['none', 20],
      ['outboard', 45],
      ['inboard', 35],
    ],
    powerHp: [15, 60],
    crew: [2, 6],
    hulls: [
      ['WOOD', 65],
      ['WOOD_GRP', 30],
      ['GRP', 5],
    ],
    gear: [],
    extraGear: ['GILLNET', 'HOOK_AND_LINE', 'CAST_NET', 'TROLL_LINE', 'TRAP'],
  },
  YAKDAR: {
    lengthM: [3.5, 7],
    tonnageGt: [0.5, 1.5],
    engines: [
      ['none', 60],
      ['outboard', 40],
    ],
    powerHp: [8, 15],
    crew: [1, 3],
    hulls: [['WOOD', 1]],
    gear: [],
    extraGear: ['HOOK_AND_LINE', 'CAST_NET'],
  },
  DOONDO: {
    lengthM: [8, 14],
    tonnageGt: [3, 15],
    engines: [
      ['none', 15],
      ['inboard', 85],
    ],
    powerHp: [25, 90],
    crew: [4, 10],
    hulls: [
      ['WOOD', 80],
      ['WOOD_GRP', 20],
    ],
    gear: [],
    extraGear: ['GILLNET', 'HOOK_AND_LINE', 'CAST_NET', 'TRAP'],
  },
  SKIFF: {
    lengthM: [5, 10],
    tonnageGt: [0.8, 4],
    engines: [['outboard', 1]],
    powerHp: [15, 200],
    crew: [2, 6],
    hulls: [['GRP', 1]],
    gear: [],
    extraGear: ['GILLNET', 'HOOK_AND_LINE', 'TROLL_LINE'],
  },
  FISHING_BOAT: {
    lengthM: [8, 16],
    tonnageGt: [3, 25],
    engines: [
      ['none', 10],
      ['inboard', 90],
    ],
    powerHp: [40, 200],
    crew: [4, 12],
    hulls: [
      ['WOOD', 55],
      ['WOOD_GRP', 30],
      ['GRP', 15],
    ],
    gear: [],
    extraGear: ['GILLNET', 'HOOK_AND_LINE', 'LONGLINE', 'TRAP'],
  },
  LAUNCH: {
    lengthM: [12, 22],
    tonnageGt: [10, 60],
    engines: [['inboard', 1]],
    powerHp: [80, 400],
    crew: [8, 25],
    hulls: [
      ['WOOD', 70],
      ['WOOD_GRP', 25],
      ['STEEL', 5],
    ],
    gear: [],
    extraGear: ['GILLNET', 'LONGLINE', 'HOOK_AND_LINE', 'TRAWL'],
  },
  GILLNETTER: {
    lengthM: [14, 26],
    tonnageGt: [20, 110],
    engines: [['inboard', 1]],
    powerHp: [150, 500],
    crew: [10, 25],
    hulls: [
      ['WOOD', 75],
      ['WOOD_GRP', 25],
    ],
    gear: ['GILLNET'],
    extraGear: ['LONGLINE', 'HOOK_AND_LINE'],
  },
  LONGLINER: {
    lengthM: [16, 30],
    tonnageGt: [30, 160],
    engines: [['inboard', 1]],
    powerHp: [200, 600],
    crew: [12, 25],
    hulls: [
      ['WOOD', 60],
      ['STEEL', 40],
    ],
    gear: ['LONGLINE'],
    extraGear: ['HOOK_AND_LINE'],
  },
  TRAWLER: {
    lengthM: [16, 35],
    tonnageGt: [40, 300],
    engines: [['inboard', 1]],
    powerHp: [250, 1200],
    crew: [10, 30],
    hulls: [
      ['WOOD', 60],
      ['STEEL', 40],
    ],
    gear: ['TRAWL'],
    extraGear: [],
  },
  PURSE_SEINER: {
    lengthM: [18, 35],
    tonnageGt: [60, 300],
    engines: [['inboard', 1]],
    powerHp: [300, 1000],
    crew: [15, 35],
    hulls: [
      ['STEEL', 60],
      ['WOOD', 40],
    ],
    gear: ['PURSE_SEINE'],
    extraGear: [],
  },
  BATELA: {
    lengthM: [12, 20],
    tonnageGt: [10, 50],
    engines: [
      ['none', 20],
      ['inboard', 80],
    ],
    powerHp: [60, 250],
    crew: [6, 16],
    hulls: [['WOOD', 1]],
    gear: [],
    extraGear: ['GILLNET', 'LONGLINE', 'HOOK_AND_LINE'],
  },
  DHOW: {
    lengthM: [15, 35],
    tonnageGt: [40, 400],
    engines: [
      ['none', 10],
      ['inboard', 90],
    ],
    powerHp: [150, 800],
    crew: [8, 20],
    hulls: [['WOOD', 1]],
    gear: [],
    extraGear: [],
  },
};

// biome-ignore format: a packed word list reads better than one name per line
const OUTBOARD_MAKES = ['Yamaha', 'Yamaha Enduro', 'Suzuki', 'Tohatsu', 'Mercury', 'Honda', 'Parsun'];
// biome-ignore format: a packed word list reads better than one name per line
const INBOARD_MAKES = [
  'Yanmar', 'Mitsubishi', 'Isuzu', 'Hino', 'Nissan', 'Cummins', 'Volvo Penta', 'Caterpillar', 'Weichai',
  'Deutz', 'Perkins', 'Kubota', 'Hino (reconditioned)', 'Mitsubishi S6R2', 'Cummins KTA-19', 'Ford',
];
// The outboard ratings sold on the coast; 9.9 HP and 40 HP are the commonest.
const OUTBOARD_HP = [8, 9.9, 15, 25, 30, 40, 40, 60, 75, 85, 115, 200];

// Boat names as painted on Makran and Sindh bows: blessings, saints, places, family names.
// biome-ignore format: a packed word list reads better than one name per line
const LATIN_NAMES = [
  'Al-Madina', 'Sohni Baloch', 'Noor-e-Khuda', 'Bismillah', 'Al-Rehman', 'Al-Karim', 'Madina Sharif', 'Al-Noor',
  'Sultan-e-Madina', 'Ya Ali Madad', 'Al-Habib', 'Darya Dil', 'Al-Mustafa', 'Al-Hussaini', 'Shah-e-Mardan',
  'Ghous-e-Azam', 'Khwaja Gharib Nawaz', 'Al-Hamd', 'Makran Star', 'Pasni Queen', 'Bahar-e-Madina', 'Noori',
  'Al-Bilal', 'Mehran', 'Jannat', 'Al-Khair', 'Sohni Dharti', 'Zam Zam', 'Al-Sadiq', 'Tawakkal', 'Allah Hu',
  'Lal Shahbaz Qalandar', 'Sakhi Sarwar', 'Al-Qadir', 'Noor-ul-Huda', 'Gwadar Pride', 'Sea Hawk', 'Moti',
  'Shahzadi', 'Al-Fatah', 'Al-Jilani', 'Data Ganj Bakhsh', 'Dilbar', 'Balochistan', 'Sur Bandar', 'Kalmati',
  'Al-Saqib', 'Hub Chowki', 'Mashallah', 'Subhanallah', 'Al-Momin', 'Al-Shaheen', 'Khuda Ki Rehmat',
  "Ma'a Al-Khair", 'Haji Karim Bakhsh', 'Abdul Sattar Edhi', 'Zikr-e-Madina', 'Fazl-e-Rabbi', 'Naseeb',
  'Al-Murtaza', 'Baba Farid', 'Gul-e-Makran', 'Sitara-e-Sahil', 'Shah Noorani', 'Mehr-e-Ali', 'Al-Jamil',
];
// biome-ignore format: a packed word list reads better than one name per line
const URDU_NAMES = [
  'المدینہ', 'نورِ خدا', 'سوہنی بلوچ', 'بسم اللہ', 'یا علی مدد', 'المصطفیٰ', 'شاہِ مرداں', 'زم زم', 'دریا دل',
  'توکل', 'الکریم', 'غوثِ اعظم', 'ماشاءاللہ', 'بہارِ مدینہ', 'سلطانِ مدینہ', 'الحبیب',
];
// Owners of several boats tell them apart with a number: "Al-Madina 2", "Al-Noor 786".
const NUMBER_SUFFIXES = [' 1', ' 2', ' 3', ' 4', ' 5', ' 7', ' 12', ' 110', ' 786', '-1', '-2', '-II'];

// biome-ignore format: a packed word list reads better than one name per line
const LOCALITIES: Readonly<Record<PortCode, readonly string[]>> = {
  JWN: ['Jiwani Bazaar', 'Ganz', 'Panwan', 'Bandri', 'Pak Colony'],
  PSK: ['Pishukan', 'Pishukan Bazaar', 'Nigor'],
  GWD: ['Mulla Band', 'Shadi Bazaar', 'Koh-e-Batil Road', 'Sur Bandar', 'Faqeer Colony', 'Shambay Ismail Ward'],
  PSN: ['Pasni Bazaar', 'Kalmat', 'Shadi Kaur', 'Wadsar', 'Fish Harbour Road'],
  ORM: ['Ormara Bazaar', 'Basol', 'Old Ormara', 'Hingol Road'],
  DMB: ['Damb Bandar', 'Sonmiani', 'Winder Road'],
  GDN: ['Gadani Village', 'Ship Breaking Road', 'Gadani Bazaar'],
  KFH: ['Machhar Colony, Keamari', 'Baba Island', 'Bhit Island', 'West Wharf', 'Shireen Jinnah Colony'],
  KRG: ['Korangi Creek', 'Chashma Goth', 'Rehri Goth', 'Ibrahim Hyderi Road'],
  IBH: ['Ibrahim Hyderi', 'Rehri Goth', 'Lath Basti', 'Ali Akbar Shah Goth'],
  KTB: ['Keti Bandar', 'Kharo Chhan', 'Baghan'],
  SHB: ['Shah Bandar', 'Jati', 'Chuhar Jamali'],
};
const URDU_ADDRESSES: Readonly<Partial<Record<PortCode, readonly string[]>>> = {
  GWD: ['محلہ ملا بند، گوادر', 'سُر بندر، گوادر'],
  PSN: ['کلمت، پسنی'],
  KFH: ['مچھر کالونی، کیماڑی، کراچی'],
  IBH: ['ابراہیم حیدری، کراچی'],
};
const DISTRICT_TOWN: Readonly<Record<PortCode, string>> = {
  JWN: 'District Gwadar',
  PSK: 'District Gwadar',
  GWD: 'Gwadar',
  PSN: 'District Gwadar',
  ORM: 'District Gwadar',
  DMB: 'District Lasbela',
  GDN: 'District Hub',
  KFH: 'Karachi',
  KRG: 'Karachi',
  IBH: 'Karachi',
  KTB: 'District Thatta',
  SHB: 'District Sujawal',
};

// Plausible NADRA area codes for the coast's districts (4 = Sindh, 5 = Balochistan); they only need to look right.
const OWNER_AREA_CODES: Readonly<Record<PortCode, readonly string[]>> = {
  JWN: ['52101', '52102'],
  PSK: ['52101', '52103'],
  GWD: ['52101', '52102', '52103'],
  PSN: ['52104', '52105'],
  ORM: ['52104', '51503'],
  DMB: ['51501', '51502'],
  GDN: ['51501', '51504'],
  KFH: ['42101', '42201', '42401', '52101'],
  KRG: ['42201', '42301', '42501'],
  IBH: ['42201', '42501', '41303'],
  KTB: ['41303', '41304'],
  SHB: ['41305', '41306'],
};

export interface FleetOptions {
  /** First day of every generated licence; validate against a clock on or before it. */
  licenceValidFrom?: string;
}

interface OwnerRecord {
  name: string;
  fatherName: string;
  cnic: string;
  address: string;
}

/**
 * `count` boats spread over the real ports, each accepted by validateVessel on or before its licence's first
 * day; the same seed always gives the same fleet. Some owners hold several boats at one port, no owner has
 * two boats of the same name at a port, and no two boats claim the same previous registration, so a whole
 * fleet registers without a duplicate.
 */
export function generateFleet(count: number, seed: number, options: FleetOptions = {}): VesselInput[] {
  const random = mulberry32(seed);
  const licenceValidFrom = options.licenceValidFrom ?? '2026-03-10';
  const holders = generateHolders(count * 2 + 10, seed ^ 0x5eed);
  let nextHolder = 0;
  const ownersByPort = new Map<PortCode, OwnerRecord[]>();
  const namesTaken = new Set<string>();
  let previousSerial = 0;

  const nextOwner = (port: PortCode): OwnerRecord => {
    const known = ownersByPort.get(port) ?? [];
    // About one boat in six belongs to someone who already owns one here (fleet owners, families).
    if (known.length > 0 && random() < 0.17) return pick(random, known);
    let holder: Holder;
    // Women do own boats, mostly inherited; far fewer than men.
    do {
      holder = holders[nextHolder % holders.length] as Holder;
      nextHolder += 1;
    } while (Number(holder.cnic.charAt(12)) % 2 === 0 && random() > 0.04);
    const owner = {
      name: holder.name,
      fatherName: holder.fatherName,
      cnic: `${pick(random, OWNER_AREA_CODES[port])}${holder.cnic.slice(5)}`,
      address: address(random, port),
    };
    ownersByPort.set(port, [...known, owner]);
    return owner;
  };

  return Array.from({ length: count }, () => {
    const homePort = pickWeighted(random, PORT_WEIGHTS);
    const type = pickWeighted(random, SINDH.has(homePort) ? SINDH_TYPES : MAKRAN_TYPES);
    const profile = PROFILES[type];
    const owner = nextOwner(homePort);
    const name = uniqueName(random, homePort, owner.cnic, namesTaken);

    const size = random();
    const lengthOverallM = round(profile.lengthM[0] + size * (profile.lengthM[1] - profile.lengthM[0]), 1);
    // Tonnage grows faster than length (roughly with its cube), with some spread between builders.
    const tonnageShare = Math.min(1, Math.max(0, size ** 2 * between(random, 0.8, 1.2)));
    const grossTonnageGt = round(
      Math.max(
        VESSEL_LIMITS.grossTonnageGt.min,
        profile.tonnageGt[0] + tonnageShare * (profile.tonnageGt[1] - profile.tonnageGt[0]),
      ),
      2,
    );
    const engine = engineFor(random, profile, size);
    const crewRange = profile.crew[1] - profile.crew[0];
    const crew = Math.round(profile.crew[0] + (size * 0.7 + random() * 0.3) * crewRange);
    const maxCrew = Math.max(1, Math.min(crew, Math.floor(lengthOverallM * VESSEL_LIMITS.crewPerMetre)));

    const gear = [...profile.gear];
    for (const extra of profile.extraGear) if (random() < 0.35) gear.push(extra);
    if (gear.length === 0) gear.push(type === 'DHOW' ? 'NONE' : (profile.extraGear[0] ?? 'HOOK_AND_LINE'));

    const boat: VesselInput = {
      name,
      type,
      homePort,
      owner: { ...owner },
      lengthOverallM,
      grossTonnageGt,
      ...(engine === undefined ? {} : { engine }),
      hullMaterial: pickWeighted(random, profile.hulls),
      fishingGear: gear,
      maxCrew,
      licenceValidFrom,
      licenceValidUntil: licenceUntil(random, licenceValidFrom),
    };
    if (random() < 0.05) boat.previousName = pick(random, LATIN_NAMES);
    if (random() < 0.02) {
      previousSerial += 1;
      const from = pickWeighted(random, PORT_WEIGHTS);
      boat.previousRegistration = formatOfficialNumber(from, 2026, 90_000 + previousSerial);
    }
    return boat;
  });
}

function uniqueName(random: Random, port: PortCode, cnic: string, taken: Set<string>): string {
  let name = random() < 0.12 ? pick(random, URDU_NAMES) : pick(random, LATIN_NAMES);
  if (random() < 0.25) name += pick(random, NUMBER_SUFFIXES);
  // A second boat of the same name for the same owner and port gets the next number, as owners do.
  for (let n = 2; taken.has(`${port}|${cnic}|${vesselNameKey(name)}`); n += 1)
    name = `${name.replace(/ \d+$/, '')} ${n}`;
  taken.add(`${port}|${cnic}|${vesselNameKey(name)}`);
  return name;
}

function engineFor(random: Random, profile: TypeProfile, size: number): EngineInput | undefined {
  const kind = pickWeighted(random, profile.engines);
  if (kind === 'none') return undefined;
  if (kind === 'outboard') {
    const fits = OUTBOARD_HP.filter((hp) => hp >= profile.powerHp[0] && hp <= profile.powerHp[1]);
    return {
      make: pick(random, OUTBOARD_MAKES),
      powerHp: pick(random, fits.length > 0 ? fits : OUTBOARD_HP),
    };
  }
  const [min, max] = profile.powerHp;
  // Inboard ratings are quoted to the nearest 5 HP; bigger boats carry bigger engines.
  const hp = Math.round((min + (size * 0.6 + random() * 0.4) * (max - min)) / 5) * 5;
  return { make: pick(random, INBOARD_MAKES), powerHp: Math.min(max, Math.max(min, hp)) };
}

function address(random: Random, port: PortCode): string {
  const urdu = URDU_ADDRESSES[port];
  if (urdu !== undefined && random() < 0.08) return pick(random, urdu);
  const locality = pick(random, LOCALITIES[port]);
  const roll = random();
  const house =
    roll < 0.35
      ? `House ${1 + Math.floor(random() * 300)}, `
      : roll < 0.55
        ? `Ward ${1 + Math.floor(random() * 12)}, `
        : roll < 0.65
          ? 'Near Jamia Masjid, '
          : '';
  return `${house}${locality}, ${DISTRICT_TOWN[port]}`;
}

// Fisheries licences run a year or a season; a few owners pay for two or three years at once.
function licenceUntil(random: Random, from: string): string {
  const years = pickWeighted(random, [
    [1, 80],
    [2, 15],
    [3, 5],
  ] as const);
  const [year, month, day] = from.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year + years, month - 1, day) - 86_400_000).toISOString().slice(0, 10);
}

/**
 * One plain boat as a Fisheries officer types it: a Gwadar launch whose licence runs a year from
 * `licenceValidFrom`; `overrides` replace whole fields (owner included).
 */
export function vesselBody(
  licenceValidFrom: string,
  overrides: Partial<Record<keyof VesselInput, unknown>> = {},
): Record<string, unknown> {
  return {
    name: 'Al-Noor 786',
    type: 'LAUNCH',
    homePort: 'GWD',
    owner: {
      name: 'Abdul Ghafoor Sanjrani',
      fatherName: 'Haji Muhammad Hassan',
      cnic: '52101-1234567-3',
      address: 'House 12, Mulla Band, Gwadar',
    },
    lengthOverallM: 14.5,
    grossTonnageGt: 18.25,
    engine: { make: 'Cummins 6BT', powerHp: 210 },
    hullMaterial: 'WOOD_GRP',
    fishingGear: ['GILLNET', 'HOOK_AND_LINE'],
    maxCrew: 12,
    licenceValidFrom,
    licenceValidUntil: licenceUntil(() => 0, licenceValidFrom),
    ...overrides,
  };
}
