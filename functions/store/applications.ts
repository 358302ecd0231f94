// Applications: submission with the one-open-application-per-CNIC guard, reads, the officer queue, decisions.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { formatApplicationReference } from '../../shared/domain/application-reference.ts';
import { karachiDate } from '../../shared/domain/pass-types.ts';
import type { ApplicationStatus } from '../../shared/schemas.ts';
import type { Counters } from './counters.ts';
import { type Page, queuePage } from './cursor.ts';
import type { Actor, Application } from './records.ts';
import type { SearchStore } from './search.ts';
import { keys } from './table.ts';
import {
  auditItem,
  RETRY_POLICY,
  RetriesExhausted,
  StateConflict,
  strip,
  type Table,
  type TransactItem,
  transact,
  transition,
} from './transact.ts';

/** The most pages a count or a filter of one queue reads. */
const MAX_QUEUE_PAGES = 100;

/** The yearly counter application references are numbered from. */
export const REFERENCE_SERIES = 'RA';

/** The CNIC already has an application waiting for a decision. */
export class OpenApplicationExists extends StateConflict {
  override name = 'OpenApplicationExists';
}

export interface Applications {
  /**
   * Stores a new application with its CNIC's open-application guard, the next reference of the year (its counter
   * move and lookup item), the name index items and the audit item, in one transaction; returns it with its
   * reference. The guard is written only if absent, so of any number of concurrent submissions for one CNIC
   * exactly one is stored; the others get OpenApplicationExists. A reference lost to a rival is taken again.
   */
  create(app: Application, nameKeys?: readonly string[]): Promise<Application>;
  /** Strongly consistent: an approval's retry loop re-reads the application to learn whether a rival won. */
  get(id: string): Promise<Application | undefined>;
  /** The officer queue: applications in one status, oldest first. */
  listByStatus(status: ApplicationStatus, limit: number, cursor?: string): Promise<Page<Application>>;
  /** How many applications are in a status (a COUNT Query of the queue partition). */
  countByStatus(status: ApplicationStatus): Promise<number>;
  /** The whole queue of one status, oldest first, up to `cap`: what a filter of the queue reads. */
  allByStatus(status: ApplicationStatus, cap: number): Promise<Application[]>;
  reject(
    app: Application,
    from: readonly ApplicationStatus[],
    reason: string,
    actor: Actor,
    at: string,
  ): Promise<void>;
  /** The items that approve `app` as part of issuing its pass (the pass aggregate writes them). */
  approvalItems(
    app: Application,
    from: readonly ApplicationStatus[],
    passNumber: string,
    actor: Actor,
    at: string,
  ): TransactItem[];
}

export function applications(table: Table, deps: { counters: Counters; search: SearchStore }): Applications {
  /**
   * Deleting the guard is part of every decision. Only this application's guard may go; an application stored
   * before guards existed has none, and the Delete of a missing item is then a harmless no-op.
   */
  const releaseGuard = (app: Application): TransactItem => ({
    Delete: {
      TableName: table.name,
      Key: keys.openApplication(app.cnic),
      ConditionExpression: 'attribute_not_exists(PK) OR applicationId = :applicationId',
      ExpressionAttributeValues: { ':applicationId': app.id },
    },
  });
  const decide = (
    app: Application,
    from: readonly ApplicationStatus[],
    to: ApplicationStatus,
    set: Record<string, unknown>,
  ): TransactItem =>
    transition(table, keys.application(app.id), from, to, { ...set, GSI1PK: `STATUS#${to}` });

  return {
    async create(app, nameKeys = []) {
      const pk = keys.application(app.id);
      // The reference's year is Pakistan's, as the pass numbers' is.
      const year = Number(karachiDate(new Date(app.createdAt)).slice(0, 4));
      for (let round = 0; round < RETRY_POLICY.attempts; round++) {
        const counter = {
          name: REFERENCE_SERIES,
          year,
          value: await deps.counters.peek(REFERENCE_SERIES, year),
        };
        const stored: Application = {
          ...app,
          reference: formatApplicationReference(year, counter.value + 1),
        };
        try {
          await transact(table, [
            {
              Put: {
                TableName: table.name,
                Item: {
                  ...pk,
                  ...keys.statusIndex(app.status, app.createdAt, app.id),
                  ...keys.cnicIndex(app.cnic, 'APP', app.createdAt),
                  kind: 'APP',
                  ...stored,
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Put: {
                TableName: table.name,
                Item: {
                  ...keys.openApplication(app.cnic),
                  kind: 'OPEN',
                  applicationId: app.id,
                  createdAt: app.createdAt,
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            deps.counters.claim(counter),
            deps.search.referenceItem(stored.reference as string, app.id),
            auditItem(table, pk.PK, app.submittedBy, 'APPLICATION_SUBMITTED', app.createdAt, {
              status: app.status,
              reference: stored.reference,
            }),
            ...deps.search.nameItems({
              cnic: app.cnic,
              name: app.name,
              fatherName: app.fatherName,
              district: app.district,
              keys: nameKeys,
            }),
          ]);
          deps.counters.settle(counter, true);
          return stored;
        } catch (error) {
          deps.counters.settle(counter, false);
          if (!(error instanceof StateConflict)) throw error;
          if (error.reasons[1] === 'ConditionalCheckFailed') {
            throw new OpenApplicationExists(
              `CNIC already has an open application: ${error.message}`,
              error.reasons,
            );
          }
          // The reference counter moved under us: take the next one.
          await new Promise((resolve) =>
            setTimeout(resolve, Math.random() * RETRY_POLICY.baseDelayMs * (round + 1)),
          );
        }
      }
      throw new RetriesExhausted(`lost ${RETRY_POLICY.attempts} rounds for an application reference`);
    },

    async get(id) {
      const out = await table.db.send(
        new GetCommand({ TableName: table.name, Key: keys.application(id), ConsistentRead: true }),
      );
      return strip<Application>(out.Item);
    },

    listByStatus(status, limit, cursor) {
      return queuePage(table, `STATUS#${status}`, limit, cursor, (i) => strip<Application>(i) as Application);
    },

    async countByStatus(status) {
      let count = 0;
      let start: Record<string, unknown> | undefined;
      let pages = 0;
      do {
        const out = await table.db.send(
          new QueryCommand({
            TableName: table.name,
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :pk',
            ExpressionAttributeValues: { ':pk': `STATUS#${status}` },
            Select: 'COUNT',
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        count += out.Count ?? 0;
        start = out.LastEvaluatedKey;
        pages += 1;
        // Each page counts up to 1 MB of items: the bound stops a runaway read, not any real queue.
      } while (start && pages < MAX_QUEUE_PAGES);
      return count;
    },

    async allByStatus(status, cap) {
      const items: Application[] = [];
      let start: Record<string, unknown> | undefined;
      let pages = 0;
      do {
        const out = await table.db.send(
          new QueryCommand({
            TableName: table.name,
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :pk',
            ExpressionAttributeValues: { ':pk': `STATUS#${status}` },
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        items.push(...(out.Items ?? []).map((i) => strip<Application>(i) as Application));
        start = out.LastEvaluatedKey;
        pages += 1;
      } while (start && items.length < cap && pages < MAX_QUEUE_PAGES);
      return items.slice(0, cap);
    },

    async reject(app, from, reason, actor, at) {
      await transact(table, [
        decide(app, from, 'REJECTED', { decision: { by: actor, at, reason }, updatedAt: at }),
        releaseGuard(app),
        auditItem(table, keys.application(app.id).PK, actor, 'APPLICATION_REJECTED', at, { reason }),
      ]);
    },

    approvalItems(app, from, passNumber, actor, at) {
      return [
        decide(app, from, 'APPROVED', { passNumber, decision: { by: actor, at }, updatedAt: at }),
        releaseGuard(app),
        auditItem(table, keys.application(app.id).PK, actor, 'APPLICATION_APPROVED', at, { passNumber }),
      ];
    },
  };
}
