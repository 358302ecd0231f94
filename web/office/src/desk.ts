// FIA's and the Ministry's desk: the search box on every page, the people it finds best first, a person's whole
// record, and who did what to an application, a pass or a group.
import { type ComponentChildren, Fragment } from 'preact';
import { useId, useState } from 'preact/hooks';
import { DISTRICT_CODES, DISTRICTS } from '../../../shared/domain/reference.ts';
import type { VesselHistoryEntry } from '../../../shared/office-views.ts';
import type { Role } from '../../../shared/roles.ts';
import type {
  HistoryEntry,
  PersonRecord,
  SearchKind,
  SearchResponse,
} from '../../../shared/search-schemas.ts';
import { format } from '../../shared/i18n.ts';
import { ApiError } from './api.ts';
import {
  Busy,
  type Ctx,
  el,
  Failure,
  ltr,
  pkDateTime,
  pkDay,
  SelectField,
  StatusBadge,
  TextField,
  useForm,
  useLoad,
} from './ui.ts';

/** What the search box asks: `q` as typed, and the name search's optional narrowing. */
export interface SearchAsked {
  q: string;
  fatherName: string;
  district: string;
}

/** The page of a search: the question rides in one hash segment, so a result list can be bookmarked or sent back to. */
export function searchHash(asked: SearchAsked): string {
  const params = new URLSearchParams({ q: asked.q.trim() });
  if (asked.fatherName.trim()) params.set('fatherName', asked.fatherName.trim());
  if (asked.district) params.set('district', asked.district);
  return `#/search/${encodeURIComponent(params.toString())}`;
}

export function searchAskedOf(segment: string | undefined): SearchAsked {
  const params = new URLSearchParams(segment ?? '');
  return {
    q: params.get('q') ?? '',
    fatherName: params.get('fatherName') ?? '',
    district: params.get('district') ?? '',
  };
}

/** The person page of a CNIC in any form. */
export const personHash = (cnic: string) => `#/person/${cnic.replace(/[^0-9]/g, '')}`;

const districtName = (code: string | undefined) =>
  code ? (DISTRICTS[code as keyof typeof DISTRICTS]?.name ?? code) : '';

/** A day or a time, kept whole in its own direction beside Latin codes on an Urdu page. */
const day = (value: string, lang: Ctx['lang']) => el('bdi', null, pkDay(value, lang));
const when = (value: string, lang: Ctx['lang']) => el('bdi', null, pkDateTime(value, lang));

const isFia = (ctx: Ctx) => ctx.session.role === 'fia-officer' || ctx.session.role === 'fia-supervisor';

/** Who did something: their role in words and their account, which stays in Latin letters. */
export function ActorText({ ctx, actor }: { ctx: Ctx; actor: { sub: string; role?: Role | string } }) {
  const roles = { ...ctx.s.desk.otherRoles, ...ctx.s.roles } as Record<string, string>;
  const role = actor.role ? (roles[actor.role] ?? actor.role) : '';
  return el(Fragment, null, role ? `${role} ` : '', ltr(actor.sub, 'actor'));
}

/**
 * The search box at the head of every FIA and Ministry page: one field for a number or a name, and the name
 * search's father's name and district folded away until wanted.
 */
export function SearchBox({ ctx, asked }: { ctx: Ctx; asked?: SearchAsked }) {
  const { s } = ctx;
  const form = useForm({
    'search-q': asked?.q ?? '',
    'search-fatherName': asked?.fatherName ?? '',
    'search-district': asked?.district ?? '',
  });
  const narrowed = Boolean(asked?.fatherName || asked?.district);
  const send = (event: Event) => {
    event.preventDefault();
    void form.submit(async () => {
      const q = (form.values['search-q'] ?? '').trim();
      if (!q) throw new ApiError('invalid', 0, undefined, { 'search-q': s.desk.qRequired });
      ctx.go(
        searchHash({
          q,
          fatherName: form.values['search-fatherName'] ?? '',
          district: form.values['search-district'] ?? '',
        }),
      );
    });
  };
  return el(
    'form',
    {
      role: 'search',
      class: 'card search no-print',
      'aria-label': s.desk.searchLabel,
      onSubmit: send,
      noValidate: true,
      'data-testid': 'search-box',
    },
    el(
      'div',
      { class: 'search-row' },
      el(TextField, { form, name: 'search-q', label: s.desk.searchLabel, hint: s.desk.searchHint }),
      el(
        'button',
        { type: 'submit', class: 'primary search-go', 'data-testid': 'search-submit' },
        s.desk.submit,
      ),
    ),
    el(
      'details',
      { class: 'narrow', open: narrowed },
      el('summary', null, s.desk.narrow),
      el(
        'div',
        { class: 'pair' },
        el(TextField, { form, name: 'search-fatherName', label: s.desk.fatherName }),
        el(SelectField, {
          form,
          name: 'search-district',
          label: s.desk.district,
          options: [
            { value: '', label: s.desk.anyDistrict },
            ...DISTRICT_CODES.map((d) => ({ value: d, label: DISTRICTS[d].name })),
          ],
        }),
      ),
    ),
  );
}

/** A page of the desk with the search box above it; the box is made anew for each question asked. */
export function WithSearch({ ctx, route, page }: { ctx: Ctx; route: string[]; page: ComponentChildren }) {
  const asked = route[0] === 'search' ? searchAskedOf(route[1]) : undefined;
  return el(
    Fragment,
    null,
    el(SearchBox, { ctx, asked, key: route[0] === 'search' ? (route[1] ?? '') : 'box' }),
    page,
  );
}

/** Which desk page a route names, if any: the search results or a person. */
export function deskPage(ctx: Ctx, route: string[]): ComponentChildren | undefined {
  // Keyed by the question or the CNIC: a new one starts from nothing rather than showing the last answer meanwhile.
  if (route[0] === 'search')
    return el(SearchPage, { ctx, asked: searchAskedOf(route[1]), key: route[1] ?? '' });
  if (route[0] === 'person' && route[1]) return el(PersonPage, { ctx, cnic: route[1], key: route[1] });
  return undefined;
}

function scoreText(ctx: Ctx, kind: SearchKind, score: number): string {
  if (kind !== 'name') return ctx.s.desk.scoreNumber;
  return format(ctx.s.desk.score, { n: Math.round(score * 100) });
}

function SearchPage({ ctx, asked }: { ctx: Ctx; asked: SearchAsked }) {
  const { s } = ctx;
  const query = new URLSearchParams({ q: asked.q });
  if (asked.fatherName) query.set('fatherName', asked.fatherName);
  if (asked.district) query.set('district', asked.district);
  const result = useLoad(
    async () => (asked.q ? ctx.api.json<SearchResponse>('GET', `/search?${query}`) : undefined),
    [query.toString()],
  );
  const found = result.data;
  return el(
    'section',
    { 'aria-labelledby': 'search-title' },
    el('h2', { id: 'search-title' }, s.desk.results),
    asked.q ? el('p', null, format(s.desk.asked, { q: '' }), el('q', { dir: 'auto' }, asked.q)) : null,
    result.loading && asked.q ? el(Busy, { s, label: s.desk.searching }) : null,
    el(Failure, { error: result.error, s }),
    found
      ? el(
          'p',
          { 'data-testid': 'search-summary', 'data-kind': found.kind, 'data-q': asked.q, role: 'status' },
          s.desk.readAs[found.kind],
          ' ',
          found.items.length === 0 ? s.desk.none : format(s.desk.count, { n: found.items.length }),
        )
      : null,
    found && found.items.length > 0
      ? el(
          'ol',
          { class: 'hits', 'data-testid': 'hits' },
          found.items.map((hit) =>
            el(
              'li',
              { class: 'card hit', key: hit.cnic, 'data-testid': 'hit', 'data-cnic': hit.cnic },
              el(
                'h3',
                null,
                el('a', { href: personHash(hit.cnic), 'data-testid': 'hit-open' }, hit.name),
                ' ',
                el(
                  'span',
                  { class: 'score', 'data-score': hit.score },
                  scoreText(ctx, found.kind, hit.score),
                ),
              ),
              el(
                'dl',
                { class: 'facts' },
                fact(s.fields.fatherName, hit.fatherName),
                fact(s.fields.cnic, ltr(hit.cnic)),
                hit.district ? fact(s.fields.district, districtName(hit.district)) : null,
                fact(
                  s.desk.passes,
                  hit.passes.length === 0
                    ? s.desk.noPasses
                    : el(
                        'ul',
                        { class: 'plain' },
                        hit.passes.map((pass) =>
                          el(
                            'li',
                            { key: pass.number },
                            ltr(pass.number),
                            ' ',
                            el(StatusBadge, { s, status: pass.state }),
                            ' ',
                            ltr(pass.passType),
                          ),
                        ),
                      ),
                ),
              ),
            ),
          ),
        )
      : null,
  );
}

function fact(label: string, value: preact.ComponentChildren) {
  return el('div', { class: 'fact' }, el('dt', null, label), el('dd', null, value));
}

type Crossing = PersonRecord['crossings']['items'][number];

/** The person page: every record the platform holds for one CNIC, each decision with its author. */
function PersonPage({ ctx, cnic }: { ctx: Ctx; cnic: string }) {
  const { s, lang } = ctx;
  const digits = cnic.replace(/[^0-9]/g, '');
  const record = useLoad(() => ctx.api.json<PersonRecord>('GET', `/people/${digits}`), [digits]);
  const [more, setMore] = useState<{ items: Crossing[]; next?: string | undefined }>({ items: [] });
  const [moreError, setMoreError] = useState<unknown>();
  const [moreBusy, setMoreBusy] = useState(false);
  const person = record.data;
  const next = more.items.length > 0 ? more.next : person?.crossings.next;
  const crossings = [...(person?.crossings.items ?? []), ...more.items];
  const loadMore = () => {
    if (!next) return;
    setMoreBusy(true);
    setMoreError(undefined);
    ctx.api
      .json<PersonRecord>('GET', next)
      .then((page) =>
        setMore((m) => ({ items: [...m.items, ...page.crossings.items], next: page.crossings.next })),
      )
      .catch((e: unknown) => setMoreError(e))
      .finally(() => setMoreBusy(false));
  };
  const error = record.error;
  const title = person?.names[0]?.name;
  return el(
    'section',
    { 'aria-labelledby': 'person-title', 'data-testid': 'person', 'data-cnic': person?.cnic },
    el('h2', { id: 'person-title' }, title ? el('bdi', null, title) : s.desk.person),
    el('p', { class: 'person-cnic' }, `${s.fields.cnic} `, ltr(person?.cnic ?? formatDigits(digits))),
    el('p', { class: 'hint' }, s.desk.timesNote),
    record.loading && !person ? el(Busy, { s, label: s.loading }) : null,
    error instanceof ApiError && error.kind === 'not-found'
      ? el('p', { class: 'banner warn', role: 'alert', 'data-testid': 'person-none' }, s.desk.notFound)
      : error instanceof ApiError && error.kind === 'forbidden'
        ? el('p', { class: 'banner bad', role: 'alert', 'data-testid': 'person-forbidden' }, s.desk.forbidden)
        : el(Failure, { error, s }),
    person
      ? el(
          Fragment,
          null,
          person.watchlist !== undefined ? el(WatchlistEntry, { ctx, entry: person.watchlist }) : null,
          el(
            'section',
            { class: 'card', 'aria-labelledby': 'names-title' },
            el('h3', { id: 'names-title' }, s.desk.names),
            el(
              'ul',
              { class: 'plain', 'data-testid': 'names' },
              person.names.map((n) =>
                el(
                  'li',
                  { key: `${n.name}/${n.fatherName}/${n.ref}` },
                  el('strong', null, n.name),
                  ` · ${format(s.desk.sonOf, { father: n.fatherName })} · `,
                  (s.desk.sources as Record<string, string>)[n.source] ?? n.source,
                  ' ',
                  ltr(n.ref),
                ),
              ),
            ),
          ),
          el(PersonApplications, { ctx, person }),
          el(PersonPasses, { ctx, person }),
          el(
            'section',
            { class: 'card', 'aria-labelledby': 'crossings-title' },
            el('h3', { id: 'crossings-title' }, s.desk.crossings),
            crossings.length === 0 ? el('p', null, s.desk.noCrossings) : null,
            crossings.length > 0
              ? el(
                  'div',
                  {
                    class: 'table-wrap',
                    role: 'region',
                    tabIndex: 0,
                    'aria-labelledby': 'crossings-title',
                  },
                  el(
                    'table',
                    { 'data-testid': 'person-crossings', class: 'one-line' },
                    el(
                      'thead',
                      null,
                      el(
                        'tr',
                        null,
                        [
                          s.table.at,
                          s.desk.credential,
                          s.table.checkpoint,
                          s.table.direction,
                          s.table.verdict,
                        ].map((t) => el('th', { key: t, scope: 'col' }, t)),
                      ),
                    ),
                    el(
                      'tbody',
                      null,
                      crossings.map((c, i) =>
                        el(
                          'tr',
                          { key: `${c.at}/${c.credential}/${i}` },
                          el('td', null, when(c.at, lang)),
                          el('td', null, ltr(c.credential)),
                          el('td', null, ltr(c.checkpoint)),
                          el(
                            'td',
                            null,
                            (s.desk.directions as Record<string, string>)[c.direction] ?? c.direction,
                          ),
                          el('td', null, c.verdict ? ltr(c.verdict) : ''),
                        ),
                      ),
                    ),
                  ),
                )
              : null,
            next
              ? el(
                  'button',
                  { type: 'button', onClick: loadMore, disabled: moreBusy, 'data-testid': 'more-crossings' },
                  s.desk.moreCrossings,
                )
              : null,
            moreBusy ? el(Busy, { s }) : null,
            el(Failure, { error: moreError, s }),
          ),
          el(PersonGroups, { ctx, person }),
          el(
            'section',
            { class: 'card', 'aria-labelledby': 'boats-title' },
            el('h3', { id: 'boats-title' }, s.desk.boats),
            person.vessels.length === 0
              ? el('p', null, s.desk.noBoats)
              : el(
                  'ul',
                  { class: 'plain', 'data-testid': 'person-boats' },
                  person.vessels.map((v) =>
                    el(
                      'li',
                      { key: v.officialNumber },
                      ltr(v.officialNumber),
                      ` ${v.name} · ${v.homePort} `,
                      el(StatusBadge, { s, status: v.status }),
                      isFia(ctx) ? el(BoatHistory, { ctx, number: v.officialNumber }) : null,
                    ),
                  ),
                ),
          ),
        )
      : null,
  );
}

/** A boat's history, read only when asked for: most people own no boat, and a desk opens many records. */
function BoatHistory({ ctx, number }: { ctx: Ctx; number: string }) {
  const [open, setOpen] = useState(false);
  return el(
    'details',
    {
      class: 'boat-history',
      'data-testid': 'boat-history',
      onToggle: (event: Event) => setOpen((event.currentTarget as HTMLDetailsElement).open),
    },
    el('summary', null, ctx.s.desk.history),
    open
      ? el(HistoryList, { ctx, path: `/vessels/${encodeURIComponent(number)}/history`, heading: 4 })
      : null,
  );
}

function formatDigits(digits: string): string {
  return digits.length === 13 ? `${digits.slice(0, 5)}-${digits.slice(5, 12)}-${digits.slice(12)}` : digits;
}

function WatchlistEntry({ ctx, entry }: { ctx: Ctx; entry: NonNullable<PersonRecord['watchlist']> | null }) {
  const { s, lang } = ctx;
  if (entry === null)
    return el(
      'p',
      { class: 'banner ok', 'data-testid': 'person-watch', 'data-listed': 'no' },
      s.fia.notListed,
    );
  return el(
    'div',
    { class: 'banner warn', 'data-testid': 'person-watch', 'data-listed': 'yes' },
    el(
      'p',
      null,
      format(s.fia.listed, {
        category: (s.fia.categories as Record<string, string>)[entry.category] ?? entry.category,
        reason: entry.reason,
      }),
    ),
    el(
      'p',
      null,
      s.desk.listedBy,
      ' ',
      el(ActorText, { ctx, actor: entry.addedBy }),
      ', ',
      when(entry.addedAt, lang),
    ),
  );
}

function PersonApplications({ ctx, person }: { ctx: Ctx; person: PersonRecord }) {
  const { s, lang } = ctx;
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'apps-title' },
    el('h3', { id: 'apps-title' }, s.desk.applications),
    person.applications.length === 0 ? el('p', null, s.desk.noApplications) : null,
    el(
      'ul',
      { class: 'plain records', 'data-testid': 'person-applications' },
      person.applications.map((a) =>
        el(
          'li',
          { key: a.id, 'data-testid': 'person-application', 'data-status': a.status },
          el(
            'p',
            null,
            el('strong', null, a.reference ? ltr(a.reference, 'reference') : ltr(a.id)),
            ' ',
            el(StatusBadge, { s, status: a.status }),
            ' ',
            ltr(a.passType),
            ' · ',
            day(a.validFrom, lang),
            ' – ',
            day(a.validUntil, lang),
          ),
          el(
            'p',
            { class: 'muted' },
            s.desk.sent,
            ' ',
            when(a.createdAt, lang),
            ', ',
            el(ActorText, { ctx, actor: a.submittedBy }),
          ),
          a.decision
            ? el(
                'p',
                { 'data-testid': 'decision' },
                (s.desk.decided as Record<string, string>)[a.status] ?? s.desk.decided.other,
                ' ',
                when(a.decision.at, lang),
                ', ',
                el(ActorText, { ctx, actor: a.decision.by }),
                a.decision.reason
                  ? el(Fragment, null, '. ', s.desk.because, ' ', el('q', { dir: 'auto' }, a.decision.reason))
                  : null,
              )
            : null,
          el(
            'p',
            { class: 'links' },
            isFia(ctx) ? el('a', { href: `#/application/${a.id}` }, s.desk.openApplication) : null,
            a.passNumber && isFia(ctx)
              ? el(
                  'a',
                  { href: `#/pass/${a.passNumber}` },
                  format(s.desk.openPass, { no: '' }),
                  ltr(a.passNumber),
                )
              : null,
          ),
        ),
      ),
    ),
  );
}

function PersonPasses({ ctx, person }: { ctx: Ctx; person: PersonRecord }) {
  const { s, lang } = ctx;
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'passes-title' },
    el('h3', { id: 'passes-title' }, s.desk.passes),
    person.passes.length === 0 ? el('p', null, s.desk.noPasses) : null,
    el(
      'ul',
      { class: 'plain records', 'data-testid': 'person-passes' },
      person.passes.map((p) =>
        el(
          'li',
          { key: p.number, 'data-state': p.state },
          el(
            'p',
            null,
            el(
              'strong',
              null,
              isFia(ctx) ? el('a', { href: `#/pass/${p.number}` }, ltr(p.number)) : ltr(p.number),
            ),
            ' ',
            el(StatusBadge, { s, status: p.state }),
            ' ',
            ltr(p.passType),
            ' · ',
            day(p.validFrom, lang),
            ' – ',
            day(p.validUntil, lang),
            p.group ? el(Fragment, null, ' · ', s.desk.group, ' ', ltr(p.group)) : null,
          ),
          el(
            'p',
            { class: 'muted' },
            s.desk.issued,
            ' ',
            when(p.issuedAt, lang),
            ', ',
            el(ActorText, { ctx, actor: p.issuedBy }),
          ),
          p.revocation
            ? el(
                'p',
                null,
                s.desk.revoked,
                ' ',
                when(p.revocation.at, lang),
                ', ',
                el(ActorText, { ctx, actor: p.revocation.by }),
                '. ',
                s.desk.because,
                ' ',
                el('q', { dir: 'auto' }, p.revocation.reason),
              )
            : null,
        ),
      ),
    ),
  );
}

function PersonGroups({ ctx, person }: { ctx: Ctx; person: PersonRecord }) {
  const { s, lang } = ctx;
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'groups-title' },
    el('h3', { id: 'groups-title' }, s.desk.groups),
    person.groups.length === 0 ? el('p', null, s.desk.noGroups) : null,
    el(
      'ul',
      { class: 'plain', 'data-testid': 'person-groups' },
      person.groups.map((g) =>
        el(
          'li',
          { key: `${g.number}/${g.role}` },
          isFia(ctx) ? el('a', { href: `#/group/${g.number}` }, ltr(g.number)) : ltr(g.number),
          ' ',
          g.role === 'leader' ? s.desk.asLeader : s.desk.asMember,
          ' ',
          el(StatusBadge, { s, status: g.status }),
          ' · ',
          day(g.departOn, lang),
          ' – ',
          day(g.returnBy, lang),
          g.pass ? el(Fragment, null, ' · ', ltr(g.pass)) : null,
        ),
      ),
    ),
  );
}

/** One thing done to a record as a history answers it: a boat's keeps its reason among the details. */
type HistoryItem = HistoryEntry | VesselHistoryEntry;

function reasonOf(item: HistoryItem): string | undefined {
  if ('reason' in item && item.reason) return item.reason;
  const reason = item.detail?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

/** Who did what to a record, oldest first, from its audit items: the action, its author, when, and why. */
export function HistoryList({ ctx, path, heading = 3 }: { ctx: Ctx; path: string; heading?: 3 | 4 }) {
  const { s, lang } = ctx;
  const titleId = useId();
  const history = useLoad(() => ctx.api.json<{ items: HistoryItem[] }>('GET', path), [path]);
  return el(
    'section',
    { class: 'history', 'aria-labelledby': titleId, 'data-testid': 'record-history' },
    el(`h${heading}`, { id: titleId }, s.desk.history),
    el('p', { class: 'hint' }, s.desk.timesNote),
    history.loading && !history.data ? el(Busy, { s, label: s.loading }) : null,
    el(Failure, { error: history.error, s }),
    history.data && history.data.items.length === 0 ? el('p', null, s.desk.noHistory) : null,
    history.data && history.data.items.length > 0
      ? el(
          'ol',
          { class: 'plain records' },
          history.data.items.map((h, i) =>
            el(
              'li',
              { key: `${h.at}/${i}`, 'data-action': h.action },
              el('time', { dateTime: h.at }, when(h.at, lang)),
              ' · ',
              el('strong', null, (s.desk.actions as Record<string, string>)[h.action] ?? h.action),
              ' · ',
              el(ActorText, { ctx, actor: h.actor }),
              reasonOf(h) ? el('p', null, s.desk.because, ' ', el('q', { dir: 'auto' }, reasonOf(h))) : null,
            ),
          ),
        )
      : null,
  );
}
