// The groups route group: organizers, group applications and their members, decisions that sign nothing, the
// printed group pages, the rosters posts keep offline and the Ministry's groups report. Approval is its own group.

import { RejectInput } from '../../shared/decision-schemas.ts';
import { formatCnic } from '../../shared/domain/cnic.ts';
import type { PassType } from '../../shared/domain/pass-types.ts';
import { type CheckpointCode, checkpointName } from '../../shared/domain/reference.ts';
import { ClearInput, GroupInput, MembersInput, OrganizerInput } from '../../shared/group-schemas.ts';
import { renderQrSvg } from '../../shared/qr.ts';
import { actorOf, type Caller, FIA_ROLES, hasRole } from '../http/caller.ts';
import { type CsvColumn, csvFile, toCsv, wantsCsv } from '../http/csv.ts';
import type { HttpEvent } from '../http/event.ts';
import { json } from '../http/respond.ts';
import { type Observability, route, routeGroup } from '../http/route.ts';
import { ROUTE_GROUPS } from '../routes.ts';
import type { Clock } from '../services/context.ts';
import { Forbidden } from '../services/errors.ts';
import {
  addMembers,
  clearGroup,
  findGroup,
  findOrganizer,
  type GroupCaller,
  groupsOfLeader,
  listGroups,
  openGroups,
  registerOrganizer,
  rejectGroup,
  rostersFor,
  submitGroup,
  travelOfGroup,
  travelOfGroups,
} from '../services/groups.ts';
import type { Group, Store } from '../store/store.ts';
import { groupCaller, groupSummaryView, groupView, rosterView } from './group-views.ts';
import { GroupPath, GroupsQuery, GroupsReportQuery, OrganizerPath } from './params.ts';
import { CARD_STYLE, passCard, printablePage } from './passes.ts';
import { credentialImage, escapeHtml, labelledRow } from './printed.ts';

export interface GroupsDependencies extends Observability {
  store: Store;
  clock: Clock;
  passTypes: readonly PassType[];
}

const STAFF = [...FIA_ROLES, 'moi-analyst'] as const;
/** A group of 500 with long names and places measures about 110 KB; its routes take up to 256 KB. */
const GROUPS_MAX_BODY_BYTES = ROUTE_GROUPS.groups.maxBodyBytes;
const noSuchGroup = (params: Record<string, string | undefined>) => `No group ${params.no ?? ''}.`;

/** The caller's role among those a route admits, for audit items. */
const as = (caller: Caller, allowed: readonly (typeof caller.roles)[number][]): GroupCaller => ({
  ...groupCaller(caller),
  actor: actorOf(caller, allowed),
});

const GROUP_COLUMNS: CsvColumn<ReturnType<typeof groupSummaryView>>[] = [
  { header: 'group', value: (g) => g.number },
  { header: 'state', value: (g) => g.state },
  { header: 'leader', value: (g) => g.leader.name },
  { header: 'organization', value: (g) => g.leader.organization },
  { header: 'crossingPoint', value: (g) => g.crossingPoint },
  { header: 'departOn', value: (g) => g.departOn },
  { header: 'returnBy', value: (g) => g.returnBy },
  { header: 'size', value: (g) => g.size },
  { header: 'out', value: (g) => g.counts.out },
  { header: 'back', value: (g) => g.counts.back },
  { header: 'notDeparted', value: (g) => g.counts.notDeparted },
  { header: 'missing', value: (g) => g.missing?.map((m) => `${m.name} (${m.pass})`).join('; ') },
  { header: 'cleared', value: (g) => g.clearance?.at },
];

/** The leader's printed group pass: the QR of the group pass, who leads, and every member with their pass. */
async function groupCard(group: Group): Promise<string> {
  const members = group.members.filter((m) => m.status !== 'REMOVED');
  const qr = group.groupPass
    ? `<div class="qr" aria-label="QR code of group pass ${escapeHtml(group.number)}">${await renderQrSvg(group.groupPass.token, { margin: 2 })}</div>`
    : '';
  const rows = members
    .map(
      (m, i) =>
        `<tr><td>${i + 1}</td><td>${escapeHtml(m.pass ?? '—')}</td><td>${escapeHtml(m.name)}</td><td>${escapeHtml(m.fatherName)}</td><td>${escapeHtml(formatCnic(m.cnic))}</td><td>${escapeHtml(m.district)}</td></tr>`,
    )
    .join('\n');
  return printablePage(
    `Group pass ${group.number}`,
    `<div class="card">
  ${qr}
  <div>
    <h1>Ziyarat group pass <span lang="ur" dir="rtl">زائرین گروپ پاس</span></h1>
    <table>
      ${labelledRow('Group number', 'گروپ نمبر', group.number)}
      ${labelledRow('Group leader', 'گروپ لیڈر', group.leader.name)}
      ${labelledRow("Leader's CNIC", 'لیڈر کا شناختی کارڈ', formatCnic(group.leader.cnic))}
      ${labelledRow('Organization', 'ادارہ', group.leader.organization)}
      ${labelledRow('Phone', 'فون', group.leader.phone)}
      ${labelledRow('Members', 'اراکین', String(members.length))}
      ${labelledRow('Crossing point', 'گزرگاہ', `${group.crossingPoint} (${checkpointName(group.crossingPoint as CheckpointCode)})`)}
      ${labelledRow('Route', 'راستہ', group.route)}
      ${labelledRow('Departs', 'روانگی', group.departOn)}
      ${labelledRow('Returns by', 'واپسی', group.returnBy)}
      <tr><th>Status<span lang="ur" dir="rtl">حیثیت</span></th><td class="status${group.status === 'APPROVED' ? '' : ' off'}">${group.status === 'APPROVED' ? 'APPROVED' : 'NOT YET APPROVED'}</td></tr>
    </table>
  </div>
</div>
<table class="members">
<thead><tr><th>#</th><th>Pass</th><th>Name</th><th>Father's name</th><th>CNIC</th><th>District</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`,
    `${CARD_STYLE}
  .members { margin-block-start: 8px; }
  .members th, .members td { padding: 4px 16px 4px 0; border-block-end: 1px solid #ccc; text-align: start; }
  @media print { .members tr { break-inside: avoid; } }`,
  );
}

const html = (body: string) => ({
  statusCode: 200,
  headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'private, no-cache' },
  body,
});

export function createGroupsHandler(deps: GroupsDependencies) {
  const { store } = deps;
  const view = async (group: Group, caller: Caller) =>
    groupView(group, await travelOfGroup(store, group, deps.clock()), caller);
  const summaries = async (groups: readonly Group[], caller: Caller) =>
    (await travelOfGroups(store, groups, deps.clock())).map(({ group, travel }) =>
      groupSummaryView(group, travel, caller),
    );
  const groupRoute = (
    roles: readonly (typeof STAFF)[number][] | readonly ('applicant' | (typeof STAFF)[number])[],
    serve: (
      group: Group,
      caller: Caller,
      event: HttpEvent,
    ) => Promise<
      ReturnType<typeof html> | ReturnType<typeof json> | Awaited<ReturnType<typeof credentialImage>>
    >,
  ) =>
    route({ roles, params: GroupPath, notFound: noSuchGroup }, async ({ params, caller, event }) =>
      serve(await findGroup(store, params.no, groupCaller(caller)), caller, event),
    );
  const printable = ['applicant', ...FIA_ROLES] as const;

  return routeGroup(
    {
      'PUT /organizers/{cnic}': route(
        { roles: ['fia-supervisor'], params: OrganizerPath, body: OrganizerInput },
        async ({ params, body, caller }) => {
          const { organizer, created } = await registerOrganizer(
            deps,
            params.cnic,
            body,
            actorOf(caller, ['fia-supervisor']),
          );
          return json(created ? 201 : 200, { ...organizer, cnic: formatCnic(organizer.cnic) });
        },
      ),
      'GET /organizers/{cnic}': route(
        {
          roles: ['applicant', ...STAFF],
          params: OrganizerPath,
          notFound: (p) => `No organizer ${p.cnic ?? ''}.`,
        },
        async ({ params, caller }) => {
          const organizer = await findOrganizer(store, params.cnic, groupCaller(caller));
          const led = await store.groups.listByLeader(organizer.cnic);
          return json(200, {
            cnic: formatCnic(organizer.cnic),
            phone: organizer.phone,
            name: organizer.name,
            fatherName: organizer.fatherName,
            organization: organizer.organization,
            registeredAt: organizer.registeredAt,
            groups: await summaries(led, caller),
          });
        },
      ),
      'POST /groups': route(
        { roles: ['applicant', 'fia-officer'], body: GroupInput, maxBodyBytes: GROUPS_MAX_BODY_BYTES },
        async ({ body, caller }) => {
          const group = await submitGroup(deps, body, as(caller, ['applicant', 'fia-officer']));
          return json(201, await view(group, caller), { location: `/groups/${group.number}` });
        },
      ),
      'GET /groups': route(
        { roles: ['applicant', ...STAFF], query: GroupsQuery },
        async ({ query, caller }) => {
          if (query.leader !== undefined || !hasRole(caller, FIA_ROLES)) {
            const leader = query.leader ?? caller.cnic;
            if (leader === undefined) throw new Forbidden('Name a leader (leader=CNIC).');
            const led = await groupsOfLeader(store, leader, groupCaller(caller));
            return json(200, { leader: formatCnic(leader), items: await summaries(led, caller) });
          }
          const status = query.status ?? 'PENDING';
          const page = await listGroups(store, status, query.limit, query.cursor);
          return json(200, {
            status,
            items: await summaries(page.items, caller),
            ...(page.cursor
              ? { next: `/groups?status=${status}&limit=${query.limit}&cursor=${page.cursor}` }
              : {}),
          });
        },
      ),
      'GET /groups/{no}': groupRoute(['applicant', ...STAFF], async (group, caller) =>
        json(200, await view(group, caller)),
      ),
      'POST /groups/{no}/members': route(
        {
          roles: ['applicant', 'fia-officer'],
          params: GroupPath,
          notFound: noSuchGroup,
          body: MembersInput,
          maxBodyBytes: GROUPS_MAX_BODY_BYTES,
        },
        async ({ params, body, caller }) => {
          const group = await addMembers(
            deps,
            params.no,
            body.members,
            as(caller, ['applicant', 'fia-officer']),
          );
          return json(200, await view(group, caller));
        },
      ),
      'POST /groups/{no}/reject': route(
        { roles: FIA_ROLES, params: GroupPath, notFound: noSuchGroup, body: RejectInput },
        async ({ params, body, caller }) => {
          const group = await rejectGroup(deps, params.no, body.reason, {
            actor: actorOf(caller, FIA_ROLES),
            supervisor: caller.roles.includes('fia-supervisor'),
          });
          return json(200, await view(group, caller));
        },
      ),
      'POST /groups/{no}/clear': route(
        { roles: ['fia-supervisor'], params: GroupPath, notFound: noSuchGroup, body: ClearInput },
        async ({ params, body, caller }) => {
          const group = await clearGroup(deps, params.no, body.reason, actorOf(caller, ['fia-supervisor']));
          return json(200, await view(group, caller));
        },
      ),
      'GET /groups/{no}/card': groupRoute(printable, async (group) => html(await groupCard(group))),
      'GET /groups/{no}/passes': groupRoute(printable, async (group) => {
        const numbers = group.members.flatMap((m) => (m.status === 'ISSUED' && m.pass ? [m.pass] : []));
        const byNumber = new Map((await store.passes.getMany(numbers)).map((p) => [p.number, p]));
        const cards = await Promise.all(
          numbers.flatMap((no) => {
            const pass = byNumber.get(no);
            return pass ? [passCard(pass)] : [];
          }),
        );
        return html(
          printablePage(
            `Passes of group ${group.number}`,
            cards.length > 0 ? cards.join('\n') : '<p>No member holds a pass yet.</p>',
          ),
        );
      }),
      'GET /groups/{no}/qr.svg': groupRoute(printable, async (group, _caller, event) => {
        if (!group.groupPass)
          throw new Forbidden(`Group ${group.number} has no group pass until it is approved.`);
        return credentialImage(event, group.groupPass.token, 'svg');
      }),
      'GET /groups/{no}/qr.png': groupRoute(printable, async (group, _caller, event) => {
        if (!group.groupPass)
          throw new Forbidden(`Group ${group.number} has no group pass until it is approved.`);
        return credentialImage(event, group.groupPass.token, 'png');
      }),
      'GET /rosters': route({ roles: ['checkpoint-officer'] }, async ({ caller }) => {
        if (!caller.checkpoint) throw new Forbidden('Your account is bound to no checkpoint.');
        const now = deps.clock();
        const groups = await travelOfGroups(store, await rostersFor(deps, caller.checkpoint), now);
        return json(200, {
          asOf: now.toISOString(),
          checkpoint: caller.checkpoint,
          groups: groups.map(({ group, travel }) => rosterView(group, travel)),
        });
      }),
      'GET /reports/groups': route(
        { roles: STAFF, query: GroupsReportQuery },
        async ({ event, query, caller }) => {
          const now = deps.clock();
          const items = (await openGroups(store, now))
            .filter(({ travel }) => query.state === 'ALL' || travel.state === query.state)
            .map(({ group, travel }) => groupSummaryView(group, travel, caller));
          if (wantsCsv(event)) {
            return csvFile(
              `groups-${query.state.toLowerCase()}-${now.toISOString().slice(0, 10)}.csv`,
              toCsv(GROUP_COLUMNS, items),
            );
          }
          return json(200, { asOf: now.toISOString(), state: query.state, items }, { vary: 'Accept' });
        },
      ),
    },
    deps,
  );
}
