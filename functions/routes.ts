// The HTTP API as data: every route, the function (route group) that serves it, who may call it and what it may sign.
// The CDK stack and the local server both read this, so a route is added in one place.
import type { GSIS } from './store/table.ts';

/**
 * A DynamoDB action a handler sends to the table. A TransactWriteItems is authorized item by item, so a group that
 * writes in transactions declares the action of each item inside (Put, Update, Delete, ConditionCheck). Scan and
 * the batch writes are deliberately not expressible: no request path uses them. BatchGetItem reads known keys only
 * (a group's members: their watchlist entries and trips).
 */
export type TableAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'ConditionCheckItem';

/** A global secondary index of the table (functions/store/table.ts). */
export type TableIndex = keyof typeof GSIS;

/**
 * A Cognito action a route group may take on the user pool. Only creating a user: Cognito's IAM has no condition on
 * a group or an attribute, so AdminAddUserToGroup or AdminUpdateUserAttributes would let a function make anyone a
 * supervisor or move an account to another CNIC. Those stay with the documented administrator procedure.
 */
export type CognitoAction = 'AdminCreateUser';

export interface RouteGroup {
  /** Source file under functions/ whose `handler` serves every route of the group. */
  entry: string;
  routes: readonly string[];
  /** Routes served without a token (no JWT authorizer). */
  publicRoutes?: readonly string[];
  /** Which KMS key the group signs with, if any: `pass` issues credentials, `root` signs trust bundles. */
  signs?: 'pass' | 'root';
  /** Needs the pass-signing public keys (JWKS, trust bundle). */
  readsPublicKeys?: boolean;
  /** Needs the feed-signing public key (the feed's JWKS), and nothing else of that key. */
  readsFeedKey?: boolean;
  /** Exactly the table actions the group's handlers send; the stack grants these and nothing else. */
  tableActions: readonly TableAction[];
  /** Indexes the group queries: Query is granted on these and on no other index. Needs 'Query' above. */
  queriesIndexes?: readonly TableIndex[];
  /** Exactly the Cognito actions the group takes on the user pool; the stack grants these and gives it USER_POOL_ID. */
  cognitoActions?: readonly CognitoAction[];
  /** The largest request body its routes take, in bytes, where more than the API's 64 KB (MAX_BODY_BYTES). */
  maxBodyBytes?: number;
}

export const ROUTE_GROUPS = {
  applications: {
    entry: 'functions/applications.ts',
    routes: [
      'POST /applications',
      'GET /applications',
      'GET /applications/{id}',
      'POST /applications/{id}/reject',
    ],
    // DeleteItem: a rejection removes the application's open-application guard in its transaction; UpdateItem
    // also claims the reference counter; PutItem writes the reference and name index items with the application.
    tableActions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'],
    // The officer queue (GSI1, by status) and an applicant's own applications and passes (GSI2, by CNIC).
    queriesIndexes: ['GSI1', 'GSI2'],
  },
  approvals: {
    // Its own function because it alone signs passes: kms:Sign on the pass key reaches nothing else.
    entry: 'functions/approvals.ts',
    routes: ['POST /applications/{id}/approve'],
    signs: 'pass',
    // PutItem for the pass and audit items, UpdateItem for the counter and the application, DeleteItem for the
    // open-application guard, ConditionCheckItem for the watchlist check of an officer's approval; Query on GSI2
    // for the person's passes (one active pass per pass type).
    tableActions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'],
    queriesIndexes: ['GSI2'],
  },
  passes: {
    entry: 'functions/passes.ts',
    routes: [
      'GET /passes/{no}',
      'GET /passes/{no}/qr.svg',
      'GET /passes/{no}/qr.png',
      'GET /passes/{no}/card',
      'POST /passes/{no}/revoke',
    ],
    tableActions: ['GetItem', 'PutItem', 'UpdateItem'],
  },
  watchlist: {
    entry: 'functions/watchlist.ts',
    routes: ['GET /watchlist/{cnic}', 'PUT /watchlist/{cnic}', 'DELETE /watchlist/{cnic}'],
    tableActions: ['GetItem', 'PutItem', 'DeleteItem'],
  },
  trust: {
    entry: 'functions/trust.ts',
    routes: ['GET /.well-known/jwks.json', 'GET /trust-bundle'],
    publicRoutes: ['GET /.well-known/jwks.json'],
    signs: 'root',
    readsPublicKeys: true,
    // Query: the revocations since a bundle's version, under one partition of the table itself.
    tableActions: ['GetItem', 'Query'],
  },
  vessels: {
    entry: 'functions/vessels.ts',
    routes: [
      'GET /vessels',
      'GET /vessels/{no}',
      'GET /vessels/{no}/qr.svg',
      'GET /vessels/{no}/qr.png',
      'GET /vessels/{no}/certificate',
      'GET /vessels/{no}/history',
      'POST /vessels/{no}/suspend',
      'POST /vessels/{no}/cancel',
    ],
    // PutItem for the boat record and audit items (a watchlist hit shown is audited too) and the revocation
    // entry, UpdateItem for the revocation head, DeleteItem for the name guard a cancellation releases; Query on
    // the table for the history, GSI4 for a port's boats and GSI2 for an owner's.
    tableActions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'],
    queriesIndexes: ['GSI2', 'GSI4'],
  },
  certificates: {
    // Its own function because it signs boat certificates with the pass key: kms:Sign reaches nothing else.
    entry: 'functions/certificates.ts',
    routes: [
      'POST /vessels',
      'POST /vessels/{no}/renew',
      'POST /vessels/{no}/reinstate',
      'POST /vessels/{no}/transfer',
    ],
    signs: 'pass',
    // PutItem for the boat, its guards, audit and revocation entries, UpdateItem for the number counter and the
    // revocation head, DeleteItem for the name guard a transfer moves, ConditionCheckItem for the previous
    // registration that must be cancelled.
    tableActions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'],
  },
  accounts: {
    // Its own function because it alone may create users in the pool, and only applicants bound to a CNIC.
    entry: 'functions/accounts.ts',
    routes: ['POST /accounts/applicants'],
    cognitoActions: ['AdminCreateUser'],
    // PutItem: the audit item of who created the account of which CNIC.
    tableActions: ['PutItem'],
  },
  crossings: {
    entry: 'functions/crossings.ts',
    routes: ['POST /crossings', 'GET /crossings'],
    // Verifies each crossing's credential again with the published pass keys.
    readsPublicKeys: true,
    // 500 boat crossings with crews of 12 and the QR text as scanned measure 538 KB.
    maxBodyBytes: 1024 * 1024,
    // GetItem for the revocation head and watchlisted crew, Query for a credential's crossings and the
    // revocations since the container's version, PutItem for the crossings and anomaly items of a batch, written
    // in transactions.
    tableActions: ['GetItem', 'Query', 'PutItem'],
  },
  feed: {
    entry: 'functions/feed.ts',
    routes: ['GET /feed/status', 'POST /feed/dead/{id}/redrive', 'GET /feed/jwks.json'],
    publicRoutes: ['GET /feed/jwks.json'],
    readsFeedKey: true,
    // Query on GSI1 for the pending entries and the open and dead batches, UpdateItem for a redrive.
    tableActions: ['Query', 'UpdateItem'],
    queriesIndexes: ['GSI1'],
  },
  reports: {
    entry: 'functions/reports.ts',
    routes: [
      'GET /reports/crossings',
      'GET /reports/anomalies',
      'GET /reports/overstays',
      'GET /reports/vessels-at-sea',
    ],
    // Query for the day counters (a partition per month) and, on GSI1, the anomalies by day and the open trips;
    // GetItem for the pass of each open trip the overstay list judges.
    tableActions: ['GetItem', 'Query'],
    queriesIndexes: ['GSI1'],
  },
  groups: {
    entry: 'functions/groups.ts',
    routes: [
      'PUT /organizers/{cnic}',
      'GET /organizers/{cnic}',
      'POST /groups',
      'GET /groups',
      'GET /groups/{no}',
      'POST /groups/{no}/members',
      'POST /groups/{no}/reject',
      'POST /groups/{no}/clear',
      'GET /groups/{no}/card',
      'GET /groups/{no}/passes',
      'GET /groups/{no}/qr.svg',
      'GET /groups/{no}/qr.png',
      'GET /rosters',
      'GET /reports/groups',
    ],
    // 500 members with long names and places measure about 110 KB.
    maxBodyBytes: 256 * 1024,
    // GetItem for a group, an organizer and the counters; BatchGetItem for the members' watchlist entries, trips,
    // passes and other groups; PutItem for the group, the organizer, audit and name index items; UpdateItem for
    // the group number counter and the members' memberships;
    // Query on GSI1 (the queue), GSI2 (a leader's groups), GSI3 (open groups) and GSI4 (a post's departures).
    tableActions: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem'],
    queriesIndexes: ['GSI1', 'GSI2', 'GSI3', 'GSI4'],
  },
  groupApprovals: {
    // Its own function because it signs members' passes and the group pass: kms:Sign reaches nothing else.
    entry: 'functions/group-approvals.ts',
    routes: ['POST /groups/{no}/approve', 'DELETE /groups/{no}/members/{cnic}'],
    signs: 'pass',
    // PutItem for the group, passes, audit, feed and revocation entries; UpdateItem for the pass counter, a removed
    // member's pass and the revocation head; ConditionCheckItem for each member's watchlist entry in an officer's
    // approval; BatchGetItem for the watchlist, the members' trips and their other groups (one open group per
    // person).
    tableActions: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'ConditionCheckItem'],
  },
  search: {
    // FIA's desk: find a person by any number or a name, their whole record, and who did what to a record.
    entry: 'functions/search.ts',
    routes: [
      'GET /search',
      'GET /people/{cnic}',
      'GET /applications/{id}/history',
      'GET /passes/{no}/history',
      'GET /groups/{no}/history',
    ],
    // Read-only but for its audit items (PutItem): GetItem for the number lookups, the groups and the watchlist,
    // Query for the name index partitions, memberships, a credential's crossings and a record's audit items, and
    // GSI2 for everything a CNIC has.
    tableActions: ['GetItem', 'Query', 'PutItem'],
    queriesIndexes: ['GSI2'],
  },
  health: {
    entry: 'functions/health.ts',
    routes: ['GET /health'],
    publicRoutes: ['GET /health'],
    tableActions: ['GetItem'],
  },
} as const satisfies Record<string, RouteGroup>;

export type RouteGroupName = keyof typeof ROUTE_GROUPS;
