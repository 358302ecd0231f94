// The reports for the Ministry and FIA: crossing counts, anomalies, overstays and boats at sea, read from the
// aggregates the crossings' writes keep; CNICs reach FIA roles only.

import type { AnomalyKind } from '../../shared/crossing-schemas.ts';
import type {
  AnomalyRow,
  CrossingCountRow,
  OverstayRow,
  VesselAtSeaRow,
} from '../../shared/report-schemas.ts';
import { CursorError } from '../store/cursor.ts';
import type { Store } from '../store/store.ts';
import { pakistanDay } from '../store/table.ts';
import { Invalid } from './errors.ts';

/** Who reads: FIA sees the CNICs on the records, the Ministry's analysts do not. */
export interface Reader {
  seesCnics: boolean;
}

/** Passes read at once for the overstay list: well inside the SDK's 50 sockets. */
const CONCURRENT_PASS_READS = 16;

export async function crossingCounts(
  store: Pick<Store, 'aggregates'>,
  query: { from: string; to: string; checkpoint?: string },
): Promise<CrossingCountRow[]> {
  const rows = await store.aggregates.dailyCounts(query.from, query.to);
  return query.checkpoint ? rows.filter((row) => row.checkpoint === query.checkpoint) : rows;
}

export async function anomalies(
  store: Pick<Store, 'aggregates'>,
  query: { from: string; to: string; type?: AnomalyKind; limit: number; cursor?: string },
  reader: Reader,
): Promise<{ items: AnomalyRow[]; cursor?: string }> {
  let page: Awaited<ReturnType<Store['aggregates']['anomalies']>>;
  try {
    page = await store.aggregates.anomalies(query);
  } catch (error) {
    if (error instanceof CursorError)
      throw new Invalid('Some query parameters are invalid.', [
        { field: 'cursor', message: 'The cursor is not one this list returned for these days.' },
      ]);
    throw error;
  }
  return {
    items: page.items.map((a) => ({
      at: a.at,
      date: pakistanDay(a.at),
      type: a.type,
      checkpoint: a.checkpoint,
      credential: a.credential,
      crossingId: a.crossingId,
      detail: a.detail,
      ...(reader.seesCnics && a.cnics ? { cnics: a.cnics } : {}),
      // The leader answers for the member's return and is on record for it: named to every reader, CNIC included.
      ...(a.group ? { group: a.group } : {}),
    })),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
}

/**
 * Every pass whose holder went out and has not come back, and whose pass expired by `asOf`: the open pass trips
 * (one Query of the index) and each one's pass (a GetItem), oldest departure first.
 */
export async function overstays(
  store: Pick<Store, 'aggregates' | 'passes'>,
  asOf: Date,
  reader: Reader,
): Promise<OverstayRow[]> {
  const trips = await store.aggregates.openTrips('bp');
  const rows: (OverstayRow | undefined)[] = new Array(trips.length);
  let next = 0;
  const worker = async () => {
    while (next < trips.length) {
      const i = next++;
      const trip = trips[i] as (typeof trips)[number];
      const pass = await store.passes.get(trip.credential);
      // A pass this table never issued (none is stored) has no expiry to judge it by.
      if (!pass || pass.exp * 1000 > asOf.getTime()) continue;
      rows[i] = {
        pass: pass.number,
        name: pass.name,
        ...(reader.seesCnics ? { cnic: pass.cnic } : {}),
        checkpoint: trip.checkpoint,
        outAt: trip.at,
        expiredAt: new Date(pass.exp * 1000).toISOString(),
      };
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_PASS_READS, trips.length) }, worker));
  return rows.filter((row): row is OverstayRow => row !== undefined);
}

/** Every boat whose latest crossing is an OUT, with where and when it left and its crew then. */
export async function vesselsAtSea(store: Pick<Store, 'aggregates'>): Promise<VesselAtSeaRow[]> {
  const trips = await store.aggregates.openTrips('vr');
  return trips.map((trip) => ({
    vessel: trip.credentialPk.slice('VESSEL#'.length),
    certificate: trip.credential,
    checkpoint: trip.checkpoint,
    outAt: trip.at,
    crew: trip.crewCount ?? null,
  }));
}
