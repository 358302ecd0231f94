// The DynamoDB store of the border-pass service: every state change and its audit item in one transaction, no Scan.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { ApplicationStatus, WatchlistInput } from '../../shared/schemas.ts';
import type { Actor, Application, AuditEntry, Pass, WatchEntry } from './records.ts';
import { GSIS, keys, revocationSk, SK_PREFIX } from './table.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Concurrent supervisors editing one entry are rare; a few rounds settle any real race. */
const MAX_WATCH_ATTEMPTS = 4;

/** A conditional write lost: the item is not in the state the caller expected. */
export class StateConflict extends Error {
  override name = 'StateConflict';
  /** DynamoDB's cancellation reason per transaction item, in order ('None' where the item was fine). */
  readonly reasons: readonly string[];

  constructor(message: string, reasons: readonly string[] = []) {
    super(message);
    this.reasons = reasons;
  }
}

/** The CNIC already has an application waiting for a decision. */
export class OpenApplicationExists extends StateConflict {
  override name = 'OpenApplicationExists';
}

export interface Page<T> {
  items: T[];
  cursor?: string;
}

const KEY_ATTRS = [
  'PK',
  'SK',
  'GSI1PK',
  'GSI1SK',
  'GSI2PK',
  'GSI2SK',
  'GSI3PK',
  'GSI3SK',
  'GSI4PK',
  'GSI4SK',
  'kind',
];

function strip<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (!item) return undefined;
  const copy = { ...item };
  for (const k of KEY_ATTRS) delete copy[k];
  return copy as T;
}

/** Opaque cursors: the LastEvaluatedKey, base64url JSON. A tampered one is refused here or only moves the page start. */
function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

export class CursorError extends Error {
  override name = 'CursorError';
}

/** A queue cursor is exactly the table key and the GSI1 key of the last item read. */
const CURSOR_KEY_ATTRS = ['GSI1PK', 'GSI1SK', 'PK', 'SK'].join();

function decodeCursor(
  cursor: string | undefined,
  expectedPrefix: string,
): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    // DynamoDB answers a start key with other attributes, or an empty one, with a ValidationException.
    const valid =
      key !== null &&
      typeof key === 'object' &&
      !Array.isArray(key) &&
      Object.keys(key).sort().join() === CURSOR_KEY_ATTRS &&
      Object.values(key).every((v) => typeof v === 'string' && v !== '') &&
      key.GSI1PK === expectedPrefix;
    if (!valid) throw new Error('shape');
    return key;
  } catch {
    throw new CursorError('the cursor is not one this list returned');
  }
}

export class Store {
  readonly db: DynamoDBDocumentClient;
  readonly table: string;
  private readonly counters = new Map<string, number>();

  constructor(db: DynamoDBDocumentClient, table: string) {
    this.db = db;
    this.table = table;
  }

  private audit(
    entityPk: string,
    actor: Actor,
    action: string,
    at: string,
    detail?: Record<string, unknown>,
  ): TransactItem {
    const id = ulid();
    const entry: AuditEntry = { id, at, actor, action, entity: entityPk, ...(detail ? { detail } : {}) };
    return {
      Put: {
        TableName: this.table,
        Item: { ...keys.audit(entityPk, at, id), kind: 'AUDIT', ...entry },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    };
  }

  private async transact(items: TransactItem[]): Promise<void> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const reasons = error.CancellationReasons?.map((r) => r.Code ?? 'None') ?? [];
        throw new StateConflict(`transaction cancelled: ${reasons.join(', ')}`, reasons);
      }
      throw error;
    }
  }

  /**
   * Stores a new application with its CNIC's open-application guard and the audit item. The guard is written
   * only if absent, so of any number of concurrent submissions for one CNIC exactly one is stored; the others
   * get OpenApplicationExists.
   */
  async createApplication(app: Application): Promise<void> {
    const pk = keys.application(app.id);
    try {
      await this.transact([
        {
          Put: {
            TableName: this.table,
            Item: {
              ...pk,
              ...keys.statusIndex(app.status, app.createdAt, app.id),
              ...keys.cnicIndex(app.cnic, 'APP', app.createdAt),
              kind: 'APP',
              ...app,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          Put: {
            TableName: this.table,
            Item: {
              ...keys.openApplication(app.cnic),
              kind: 'OPEN',
              applicationId: app.id,
              createdAt: app.createdAt,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        this.audit(pk.PK, app.submittedBy, 'APPLICATION_SUBMITTED', app.createdAt, { status: app.status }),
      ]);
    } catch (error) {
      if (error instanceof StateConflict && error.reasons[1] === 'ConditionalCheckFailed') {
        throw new OpenApplicationExists(
          `CNIC already has an open application: ${error.message}`,
          error.reasons,
        );
      }
      throw error;
    }
  }

  /**
   * Deleting the guard is part of every decision. Only this application's guard may go; an application stored
   * before guards existed has none, and the Delete of a missing item is then a harmless no-op.
   */
  private releaseOpenApplication(app: Application): TransactItem {
    return {
      Delete: {
        TableName: this.table,
        Key: keys.openApplication(app.cnic),
        ConditionExpression: 'attribute_not_exists(PK) OR applicationId = :applicationId',
        ExpressionAttributeValues: { ':applicationId': app.id },
      },
    };
  }

  /** Strongly consistent: an approval's retry loop re-reads the application to learn whether a rival won. */
  async getApplication(id: string): Promise<Application | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.application(id), ConsistentRead: true }),
    );
    return strip<Application>(out.Item);
  }

  /** The officer queue: applications in one status, oldest first. */
  async listApplications(
    status: ApplicationStatus,
    limit: number,
    cursor?: string,
  ): Promise<Page<Application>> {
    const pk = `STATUS#${status}`;
    const input: QueryCommandInput = {
      TableName: this.table,
      IndexName: GSIS.GSI1.indexName,
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ScanIndexForward: true,
      Limit: limit,
    };
    const start = decodeCursor(cursor, pk);
    if (start) input.ExclusiveStartKey = start;
    const out = await this.db.send(new QueryCommand(input));
    const next = encodeCursor(out.LastEvaluatedKey);
    return {
      items: (out.Items ?? []).map((i) => strip<Application>(i) as Application),
      ...(next ? { cursor: next } : {}),
    };
  }

  /**
   * The last number used in a yearly series (BP-2026-000123 follows 122). A warm container remembers the value
   * its own last issue left, saving a read; if another container moved the counter since, the conditional
   * write in issuePass fails, the memory is dropped and the next attempt reads the table.
   */
  async peekCounter(name: string, year: number): Promise<number> {
    const remembered = this.counters.get(`${name}#${year}`);
    if (remembered !== undefined) return remembered;
    // Strongly consistent, or a retry after a lost race could read the value it lost to and lose again.
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.counter(name, year), ConsistentRead: true }),
    );
    return typeof out.Item?.value === 'number' ? out.Item.value : 0;
  }

  /**
   * Approves an application and stores its pass in one transaction with the number counter and the audit item.
   * The counter moves only if it still holds `counterValue`, so numbers have no gaps and a lost race changes
   * nothing; the application moves only from a status in `from`.
   */
  async issuePass(
    app: Application,
    from: readonly ApplicationStatus[],
    pass: Pass,
    counter: { name: string; year: number; value: number },
    actor: Actor,
    /** A CNIC that must not be on the watchlist at the moment of the write (an officer's approval). */
    unlistedCnic?: string,
  ): Promise<void> {
    const appKey = keys.application(app.id);
    const passKey = keys.pass(pass.number);
    const at = pass.issuedAt;
    const watchCheck: TransactItem[] = unlistedCnic
      ? [
          {
            ConditionCheck: {
              TableName: this.table,
              Key: keys.watch(unlistedCnic),
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        ]
      : [];
    await this.transact([
      {
        Update: {
          TableName: this.table,
          Key: keys.counter(counter.name, counter.year),
          UpdateExpression: 'SET #v = :next',
          ConditionExpression: counter.value === 0 ? 'attribute_not_exists(#v)' : '#v = :current',
          ExpressionAttributeNames: { '#v': 'value' },
          ExpressionAttributeValues: {
            ':next': counter.value + 1,
            ...(counter.value === 0 ? {} : { ':current': counter.value }),
          },
        },
      },
      {
        Update: {
          TableName: this.table,
          Key: appKey,
          UpdateExpression:
            'SET #s = :approved, passNumber = :no, decision = :decision, updatedAt = :at, GSI1PK = :gsi1pk',
          ConditionExpression: `#s IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':approved': 'APPROVED',
            ':no': pass.number,
            ':decision': { by: actor, at },
            ':at': at,
            ':gsi1pk': 'STATUS#APPROVED',
            ...Object.fromEntries(from.map((s, i) => [`:from${i}`, s])),
          },
        },
      },
      {
        Put: {
          TableName: this.table,
          Item: { ...passKey, ...keys.cnicIndex(pass.cnic, 'PASS', at), kind: 'PASS', ...pass },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      this.releaseOpenApplication(app),
      this.audit(appKey.PK, actor, 'APPLICATION_APPROVED', at, { passNumber: pass.number }),
      this.audit(passKey.PK, actor, 'PASS_ISSUED', at, { kid: pass.kid, applicationId: app.id }),
      ...watchCheck,
    ]).then(
      () => this.counters.set(`${counter.name}#${counter.year}`, counter.value + 1),
      (error: unknown) => {
        this.counters.delete(`${counter.name}#${counter.year}`);
        throw error;
      },
    );
  }

  async rejectApplication(
    app: Application,
    from: readonly ApplicationStatus[],
    reason: string,
    actor: Actor,
    at: string,
  ) {
    const appKey = keys.application(app.id);
    await this.transact([
      {
        Update: {
          TableName: this.table,
          Key: appKey,
          UpdateExpression: 'SET #s = :rejected, decision = :decision, updatedAt = :at, GSI1PK = :gsi1pk',
          ConditionExpression: `#s IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':rejected': 'REJECTED',
            ':decision': { by: actor, at, reason },
            ':at': at,
            ':gsi1pk': 'STATUS#REJECTED',
            ...Object.fromEntries(from.map((s, i) => [`:from${i}`, s])),
          },
        },
      },
      this.releaseOpenApplication(app),
      this.audit(appKey.PK, actor, 'APPLICATION_REJECTED', at, { reason }),
    ]);
  }

  /**
   * Strongly consistent: an approval that lost the race reads the pass the winner wrote a moment ago, and a
   * revocation that lost re-reads the pass to see whether it was revoked meanwhile.
   */
  async getPass(no: string): Promise<Pass | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.pass(no), ConsistentRead: true }),
    );
    return strip<Pass>(out.Item);
  }

  /** Strongly consistent, so a revocation that lost the head to another retries from the version that won. */
  async revocationVersion(): Promise<number> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.revocationHead(), ConsistentRead: true }),
    );
    return typeof out.Item?.version === 'number' ? out.Item.version : 0;
  }

  /**
   * Revokes an active pass: the pass, the next revocation-list entry, the list head and the audit item move
   * together. The head moves only from `version`, so two revocations can never take the same version.
   */
  async revokePass(pass: Pass, reason: string, actor: Actor, at: string, version: number): Promise<number> {
    const next = version + 1;
    const passKey = keys.pass(pass.number);
    await this.transact([
      {
        Update: {
          TableName: this.table,
          Key: passKey,
          UpdateExpression: 'SET #s = :revoked, revocation = :revocation',
          ConditionExpression: '#s = :active',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':revoked': 'REVOKED',
            ':active': 'ACTIVE',
            ':revocation': { by: actor, at, reason, version: next },
          },
        },
      },
      {
        Put: {
          TableName: this.table,
          Item: { ...keys.revocation(next), kind: 'REVOCATION', number: pass.number, at, exp: pass.exp },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        Update: {
          TableName: this.table,
          Key: keys.revocationHead(),
          UpdateExpression: 'SET version = :next',
          ConditionExpression: version === 0 ? 'attribute_not_exists(version)' : 'version = :current',
          ExpressionAttributeValues: { ':next': next, ...(version === 0 ? {} : { ':current': version }) },
        },
      },
      this.audit(passKey.PK, actor, 'PASS_REVOKED', at, { reason, version: next }),
    ]);
    return next;
  }

  /** Revoked numbers after `since` (0 = all), in version order, with the version reached. */
  async revocationsSince(since: number): Promise<{ numbers: string[]; version: number }> {
    const numbers: string[] = [];
    let version = since;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': 'REVOCATIONS',
            ':from': revocationSk(since + 1),
            ':to': `${SK_PREFIX.revocation}~`,
          },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of out.Items ?? []) {
        numbers.push(item.number as string);
        version = Math.max(version, Number(String(item.SK).slice(SK_PREFIX.revocation.length)));
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return { numbers, version };
  }

  /** Strongly consistent: a CNIC listed a moment ago must already hold an application or an approval. */
  async getWatch(cnic: string): Promise<WatchEntry | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.watch(cnic), ConsistentRead: true }),
    );
    return strip<WatchEntry>(out.Item);
  }

  /**
   * Lists a CNIC, or changes the reason and category of its entry while keeping who listed it first. Each write
   * is conditioned on what was read (no entry for an addition, the same entry for a change), so under a race
   * the audit item says what really happened: an addition that lost to another is retried as a change, a change
   * whose entry was removed meanwhile as an addition. StateConflict after MAX_WATCH_ATTEMPTS.
   */
  async putWatch(
    cnic: string,
    change: WatchlistInput,
    actor: Actor,
    at: string,
  ): Promise<{ outcome: 'created' | 'updated'; entry: WatchEntry }> {
    const pk = keys.watch(cnic);
    for (let attempt = 0; attempt < MAX_WATCH_ATTEMPTS; attempt++) {
      const existing = await this.getWatch(cnic);
      try {
        if (!existing) {
          const entry: WatchEntry = { cnic, ...change, addedBy: actor, addedAt: at };
          await this.transact([
            {
              Put: {
                TableName: this.table,
                Item: { ...pk, kind: 'WATCH', ...entry },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            this.audit(pk.PK, actor, 'WATCHLIST_ADDED', at, { category: change.category }),
          ]);
          return { outcome: 'created', entry };
        }
        const entry: WatchEntry = { ...existing, ...change, updatedBy: actor, updatedAt: at };
        await this.transact([
          {
            // The whole item rather than an Update, so the watchlist group needs no UpdateItem grant (routes.ts).
            Put: {
              TableName: this.table,
              Item: { ...pk, kind: 'WATCH', ...entry },
              // addedAt tells the entry read from one removed and listed again since.
              ConditionExpression: '#addedAt = :addedAt',
              ExpressionAttributeNames: { '#addedAt': 'addedAt' },
              ExpressionAttributeValues: { ':addedAt': existing.addedAt },
            },
          },
          this.audit(pk.PK, actor, 'WATCHLIST_UPDATED', at, { category: change.category }),
        ]);
        return { outcome: 'updated', entry };
      } catch (error) {
        if (!(error instanceof StateConflict)) throw error;
      }
    }
    throw new StateConflict(`the watchlist entry of ${pk.PK} changed on every attempt`);
  }

  async deleteWatch(cnic: string, actor: Actor, at: string): Promise<void> {
    const pk = keys.watch(cnic);
    await this.transact([
      { Delete: { TableName: this.table, Key: pk, ConditionExpression: 'attribute_exists(PK)' } },
      this.audit(pk.PK, actor, 'WATCHLIST_REMOVED', at),
    ]);
  }

  /** The audit trail of one entity (APP#…, PASS#…, WATCH#…), oldest first. */
  async auditTrail(entityPk: string): Promise<AuditEntry[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :audit)',
        ExpressionAttributeValues: { ':pk': entityPk, ':audit': SK_PREFIX.audit },
      }),
    );
    return (out.Items ?? []).map((i) => strip<AuditEntry>(i) as AuditEntry);
  }

  /** Everything held for a CNIC (applications and passes), newest first. */
  async byCnic(cnic: string): Promise<{ applications: Application[]; passes: Pass[] }> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: GSIS.GSI2.indexName,
        KeyConditionExpression: 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.cnicIndex(cnic, 'APP', new Date(0).toISOString()).GSI2PK },
        ScanIndexForward: false,
        Limit: 100,
      }),
    );
    const items = out.Items ?? [];
    return {
      applications: items.filter((i) => i.kind === 'APP').map((i) => strip<Application>(i) as Application),
      passes: items.filter((i) => i.kind === 'PASS').map((i) => strip<Pass>(i) as Pass),
    };
  }

  /** Answers when the table answers: one cheap key read. */
  async ping(): Promise<void> {
    await this.db.send(new GetCommand({ TableName: this.table, Key: keys.revocationHead() }));
  }
}
