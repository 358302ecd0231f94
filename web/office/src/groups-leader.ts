// A group leader's pages (an applicant account bound to a registered organizer's CNIC): their groups, a new group
// application, and a group's page with its members, passes and prints.
import { format } from '../../shared/i18n.ts';
import { ApiError } from './api.ts';
import {
  blockingGroup,
  formatNames,
  type Group,
  GroupDetail,
  GroupForm,
  GroupTable,
  type Organizer,
} from './groups.ts';
import { Busy, type Ctx, el, Failure, ltr, useLoad } from './ui.ts';

export function LeaderPages({ ctx, route }: { ctx: Ctx; route: string[] }) {
  if (route[0] === 'group' && route[1]) return el(LeaderGroupPage, { ctx, number: route[1] });
  return el(MyGroupsPage, { ctx, applying: route[1] === 'new' });
}

/** The account's organizer record, or null when its CNIC is not a registered organizer. */
function useOrganizer(ctx: Ctx) {
  const cnic = ctx.session.cnic ?? '';
  return useLoad(
    async () =>
      cnic
        ? ctx.api.json<Organizer>('GET', `/organizers/${cnic}`).catch((e: unknown) => {
            if (e instanceof ApiError && (e.kind === 'not-found' || e.kind === 'forbidden')) return null;
            throw e;
          })
        : null,
    [cnic],
  );
}

function MyGroupsPage({ ctx, applying }: { ctx: Ctx; applying: boolean }) {
  const { s } = ctx;
  const organizer = useOrganizer(ctx);
  const record = organizer.data;
  const blocking = record ? blockingGroup(record.groups) : undefined;
  return el(
    'section',
    null,
    el('h2', null, applying ? s.groups.apply : s.groups.mine),
    organizer.loading ? el(Busy, { s, label: s.loading }) : null,
    el(Failure, { error: organizer.error, s }),
    record === null
      ? el('p', { class: 'banner warn', 'data-testid': 'not-organizer' }, s.groups.notOrganizer)
      : null,
    record
      ? el(
          'p',
          { class: 'muted', 'data-testid': 'organizer' },
          ...formatNames(s.groups.organizerOf, { name: record.name, organization: record.organization }),
          ' · ',
          ltr(record.cnic),
        )
      : null,
    blocking
      ? el(
          'p',
          { class: 'banner bad', 'data-testid': 'overdue-block' },
          format(s.groups.overdueBlock, { no: blocking.number, n: blocking.counts.out }),
        )
      : null,
    record && applying
      ? el(
          'div',
          null,
          el('p', { class: 'hint' }, s.groups.applyNote),
          el(GroupForm, {
            ctx,
            counter: false,
            onSent: (group: Group) => ctx.go(`#/group/${group.number}`),
          }),
        )
      : null,
    record && !applying
      ? el(
          'div',
          null,
          el(
            'p',
            null,
            el('a', { href: '#/groups/new', class: 'button', 'data-testid': 'group-new' }, s.groups.apply),
          ),
          record.groups.length === 0
            ? el('p', null, s.groups.none)
            : el(GroupTable, {
                ctx,
                groups: record.groups,
                testid: 'my-groups',
                leader: false,
                link: (g) => `#/group/${g.number}`,
              }),
        )
      : null,
  );
}

function LeaderGroupPage({ ctx, number }: { ctx: Ctx; number: string }) {
  const { s } = ctx;
  const loaded = useLoad(() => ctx.api.json<Group>('GET', `/groups/${encodeURIComponent(number)}`), [number]);
  return el(
    'section',
    null,
    el('p', { class: 'no-print' }, el('a', { href: '#/groups' }, s.groups.mine)),
    el('h2', null, `${s.groups.number} `, ltr(number)),
    loaded.loading && !loaded.data ? el(Busy, { s, label: s.loading }) : null,
    el(Failure, { error: loaded.error, s }),
    loaded.data ? el(GroupDetail, { ctx, group: loaded.data, fia: false, onChanged: loaded.reload }) : null,
  );
}
