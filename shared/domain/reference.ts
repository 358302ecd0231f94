// Reference data whose codes appear in credentials and crossing records: districts, crossing points, ports.
// Codes never change once issued; names and coordinates may be refined.

export const DISTRICT_CODES = ['CHAGAI', 'WASHUK', 'PANJGUR', 'KECH', 'GWADAR'] as const;
export type DistrictCode = (typeof DISTRICT_CODES)[number];

export type BorderCountry = 'IR' | 'AF';
export type ProvinceName = 'Balochistan' | 'Khyber Pakhtunkhwa' | 'Sindh';

export interface District {
  name: string;
  province: ProvinceName;
  /** Neighbouring countries; the rahdari only concerns the Iran side. */
  borders: readonly BorderCountry[];
}

export const DISTRICTS = {
  CHAGAI: { name: 'Chagai', province: 'Balochistan', borders: ['IR', 'AF'] },
  WASHUK: { name: 'Washuk', province: 'Balochistan', borders: ['IR'] },
  PANJGUR: { name: 'Panjgur', province: 'Balochistan', borders: ['IR'] },
  KECH: { name: 'Kech', province: 'Balochistan', borders: ['IR'] },
  GWADAR: { name: 'Gwadar', province: 'Balochistan', borders: ['IR'] },
} as const satisfies Record<DistrictCode, District>;

export const CROSSING_POINT_CODES = [
  'TFT',
  'RJY',
  'MSK',
  'CDG',
  'JRK',
  'MND',
  'GBD',
  'JWN',
  'CMN',
  'TKM',
] as const;
export type CrossingPointCode = (typeof CROSSING_POINT_CODES)[number];

export interface CrossingPoint {
  name: string;
  border: BorderCountry;
  mode: 'land' | 'sea';
  province: ProvinceName;
  /** The rahdari district the point serves; null where the district has no code here (Chaman, Torkham). */
  district: DistrictCode | null;
  lat: number;
  lon: number;
  /**
   * Rough radius of doubt around lat/lon, in km. The smaller posts have not been surveyed for this
   * project, so maps should draw an area rather than a pin, and nothing may rely on these for geofencing.
   */
  precisionKm: number;
}

export const CROSSING_POINTS = {
  TFT: {
    name: 'Taftan–Mirjaveh',
    border: 'IR',
    mode: 'land',
    province: 'Balochistan',
    district: 'CHAGAI',
    lat: 28.96,
    lon: 61.58,
    precisionKm: 3,
  },
  RJY: {
    name: 'Rajay',
    border: 'IR',
    mode: 'land',
    province: 'Balochistan',
    district: 'CHAGAI',
    lat: 29.3,
    lon: 61.2,
    precisionKm: 60,
  },
  MSK: {
    name: 'Mashkel',
    border: 'IR',
    mode: 'land',
    province: 'Balochistan',
    district: 'WASHUK',
    lat: 27.95,
    lon: 63.1,
    precisionKm: 20,
  },
  CDG: {
    name: 'Chedgi',
    border: 'IR',
    mode: 'land',
    province: 'Balochistan',
    district: 'PANJGUR',
    lat: 26.95,
    lon: 63.05,
    precisionKm: 25,
  },
  JRK: {
    name: 'Jirak-Prom',
    border: 'IR',
    mode: 'land',
    province: 'Balochistan',
    district: 'PANJGUR',
    lat: 26.55,
    lon: 63.25,
    precisionKm: 30,
  },
  MND: {
    name: 'Mand (Radeeg)–Pishin',
    border: 'IR',
    mode: 'land',
    province: 'Balochistan',
    district: 'KECH',
    lat: 26.08,
    lon: 61.88,
    precisionKm: 8,
  },
  GBD: {
    name: 'Gabd–Rimdan',
    border: 'IR',
    mode: 'land',
    province: 'Balochistan',
    district: 'GWADAR',
    lat: 25.3,
    lon: 61.63,
    precisionKm: 8,
  },
  JWN: {
    name: 'Jiwani (sea)',
    border: 'IR',
    mode: 'sea',
    province: 'Balochistan',
    district: 'GWADAR',
    lat: 25.05,
    lon: 61.75,
    precisionKm: 3,
  },
  CMN: {
    name: 'Chaman',
    border: 'AF',
    mode: 'land',
    province: 'Balochistan',
    district: null,
    lat: 30.92,
    lon: 66.44,
    precisionKm: 3,
  },
  TKM: {
    name: 'Torkham',
    border: 'AF',
    mode: 'land',
    province: 'Khyber Pakhtunkhwa',
    district: null,
    lat: 34.11,
    lon: 71.09,
    precisionKm: 2,
  },
} as const satisfies Record<CrossingPointCode, CrossingPoint>;

export const PORT_CODES = [
  'JWN',
  'PSK',
  'GWD',
  'PSN',
  'ORM',
  'DMB',
  'GDN',
  'KFH',
  'KRG',
  'IBH',
  'KTB',
  'SHB',
] as const;
export type PortCode = (typeof PORT_CODES)[number];

export interface Port {
  name: string;
  province: ProvinceName;
}

export const PORTS = {
  JWN: { name: 'Jiwani', province: 'Balochistan' },
  PSK: { name: 'Pishukan', province: 'Balochistan' },
  GWD: { name: 'Gwadar', province: 'Balochistan' },
  PSN: { name: 'Pasni', province: 'Balochistan' },
  ORM: { name: 'Ormara', province: 'Balochistan' },
  DMB: { name: 'Damb (Sonmiani)', province: 'Balochistan' },
  GDN: { name: 'Gadani', province: 'Balochistan' },
  KFH: { name: 'Karachi Fish Harbour', province: 'Sindh' },
  KRG: { name: 'Korangi', province: 'Sindh' },
  IBH: { name: 'Ibrahim Hyderi', province: 'Sindh' },
  KTB: { name: 'Keti Bandar', province: 'Sindh' },
  SHB: { name: 'Shah Bandar', province: 'Sindh' },
} as const satisfies Record<PortCode, Port>;

export type CheckpointCode = CrossingPointCode | PortCode;

/** Every code a checkpoint officer can be bound to; JWN is both a sea crossing and a port, listed once. */
export const CHECKPOINT_CODES: readonly [CheckpointCode, ...CheckpointCode[]] = [
  ...new Set<CheckpointCode>([...CROSSING_POINT_CODES, ...PORT_CODES]),
] as [CheckpointCode, ...CheckpointCode[]];

/** Default crossing points per district; pass types copy or override these, so this is a starting point. */
export const DEFAULT_DISTRICT_CROSSING_POINTS = {
  CHAGAI: ['TFT', 'RJY'],
  WASHUK: ['MSK'],
  PANJGUR: ['CDG', 'JRK'],
  KECH: ['MND'],
  GWADAR: ['GBD', 'JWN'],
} as const satisfies Record<DistrictCode, readonly CrossingPointCode[]>;

// Object.hasOwn, not `in`, so inherited names such as 'toString' or '__proto__' are never taken for codes.
export function isDistrictCode(value: unknown): value is DistrictCode {
  return typeof value === 'string' && Object.hasOwn(DISTRICTS, value);
}

export function isCrossingPointCode(value: unknown): value is CrossingPointCode {
  return typeof value === 'string' && Object.hasOwn(CROSSING_POINTS, value);
}

export function isPortCode(value: unknown): value is PortCode {
  return typeof value === 'string' && Object.hasOwn(PORTS, value);
}

export function isCheckpointCode(value: unknown): value is CheckpointCode {
  return isCrossingPointCode(value) || isPortCode(value);
}

/** A display name for any checkpoint; a code that is both (JWN) reads as its crossing point name. */
export function checkpointName(code: CheckpointCode): string {
  return isCrossingPointCode(code) ? CROSSING_POINTS[code].name : PORTS[code].name;
}

/**
 * What a checkpoint is for, which decides the credentials it may accept: a land crossing takes border passes,
 * a sea crossing takes passes and boats, a port takes boats. JWN is both a sea crossing and a port.
 */
export type PostKind = 'land-crossing' | 'sea-crossing' | 'port';

/** The kinds of post a checkpoint code stands for, crossing first. */
export function postKinds(code: CheckpointCode): PostKind[] {
  const kinds: PostKind[] = [];
  if (isCrossingPointCode(code))
    kinds.push(CROSSING_POINTS[code].mode === 'sea' ? 'sea-crossing' : 'land-crossing');
  if (isPortCode(code)) kinds.push('port');
  return kinds;
}

/** A border pass is checked where people cross the border: any crossing point, land or sea. */
export function takesBorderPasses(code: CheckpointCode): boolean {
  return isCrossingPointCode(code);
}

/** A vessel registration is checked where boats are: a sea crossing or a port, never a land post. */
export function takesVessels(code: CheckpointCode): boolean {
  return postKinds(code).some((kind) => kind !== 'land-crossing');
}
