// The boat register: registration with its number and duplicate guards, certificate changes, reads, lists, history.
import { GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { NormalizedVessel, VesselStatus } from '../../shared/domain/vessel.ts';
import { vesselNameKey } from '../../shared/domain/vessel.ts';
import type { Counters, CounterValue } from './counters.ts';
import { CursorError, encodeCursor, type Page } from './cursor.ts';
import { outboxItem, vesselChangeRecord } from './feed.ts';
import type { Actor, AuditEntry } from './records.ts';
import type { Revocations } from './revocations.ts';
import type { SearchStore } from './search.ts';
import { GSIS, keys, SK_PREFIX, type TableKey } from './table.ts';
import { auditItem, StateConflict, strip, type Table, type TransactItem, transact } from './transact.ts';

/** A certificate as the register keeps it: the signed credential and what it was signed from. */
export interface VesselCertificate {
  /** `<official number>/<n>`, the credential's `sub`. */
  serial: string;
  /** The compact JWS. */
  token: string;
  kid: string;
  /** Absent when the certificate was valid from the moment of issue. */
  nbf?: number;
  exp: number;
  issuedAt: string;
  issuedBy: Actor;
}

export interface VesselEvent {
  by: Actor;
  at: string;
  reason: string;
}

/** A registered boat: what validation accepted, its number, standing and current certificate. */
export interface Vessel extends Omit<NormalizedVessel, 'warnings'> {
  officialNumber: string;
  status: VesselStatus;
  /** How many certificates the boat has had; the current one is the last. */
  certificates: number;
  certificate: VesselCertificate;
  registeredAt: string;
  registeredBy: Actor;
  /** When the current owner took the boat (registration or transfer): orders an owner's boats. */
  ownerSince: string;
  updatedAt: string;
  suspension?: VesselEvent;
  cancellation?: VesselEvent;
}

/** A duplicate of a boat already on the register: the port, name and owner, or the previous registration. */
export class DuplicateVessel extends Error {
  override name = 'DuplicateVessel';
  readonly by: 'name' | 'previous-registration';
  /** The boat that holds the guard, when it could still be read. */
  readonly holder: string | undefined;

  constructor(by: 'name' | 'previous-registration', holder: string | undefined) {
    super(`duplicate vessel by ${by}${holder ? `: ${holder}` : ''}`);
    this.by = by;
    this.holder = holder;
  }
}

/** The previous registration is a boat of this register that is not cancelled. */
export class PreviousStillRegistered extends Error {
  override name = 'PreviousStillRegistered';
}

export interface RegisterInput {
  vessel: Vessel;
  /** The name index keys of the owner's name, written with the boat (none: not indexed). */
  ownerNameKeys?: readonly string[];
  counter: CounterValue;
  actor: Actor;
}

export interface VesselChange {
  /** The record as read: the write holds only while its status and certificate count are still these. */
  before: Vessel;
  after: Vessel;
  /** The name index keys of a new owner's name (a transfer), written with the change. */
  ownerNameKeys?: readonly string[];
  /** Revoke the certificate `before` holds as the revocation list's next version after this one. */
  revokeFrom?: number;
  action: string;
  actor: Actor;
  at: string;
  detail?: Record<string, unknown>;
}

export interface VesselListQuery {
  port?: string;
  ownerCnic?: string;
  status?: VesselStatus;
  limit: number;
  cursor?: string;
}

export interface Vessels {
  /**
   * Stores a new boat with its number, its duplicate guards and the audit item in one transaction. A lost
   * counter race is a StateConflict (retry with the next number); a taken guard is DuplicateVessel.
   */
  register(input: RegisterInput): Promise<void>;
  /** Strongly consistent: every change re-reads the record it conditions on. */
  get(officialNumber: string): Promise<Vessel | undefined>;
  /**
   * Replaces the record, revoking the certificate it held when asked, moving the name guard when the owner
   * changed and releasing it on cancellation, with the audit item. StateConflict when the record, the
   * revocation head or a counter moved; DuplicateVessel when the new owner already has a boat of this name.
   */
  change(change: VesselChange): Promise<number | undefined>;
  /** A port's boats in official-number order, or an owner's in the order they took them. */
  list(query: VesselListQuery): Promise<Page<Vessel>>;
  /** The boat's audit trail, oldest first. */
  history(officialNumber: string): Promise<AuditEntry[]>;
  /** An audit item on its own: a read that must leave a trace (a watchlist hit shown). */
  audit(
    officialNumber: string,
    actor: Actor,
    action: string,
    at: string,
    detail?: Record<string, unknown>,
  ): Promise<void>;
}

const nameGuardOf = (vessel: Pick<Vessel, 'homePort' | 'name' | 'owner'>): TableKey =>
  keys.vesselNameGuard(vessel.homePort, vesselNameKey(vessel.name), vessel.owner.cnic);

/** The item a boat is stored as: its record with the port and owner index keys. */
function vesselItem(vessel: Vessel): Record<string, unknown> {
  return {
    ...keys.vessel(vessel.officialNumber),
    ...keys.portIndex(vessel.homePort, vessel.officialNumber),
    ...keys.cnicIndex(vessel.owner.cnic, 'VESSEL', vessel.ownerSince),
    kind: 'VESSEL',
    ...vessel,
  };
}

/** A page cursor of one of the two lists: exactly the table key and that index's key, in that partition. */
function decodeListCursor(
  cursor: string | undefined,
  index: { partitionKey: string; sortKey: string },
  partition: string,
): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    const expected = [index.partitionKey, index.sortKey, 'PK', 'SK'].sort().join();
    const valid =
      key !== null &&
      typeof key === 'object' &&
      !Array.isArray(key) &&
      Object.keys(key).sort().join() === expected &&
      Object.values(key).every((v) => typeof v === 'string' && v !== '') &&
      key[index.partitionKey] === partition;
    if (!valid) throw new Error('shape');
    return key;
  } catch {
    throw new CursorError('the cursor is not one this list returned');
  }
}

export function vessels(
  table: Table,
  deps: { counters: Counters; revocations: Revocations; search: SearchStore },
): Vessels {
  const ownerNameItems = (vessel: Vessel, keys: readonly string[]): TransactItem[] =>
    deps.search.nameItems({
      cnic: vessel.owner.cnic,
      name: vessel.owner.name,
      fatherName: vessel.owner.fatherName,
      keys,
    });
  const guardHolder = async (key: TableKey) => {
    const out = await table.db.send(
      new GetCommand({ TableName: table.name, Key: key, ConsistentRead: true }),
    );
    return typeof out.Item?.officialNumber === 'string' ? out.Item.officialNumber : undefined;
  };
  const putGuard = (key: TableKey, officialNumber: string, at: string): TransactItem => ({
    Put: {
      TableName: table.name,
      Item: { ...key, kind: key.SK, officialNumber, at },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  });
  // Only this boat's guard may go: another boat may hold the key by now if this one's was already released.
  const releaseGuard = (key: TableKey, officialNumber: string): TransactItem => ({
    Delete: {
      TableName: table.name,
      Key: key,
      ConditionExpression: 'attribute_not_exists(PK) OR officialNumber = :no',
      ExpressionAttributeValues: { ':no': officialNumber },
    },
  });

  return {
    async register({ vessel, counter, actor, ownerNameKeys = [] }) {
      const pk = keys.vessel(vessel.officialNumber);
      const nameGuard = nameGuardOf(vessel);
      const previous = vessel.previousRegistration;
      const items: TransactItem[] = [
        deps.counters.claim(counter),
        {
          Put: {
            TableName: table.name,
            Item: vesselItem(vessel),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        putGuard(nameGuard, vessel.officialNumber, vessel.registeredAt),
        auditItem(table, pk.PK, actor, 'VESSEL_REGISTERED', vessel.registeredAt, {
          serial: vessel.certificate.serial,
          kid: vessel.certificate.kid,
        }),
      ];
      if (previous !== undefined) {
        items.push(putGuard(keys.vesselPreviousGuard(previous), vessel.officialNumber, vessel.registeredAt), {
          // A hull still on this register under its old number is one boat registered twice.
          ConditionCheck: {
            TableName: table.name,
            Key: keys.vessel(previous),
            ConditionExpression: 'attribute_not_exists(PK) OR #s = :cancelled',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':cancelled': 'CANCELLED' },
          },
        });
      }
      // Last, so the reasons' indexes above stay where the duplicate checks read them.
      items.push(
        outboxItem(
          table,
          vesselChangeRecord(ulid(), vessel, 'VESSEL_REGISTERED', vessel.registeredAt),
          vessel.registeredAt,
        ),
        ...ownerNameItems(vessel, ownerNameKeys),
      );
      try {
        await transact(table, items);
      } catch (error) {
        deps.counters.settle(counter, false);
        if (!(error instanceof StateConflict)) throw error;
        const failed = (index: number) => error.reasons[index] === 'ConditionalCheckFailed';
        // A taken guard is a duplicate whatever else lost: retrying with another number would not help.
        if (failed(2)) throw new DuplicateVessel('name', await guardHolder(nameGuard));
        if (previous !== undefined && failed(4))
          throw new DuplicateVessel(
            'previous-registration',
            await guardHolder(keys.vesselPreviousGuard(previous)),
          );
        if (previous !== undefined && failed(5))
          throw new PreviousStillRegistered(`${previous} is still on the register`);
        throw error;
      }
      deps.counters.settle(counter, true);
    },

    async get(officialNumber) {
      const out = await table.db.send(
        new GetCommand({ TableName: table.name, Key: keys.vessel(officialNumber), ConsistentRead: true }),
      );
      return strip<Vessel>(out.Item);
    },

    async change({ before, after, revokeFrom, action, actor, at, detail, ownerNameKeys }) {
      const pk = keys.vessel(before.officialNumber);
      const items: TransactItem[] = [
        {
          Put: {
            TableName: table.name,
            Item: vesselItem(after),
            ConditionExpression: '#s = :status AND #n = :certificates',
            ExpressionAttributeNames: { '#s': 'status', '#n': 'certificates' },
            ExpressionAttributeValues: { ':status': before.status, ':certificates': before.certificates },
          },
        },
      ];
      const next = revokeFrom === undefined ? undefined : revokeFrom + 1;
      if (revokeFrom !== undefined) {
        items.push(
          ...deps.revocations.append(before.certificate.serial, at, before.certificate.exp, revokeFrom),
        );
      }
      const oldGuard = nameGuardOf(before);
      const newGuard = nameGuardOf(after);
      const cancelled = after.status === 'CANCELLED';
      const guardIndex = items.length + 1;
      if (cancelled) {
        items.push(releaseGuard(oldGuard, before.officialNumber));
      } else if (oldGuard.PK !== newGuard.PK) {
        items.push(
          releaseGuard(oldGuard, before.officialNumber),
          putGuard(newGuard, after.officialNumber, at),
        );
      }
      items.push(
        auditItem(table, pk.PK, actor, action, at, {
          ...detail,
          ...(next !== undefined ? { revoked: before.certificate.serial, version: next } : {}),
        }),
        outboxItem(
          table,
          vesselChangeRecord(
            ulid(),
            after,
            action,
            at,
            typeof detail?.reason === 'string' ? detail.reason : undefined,
          ),
          at,
        ),
      );
      // A new owner (a transfer) is indexed by name as the boat's owner is at registration; last, so the
      // reasons' indexes above stay where the checks read them.
      if (ownerNameKeys && after.owner.cnic !== before.owner.cnic)
        items.push(...ownerNameItems(after, ownerNameKeys));
      try {
        await transact(table, items);
      } catch (error) {
        if (
          error instanceof StateConflict &&
          !cancelled &&
          oldGuard.PK !== newGuard.PK &&
          error.reasons[guardIndex] === 'ConditionalCheckFailed'
        ) {
          throw new DuplicateVessel('name', await guardHolder(newGuard));
        }
        throw error;
      }
      return next;
    },

    async list({ port, ownerCnic, status, limit, cursor }) {
      const filters: string[] = [];
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      let input: QueryCommandInput;
      if (ownerCnic !== undefined) {
        const pk = keys.cnicIndex(ownerCnic, 'VESSEL', new Date(0).toISOString()).GSI2PK;
        input = {
          TableName: table.name,
          IndexName: GSIS.GSI2.indexName,
          KeyConditionExpression: 'GSI2PK = :pk AND begins_with(GSI2SK, :kind)',
          ExpressionAttributeValues: { ':pk': pk, ':kind': 'VESSEL#' },
          Limit: limit,
        };
        const start = decodeListCursor(cursor, GSIS.GSI2, pk);
        if (start) input.ExclusiveStartKey = start;
        if (port !== undefined) {
          filters.push('#port = :port');
          names['#port'] = 'homePort';
          values[':port'] = port;
        }
      } else if (port !== undefined) {
        const pk = keys.portIndex(port, 'X').GSI4PK;
        input = {
          TableName: table.name,
          IndexName: GSIS.GSI4.indexName,
          KeyConditionExpression: 'GSI4PK = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          Limit: limit,
        };
        const start = decodeListCursor(cursor, GSIS.GSI4, pk);
        if (start) input.ExclusiveStartKey = start;
      } else {
        throw new RangeError('a vessel list needs a port or an owner CNIC');
      }
      if (status !== undefined) {
        filters.push('#s = :status');
        names['#s'] = 'status';
        values[':status'] = status;
      }
      if (filters.length > 0) {
        // A filter applies after Limit, so a page may hold fewer boats; the cursor still walks the whole index.
        input.FilterExpression = filters.join(' AND ');
        input.ExpressionAttributeNames = names;
        input.ExpressionAttributeValues = { ...input.ExpressionAttributeValues, ...values };
      }
      const out = await table.db.send(new QueryCommand(input));
      const next = encodeCursor(out.LastEvaluatedKey);
      return {
        items: (out.Items ?? []).map((item) => strip<Vessel>(item) as Vessel),
        ...(next ? { cursor: next } : {}),
      };
    },

    async history(officialNumber) {
      const entries: AuditEntry[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await table.db.send(
          new QueryCommand({
            TableName: table.name,
            KeyConditionExpression: 'PK = :pk AND begins_with(SK, :audit)',
            ExpressionAttributeValues: { ':pk': keys.vessel(officialNumber).PK, ':audit': SK_PREFIX.audit },
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        entries.push(...(out.Items ?? []).map((item) => strip<AuditEntry>(item) as AuditEntry));
        start = out.LastEvaluatedKey;
      } while (start);
      return entries;
    },

    async audit(officialNumber, actor, action, at, detail) {
      await transact(table, [auditItem(table, keys.vessel(officialNumber).PK, actor, action, at, detail)]);
    },
  };
}
