// The device's own data in IndexedDB: the pinned root, the trust state, the login, the last config and clock marks,
// the pilgrim groups' rosters, and the crossings recorded at the post with their sync state.
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { CrossingInput } from '../../../shared/crossing-schemas.ts';
import type { PublicJwk } from '../../../shared/keys.ts';
import type { SerializedTrustState } from '../../../shared/trust-state.ts';
import type { RuntimeConfig } from './config.ts';
import type { Roster } from './groups.ts';

/** A checkpoint officer's login as the device keeps it; only sync uses the token. */
export interface SavedLogin {
  token: string;
  /** Seconds since the epoch, from the token's exp. */
  expiresAt: number;
  sub: string;
  checkpoint: string;
}

/** The outcome of the last trust update, shown until the next one. */
export interface SyncRecord {
  at: number;
  outcome: 'updated' | 'current' | 'refused' | 'offline' | 'failed' | 'login-needed';
  from?: number;
  to?: number;
  reason?: string;
  detail?: string;
}

interface Values {
  root: PublicJwk;
  trust: SerializedTrustState;
  login: SavedLogin;
  config: RuntimeConfig;
  /** The latest device time (ms) this app has seen; a clock that later reads earlier went back. */
  latestSeen: number;
  lastSync: SyncRecord;
  /** This device's id in every crossing it records; made once, on first use. */
  deviceId: string;
  /** The outcome of the last crossing sync, shown until the next one. */
  lastCrossingSync: CrossingSyncRecord;
  /** The last rosters downloaded, kept until the next download replaces them: a post may be offline for weeks. */
  rosters: SavedRosters;
}

export interface SavedRosters {
  /** The server's time of the answer. */
  asOf: string;
  /** When the device received it (device ms). */
  receivedAt: number;
  groups: Roster[];
}

/** Where a recorded crossing stands: waiting on the device, or answered by the server. */
export type CrossingState = 'queued' | 'stored' | 'duplicate' | 'rejected';

/**
 * A crossing as the device keeps it: the record the server takes, what the officer saw (for the day's list) and
 * the server's answer once it has one. A record leaves `queued` only on the server's answer for its id.
 */
export interface LocalCrossing {
  record: CrossingInput;
  state: CrossingState;
  /** The Pakistan calendar day of the record's time (YYYY-MM-DD): the post's day. */
  day: string;
  /** The holder's or the boat's name and the pass or certificate number, for the day's list. */
  name: string;
  number: string;
  /** The pilgrim group of a member's pass (its `g` claim), so a group's crossings are read without the others. */
  group?: string;
  /** The server's reason for a rejection, or the anomalies it found on a stored record. */
  reason?: string;
  anomalies?: string[];
  /** When the server answered (device ms). */
  answeredAt?: number;
}

export interface CrossingSyncRecord {
  at: number;
  outcome: 'synced' | 'offline' | 'failed' | 'login-needed' | 'forbidden';
  sent?: number;
  stored?: number;
  duplicate?: number;
  rejected?: number;
  detail?: string;
}

export type StoredKey = keyof Values;

interface CheckpointDb extends DBSchema {
  device: { key: StoredKey; value: Values[StoredKey] };
  crossings: {
    key: string;
    value: LocalCrossing;
    indexes: {
      /** [state, id]: the queue in the order it was recorded (a ULID sorts by time). */
      byState: [CrossingState, string];
      /** The record's time: the newest first for the day's list. */
      byAt: string;
      /** [day, direction]: the day's counts without reading the records. */
      byDay: [string, string];
      /** [group, time]: a pilgrim group's crossings; records of no group are not in it. */
      byGroup: [string, string];
    };
  };
}

const DB_NAME = 'rahdari-checkpoint';

let opened: Promise<IDBPDatabase<CheckpointDb>> | undefined;

export function db(): Promise<IDBPDatabase<CheckpointDb>> {
  opened ??= openDB<CheckpointDb>(DB_NAME, 3, {
    upgrade(database, oldVersion, _newVersion, transaction) {
      if (oldVersion < 1) database.createObjectStore('device');
      if (oldVersion < 2) {
        const crossings = database.createObjectStore('crossings', { keyPath: 'record.id' });
        crossings.createIndex('byState', ['state', 'record.id']);
        crossings.createIndex('byAt', 'record.at');
        crossings.createIndex('byDay', ['day', 'record.direction']);
      }
      if (oldVersion < 3) transaction.objectStore('crossings').createIndex('byGroup', ['group', 'record.at']);
    },
  });
  return opened;
}

export async function load<K extends StoredKey>(key: K): Promise<Values[K] | undefined> {
  return (await (await db()).get('device', key)) as Values[K] | undefined;
}

export async function save<K extends StoredKey>(key: K, value: Values[K]): Promise<void> {
  await (await db()).put('device', value, key);
}

export async function remove(key: StoredKey): Promise<void> {
  await (await db()).delete('device', key);
}
