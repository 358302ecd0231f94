// The DynamoDB store of the border-pass service, one module per aggregate over shared transactions; no Scan.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Accounts, accounts } from './accounts.ts';
import { type Aggregates, aggregates } from './aggregates.ts';
import { type Applications, applications } from './applications.ts';
import { type Counters, counters } from './counters.ts';
import { type Crossings, crossings } from './crossings.ts';
import { type FeedOutbox, feedOutbox } from './feed.ts';
import { type Groups, groups } from './groups.ts';
import { type Passes, passes } from './passes.ts';
import { type Revocations, revocations } from './revocations.ts';
import { type SearchStore, searchStore } from './search.ts';
import type { Table } from './transact.ts';
import { type Vessels, vessels } from './vessels.ts';
import { type Watchlist, watchlist } from './watchlist.ts';

export { OpenApplicationExists } from './applications.ts';
export { CursorError, type Page } from './cursor.ts';
export type { Group, GroupMember, Organizer } from './groups.ts';
export { RetriesExhausted, retryOnConflict, StateConflict } from './transact.ts';
export { DuplicateVessel, PreviousStillRegistered, type Vessel } from './vessels.ts';

export interface Store {
  table: Table;
  applications: Applications;
  passes: Passes;
  counters: Counters;
  revocations: Revocations;
  watchlist: Watchlist;
  accounts: Accounts;
  vessels: Vessels;
  crossings: Crossings;
  /** The reports' counts and open trips, kept by the crossings' writes, and the anomalies by day. */
  aggregates: Aggregates;
  /** The Ministry feed's outbox and batches. */
  feed: FeedOutbox;
  /** Pilgrim groups and their organizers. */
  groups: Groups;
  /** FIA's desk: the name index, references, memberships, a person's records and a record's history. */
  search: SearchStore;
  /** Answers when the table answers: one cheap key read. */
  ping(): Promise<void>;
}

/** One store per container (or per test): the counter cache lives in it. */
export function createStore(db: DynamoDBDocumentClient, tableName: string): Store {
  const table: Table = { db, name: tableName };
  const numbers = counters(table);
  const search = searchStore(table);
  const apps = applications(table, { counters: numbers, search });
  const revoked = revocations(table);
  return {
    table,
    applications: apps,
    counters: numbers,
    revocations: revoked,
    passes: passes(table, { applications: apps, counters: numbers, revocations: revoked }),
    watchlist: watchlist(table),
    accounts: accounts(table),
    vessels: vessels(table, { counters: numbers, revocations: revoked, search }),
    crossings: crossings(table),
    feed: feedOutbox(table),
    groups: groups(table, { counters: numbers }),
    aggregates: aggregates(table),
    search,
    ping: () => revoked.ping(),
  };
}
