// The device's own data in IndexedDB: the pinned root, the trust state, the login, the last config and clock marks.
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { PublicJwk } from '../../../shared/keys.ts';
import type { SerializedTrustState } from '../../../shared/trust-state.ts';
import type { RuntimeConfig } from './config.ts';

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
}

export type StoredKey = keyof Values;

interface CheckpointDb extends DBSchema {
  device: { key: StoredKey; value: Values[StoredKey] };
}

const DB_NAME = 'rahdari-checkpoint';

let opened: Promise<IDBPDatabase<CheckpointDb>> | undefined;

function db(): Promise<IDBPDatabase<CheckpointDb>> {
  opened ??= openDB<CheckpointDb>(DB_NAME, 1, {
    upgrade(database) {
      database.createObjectStore('device');
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
