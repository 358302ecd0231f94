// Pilgrim groups and their organizers: one item per group holding its members, every change a Put conditioned on
// the version read, so the group's writers (approval chunks, additions, removals, decisions) serialize on it.
import { GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AnomalyKind } from '../../shared/crossing-schemas.ts';
import type { LatestCrossing } from '../../shared/domain/group.ts';
import type { AnomalyFeedRecord, GroupOfAnomaly } from '../../shared/feed-records.ts';
import type { GroupStatus } from '../../shared/group-schemas.ts';
import { TRIP_SK } from './aggregates.ts';
import type { Counters, CounterValue } from './counters.ts';
import { ANOMALY_SK_PREFIX } from './crossings.ts';
import { type Page, queuePage } from './cursor.ts';
import { outboxItem } from './feed.ts';
import type { Actor } from './records.ts';
import { keys, pakistanDay, type TableKey } from './table.ts';
import {
  auditItem,
  batchGet,
  StateConflict,
  strip,
  type Table,
  type TransactItem,
  transact,
} from './transact.ts';

export interface Organizer {
  cnic: string;
  name: string;
  fatherName: string;
  phone: string;
  organization: string;
  registeredBy: Actor;
  registeredAt: string;
  updatedBy?: Actor;
  updatedAt?: string;
}

export interface GroupMember {
  cnic: string;
  name: string;
  fatherName: string;
  district: string;
  status: 'PENDING' | 'ISSUED' | 'REMOVED';
  /** The member's pass number once issued. */
  pass?: string;
  /** The watchlist category that holds the member (and so the group) for a supervisor; FIA eyes only. */
  watchlist?: { category: string };
  addedAt: string;
  removedAt?: string;
}

export interface Group {
  number: string;
  passType: string;
  leader: Pick<Organizer, 'cnic' | 'name' | 'fatherName' | 'phone' | 'organization'>;
  crossingPoint: string;
  route: string;
  departOn: string;
  returnBy: string;
  status: GroupStatus;
  members: GroupMember[];
  /** The leader's account when they applied themselves; absent for a counter application. */
  leaderSub?: string;
  submittedBy: Actor;
  createdAt: string;
  updatedAt: string;
  /** Bumped by every write; each write is conditioned on the version it read. */
  version: number;
  reviewReason?: string;
  decision?: { by: Actor; at: string; reason?: string };
  clearance?: { by: Actor; at: string; reason: string };
  /** The leader's group pass, signed at each approval and removal. */
  groupPass?: { token: string; kid: string; signedAt: string; size: number };
  /** Set while the group may still have members abroad: the open-groups index the reports and the sweep read. */
  open: boolean;
}

/** Sort key of an organizer item and the GSI partitions groups use; each a prefix of its own. */
const GROUP_SK = 'GROUP';
const ORGANIZER_SK = 'ORGANIZER';
const OPEN_GROUPS = 'GROUPS#OPEN';
const statusPartition = (status: GroupStatus) => `GROUPSTATUS#${status}`;
const pointPartition = (point: string) => `GROUPPOINT#${point}`;

export const groupKey = (number: string): TableKey => ({ PK: `GROUP#${number}`, SK: GROUP_SK });
const organizerKey = (cnic: string): TableKey => ({ PK: `ORGANIZER#${cnic}`, SK: ORGANIZER_SK });

export interface Groups {
  getOrganizer(cnic: string): Promise<Organizer | undefined>;
  /** Registers (existing undefined) or updates an organizer, conditioned on what was read; audited. */
  putOrganizer(
    organizer: Organizer,
    existing: Organizer | undefined,
    actor: Actor,
    at: string,
  ): Promise<void>;
  /** Strongly consistent: every change starts from the version it reads here. */
  get(number: string): Promise<Group | undefined>;
  /** Stores a new group with its number's counter move and the audit item. */
  create(group: Group, counter: CounterValue, actor: Actor): Promise<void>;
  /**
   * Writes `group` (its version one above `fromVersion`) only if the stored one is still at `fromVersion`, in one
   * transaction with `items` (passes, revocations, counters, outbox entries) and an audit item of `action`.
   */
  save(
    group: Group,
    fromVersion: number,
    audit?: { actor: Actor; action: string; detail?: Record<string, unknown> },
    items?: TransactItem[],
  ): Promise<void>;
  /** The queue: groups in one status, oldest first. */
  listByStatus(status: GroupStatus, limit: number, cursor?: string): Promise<Page<Group>>;
  /** Every group a leader has led, newest first. */
  listByLeader(cnic: string): Promise<Group[]>;
  /** Groups crossing at `point` that leave from `fromDay` to `toDay` (YYYY-MM-DD, both included). */
  listByDeparture(point: string, fromDay: string, toDay: string): Promise<Group[]>;
  /** Groups that may still have members abroad, earliest return date first; up to `returnedBefore` if given. */
  listOpen(returnedBefore?: string): Promise<Group[]>;
  /** Each pass's latest crossing (its trip item), for the passes that have crossed. */
  latestCrossings(passNumbers: readonly string[]): Promise<Map<string, LatestCrossing>>;
  /**
   * Stores one member's GROUP_OVERDUE anomaly (beside the pass's crossings and in the day's anomaly partition) with
   * its feed entry, once: false when it was stored before.
   */
  recordOverdue(anomaly: OverdueAnomaly): Promise<boolean>;
}

/** A member still out when the group's return date ended, found by the sweep. */
export interface OverdueAnomaly {
  pass: string;
  /** The OUT crossing the member is still out on. */
  out: LatestCrossing;
  /** When the return date ended: the anomaly's time, so a sweep run again writes the same item. */
  at: string;
  detail: string;
  group: GroupOfAnomaly;
}

export function groups(table: Table, deps: { counters: Counters }): Groups {
  const groupItem = (group: Group): Record<string, unknown> => ({
    ...groupKey(group.number),
    kind: 'GROUP',
    ...group,
    GSI1PK: statusPartition(group.status),
    GSI1SK: `${group.createdAt}#${group.number}`,
    ...keys.cnicIndex(group.leader.cnic, 'GROUP', group.createdAt),
    ...(group.open ? { GSI3PK: OPEN_GROUPS, GSI3SK: `${group.returnBy}#${group.number}` } : {}),
    GSI4PK: pointPartition(group.crossingPoint),
    GSI4SK: `${group.departOn}#${group.number}`,
  });

  /** Every item of one key condition, page after page. */
  const queryAll = async (input: Omit<QueryCommandInput, 'TableName'>) => {
    const items: Group[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await table.db.send(
        new QueryCommand({ TableName: table.name, ...input, ...(start ? { ExclusiveStartKey: start } : {}) }),
      );
      items.push(...(out.Items ?? []).map((item) => strip<Group>(item) as Group));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  };

  return {
    async getOrganizer(cnic) {
      const out = await table.db.send(
        new GetCommand({ TableName: table.name, Key: organizerKey(cnic), ConsistentRead: true }),
      );
      return strip<Organizer>(out.Item);
    },

    async putOrganizer(organizer, existing, actor, at) {
      const key = organizerKey(organizer.cnic);
      await transact(table, [
        {
          Put: {
            TableName: table.name,
            Item: { ...key, kind: 'ORGANIZER', ...organizer },
            ...(existing
              ? {
                  ConditionExpression: '#registeredAt = :registeredAt',
                  ExpressionAttributeNames: { '#registeredAt': 'registeredAt' },
                  ExpressionAttributeValues: { ':registeredAt': existing.registeredAt },
                }
              : { ConditionExpression: 'attribute_not_exists(PK)' }),
          },
        },
        auditItem(table, key.PK, actor, existing ? 'ORGANIZER_UPDATED' : 'ORGANIZER_REGISTERED', at, {
          organization: organizer.organization,
        }),
      ]);
    },

    async get(number) {
      const out = await table.db.send(
        new GetCommand({ TableName: table.name, Key: groupKey(number), ConsistentRead: true }),
      );
      return strip<Group>(out.Item);
    },

    async create(group, counter, actor) {
      try {
        await transact(table, [
          deps.counters.claim(counter),
          {
            Put: {
              TableName: table.name,
              Item: groupItem(group),
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          auditItem(table, groupKey(group.number).PK, actor, 'GROUP_SUBMITTED', group.createdAt, {
            status: group.status,
            members: group.members.length,
          }),
        ]);
      } catch (error) {
        deps.counters.settle(counter, false);
        throw error;
      }
      deps.counters.settle(counter, true);
    },

    async save(group, fromVersion, audit, items = []) {
      await transact(table, [
        {
          Put: {
            TableName: table.name,
            Item: groupItem(group),
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':version': fromVersion },
          },
        },
        ...items,
        ...(audit
          ? [
              auditItem(
                table,
                groupKey(group.number).PK,
                audit.actor,
                audit.action,
                group.updatedAt,
                audit.detail,
              ),
            ]
          : []),
      ]);
    },

    listByStatus(status, limit, cursor) {
      return queuePage(table, statusPartition(status), limit, cursor, (item) => strip<Group>(item) as Group);
    },

    listByLeader(cnic) {
      return queryAll({
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk AND begins_with(GSI2SK, :type)',
        ExpressionAttributeValues: { ':pk': `CNIC#${cnic}`, ':type': 'GROUP#' },
        ScanIndexForward: false,
      });
    },

    listByDeparture(point, fromDay, toDay) {
      return queryAll({
        IndexName: 'GSI4',
        KeyConditionExpression: 'GSI4PK = :pk AND GSI4SK BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': pointPartition(point),
          ':from': `${fromDay}#`,
          ':to': `${toDay}#~`,
        },
      });
    },

    listOpen(returnedBefore) {
      return queryAll({
        IndexName: 'GSI3',
        KeyConditionExpression: returnedBefore ? 'GSI3PK = :pk AND GSI3SK < :before' : 'GSI3PK = :pk',
        ExpressionAttributeValues: {
          ':pk': OPEN_GROUPS,
          ...(returnedBefore ? { ':before': `${returnedBefore}#` } : {}),
        },
      });
    },

    async recordOverdue({ pass, out, at, detail, group }) {
      const type: AnomalyKind = 'GROUP_OVERDUE';
      const record: AnomalyFeedRecord = {
        type: 'anomaly',
        id: `${out.crossingId}:${type}`,
        crossingId: out.crossingId,
        kind: type,
        at,
        checkpoint: out.checkpoint,
        credential: pass,
        detail,
        group,
      };
      try {
        await transact(table, [
          {
            Put: {
              TableName: table.name,
              Item: {
                PK: keys.pass(pass).PK,
                SK: `${ANOMALY_SK_PREFIX}${at}#${out.crossingId}#${type}`,
                GSI1PK: `ANOMALY#${pakistanDay(at)}`,
                GSI1SK: `${at}#${out.crossingId}#${type}`,
                kind: 'ANOMALY',
                crossingId: out.crossingId,
                credential: pass,
                checkpoint: out.checkpoint,
                at,
                type,
                detail,
                group,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          outboxItem(table, record, at),
        ]);
        return true;
      } catch (error) {
        if (error instanceof StateConflict) return false;
        throw error;
      }
    },

    async latestCrossings(passNumbers) {
      const trips = await batchGet(
        table,
        passNumbers.map((no) => ({ PK: keys.pass(no).PK, SK: TRIP_SK })),
      );
      return new Map(
        trips.map((item) => [
          item.credential as string,
          {
            direction: item.direction as LatestCrossing['direction'],
            at: item.at as string,
            checkpoint: item.checkpoint as string,
            crossingId: item.crossingId as string,
          },
        ]),
      );
    },
  };
}
