// The Ministry analyst's group pages: groups abroad and overdue (the missing members named), each report as CSV,
// and a leader's record over time looked up by their CNIC.
import { useState } from 'preact/hooks';
import { format } from '../../shared/i18n.ts';
import { formatNames, type GroupSummary, GroupTable, loadOrganizer, OrganizerRecord } from './groups.ts';
import {
  Busy,
  CnicField,
  CsvButton,
  type Ctx,
  el,
  Failure,
  ltr,
  pkDateTime,
  SelectField,
  useForm,
  useLoad,
} from './ui.ts';

export function MinistryGroupsPage({ ctx, cnic }: { ctx: Ctx; cnic: string | undefined }) {
  const { s } = ctx;
  return el(
    'section',
    null,
    el('h2', null, s.groups.ministryTitle),
    el(GroupsReport, { ctx }),
    el(LeaderRecord, { ctx, routed: cnic }),
  );
}

function GroupsReport({ ctx }: { ctx: Ctx }) {
  const { s, lang } = ctx;
  const filter = useForm({ state: 'OVERDUE' });
  const state = filter.values.state ?? 'OVERDUE';
  const report = useLoad(
    () => ctx.api.json<{ asOf: string; items: GroupSummary[] }>('GET', `/reports/groups?state=${state}`),
    [state],
  );
  const states = s.groups.states as Record<string, string>;
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'groups-report-title' },
    el('h3', { id: 'groups-report-title' }, states[state] ?? state),
    el(SelectField, {
      form: filter,
      name: 'state',
      label: s.groups.stateFilter,
      options: ['OVERDUE', 'ABROAD', 'ALL'].map((v) => ({ value: v, label: states[v] ?? v })),
    }),
    report.loading ? el(Busy, { s, label: s.loading }) : null,
    el(Failure, { error: report.error, s }),
    report.data
      ? el('p', { class: 'muted' }, format(s.groups.asOf, { at: pkDateTime(report.data.asOf, lang) }))
      : null,
    report.data && report.data.items.length === 0 ? el('p', null, s.ministry.none) : null,
    report.data && report.data.items.length > 0
      ? el(GroupTable, { ctx, groups: report.data.items, testid: 'groups-report', missing: true })
      : null,
    el(CsvButton, { ctx, path: `/reports/groups?state=${state}`, name: `groups-${state.toLowerCase()}` }),
  );
}

function LeaderRecord({ ctx, routed }: { ctx: Ctx; routed: string | undefined }) {
  const { s } = ctx;
  const find = useForm({ cnic: '' });
  const [cnic, setCnic] = useState<string | undefined>(routed);
  const record = useLoad(async () => (cnic ? loadOrganizer(ctx, cnic) : undefined), [cnic]);
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'leader-record-title' },
    el('h3', { id: 'leader-record-title' }, s.groups.record),
    el('p', { class: 'hint' }, s.groups.recordNote),
    el(
      'form',
      {
        class: 'inline',
        noValidate: true,
        onSubmit: (e: Event) => {
          e.preventDefault();
          setCnic((find.values.cnic ?? '').replace(/[^0-9]/g, ''));
        },
      },
      el(CnicField, { form: find, name: 'cnic', label: s.groups.leaderCnic, s }),
      el('button', { type: 'submit', 'data-testid': 'record-lookup' }, s.fia.lookUp),
    ),
    record.loading && cnic ? el(Busy, { s, label: s.loading }) : null,
    el(Failure, { error: record.error, s }),
    record.data === null ? el('p', { 'data-testid': 'organizer-none' }, s.groups.notRegistered) : null,
    record.data
      ? el(
          'div',
          { 'data-testid': 'leader-record' },
          el(
            'h4',
            null,
            ...formatNames(s.groups.recordOf, {
              name: record.data.name,
              organization: record.data.organization,
            }),
            // The Ministry's answer may leave the CNIC out, as it does a group's leader's.
            record.data.cnic ? [' · ', ltr(record.data.cnic)] : null,
          ),
          el(OrganizerRecord, { ctx, groups: record.data.groups, link: false }),
        )
      : null,
  );
}
