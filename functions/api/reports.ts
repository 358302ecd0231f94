// The reports route group: crossing counts, anomalies, overstays and boats at sea, as JSON or as CSV files.
import {
  AnomaliesQuery,
  type AnomalyRow,
  type CrossingCountRow,
  CrossingCountsQuery,
  type OverstayRow,
  OverstaysQuery,
  type VesselAtSeaRow,
  VesselsAtSeaQuery,
} from '../../shared/report-schemas.ts';
import { FIA_ROLES, hasRole } from '../http/caller.ts';
import { type CsvColumn, csvFile, toCsv, wantsCsv } from '../http/csv.ts';
import type { HttpEvent, HttpResult } from '../http/event.ts';
import { json } from '../http/respond.ts';
import { type Observability, route, routeGroup } from '../http/route.ts';
import type { Clock } from '../services/context.ts';
import { anomalies, crossingCounts, overstays, vesselsAtSea } from '../services/reports.ts';
import type { Store } from '../store/store.ts';

/** The Ministry's analysts and FIA; a CNIC on a record reaches FIA roles only. */
const READERS = ['moi-analyst', 'fia-officer', 'fia-supervisor'] as const;

export interface ReportsDependencies extends Observability {
  store: Store;
  clock: Clock;
}

const COUNT_COLUMNS: CsvColumn<CrossingCountRow>[] = [
  { header: 'date', value: (r) => r.date },
  { header: 'checkpoint', value: (r) => r.checkpoint },
  { header: 'out', value: (r) => r.out },
  { header: 'in', value: (r) => r.in },
];

const anomalyColumns = (cnics: boolean): CsvColumn<AnomalyRow>[] => [
  { header: 'at', value: (r) => r.at },
  { header: 'date', value: (r) => r.date },
  { header: 'type', value: (r) => r.type },
  { header: 'checkpoint', value: (r) => r.checkpoint },
  { header: 'credential', value: (r) => r.credential },
  { header: 'crossingId', value: (r) => r.crossingId },
  { header: 'detail', value: (r) => r.detail },
  ...(cnics ? [{ header: 'cnics', value: (r: AnomalyRow) => r.cnics?.join(' ') }] : []),
  // GROUP_OVERDUE rows name the group and the leader who answers for the member.
  { header: 'group', value: (r) => r.group?.number },
  {
    header: 'leader',
    value: (r) => (r.group ? `${r.group.leaderName} (${r.group.organization})` : undefined),
  },
  { header: 'leaderCnic', value: (r) => r.group?.leaderCnic },
];

const overstayColumns = (cnics: boolean): CsvColumn<OverstayRow>[] => [
  { header: 'pass', value: (r) => r.pass },
  { header: 'name', value: (r) => r.name },
  ...(cnics ? [{ header: 'cnic', value: (r: OverstayRow) => r.cnic }] : []),
  { header: 'checkpoint', value: (r) => r.checkpoint },
  { header: 'outAt', value: (r) => r.outAt },
  { header: 'expiredAt', value: (r) => r.expiredAt },
];

const VESSEL_COLUMNS: CsvColumn<VesselAtSeaRow>[] = [
  { header: 'vessel', value: (r) => r.vessel },
  { header: 'certificate', value: (r) => r.certificate },
  { header: 'checkpoint', value: (r) => r.checkpoint },
  { header: 'outAt', value: (r) => r.outAt },
  { header: 'crew', value: (r) => r.crew },
];

/** The rows as a CSV file when Accept asks for one, else the JSON body; either way varying on Accept. */
function answer<T>(
  event: HttpEvent,
  body: Record<string, unknown>,
  rows: readonly T[],
  columns: readonly CsvColumn<T>[],
  filename: string,
): HttpResult {
  if (wantsCsv(event)) return csvFile(filename, toCsv(columns, rows));
  return json(200, body, { vary: 'Accept' });
}

export function createReportsHandler(deps: ReportsDependencies) {
  const { store } = deps;
  return routeGroup(
    {
      /** Daily counts by checkpoint and direction, Pakistan days; a day or post with no crossing has no row. */
      'GET /reports/crossings': route(
        { roles: READERS, query: CrossingCountsQuery },
        async ({ event, query }) => {
          const days = await crossingCounts(store, query);
          const where = query.checkpoint ? `-${query.checkpoint}` : '';
          return answer(
            event,
            {
              from: query.from,
              to: query.to,
              ...(query.checkpoint ? { checkpoint: query.checkpoint } : {}),
              days,
            },
            days,
            COUNT_COLUMNS,
            `crossings-${query.from}-${query.to}${where}.csv`,
          );
        },
      ),
      /** A page of anomalies; `next` is the link to the page after, across days. A CSV file is one page too. */
      'GET /reports/anomalies': route(
        { roles: READERS, query: AnomaliesQuery },
        async ({ event, caller, query }) => {
          const seesCnics = hasRole(caller, FIA_ROLES);
          const page = await anomalies(store, query, { seesCnics });
          const next = page.cursor
            ? `/reports/anomalies?${new URLSearchParams({
                from: query.from,
                to: query.to,
                ...(query.type ? { type: query.type } : {}),
                limit: String(query.limit),
                cursor: page.cursor,
              })}`
            : undefined;
          if (wantsCsv(event)) {
            const file = csvFile(
              `anomalies-${query.from}-${query.to}${query.type ? `-${query.type}` : ''}.csv`,
              toCsv(anomalyColumns(seesCnics), page.items),
            );
            // The next page of the file, as RFC 8288 says a link outside the body goes.
            if (next) file.headers = { ...file.headers, link: `<${next}>; rel="next"` };
            return file;
          }
          return json(200, { items: page.items, ...(next ? { next } : {}) }, { vary: 'Accept' });
        },
      ),
      /** Passes out with no return whose pass expired by now, or by `asOf`. */
      'GET /reports/overstays': route(
        { roles: READERS, query: OverstaysQuery },
        async ({ event, caller, query }) => {
          const seesCnics = hasRole(caller, FIA_ROLES);
          const asOf = query.asOf ?? deps.clock();
          const items = await overstays(store, asOf, { seesCnics });
          return answer(
            event,
            { asOf: asOf.toISOString(), items },
            items,
            overstayColumns(seesCnics),
            `overstays-${asOf.toISOString().slice(0, 10)}.csv`,
          );
        },
      ),
      /** Boats whose latest crossing is an OUT. */
      'GET /reports/vessels-at-sea': route(
        { roles: READERS, query: VesselsAtSeaQuery },
        async ({ event }) => {
          const items = await vesselsAtSea(store);
          const now = deps.clock().toISOString();
          return answer(
            event,
            { asOf: now, items },
            items,
            VESSEL_COLUMNS,
            `vessels-at-sea-${now.slice(0, 10)}.csv`,
          );
        },
      ),
    },
    deps,
  );
}
