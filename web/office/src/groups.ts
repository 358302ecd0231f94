// Pilgrim (Zaireen) groups on the office pages, shared by the leader's, the FIA's and the Ministry's pages: the
// group application with its member table (typed, pasted or uploaded, up to 500 rows, each row showing the API's
// `members/<i>/<field>` errors), a group's page with its members and travel, adding and removing members before
// departure, and printing the group pass and the members' passes. docs/groups.md is the contract.
import { Component, type ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import {
  karachiDate,
  karachiDatePlus,
  PASS_TYPES,
  type PassType,
  passTypeInEffect,
} from '../../../shared/domain/pass-types.ts';
import { CROSSING_POINTS } from '../../../shared/domain/reference.ts';
import { format } from '../../shared/i18n.ts';
import { ApiError } from './api.ts';
import type { Strings } from './strings.ts';
import {
  Busy,
  CnicField,
  type Ctx,
  el,
  Failure,
  ltr,
  Notice,
  PrintView,
  pkDateTime,
  pkDay,
  SelectField,
  StatusBadge,
  TextField,
  typeCnic,
  useForm,
} from './ui.ts';

export type GroupStatus = 'PENDING' | 'NEEDS_REVIEW' | 'APPROVED' | 'REJECTED';
export type TravelState = 'UPCOMING' | 'ABROAD' | 'RETURNED' | 'OVERDUE' | 'NOT_TRAVELLED';

export interface MissingMember {
  pass: string;
  name: string;
  fatherName: string;
  outAt: string;
}

export interface GroupSummary {
  number: string;
  status: GroupStatus;
  state: TravelState;
  passType: string;
  leader: { cnic?: string; name: string; organization: string; phone?: string };
  crossingPoint: string;
  departOn: string;
  returnBy: string;
  size: number;
  counts: { notDeparted: number; out: number; back: number };
  missing?: MissingMember[];
  clearance?: { at: string; reason: string };
  createdAt: string;
}

export interface GroupMember {
  /** FIA and the leader only. */
  cnic?: string;
  name: string;
  fatherName: string;
  district: string;
  status: 'PENDING' | 'ISSUED' | 'REMOVED';
  pass?: string;
  travel: 'NOT_DEPARTED' | 'OUT' | 'BACK';
  outAt?: string;
  backAt?: string;
  watchlist?: { category: string };
}

export interface Group extends GroupSummary {
  route: string;
  members: GroupMember[];
  /** The leader's group pass once approved: its JWS, QR text and the size it was signed with. */
  groupPass?: { token: string; qrText: string; size: number };
  reviewReason?: string;
  decision?: { at: string; reason?: string };
}

export interface Organizer {
  cnic: string;
  name: string;
  fatherName: string;
  phone: string;
  organization: string;
  registeredAt: string;
  groups: GroupSummary[];
}

/** The pass types a leader applies for on behalf of a group (the resident's form offers every other type). */
export const GROUP_TYPES = PASS_TYPES.filter((t) => t.group !== undefined);

/** An organizer's record, or null when no organizer has that CNIC (or it is not the caller's to see). */
export function loadOrganizer(ctx: Ctx, cnic: string): Promise<Organizer | null> {
  return ctx.api.json<Organizer>('GET', `/organizers/${cnic}`).catch((e: unknown) => {
    if (e instanceof ApiError && e.kind === 'not-found') return null;
    throw e;
  });
}

const digits = (cnic: string) => cnic.replace(/[^0-9]/g, '');

/**
 * A catalogue string with names put in as isolated runs: a Latin name or organization inside Urdu text (or the
 * reverse) keeps its own direction instead of reordering the sentence around it.
 */
export function formatNames(template: string, values: Record<string, string>): ComponentChildren[] {
  return template
    .split(/(\{\w+\})/)
    .map((part) => {
      const key = /^\{(\w+)\}$/.exec(part)?.[1];
      return key !== undefined && key in values ? el('bdi', { key: part }, values[key]) : part;
    })
    .filter((part) => part !== '');
}

/** Whether members may still be added or removed: before the departure day has ended and while no one is out. */
export function openForChanges(group: Group, now = new Date()): boolean {
  return (
    group.status !== 'REJECTED' &&
    group.counts.out === 0 &&
    group.counts.back === 0 &&
    karachiDate(now) <= group.departOn
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The member table

const MEMBER_FIELDS = ['cnic', 'name', 'fatherName', 'district'] as const;
type MemberField = (typeof MEMBER_FIELDS)[number];

export interface MemberDraft {
  /** Stable across edits, removals and sends, so a row keeps its errors when the rows above it change. */
  key: number;
  cnic: string;
  name: string;
  fatherName: string;
  district: string;
}

let nextKey = 1;
const blankRow = (): MemberDraft => ({ key: nextKey++, cnic: '', name: '', fatherName: '', district: '' });
const isBlank = (row: MemberDraft) => MEMBER_FIELDS.every((f) => row[f].trim() === '');

/** One line of a CSV/TSV text split into cells (RFC 4180 quoting: "a, b" and "" inside quotes). */
function cellsOf(line: string, separator: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === separator) {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

/**
 * Members from pasted or uploaded text: `CNIC, name, father's name, district` a line. A spreadsheet's copy is
 * tab-separated, a CSV file comma-separated; the separator is whichever the first line uses. A first line with no
 * digit in its first cell is a header and is skipped. Lines with fewer than four values are returned by number so
 * the page can say which were left out; the API judges the values themselves.
 */
export function parseMembers(text: string): { members: Omit<MemberDraft, 'key'>[]; skipped: number[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const first = lines.find((l) => l.trim() !== '') ?? '';
  const separator = first.includes('\t') ? '\t' : first.includes(';') && !first.includes(',') ? ';' : ',';
  const members: Omit<MemberDraft, 'key'>[] = [];
  const skipped: number[] = [];
  let seenFirst = false;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const cells = cellsOf(line, separator);
    if (!seenFirst) {
      seenFirst = true;
      if (!/[0-9]/.test(cells[0] ?? '')) return;
    }
    if (cells.length < 4) {
      skipped.push(i + 1);
      return;
    }
    const [cnic = '', name = '', fatherName = '', ...rest] = cells;
    // A district with a comma in it ("Dera Ismail Khan, KP") that was not quoted is still one district.
    members.push({ cnic: typeCnic(cnic), name, fatherName, district: rest.join(', ') });
  });
  return { members, skipped };
}

/** The member rows of a form, and the API's errors for them keyed by row rather than by position. */
export function useMembers() {
  const [rows, setRows] = useState<MemberDraft[]>(() => [blankRow()]);
  const [errors, setErrors] = useState<Record<number, Partial<Record<MemberField, string>>>>({});
  return {
    rows,
    errors,
    set(key: number, field: MemberField, value: string) {
      setRows((list) => list.map((r) => (r.key === key ? { ...r, [field]: value } : r)));
    },
    add() {
      setRows((list) => [...list, blankRow()]);
    },
    remove(key: number) {
      setRows((list) => {
        const left = list.filter((r) => r.key !== key);
        return left.length > 0 ? left : [blankRow()];
      });
    },
    /** Pasted members go in place of the empty rows, after the rows already typed. */
    append(members: Omit<MemberDraft, 'key'>[]) {
      setRows((list) => [
        ...list.filter((r) => !isBlank(r)),
        ...members.map((m) => ({ ...m, key: nextKey++ })),
      ]);
    },
    reset() {
      setRows([blankRow()]);
      setErrors({});
    },
    /**
     * Sends the rows that are not empty. A refusal's `members/<i>/<field>` errors are put on the row that was
     * i-th in what was sent, so they stay with their member however the table is edited afterwards.
     */
    async send<T>(request: (members: Omit<MemberDraft, 'key'>[]) => Promise<T>): Promise<T> {
      const sent = rows.filter((r) => !isBlank(r));
      setErrors({});
      try {
        return await request(sent.map(({ key: _key, ...member }) => member));
      } catch (error) {
        if (error instanceof ApiError) {
          const byRow: Record<number, Partial<Record<MemberField, string>>> = {};
          for (const [path, message] of Object.entries(error.fields)) {
            const match = /^members\/(\d+)\/(\w+)$/.exec(path);
            const row = match ? sent[Number(match[1])] : undefined;
            const field = match?.[2] as MemberField | undefined;
            if (row && field && MEMBER_FIELDS.includes(field))
              byRow[row.key] = { ...byRow[row.key], [field]: message };
          }
          setErrors(byRow);
        }
        throw error;
      }
    },
  };
}
export type Members = ReturnType<typeof useMembers>;

/** Field errors the member table shows on its rows, so the banner does not list them again. */
const memberPaths = (error: unknown) =>
  error instanceof ApiError ? Object.keys(error.fields).filter((f) => /^members\/\d+\/\w+$/.test(f)) : [];

interface RowProps {
  s: Strings;
  row: MemberDraft;
  index: number;
  errors: Partial<Record<MemberField, string>> | undefined;
  members: Members;
}

/**
 * One member's four fields. A class with shouldComponentUpdate: with 500 rows, a keystroke re-renders only its
 * own row rather than two thousand inputs.
 */
class MemberRow extends Component<RowProps> {
  override shouldComponentUpdate(next: RowProps) {
    const p = this.props;
    return next.row !== p.row || next.index !== p.index || next.errors !== p.errors || next.s !== p.s;
  }
  override render() {
    const { s, row, index, errors, members } = this.props;
    const labels: Record<MemberField, string> = {
      cnic: s.fields.cnic,
      name: s.fields.name,
      fatherName: s.fields.fatherName,
      district: s.fields.district,
    };
    return el(
      'fieldset',
      { class: errors ? 'member-row invalid' : 'member-row', 'data-testid': 'member-row', 'data-row': index },
      el('legend', null, format(s.groups.member, { n: index + 1 })),
      MEMBER_FIELDS.map((field) => {
        const id = `m-${row.key}-${field}`;
        const error = errors?.[field];
        return el(
          'div',
          { class: error ? 'field invalid' : 'field', key: field, 'data-field': `members/${index}/${field}` },
          el('label', { for: id }, labels[field]),
          el('input', {
            id,
            name: `members/${index}/${field}`,
            value: row[field],
            dir: field === 'cnic' ? 'ltr' : 'auto',
            inputMode: field === 'cnic' ? 'numeric' : undefined,
            autoComplete: 'off',
            'aria-invalid': error ? 'true' : 'false',
            'aria-describedby': error ? `${id}-error` : undefined,
            onInput: (event: Event) => {
              const raw = (event.currentTarget as HTMLInputElement).value;
              members.set(row.key, field, field === 'cnic' ? typeCnic(raw) : raw);
            },
          }),
          error
            ? el(
                'p',
                { class: 'field-error', id: `${id}-error`, dir: 'auto', 'data-testid': `error-${field}` },
                error,
              )
            : null,
        );
      }),
      el(
        'button',
        {
          type: 'button',
          class: 'small remove-row',
          'aria-label': format(s.groups.removeMemberOf, { n: index + 1 }),
          onClick: () => members.remove(row.key),
        },
        s.groups.removeMember,
      ),
    );
  }
}

/** The member rows with paste and upload; `listError` is an error on the list as a whole (how many there are). */
export function MemberEditor(props: {
  s: Strings;
  members: Members;
  max: number;
  listError?: string | undefined;
}) {
  const { s, members, max } = props;
  const [pasted, setPasted] = useState('');
  const [read, setRead] = useState<{ n: number; skipped: number[] } | undefined>();
  const [onlyProblems, setOnlyProblems] = useState(false);
  const take = (text: string) => {
    const { members: found, skipped } = parseMembers(text);
    members.append(found);
    setRead({ n: found.length, skipped });
  };
  const filled = members.rows.filter((r) => !isBlank(r)).length;
  const problems = Object.keys(members.errors).length;
  const shown = members.rows
    .map((row, index) => ({ row, index }))
    .filter(({ row }) => !onlyProblems || problems === 0 || members.errors[row.key]);
  return el(
    'section',
    { class: 'members', 'aria-labelledby': 'members-title', 'data-testid': 'member-editor' },
    el('h3', { id: 'members-title' }, s.groups.members),
    el(
      'details',
      { class: 'paste', open: filled === 0 },
      el('summary', null, s.groups.paste),
      el(
        'div',
        { class: 'field' },
        el('label', { for: 'f-paste' }, s.groups.pasteLabel),
        el('textarea', {
          id: 'f-paste',
          rows: 5,
          dir: 'auto',
          value: pasted,
          'aria-describedby': 'f-paste-hint',
          'data-testid': 'paste',
          onInput: (e: Event) => setPasted((e.currentTarget as HTMLTextAreaElement).value),
        }),
        el('p', { class: 'hint', id: 'f-paste-hint' }, s.groups.pasteHint),
      ),
      el(
        'button',
        {
          type: 'button',
          'data-testid': 'paste-add',
          onClick: () => {
            take(pasted);
            setPasted('');
          },
        },
        s.groups.pasteAdd,
      ),
      el(
        'div',
        { class: 'field' },
        el('label', { for: 'f-members-file' }, s.groups.file),
        el('input', {
          id: 'f-members-file',
          type: 'file',
          accept: '.csv,.txt,text/csv,text/plain',
          'data-testid': 'members-file',
          onChange: (e: Event) => {
            const input = e.currentTarget as HTMLInputElement;
            const file = input.files?.[0];
            if (file)
              void file.text().then((text) => {
                take(text);
                input.value = '';
              });
          },
        }),
      ),
    ),
    read
      ? el(
          'div',
          { role: 'status', class: 'banner ok', 'data-testid': 'pasted' },
          el('p', null, read.n === 1 ? s.groups.addedOne : format(s.groups.added, { n: read.n })),
          read.skipped.length > 0
            ? el('p', null, format(s.groups.skipped, { lines: read.skipped.join(', ') }))
            : null,
        )
      : null,
    el('p', { class: filled > max ? 'error' : 'muted', 'data-testid': 'member-count' }, [
      format(s.groups.memberCount, { n: filled, max }),
      filled > max ? ` ${format(s.groups.tooMany, { max })}` : '',
    ]),
    props.listError
      ? el('p', { class: 'field-error', dir: 'auto', 'data-testid': 'error-members' }, props.listError)
      : null,
    problems > 0
      ? el(
          'label',
          { class: 'check' },
          el('input', {
            type: 'checkbox',
            checked: onlyProblems,
            onChange: (e: Event) => setOnlyProblems((e.currentTarget as HTMLInputElement).checked),
          }),
          ` ${format(s.groups.onlyProblems, { n: problems })}`,
        )
      : null,
    el(
      'div',
      { class: 'member-rows' },
      shown.map(({ row, index }) =>
        el(MemberRow, { key: row.key, s, row, index, errors: members.errors[row.key], members }),
      ),
    ),
    el('button', { type: 'button', onClick: members.add, 'data-testid': 'member-add' }, s.groups.addMember),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The group application

const GROUP_FIELDS = ['passType', 'leaderCnic', 'crossingPoint', 'route', 'departOn', 'returnBy', 'members'];

function typeLabel(t: PassType, s: Strings): string {
  return (
    format(s.passTypeDates, { name: t.name, from: t.effectiveFrom }) +
    (t.effectiveUntil ? format(s.passTypeUntil, { until: t.effectiveUntil }) : '')
  );
}

/**
 * A group application: the leader's own (their CNIC is the account's) or, with `counter`, an FIA officer's for a
 * leader who came in person. A refusal keeps every value and row as typed.
 */
export function GroupForm({
  ctx,
  counter,
  onSent,
}: {
  ctx: Ctx;
  counter: boolean;
  onSent: (g: Group) => void;
}) {
  const { s } = ctx;
  const inForce = GROUP_TYPES.filter((t) => passTypeInEffect(t, new Date()));
  const first = inForce[0];
  const form = useForm({
    passType: first?.code ?? '',
    leaderCnic: '',
    crossingPoint: first?.group?.crossingPoints[0] ?? '',
    route: '',
    // A week ahead leaves the FIA time to approve and the leader time to print.
    departOn: karachiDatePlus(new Date(), 7),
    returnBy: karachiDatePlus(new Date(), 7 + 29),
  });
  const members = useMembers();
  const type = GROUP_TYPES.find((t) => t.code === form.values.passType);
  const points = type?.group?.crossingPoints ?? [];
  const send = (event: Event) => {
    event.preventDefault();
    void form.submit(async () => {
      const v = form.values;
      const group = await members.send((list) =>
        ctx.api.json<Group>('POST', '/groups', {
          passType: v.passType,
          ...(counter ? { leaderCnic: v.leaderCnic } : {}),
          crossingPoint: v.crossingPoint,
          route: v.route,
          departOn: v.departOn,
          returnBy: v.returnBy,
          members: list,
        }),
      );
      onSent(group);
      return group;
    });
  };
  return el(
    'form',
    { class: 'card form wide', onSubmit: send, noValidate: true, 'data-testid': 'group-form' },
    el(SelectField, {
      form,
      name: 'passType',
      label: s.fields.passType,
      options: inForce.map((t) => ({ value: t.code, label: typeLabel(t, s) })),
      onChange: (code) => {
        const next = GROUP_TYPES.find((t) => t.code === code);
        const allowed = next?.group?.crossingPoints ?? [];
        if (!allowed.includes(form.values.crossingPoint as never))
          form.set('crossingPoint', allowed[0] ?? '');
      },
    }),
    counter ? el(CnicField, { form, name: 'leaderCnic', label: s.groups.leaderCnic, s }) : null,
    el(SelectField, {
      form,
      name: 'crossingPoint',
      label: s.groups.crossingPoint,
      options: points.map((p) => ({ value: p, label: `${p} · ${CROSSING_POINTS[p].name}` })),
    }),
    el(TextField, { form, name: 'route', label: s.groups.route, hint: s.groups.routeHint }),
    el(
      'div',
      { class: 'pair' },
      el(TextField, { form, name: 'departOn', label: s.groups.departOn, type: 'date' }),
      el(TextField, {
        form,
        name: 'returnBy',
        label: s.groups.returnBy,
        type: 'date',
        hint: type ? format(s.groups.returnHint, { days: type.maxValidityDays }) : undefined,
      }),
    ),
    el(MemberEditor, { s, members, max: type?.group?.maxMembers ?? 500, listError: form.errors.members }),
    el(Failure, { error: form.failure, s, shownFields: [...GROUP_FIELDS, ...memberPaths(form.failure)] }),
    form.busy ? el(Busy, { s }) : null,
    el(
      'button',
      { type: 'submit', class: 'primary', disabled: form.busy, 'data-testid': 'group-submit' },
      s.groups.submit,
    ),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// A group's page

export function StateBadge({ s, state }: { s: Strings; state: string }) {
  return el(
    'span',
    { class: `badge badge-${state.toLowerCase()}`, 'data-state': state },
    (s.groups.states as Record<string, string>)[state] ?? state,
  );
}

function fact(label: string, value: preact.ComponentChildren) {
  return el('div', { class: 'fact' }, el('dt', null, label), el('dd', null, value));
}

/** The group's facts, counts and any overdue members, as every reader sees them. */
export function GroupFacts({ ctx, group }: { ctx: Ctx; group: GroupSummary & { route?: string } }) {
  const { s, lang } = ctx;
  return el(
    'div',
    null,
    el(
      'p',
      { class: 'badges' },
      el(StatusBadge, { s, status: group.status }),
      ' ',
      el(StateBadge, { s, state: group.state }),
    ),
    el(
      'dl',
      { class: 'facts' },
      fact(s.groups.leader, group.leader.name),
      fact(s.groups.organization, group.leader.organization),
      group.leader.cnic ? fact(s.fields.cnic, ltr(group.leader.cnic)) : null,
      group.leader.phone ? fact(s.groups.phone, ltr(group.leader.phone)) : null,
      fact(s.fields.passType, ltr(group.passType)),
      fact(s.groups.crossingPoint, ltr(group.crossingPoint)),
      group.route ? fact(s.groups.route, group.route) : null,
      fact(s.groups.departOn, pkDay(group.departOn, lang)),
      fact(s.groups.returnBy, pkDay(group.returnBy, lang)),
      fact(
        s.groups.size,
        el(
          'span',
          { 'data-testid': 'group-counts' },
          `${group.size} · ${s.groups.notDeparted} ${group.counts.notDeparted} · ${s.groups.out} ${group.counts.out} · ${s.groups.back} ${group.counts.back}`,
        ),
      ),
      group.clearance
        ? fact(
            s.groups.clearanceLabel,
            format(s.groups.clearance, {
              at: pkDateTime(group.clearance.at, lang),
              reason: group.clearance.reason,
            }),
          )
        : null,
    ),
    group.missing && group.missing.length > 0 ? el(MissingList, { ctx, missing: group.missing }) : null,
  );
}

export function MissingList({ ctx, missing }: { ctx: Ctx; missing: readonly MissingMember[] }) {
  const { s, lang } = ctx;
  return el(
    'div',
    { class: 'banner warn', 'data-testid': 'missing' },
    el('p', null, el('strong', null, s.groups.missingNamed)),
    el(
      'ul',
      null,
      missing.map((m) =>
        el(
          'li',
          { key: m.pass, 'data-pass': m.pass },
          `${m.name} (${m.fatherName}) · `,
          ltr(m.pass),
          ` · ${format(s.groups.outSince, { at: pkDateTime(m.outAt, lang) })}`,
        ),
      ),
    ),
  );
}

/** The group's members with their passes and travel; FIA also see which member the watchlist holds. */
function MemberTable({
  ctx,
  group,
  fia,
  editable,
  onChanged,
}: {
  ctx: Ctx;
  group: Group;
  fia: boolean;
  editable: boolean;
  onChanged: (message: string) => void;
}) {
  const { s, lang } = ctx;
  const [filter, setFilter] = useState('');
  const [removing, setRemoving] = useState<string | undefined>();
  const remover = useForm({});
  const text = filter.trim().toLowerCase();
  const wanted = digits(text);
  const rows = group.members.filter(
    (m) =>
      !text ||
      m.name.toLowerCase().includes(text) ||
      (wanted.length > 0 && digits(m.cnic ?? '').includes(wanted)) ||
      (m.pass ?? '').toLowerCase().includes(text),
  );
  const watch = fia && group.members.some((m) => m.watchlist);
  const headers = [
    // What a phone shows before the table scrolls: who, their pass, where they are.
    '#',
    s.table.name,
    s.groups.pass,
    s.groups.travel,
    ...(watch ? [s.groups.watchColumn] : []),
    s.groups.status,
    s.fields.fatherName,
    s.table.cnic,
    s.table.district,
    ...(editable ? [''] : []),
  ];
  const remove = (member: GroupMember) =>
    void remover.submit(async () => {
      await ctx.api.json('DELETE', `/groups/${group.number}/members/${digits(member.cnic ?? '')}`);
      setRemoving(undefined);
      onChanged(format(s.groups.removed, { name: member.name }));
    });
  return el(
    'section',
    { 'aria-labelledby': 'group-members-title' },
    el('h3', { id: 'group-members-title' }, s.groups.members),
    group.members.length > 10
      ? el(
          'div',
          { class: 'field' },
          el('label', { for: 'f-member-filter' }, s.groups.filter),
          el('input', {
            id: 'f-member-filter',
            value: filter,
            dir: 'auto',
            onInput: (e: Event) => setFilter((e.currentTarget as HTMLInputElement).value),
          }),
          el('p', { class: 'hint' }, format(s.groups.shown, { n: rows.length, total: group.members.length })),
        )
      : null,
    el(Failure, { error: remover.failure, s }),
    el(
      'div',
      { class: 'table-wrap', role: 'region', tabIndex: 0, 'aria-label': s.groups.members },
      el(
        'table',
        { 'data-testid': 'group-members' },
        el(
          'thead',
          null,
          el(
            'tr',
            null,
            headers.map((t, i) => el('th', { key: i, scope: 'col' }, t)),
          ),
        ),
        el(
          'tbody',
          null,
          rows.map((m) =>
            el(
              'tr',
              {
                key: m.cnic ?? m.pass ?? m.name,
                'data-cnic': digits(m.cnic ?? ''),
                'data-status': m.status,
                class: m.watchlist && fia ? 'hit' : m.status === 'REMOVED' ? 'removed' : undefined,
              },
              el('td', null, ltr(String(group.members.indexOf(m) + 1))),
              el('td', null, m.name),
              el('td', null, m.pass ? ltr(m.pass, 'member-pass') : '—'),
              el(
                'td',
                null,
                (s.groups.travelStates as Record<string, string>)[m.travel] ?? m.travel,
                m.backAt || m.outAt
                  ? el('span', { class: 'muted' }, ` · ${pkDateTime(m.backAt ?? m.outAt, lang)}`)
                  : null,
              ),
              watch
                ? el(
                    'td',
                    { 'data-testid': m.watchlist ? 'member-hit' : undefined },
                    m.watchlist
                      ? el(
                          'strong',
                          null,
                          (s.fia.categories as Record<string, string>)[m.watchlist.category] ??
                            m.watchlist.category,
                        )
                      : '',
                  )
                : null,
              el('td', null, (s.groups.memberStatus as Record<string, string>)[m.status] ?? m.status),
              el('td', null, m.fatherName),
              el('td', null, m.cnic ? ltr(m.cnic) : '—'),
              el('td', null, m.district),
              editable
                ? el(
                    'td',
                    null,
                    m.status === 'REMOVED'
                      ? null
                      : removing === m.cnic
                        ? el(
                            'div',
                            { class: 'confirm', role: 'group', 'aria-label': s.groups.removeMember },
                            el('span', null, format(s.groups.confirmRemove, { name: m.name })),
                            el(
                              'button',
                              {
                                type: 'button',
                                class: 'small primary',
                                disabled: remover.busy,
                                'data-testid': 'member-remove-confirm',
                                onClick: () => remove(m),
                              },
                              s.groups.removeMember,
                            ),
                            el(
                              'button',
                              { type: 'button', class: 'small', onClick: () => setRemoving(undefined) },
                              s.groups.keep,
                            ),
                          )
                        : el(
                            'button',
                            {
                              type: 'button',
                              class: 'small',
                              'aria-label': `${s.groups.removeMember} ${m.name}`,
                              'data-testid': 'member-remove',
                              onClick: () => setRemoving(m.cnic),
                            },
                            s.groups.removeMember,
                          ),
                  )
                : null,
            ),
          ),
        ),
      ),
    ),
  );
}

/** Adds members to a group before departure: the same table as the application. */
function AddMembers({ ctx, group, onAdded }: { ctx: Ctx; group: Group; onAdded: (g: Group) => void }) {
  const { s } = ctx;
  const form = useForm({});
  const members = useMembers();
  const type = GROUP_TYPES.find((t) => t.code === group.passType);
  const send = (event: Event) => {
    event.preventDefault();
    void form.submit(async () => {
      const updated = await members.send((list) =>
        ctx.api.json<Group>('POST', `/groups/${group.number}/members`, { members: list }),
      );
      members.reset();
      onAdded(updated);
      return updated;
    });
  };
  return el(
    'form',
    { class: 'card', onSubmit: send, noValidate: true, 'data-testid': 'add-members' },
    el('h3', null, s.groups.addMembers),
    el('p', { class: 'hint' }, s.groups.addMembersNote),
    el(MemberEditor, {
      s,
      members,
      max: Math.max(0, (type?.group?.maxMembers ?? 500) - group.size),
      listError: form.errors.members,
    }),
    el(Failure, { error: form.failure, s, shownFields: ['members', ...memberPaths(form.failure)] }),
    form.busy ? el(Busy, { s }) : null,
    el(
      'button',
      { type: 'submit', class: 'primary', disabled: form.busy, 'data-testid': 'add-members-submit' },
      s.groups.addSubmit,
    ),
  );
}

/** The group pass and every member's pass, each the API's printable page shown here and printed from here. */
export function GroupPrints({ ctx, number }: { ctx: Ctx; number: string }) {
  const { s } = ctx;
  const [shown, setShown] = useState<{ html: string; title: string } | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const open = (path: string, title: string) => {
    setBusy(true);
    setError(undefined);
    ctx.api
      .blob(`/groups/${number}/${path}`)
      .then(async (blob) => setShown({ html: await blob.text(), title }))
      .catch((e: unknown) => setError(e))
      .finally(() => setBusy(false));
  };
  return el(
    'section',
    { class: 'group-prints', 'aria-labelledby': 'group-prints-title' },
    el('h3', { id: 'group-prints-title', class: 'no-print' }, s.groups.prints),
    el(
      'div',
      { class: 'actions no-print' },
      el(
        'button',
        {
          type: 'button',
          disabled: busy,
          'data-testid': 'print-group',
          onClick: () => open('card', s.groups.printGroup),
        },
        s.groups.printGroup,
      ),
      el(
        'button',
        {
          type: 'button',
          disabled: busy,
          'data-testid': 'print-passes',
          onClick: () => open('passes', s.groups.printPasses),
        },
        s.groups.printPasses,
      ),
    ),
    busy ? el(Busy, { s }) : null,
    el(Failure, { error, s }),
    shown
      ? el(PrintView, { html: shown.html, title: shown.title, s, onClose: () => setShown(undefined) })
      : null,
  );
}

/**
 * A group as its leader or FIA see it: facts, members, prints, and members added or removed before departure.
 * `fia` shows the watchlist column (the leader's answer has no watchlist detail to show in the first place).
 */
export function GroupDetail({
  ctx,
  group,
  fia,
  actions,
  onChanged,
}: {
  ctx: Ctx;
  group: Group;
  fia: boolean;
  /** The decisions a reader may take (FIA's approve, reject, clear), shown under the facts. */
  actions?: ComponentChildren;
  onChanged: () => void;
}) {
  const { s } = ctx;
  const [notice, setNotice] = useState<string | undefined>();
  const open = openForChanges(group);
  const editable = open && (!fia || ctx.session.role === 'fia-officer');
  return el(
    'div',
    {
      'data-testid': 'group',
      'data-status': group.status,
      'data-state': group.state,
      'data-number': group.number,
    },
    notice ? el(Notice, null, notice) : null,
    el('div', { class: 'card' }, el(GroupFacts, { ctx, group })),
    !fia && group.status === 'PENDING' ? el('p', null, s.groups.pendingNote) : null,
    group.status === 'REJECTED' && group.decision?.reason
      ? el(
          'p',
          { class: 'banner bad', dir: 'auto' },
          format(s.groups.rejectedBecause, { reason: group.decision.reason }),
        )
      : null,
    actions,
    // Once approved the passes exist, also while members added later wait for the next approval.
    group.groupPass ? el('div', { class: 'card' }, el(GroupPrints, { ctx, number: group.number })) : null,
    el(
      'div',
      { class: 'card' },
      el(MemberTable, {
        ctx,
        group,
        fia,
        editable,
        onChanged: (message) => {
          setNotice(message);
          onChanged();
        },
      }),
    ),
    editable
      ? el(AddMembers, {
          ctx,
          group,
          onAdded: () => {
            setNotice(s.groups.membersAdded);
            onChanged();
          },
        })
      : !open && group.status !== 'REJECTED'
        ? el('p', { class: 'hint' }, s.groups.closed)
        : null,
  );
}

/** A list of groups (a leader's, a queue, a report) as a table linking to each group's page. */
export function GroupTable({
  ctx,
  groups,
  testid,
  link,
  missing,
  sent,
  leader = true,
}: {
  ctx: Ctx;
  groups: readonly GroupSummary[];
  testid: string;
  link?: (g: GroupSummary) => string;
  /** Rows for each overdue group's missing members. */
  missing?: boolean;
  /** A column of when each was sent, as a queue shows. */
  sent?: boolean;
  /** The leader's column; left out where every group is the same leader's. */
  leader?: boolean;
}) {
  const { s, lang } = ctx;
  const headers = [
    ...(sent ? [s.table.sent] : []),
    s.groups.number,
    // Status beside the number: on a phone those two show before the table scrolls.
    s.groups.status,
    ...(leader ? [s.groups.leader] : []),
    s.groups.departOn,
    s.groups.returnBy,
    s.groups.size,
    s.groups.back,
    s.groups.out,
  ];
  return el(
    'div',
    { class: 'table-wrap', role: 'region', tabIndex: 0, 'aria-label': s.groups.queue },
    el(
      'table',
      { 'data-testid': testid },
      el(
        'thead',
        null,
        el(
          'tr',
          null,
          headers.map((t, i) => el('th', { key: i, scope: 'col' }, t)),
        ),
      ),
      el(
        'tbody',
        null,
        groups.map((g) => [
          el(
            'tr',
            { key: g.number, 'data-number': g.number, 'data-status': g.status, 'data-state': g.state },
            sent ? el('td', null, pkDateTime(g.createdAt, lang)) : null,
            // The number is the link to the group's page, so it is in reach on a phone too.
            el('td', null, link ? el('a', { href: link(g) }, ltr(g.number)) : ltr(g.number)),
            el(
              'td',
              null,
              el(StatusBadge, { s, status: g.status }),
              ' ',
              el(StateBadge, { s, state: g.state }),
            ),
            leader
              ? el(
                  'td',
                  null,
                  g.leader.name,
                  el('br', null),
                  el('span', { class: 'muted' }, g.leader.organization),
                )
              : null,
            el('td', null, pkDay(g.departOn, lang)),
            el('td', null, pkDay(g.returnBy, lang)),
            el('td', null, ltr(String(g.size))),
            el('td', null, ltr(String(g.counts.back))),
            el('td', null, ltr(String(g.counts.out))),
          ),
          missing && g.missing && g.missing.length > 0
            ? el(
                'tr',
                { key: `${g.number}-missing`, class: 'sub' },
                el('td', { colSpan: headers.length }, el(MissingList, { ctx, missing: g.missing })),
              )
            : null,
        ]),
      ),
    ),
  );
}

/** The overdue, uncleared group that stops a leader from opening a new one, if there is one. */
export function blockingGroup(groups: readonly GroupSummary[]): GroupSummary | undefined {
  return groups.find((g) => g.state === 'OVERDUE' && !g.clearance);
}

/** A leader's record over time: each group with its size, how many came back and who is missing. */
export function OrganizerRecord({
  ctx,
  groups,
  link,
}: {
  ctx: Ctx;
  groups: readonly GroupSummary[];
  link: boolean;
}) {
  const { s } = ctx;
  const members = groups.reduce((n, g) => n + g.size, 0);
  const missing = groups.reduce((n, g) => n + (g.state === 'OVERDUE' ? g.counts.out : 0), 0);
  return el(
    'div',
    null,
    el(
      'p',
      { 'data-testid': 'record-totals' },
      format(s.groups.recordTotals, { groups: groups.length, members, missing }),
    ),
    groups.length > 0
      ? el(GroupTable, {
          ctx,
          groups,
          testid: 'organizer-groups',
          missing: true,
          leader: false,
          ...(link ? { link: (g: GroupSummary) => `#/group/${g.number}` } : {}),
        })
      : null,
  );
}
