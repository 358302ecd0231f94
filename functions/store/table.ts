// The single DynamoDB table as plain data (keys, indexes, CreateTable input) plus the key builders every store module uses.
//
// Shared by the local stack and the CDK app, so nothing here creates a client or imports node:.
// Every key attribute is a string. `<at>`, `<createdAt>` are ISO 8601 UTC with milliseconds, so they sort as time.
//
// | access pattern                                   | where  | key condition                                            |
// |--------------------------------------------------|--------|----------------------------------------------------------|
// | application by id                                | table  | PK=APP#<id>, SK=APP                                      |
// | officer queue: applications in a status, oldest  | GSI1   | GSI1PK=STATUS#<status>, GSI1SK=<createdAt>#<id> (asc)    |
// |   first, paginated                               |        |                                                          |
// | everything for a CNIC (applications, passes, …)  | GSI2   | GSI2PK=CNIC#<13 digits>, begins_with GSI2SK=<type>#      |
// | pass by number                                   | table  | PK=PASS#<no>, SK=PASS                                    |
// | vessel by registration number                    | table  | PK=VESSEL#<no>, SK=VESSEL                                |
// | crossings of a credential, in time order         | table  | PK=PASS#<no> or VESSEL#<no>, begins_with SK=X#           |
// | crossings at a checkpoint on a (Pakistan) day    | GSI3   | GSI3PK=CP#<code>#<YYYY-MM-DD>, GSI3SK=<at>#<id>          |
// | the crossing holding a record id (at most one:   | table  | PK=CROSSING#<id>, SK=CROSSING, holding the content's     |
// |   the id claim, whatever a resend changes)       |        |   digest and the crossing's key                          |
// | anomalies of a credential's crossings            | table  | PK=PASS#<no> or VESSEL#<no>, begins_with SK=A#           |
// | anomalies on a (Pakistan) day, for the feed      | GSI1   | GSI1PK=ANOMALY#<YYYY-MM-DD>, GSI1SK=<at>#<id>#<type>     |
// | crossings per (Pakistan) day and checkpoint,     | table  | PK=XCOUNT#<YYYY-MM>, SK BETWEEN <from># AND <to>#~       |
// |   OUT and IN (counters ADDed on write, sharded)  |        |   (SK=<day>#<checkpoint>#<shard>)                        |
// | a credential's latest crossing (its trip item)   | table  | PK=PASS#<no> or VESSEL#<no>, SK=TRIP                     |
// | open trips (latest crossing an OUT) of passes or | GSI1   | GSI1PK=TRIP#PASS or TRIP#VESSEL, GSI1SK=<out at>#<cred>  |
// |   boats: overstays, boats at sea                 |        |   (set on OUT, removed on IN: a sparse index)            |
// | feed entries waiting for a batch, oldest first   | GSI1   | GSI1PK=FEED#PENDING, GSI1SK=<queuedAt>#<type>#<id>       |
// |   (on the crossing item or an outbox item)       |        |   (removed on delivery: a sparse index; store/feed.ts)   |
// | feed batches open or dead-lettered               | GSI1   | GSI1PK=FEEDBATCH#OPEN or FEEDBATCH#DEAD                  |
// | feed entries of a (Pakistan) day, for the export | GSI2   | GSI2PK=FEED#<YYYY-MM-DD>, GSI2SK=<type>#<id>             |
// | vessels registered at a home port                | GSI4   | GSI4PK=PORT#<code>, GSI4SK=<vessel no>                   |
// | vessels of an owner                              | GSI2   | GSI2PK=CNIC#<owner>, begins_with GSI2SK=VESSEL#          |
// | the boat holding a port + name + owner (at most  | table  | PK=VNAME#<port>#<name key>#<cnic>, SK=VNAME              |
// |   one; the duplicate guard)                      |        |                                                          |
// | the boat that took over a previous registration  | table  | PK=VPREV#<official no>, SK=VPREV                         |
// | watchlist entry for a CNIC                       | table  | PK=WATCH#<cnic>, SK=WATCH                                |
// | applicant account of a CNIC (`npm start` only;   | table  | PK=ACCOUNT#<cnic>, SK=ACCOUNT; audit items under the PK  |
// |   Cognito holds them in AWS)                     |        |                                                          |
// | the open application of a CNIC (at most one)     | table  | PK=OPEN#<cnic>, SK=OPEN, holding the applicationId       |
// | next sequential number (BP-2026-000123)          | table  | PK=COUNTER#<name>#<year>, SK=COUNTER, UpdateItem ADD     |
// | audit trail of an entity, in time order          | table  | PK=<entity PK>, begins_with SK=AUDIT#                    |
// | revocations newer than a bundle's version        | table  | PK=REVOCATIONS, SK > V#<version padded to 12 digits>     |
// | current revocation version                       | table  | PK=REVOCATIONS, SK=HEAD                                  |
//
// Items expire through the TTL attribute `expiresAt` (epoch seconds).
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { karachiDate } from '../../shared/domain/pass-types.ts';

export const TABLE_KEYS = {
  partitionKey: 'PK',
  sortKey: 'SK',
  timeToLive: 'expiresAt',
} as const;

export const GSIS = {
  GSI1: { indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK', projection: 'ALL' },
  GSI2: { indexName: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK', projection: 'ALL' },
  GSI3: { indexName: 'GSI3', partitionKey: 'GSI3PK', sortKey: 'GSI3SK', projection: 'ALL' },
  GSI4: { indexName: 'GSI4', partitionKey: 'GSI4PK', sortKey: 'GSI4SK', projection: 'ALL' },
} as const;

/** The stream carries new images only: the forwarder needs what was written, never what was there before. */
export const STREAM_VIEW_TYPE = 'NEW_IMAGE';

/** CreateTable input for DynamoDB Local and tests; the CDK stack builds the same shape from TABLE_KEYS and GSIS. */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const indexes = Object.values(GSIS);
  const keyNames = [
    TABLE_KEYS.partitionKey,
    TABLE_KEYS.sortKey,
    ...indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: keyNames.map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: indexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: index.projection },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: STREAM_VIEW_TYPE },
  };
}

export interface TableKey {
  PK: string;
  SK: string;
}

/** Key prefixes a Query uses with begins_with or as a range bound. */
export const SK_PREFIX = { crossing: 'X#', audit: 'AUDIT#', revocation: 'V#' } as const;

const REVOCATION_VERSION_DIGITS = 12;

export const keys = {
  application: (id: string): TableKey => ({ PK: `APP#${part(id)}`, SK: 'APP' }),
  pass: (no: string): TableKey => ({ PK: `PASS#${part(no)}`, SK: 'PASS' }),
  vessel: (no: string): TableKey => ({ PK: `VESSEL#${part(no)}`, SK: 'VESSEL' }),
  /** A crossing lives under its credential's PK (from keys.pass or keys.vessel), so one Query lists them in time order. */
  crossing: (credentialPk: string, at: string, id: string): TableKey => ({
    PK: credentialPk,
    SK: `${SK_PREFIX.crossing}${isoTime(at)}#${part(id)}`,
  }),
  /**
   * The claim of a crossing id: written with the crossing only if absent, so an id is stored once even when a
   * resend changes its time, direction or credential (and with them the crossing's own key).
   */
  crossingClaim: (id: string): TableKey => ({ PK: `CROSSING#${part(id)}`, SK: 'CROSSING' }),
  watch: (cnic: string): TableKey => ({ PK: `WATCH#${checkedCnic(cnic)}`, SK: 'WATCH' }),
  /**
   * The guard that makes "one open application per CNIC" hold under concurrency: written with the application
   * only if absent, deleted by the decision. A read of GSI2 first could not stop two requests at once.
   */
  openApplication: (cnic: string): TableKey => ({ PK: `OPEN#${checkedCnic(cnic)}`, SK: 'OPEN' }),
  /** An applicant account; in AWS only its audit items live under this PK, the account itself in Cognito. */
  account: (cnic: string): TableKey => ({ PK: `ACCOUNT#${checkedCnic(cnic)}`, SK: 'ACCOUNT' }),
  /**
   * Guards that make "one boat per port, name and owner" and "one boat per previous registration" hold under
   * concurrency, as the open-application guard does for applications; each holds the official number.
   */
  vesselNameGuard: (port: string, nameKey: string, cnic: string): TableKey => ({
    PK: `VNAME#${part(port)}#${part(nameKey)}#${checkedCnic(cnic)}`,
    SK: 'VNAME',
  }),
  vesselPreviousGuard: (previousRegistration: string): TableKey => ({
    PK: `VPREV#${part(previousRegistration)}`,
    SK: 'VPREV',
  }),
  counter: (name: string, year: number): TableKey => ({ PK: `COUNTER#${part(name)}#${year}`, SK: 'COUNTER' }),
  audit: (entityPk: string, at: string, id: string): TableKey => ({
    PK: entityPk,
    SK: `${SK_PREFIX.audit}${isoTime(at)}#${part(id)}`,
  }),
  revocation: (version: number): TableKey => ({ PK: 'REVOCATIONS', SK: revocationSk(version) }),
  revocationHead: (): TableKey => ({ PK: 'REVOCATIONS', SK: 'HEAD' }),

  /** GSI1: the officer queue. */
  statusIndex: (status: string, createdAt: string, id: string) => ({
    GSI1PK: `STATUS#${part(status)}`,
    GSI1SK: `${isoTime(createdAt)}#${part(id)}`,
  }),
  /** GSI2: everything a person has; `type` is the item kind, e.g. APP, PASS, VESSEL. */
  cnicIndex: (cnic: string, type: string, createdAt: string) => ({
    GSI2PK: `CNIC#${checkedCnic(cnic)}`,
    GSI2SK: `${part(type)}#${isoTime(createdAt)}`,
  }),
  /** GSI3: crossings at a checkpoint, one partition per Pakistan calendar day. */
  checkpointDayIndex: (checkpoint: string, at: string, id: string) => ({
    GSI3PK: checkpointDayPk(checkpoint, pakistanDay(at)),
    GSI3SK: `${isoTime(at)}#${part(id)}`,
  }),
  /** GSI4: vessels by home port, in registration-number order. */
  portIndex: (port: string, vesselNo: string) => ({
    GSI4PK: `PORT#${part(port)}`,
    GSI4SK: part(vesselNo),
  }),
};

/** The GSI3 partition to Query for one checkpoint and day (YYYY-MM-DD, Pakistan time). */
export function checkpointDayPk(checkpoint: string, day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`not a YYYY-MM-DD day: ${day}`);
  return `CP#${part(checkpoint)}#${day}`;
}

/** The calendar day in Pakistan (UTC+5) of an instant; crossings just after midnight there belong to the new day. */
export function pakistanDay(at: string): string {
  return karachiDate(new Date(isoTime(at)));
}

/** Zero-padded so versions sort as strings; a bundle at version v asks for SK > revocationSk(v). */
export function revocationSk(version: number): string {
  if (!Number.isSafeInteger(version) || version < 0 || version >= 10 ** REVOCATION_VERSION_DIGITS) {
    throw new RangeError(`revocation version out of range: ${version}`);
  }
  return `${SK_PREFIX.revocation}${String(version).padStart(REVOCATION_VERSION_DIGITS, '0')}`;
}

// A '#' inside a value would let it reach into a neighbour's key range, so key parts may not hold one.
function part(value: string): string {
  if (value === '' || value.includes('#')) throw new RangeError(`invalid key part: ${JSON.stringify(value)}`);
  return value;
}

function checkedCnic(cnic: string): string {
  if (!/^\d{13}$/.test(cnic)) throw new RangeError('a CNIC in a key must be 13 digits without dashes');
  return cnic;
}

// Device clocks and offsets vary; keys hold one canonical UTC form so string order is time order.
function isoTime(at: string): string {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO 8601 time: ${at}`);
  return new Date(ms).toISOString();
}
