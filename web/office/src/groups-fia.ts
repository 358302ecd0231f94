// FIA officers' and supervisors' group pages: the queue (oldest first, a page at a time), a group with the members
// the watchlist holds, approve, reject, clear an overdue group, a counter application for a leader who came in
// person, and the organizers' register with each organizer's record.
import { useState } from 'preact/hooks';
import { format } from '../../shared/i18n.ts';
import { HistoryList } from './desk.ts';
import {
  type Group,
  GroupDetail,
  GroupForm,
  type GroupSummary,
  GroupTable,
  loadOrganizer,
  type Organizer,
  OrganizerRecord,
} from './groups.ts';
import {
  Busy,
  CnicField,
  type Ctx,
  cursorOf,
  el,
  Failure,
  ltr,
  Notice,
  Pager,
  pkDateTime,
  SelectField,
  TextField,
  typeCnic,
  useForm,
  useLoad,
  usePager,
} from './ui.ts';

export function FiaGroupPages({ ctx, route }: { ctx: Ctx; route: string[] }) {
  if (route[0] === 'organizers') return el(OrganizersPage, { ctx, cnic: route[1] });
  if (route[0] === 'group' && route[1]) return el(GroupPage, { ctx, number: route[1] });
  if (route[1] === 'counter') return el(CounterGroupPage, { ctx });
  return el(GroupQueuePage, { ctx });
}

const supervisor = (ctx: Ctx) => ctx.session.role === 'fia-supervisor';

function GroupQueuePage({ ctx }: { ctx: Ctx }) {
  const { s } = ctx;
  const filters = useForm({ status: 'PENDING' });
  const pager = usePager();
  const status = filters.values.status ?? 'PENDING';
  const page = useLoad(
    () =>
      ctx.api.json<{ items: GroupSummary[]; next?: string }>(
        'GET',
        `/groups?status=${status}&limit=25${pager.cursor ? `&cursor=${encodeURIComponent(pager.cursor)}` : ''}`,
      ),
    [status, pager.cursor],
  );
  const items = page.data?.items ?? [];
  return el(
    'section',
    null,
    el('h2', null, s.groups.queue),
    ctx.session.role === 'fia-officer'
      ? el(
          'p',
          null,
          el(
            'a',
            { href: '#/groups/counter', class: 'button', 'data-testid': 'group-counter' },
            s.groups.counter,
          ),
        )
      : null,
    el(
      'div',
      { class: 'filters card' },
      el(SelectField, {
        form: filters,
        name: 'status',
        label: s.fia.filterStatus,
        options: ['PENDING', 'NEEDS_REVIEW', 'APPROVED', 'REJECTED'].map((v) => ({
          value: v,
          label: s.status[v as 'PENDING'],
        })),
        onChange: () => pager.reset(),
      }),
    ),
    page.loading ? el(Busy, { s, label: s.loading }) : null,
    el(Failure, { error: page.error, s }),
    page.data ? el('p', { class: 'muted' }, format(s.fia.oldestFirst, { n: items.length })) : null,
    page.data && items.length === 0 ? el('p', null, s.groups.none) : null,
    items.length > 0
      ? el(GroupTable, {
          ctx,
          groups: items,
          testid: 'group-queue',
          sent: true,
          link: (g) => `#/group/${g.number}`,
        })
      : null,
    el(Pager, {
      s,
      page: pager.page,
      next: cursorOf(page.data?.next),
      onNext: () => {
        const c = cursorOf(page.data?.next);
        if (c) pager.next(c);
      },
      onPrevious: pager.previous,
    }),
  );
}

function GroupPage({ ctx, number }: { ctx: Ctx; number: string }) {
  const { s } = ctx;
  const loaded = useLoad(() => ctx.api.json<Group>('GET', `/groups/${encodeURIComponent(number)}`), [number]);
  const group = loaded.data;
  const decide = useForm({ reason: '' });
  const clear = useForm({ reason: '' });
  const [notice, setNotice] = useState<string | undefined>();
  const act = (form: typeof decide, path: string, done: string, body?: unknown) =>
    void form.submit(async () => {
      await ctx.api.json('POST', `/groups/${encodeURIComponent(number)}/${path}`, body);
      setNotice(done);
      loaded.reload();
    });
  const hits = group?.members.filter((m) => m.watchlist && m.status !== 'REMOVED').length ?? 0;
  // Approval issues passes to members still without one, so an approved group with new members is open again.
  const waiting = group?.members.some((m) => m.status === 'PENDING') ?? false;
  const open = group && group.status !== 'REJECTED' && (group.status !== 'APPROVED' || waiting);
  return el(
    'section',
    null,
    el('p', { class: 'no-print' }, el('a', { href: '#/groups' }, s.groups.backToQueue)),
    el('h2', null, `${s.groups.number} `, ltr(number)),
    loaded.loading && !group ? el(Busy, { s, label: s.loading }) : null,
    el(Failure, { error: loaded.error, s }),
    notice ? el(Notice, null, notice) : null,
    group && hits > 0
      ? el(
          'p',
          { class: 'banner warn', 'data-testid': 'group-hits' },
          format(s.groups.watchHits, { n: hits }),
        )
      : null,
    group?.reviewReason && hits === 0
      ? el('p', { class: 'banner warn', dir: 'auto' }, group.reviewReason)
      : null,
    group
      ? el(GroupDetail, {
          ctx,
          group,
          fia: true,
          onChanged: loaded.reload,
          actions: [
            group && open
              ? el(
                  'div',
                  { class: 'card decide', 'data-testid': 'group-decide' },
                  group.status === 'NEEDS_REVIEW' && !supervisor(ctx)
                    ? el('p', { class: 'hint' }, s.groups.needsSupervisor)
                    : null,
                  el(
                    'button',
                    {
                      type: 'button',
                      class: 'primary',
                      disabled: decide.busy,
                      'data-testid': 'group-approve',
                      onClick: () => act(decide, 'approve', s.groups.approved),
                    },
                    s.groups.approve,
                  ),
                  group.status !== 'APPROVED'
                    ? el(
                        'form',
                        {
                          class: 'inline',
                          noValidate: true,
                          onSubmit: (e: Event) => {
                            e.preventDefault();
                            act(decide, 'reject', s.groups.rejected, { reason: decide.values.reason });
                          },
                        },
                        el(TextField, {
                          form: decide,
                          name: 'reason',
                          label: s.groups.rejectReason,
                          multiline: true,
                        }),
                        el(
                          'button',
                          { type: 'submit', disabled: decide.busy, 'data-testid': 'group-reject' },
                          s.groups.reject,
                        ),
                      )
                    : null,
                  decide.busy ? el(Busy, { s }) : null,
                  el(Failure, { error: decide.failure, s, shownFields: ['reason'] }),
                )
              : null,
            group && supervisor(ctx) && group.state === 'OVERDUE' && !group.clearance
              ? el(
                  'form',
                  {
                    class: 'card inline',
                    noValidate: true,
                    'data-testid': 'group-clear',
                    onSubmit: (e: Event) => {
                      e.preventDefault();
                      act(clear, 'clear', s.groups.cleared, { reason: clear.values.reason });
                    },
                  },
                  el(TextField, {
                    form: clear,
                    name: 'reason',
                    label: s.groups.clearReason,
                    multiline: true,
                  }),
                  el(Failure, { error: clear.failure, s, shownFields: ['reason'] }),
                  el(
                    'button',
                    { type: 'submit', disabled: clear.busy, 'data-testid': 'group-clear-submit' },
                    s.groups.clear,
                  ),
                )
              : null,
            group?.leader.cnic
              ? el(
                  'p',
                  { class: 'no-print' },
                  el(
                    'a',
                    { href: `#/organizers/${group.leader.cnic.replace(/[^0-9]/g, '')}` },
                    s.groups.record,
                  ),
                )
              : null,
          ],
        })
      : null,
    group
      ? el(HistoryList, {
          ctx,
          path: `/groups/${encodeURIComponent(number)}/history`,
          // Read again after each change the page makes: these are what a change moves.
          key: `${group.status}/${group.members.length}/${group.clearance ? 'cleared' : ''}/${notice ?? ''}`,
        })
      : null,
  );
}

function CounterGroupPage({ ctx }: { ctx: Ctx }) {
  const { s } = ctx;
  if (ctx.session.role !== 'fia-officer')
    return el(
      'section',
      null,
      el('h2', null, s.groups.counter),
      el('p', { class: 'banner warn' }, s.groups.counterSupervisor),
    );
  return el(
    'section',
    null,
    el('p', { class: 'no-print' }, el('a', { href: '#/groups' }, s.groups.backToQueue)),
    el('h2', null, s.groups.counter),
    el('p', { class: 'hint' }, s.groups.counterNote),
    el(GroupForm, { ctx, counter: true, onSent: (g) => ctx.go(`#/group/${g.number}`) }),
  );
}

function OrganizersPage({ ctx, cnic: routed }: { ctx: Ctx; cnic: string | undefined }) {
  const { s, lang } = ctx;
  const find = useForm({ cnic: routed ? typeCnic(routed) : '' });
  const [cnic, setCnic] = useState<string | undefined>(routed);
  const [notice, setNotice] = useState<string | undefined>();
  const record = useLoad(async () => (cnic ? loadOrganizer(ctx, cnic) : undefined), [cnic]);
  return el(
    'section',
    null,
    el('h2', null, s.groups.organizers),
    !supervisor(ctx) ? el('p', { class: 'hint' }, s.groups.supervisorOrganizers) : null,
    el(
      'form',
      {
        class: 'card inline',
        noValidate: true,
        onSubmit: (e: Event) => {
          e.preventDefault();
          setNotice(undefined);
          setCnic((find.values.cnic ?? '').replace(/[^0-9]/g, ''));
        },
      },
      el(CnicField, { form: find, name: 'cnic', label: s.groups.organizerCnic, s }),
      el('button', { type: 'submit', 'data-testid': 'organizer-lookup' }, s.fia.lookUp),
    ),
    notice ? el(Notice, null, notice) : null,
    record.loading && cnic ? el(Busy, { s, label: s.loading }) : null,
    el(Failure, { error: record.error, s }),
    record.data === null ? el('p', { 'data-testid': 'organizer-none' }, s.groups.notRegistered) : null,
    record.data
      ? el(
          'div',
          { class: 'card', 'data-testid': 'organizer-record' },
          el('h3', null, record.data.name, ' · ', ltr(record.data.cnic)),
          el(
            'p',
            null,
            `${record.data.organization} · ${s.fields.fatherName}: ${record.data.fatherName} · ${s.groups.phone}: `,
            ltr(record.data.phone),
          ),
          el(
            'p',
            { class: 'muted' },
            format(s.groups.registeredAt, { at: pkDateTime(record.data.registeredAt, lang) }),
          ),
          el(OrganizerRecord, { ctx, groups: record.data.groups, link: true }),
        )
      : null,
    supervisor(ctx) && cnic && record.data !== undefined
      ? el(OrganizerForm, {
          key: `${cnic}-${record.data?.registeredAt ?? 'new'}`,
          ctx,
          cnic,
          current: record.data,
          onSaved: () => {
            setNotice(s.groups.saved);
            record.reload();
          },
        })
      : null,
  );
}

function OrganizerForm({
  ctx,
  cnic,
  current,
  onSaved,
}: {
  ctx: Ctx;
  cnic: string;
  current: Organizer | null;
  onSaved: () => void;
}) {
  const { s } = ctx;
  const form = useForm({
    name: current?.name ?? '',
    fatherName: current?.fatherName ?? '',
    phone: current?.phone ?? '',
    organization: current?.organization ?? '',
  });
  return el(
    'form',
    {
      class: 'card form',
      noValidate: true,
      'data-testid': 'organizer-form',
      onSubmit: (e: Event) => {
        e.preventDefault();
        void form.submit(async () => {
          const v = form.values;
          await ctx.api.json('PUT', `/organizers/${cnic}`, {
            name: v.name,
            fatherName: v.fatherName,
            phone: v.phone,
            organization: v.organization,
          });
          onSaved();
        });
      },
    },
    el('h3', null, current ? s.groups.update : s.groups.register, ' · ', ltr(typeCnic(cnic))),
    el(TextField, { form, name: 'name', label: s.fields.name, autoComplete: 'name' }),
    el(TextField, { form, name: 'fatherName', label: s.fields.fatherName }),
    el(TextField, {
      form,
      name: 'phone',
      label: s.groups.phone,
      type: 'tel',
      inputMode: 'tel',
      dir: 'ltr',
      hint: s.fields.phoneHint,
    }),
    el(TextField, { form, name: 'organization', label: s.groups.organization }),
    el(Failure, { error: form.failure, s, shownFields: ['name', 'fatherName', 'phone', 'organization'] }),
    form.busy ? el(Busy, { s }) : null,
    el(
      'button',
      { type: 'submit', class: 'primary', disabled: form.busy, 'data-testid': 'organizer-save' },
      current ? s.groups.update : s.groups.register,
    ),
  );
}
