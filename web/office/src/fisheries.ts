// Fisheries officers' pages: register a boat, find boats by port or owner, and renew, suspend, reinstate, transfer or
// cancel one, with its history and its certificate to print.
import { useState } from 'preact/hooks';
import { karachiDate, karachiDatePlus } from '../../../shared/domain/pass-types.ts';
import { PORT_CODES, PORTS } from '../../../shared/domain/reference.ts';
import {
  BOAT_TYPE_CODES,
  BOAT_TYPES,
  FISHING_GEAR,
  FISHING_GEAR_CODES,
  HULL_MATERIAL_CODES,
  HULL_MATERIALS,
  latestLicenceDay,
  VESSEL_STATUSES,
} from '../../../shared/domain/vessel.ts';
import type { VesselHistoryEntry } from '../../../shared/office-views.ts';
import { format } from '../../shared/i18n.ts';
import { ActorText } from './desk.ts';
import {
  Busy,
  CheckGroup,
  CnicField,
  type Ctx,
  cursorOf,
  el,
  Failure,
  type Form,
  ltr,
  Notice,
  Pager,
  PrintView,
  pkDateTime,
  pkDay,
  SelectField,
  StatusBadge,
  saveBlob,
  TextField,
  useForm,
  useLoad,
  usePager,
} from './ui.ts';

interface VesselView {
  officialNumber: string;
  status: string;
  name: string;
  type: string;
  homePort: string;
  owner: { name: string; fatherName: string; cnic: string; address: string };
  lengthOverallM: number;
  grossTonnageGt: number;
  engine?: { make: string; powerHp: number };
  hullMaterial: string;
  fishingGear: string[];
  maxCrew: number;
  licenceValidFrom: string;
  licenceValidUntil: string;
  certificate: { serial: string; revoked: boolean };
  suspension?: { reason: string };
  cancellation?: { reason: string };
}

export function FisheriesPages({ ctx, route }: { ctx: Ctx; route: string[] }) {
  if (route[0] === 'boat' && route[1]) return el(BoatPage, { ctx, number: route[1] });
  if (route[0] === 'find') return el(FindPage, { ctx });
  return el(RegisterPage, { ctx });
}

/** A measure as the API takes it: a number, or the text as typed so the API can say it is not one. */
function measure(value: string | undefined): number | string | undefined {
  const text = (value ?? '').trim();
  if (text === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

const bilingual = (ctx: Ctx, names: { en: string; ur: string }) => (ctx.lang === 'ur' ? names.ur : names.en);

function OwnerFields({ ctx, form, prefix }: { ctx: Ctx; form: Form; prefix: string }) {
  const { s } = ctx;
  return el(
    'fieldset',
    { class: 'field' },
    el('legend', null, s.fisheries.owner),
    el(TextField, { form, name: `${prefix}/name`, label: s.fisheries.ownerName }),
    el(TextField, { form, name: `${prefix}/fatherName`, label: s.fisheries.ownerFather }),
    el(CnicField, { form, name: `${prefix}/cnic`, label: s.fisheries.ownerCnic, s }),
    el(TextField, { form, name: `${prefix}/address`, label: s.fisheries.ownerAddress, multiline: true }),
  );
}

const ownerOf = (form: Form, prefix: string) => ({
  name: form.values[`${prefix}/name`] ?? '',
  fatherName: form.values[`${prefix}/fatherName`] ?? '',
  cnic: form.values[`${prefix}/cnic`] ?? '',
  address: form.values[`${prefix}/address`] ?? '',
});

const REGISTER_FIELDS = [
  'name',
  'type',
  'homePort',
  'owner',
  'owner/name',
  'owner/fatherName',
  'owner/cnic',
  'owner/address',
  'lengthOverallM',
  'grossTonnageGt',
  'engine',
  'engine/make',
  'engine/powerHp',
  'hullMaterial',
  'fishingGear',
  'maxCrew',
  'licenceValidFrom',
  'licenceValidUntil',
];

function RegisterPage({ ctx }: { ctx: Ctx }) {
  const { s } = ctx;
  const today = karachiDate(new Date());
  const form = useForm(
    {
      name: '',
      type: 'LAUNCH',
      homePort: ctx.session.port ?? '',
      lengthOverallM: '',
      grossTonnageGt: '',
      'engine/make': '',
      'engine/powerHp': '',
      hullMaterial: 'WOOD',
      maxCrew: '',
      licenceValidFrom: today,
      licenceValidUntil: latestLicenceDay(today),
    },
    { fishingGear: [] },
  );
  const send = (event: Event) => {
    event.preventDefault();
    void form.submit(async () => {
      const v = form.values;
      const engine = (v['engine/make'] ?? '').trim() || (v['engine/powerHp'] ?? '').trim();
      const created = await ctx.api.json<{ officialNumber: string }>('POST', '/vessels', {
        name: v.name,
        type: v.type,
        homePort: v.homePort,
        owner: ownerOf(form, 'owner'),
        lengthOverallM: measure(v.lengthOverallM),
        grossTonnageGt: measure(v.grossTonnageGt),
        ...(engine
          ? { engine: { make: v['engine/make'] ?? '', powerHp: measure(v['engine/powerHp']) } }
          : {}),
        hullMaterial: v.hullMaterial,
        fishingGear: form.lists.fishingGear ?? [],
        maxCrew: measure(v.maxCrew),
        licenceValidFrom: v.licenceValidFrom,
        licenceValidUntil: v.licenceValidUntil,
      });
      ctx.go(`#/boat/${created.officialNumber}`);
    });
  };
  return el(
    'section',
    null,
    el('h2', null, s.fisheries.register),
    !ctx.session.port ? el('p', { class: 'banner warn' }, s.fisheries.readOnly) : null,
    el(
      'form',
      { class: 'card form', onSubmit: send, noValidate: true, 'data-testid': 'register-form' },
      el(TextField, { form, name: 'name', label: s.fisheries.name }),
      el(SelectField, {
        form,
        name: 'type',
        label: s.fisheries.type,
        options: BOAT_TYPE_CODES.map((c) => ({ value: c, label: bilingual(ctx, BOAT_TYPES[c]) })),
      }),
      el(SelectField, {
        form,
        name: 'homePort',
        label: s.fisheries.homePort,
        placeholder: s.choose,
        options: PORT_CODES.map((c) => ({ value: c, label: `${c} · ${PORTS[c].name}` })),
      }),
      el(OwnerFields, { ctx, form, prefix: 'owner' }),
      el(
        'div',
        { class: 'pair' },
        el(TextField, {
          form,
          name: 'lengthOverallM',
          label: s.fisheries.length,
          inputMode: 'decimal',
          dir: 'ltr',
        }),
        el(TextField, {
          form,
          name: 'grossTonnageGt',
          label: s.fisheries.tonnage,
          inputMode: 'decimal',
          dir: 'ltr',
        }),
        el(TextField, { form, name: 'engine/make', label: s.fisheries.engineMake }),
        el(TextField, {
          form,
          name: 'engine/powerHp',
          label: s.fisheries.enginePower,
          inputMode: 'decimal',
          dir: 'ltr',
        }),
      ),
      el(SelectField, {
        form,
        name: 'hullMaterial',
        label: s.fisheries.hull,
        options: HULL_MATERIAL_CODES.map((c) => ({ value: c, label: bilingual(ctx, HULL_MATERIALS[c]) })),
      }),
      el(CheckGroup, {
        form,
        name: 'fishingGear',
        label: s.fisheries.gear,
        options: FISHING_GEAR_CODES.map((c) => ({ value: c, label: bilingual(ctx, FISHING_GEAR[c]) })),
      }),
      el(TextField, { form, name: 'maxCrew', label: s.fisheries.maxCrew, inputMode: 'numeric', dir: 'ltr' }),
      el(
        'div',
        { class: 'pair' },
        el(TextField, { form, name: 'licenceValidFrom', label: s.fisheries.licenceFrom, type: 'date' }),
        el(TextField, { form, name: 'licenceValidUntil', label: s.fisheries.licenceUntil, type: 'date' }),
      ),
      el(Failure, { error: form.failure, s, shownFields: REGISTER_FIELDS }),
      form.busy ? el(Busy, { s }) : null,
      el(
        'button',
        { type: 'submit', class: 'primary', disabled: form.busy, 'data-testid': 'register-submit' },
        s.fisheries.submit,
      ),
    ),
  );
}

interface BoatRow {
  officialNumber: string;
  name: string;
  status: string;
  homePort: string;
  owner: { name: string; cnic: string };
  licenceValidUntil: string;
}

function FindPage({ ctx }: { ctx: Ctx }) {
  const { s, lang } = ctx;
  const form = useForm({ port: ctx.session.port ?? 'GWD', ownerCnic: '', status: '' });
  const [query, setQuery] = useState(() =>
    new URLSearchParams({ port: ctx.session.port ?? 'GWD' }).toString(),
  );
  const pager = usePager();
  const page = useLoad(
    () =>
      ctx.api.json<{ items: BoatRow[]; next?: string }>(
        'GET',
        `/vessels?${query}&limit=20${pager.cursor ? `&cursor=${encodeURIComponent(pager.cursor)}` : ''}`,
      ),
    [query, pager.cursor],
  );
  const search = (event: Event) => {
    event.preventDefault();
    const v = form.values;
    const owner = (v.ownerCnic ?? '').replace(/[^0-9]/g, '');
    const params = new URLSearchParams({
      ...(owner ? { ownerCnic: owner } : { port: v.port ?? '' }),
      ...(v.status ? { status: v.status } : {}),
    });
    pager.reset();
    setQuery(params.toString());
  };
  return el(
    'section',
    null,
    el('h2', null, s.fisheries.find),
    el(
      'form',
      { class: 'card filters', onSubmit: search, noValidate: true },
      el(SelectField, {
        form,
        name: 'port',
        label: s.fisheries.byPort,
        options: PORT_CODES.map((c) => ({ value: c, label: `${c} · ${PORTS[c].name}` })),
      }),
      el(CnicField, { form, name: 'ownerCnic', label: s.fisheries.byOwner, s }),
      el(SelectField, {
        form,
        name: 'status',
        label: s.fields.status,
        options: [
          { value: '', label: s.fia.all },
          ...VESSEL_STATUSES.map((st) => ({ value: st, label: s.status[st] })),
        ],
      }),
      el('button', { type: 'submit', 'data-testid': 'find-submit' }, s.fisheries.search),
    ),
    page.loading ? el(Busy, { s, label: s.loading }) : null,
    el(Failure, { error: page.error, s }),
    page.data && page.data.items.length === 0 ? el('p', null, s.fisheries.empty) : null,
    page.data && page.data.items.length > 0
      ? el(
          'div',
          { class: 'table-wrap', role: 'region', tabIndex: 0, 'aria-label': s.fisheries.find },
          el(
            'table',
            { 'data-testid': 'boats' },
            el(
              'thead',
              null,
              el(
                'tr',
                null,
                [s.table.number, s.table.name, s.table.owner, s.table.status, s.table.validUntil].map((t) =>
                  el('th', { key: t, scope: 'col' }, t),
                ),
              ),
            ),
            el(
              'tbody',
              null,
              page.data.items.map((b) =>
                el(
                  'tr',
                  { key: b.officialNumber, 'data-number': b.officialNumber },
                  el('td', null, el('a', { href: `#/boat/${b.officialNumber}` }, ltr(b.officialNumber))),
                  el('td', null, b.name),
                  el('td', null, b.owner.name, ' ', ltr(b.owner.cnic)),
                  el('td', null, el(StatusBadge, { s, status: b.status })),
                  el('td', null, pkDay(b.licenceValidUntil, lang)),
                ),
              ),
            ),
          ),
        )
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

type Change = 'renew' | 'suspend' | 'reinstate' | 'transfer' | 'cancel';

function BoatPage({ ctx, number }: { ctx: Ctx; number: string }) {
  const { s, lang } = ctx;
  const boat = useLoad(
    () => ctx.api.json<VesselView>('GET', `/vessels/${encodeURIComponent(number)}`),
    [number],
  );
  const history = useLoad(
    () =>
      ctx.api.json<{ items: VesselHistoryEntry[] }>('GET', `/vessels/${encodeURIComponent(number)}/history`),
    [number, boat.data?.certificate.serial, boat.data?.status],
  );
  const [change, setChange] = useState<Change | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [certificate, setCertificate] = useState<string | undefined>();
  const files = useForm({});
  const v = boat.data;
  const own = v !== undefined && ctx.session.port === v.homePort;
  const possible: Change[] = !v
    ? []
    : v.status === 'ACTIVE'
      ? ['renew', 'suspend', 'transfer', 'cancel']
      : v.status === 'SUSPENDED'
        ? ['reinstate', 'cancel']
        : [];
  return el(
    'section',
    null,
    el('h2', null, format(s.fisheries.boat, { no: '' }), ltr(number)),
    boat.loading && !v ? el(Busy, { s, label: s.loading }) : null,
    el(Failure, { error: boat.error, s }),
    notice ? el(Notice, null, notice) : null,
    v
      ? el(
          'div',
          { class: 'card', 'data-testid': 'boat', 'data-status': v.status },
          el('h3', null, v.name, ' ', el(StatusBadge, { s, status: v.status })),
          v.suspension && v.status === 'SUSPENDED'
            ? el(
                'p',
                { class: 'banner warn' },
                format(s.fisheries.suspension, { reason: v.suspension.reason }),
              )
            : null,
          v.cancellation && v.status === 'CANCELLED'
            ? el(
                'p',
                { class: 'banner bad' },
                format(s.fisheries.cancellation, { reason: v.cancellation.reason }),
              )
            : null,
          el(
            'dl',
            { class: 'facts' },
            fact(
              s.fisheries.type,
              BOAT_TYPES[v.type as 'LAUNCH'] ? bilingual(ctx, BOAT_TYPES[v.type as 'LAUNCH']) : v.type,
            ),
            fact(s.fisheries.homePort, `${v.homePort} · ${PORTS[v.homePort as 'GWD']?.name ?? ''}`),
            fact(s.fisheries.ownerName, v.owner.name),
            fact(s.fisheries.ownerCnic, ltr(v.owner.cnic)),
            fact(s.fisheries.maxCrew, ltr(String(v.maxCrew))),
            fact(s.fisheries.length, ltr(String(v.lengthOverallM))),
            fact(
              format(s.fisheries.certificate, { serial: '' }),
              el('span', { 'data-testid': 'serial' }, ltr(v.certificate.serial)),
            ),
            fact(s.fisheries.licenceUntil, pkDay(v.licenceValidUntil, lang)),
          ),
          el(
            'div',
            { class: 'actions' },
            el(
              'button',
              {
                type: 'button',
                disabled: files.busy,
                onClick: () =>
                  void files.submit(async () =>
                    setCertificate(await (await ctx.api.blob(`/vessels/${number}/certificate`)).text()),
                  ),
                'data-testid': 'print-certificate',
              },
              s.fisheries.printCertificate,
            ),
            el(
              'button',
              {
                type: 'button',
                disabled: files.busy,
                onClick: () =>
                  void files.submit(async () =>
                    saveBlob(
                      await ctx.api.blob(`/vessels/${number}/qr.png`),
                      `${v.certificate.serial.replace('/', '-')}.png`,
                    ),
                  ),
              },
              s.fisheries.downloadPng,
            ),
          ),
          files.busy ? el(Busy, { s }) : null,
          el(Failure, { error: files.failure, s }),
          certificate
            ? el(PrintView, {
                html: certificate,
                title: s.fisheries.printCertificate,
                s,
                onClose: () => setCertificate(undefined),
              })
            : null,
          own && possible.length > 0
            ? el(
                'div',
                { class: 'actions no-print', role: 'group', 'aria-label': s.fields.status },
                possible.map((c) =>
                  el(
                    'button',
                    {
                      type: 'button',
                      key: c,
                      'aria-pressed': change === c ? 'true' : 'false',
                      'data-testid': `change-${c}`,
                      onClick: () => setChange(change === c ? undefined : c),
                    },
                    changeLabel(ctx, c),
                  ),
                ),
              )
            : null,
          own && change && possible.includes(change)
            ? el(ChangeForm, {
                ctx,
                number,
                change,
                key: change,
                onDone: (next: VesselView) => {
                  setChange(undefined);
                  setNotice(
                    format(s.fisheries.done, {
                      status: s.status[next.status as 'ACTIVE'] ?? next.status,
                      serial: next.certificate.serial,
                    }),
                  );
                  boat.reload();
                },
              })
            : null,
        )
      : null,
    el('h3', { id: 'boat-history' }, s.fisheries.history),
    el('p', { class: 'hint' }, s.desk.timesNote),
    history.loading ? el(Busy, { s, label: s.loading }) : null,
    el(Failure, { error: history.error, s }),
    history.data
      ? el(
          'div',
          { class: 'table-wrap', role: 'region', tabIndex: 0, 'aria-labelledby': 'boat-history' },
          el(
            'table',
            { 'data-testid': 'history' },
            el(
              'thead',
              null,
              el(
                'tr',
                null,
                [s.table.at, s.table.action, s.table.by, s.table.detail].map((t) =>
                  el('th', { key: t, scope: 'col' }, t),
                ),
              ),
            ),
            el(
              'tbody',
              null,
              history.data.items.map((h, i) =>
                el(
                  'tr',
                  { key: i },
                  el('td', null, pkDateTime(h.at, lang)),
                  el('td', null, ltr(h.action)),
                  el('td', null, el(ActorText, { ctx, actor: h.actor })),
                  el('td', null, h.detail ? detailText(h.detail) : ''),
                ),
              ),
            ),
          ),
        )
      : null,
  );
}

function detailText(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .filter(([, value]) => typeof value === 'string' || typeof value === 'number')
    .map(([key, value]) => `${key}: ${value}`)
    .join('; ');
}

function changeLabel(ctx: Ctx, change: Change): string {
  const f = ctx.s.fisheries;
  return {
    renew: f.renew,
    suspend: f.suspend,
    reinstate: f.reinstate,
    transfer: f.transfer,
    cancel: f.cancel,
  }[change];
}

function ChangeForm({
  ctx,
  number,
  change,
  onDone,
}: {
  ctx: Ctx;
  number: string;
  change: Change;
  onDone: (boat: VesselView) => void;
}) {
  const { s } = ctx;
  const form = useForm({
    reason: '',
    note: '',
    licenceValidUntil: change === 'renew' ? karachiDatePlus(new Date(), 364) : '',
  });
  const body = (): Record<string, unknown> => {
    const v = form.values;
    switch (change) {
      case 'renew':
        return { licenceValidUntil: v.licenceValidUntil };
      case 'suspend':
      case 'cancel':
        return { reason: v.reason };
      case 'reinstate':
        return {
          ...((v.note ?? '').trim() ? { note: v.note } : {}),
          ...(v.licenceValidUntil ? { licenceValidUntil: v.licenceValidUntil } : {}),
        };
      case 'transfer':
        return { owner: ownerOf(form, 'owner') };
    }
  };
  const send = (event: Event) => {
    event.preventDefault();
    void form.submit(async () =>
      onDone(await ctx.api.json<VesselView>('POST', `/vessels/${number}/${change}`, body())),
    );
  };
  const fields =
    change === 'renew'
      ? [
          el(TextField, {
            form,
            name: 'licenceValidUntil',
            label: s.fisheries.renewUntil,
            type: 'date',
            key: 'u',
          }),
        ]
      : change === 'suspend' || change === 'cancel'
        ? [el(TextField, { form, name: 'reason', label: s.fields.reason, multiline: true, key: 'r' })]
        : change === 'reinstate'
          ? [
              el(TextField, { form, name: 'note', label: s.fields.note, multiline: true, key: 'n' }),
              el(TextField, {
                form,
                name: 'licenceValidUntil',
                label: s.fisheries.reinstateUntil,
                type: 'date',
                key: 'u',
              }),
            ]
          : [el(OwnerFields, { ctx, form, prefix: 'owner', key: 'o' })];
  return el(
    'form',
    { class: 'card form no-print', onSubmit: send, noValidate: true, 'data-testid': `form-${change}` },
    el('h4', null, changeLabel(ctx, change)),
    ...fields,
    el(Failure, {
      error: form.failure,
      s,
      shownFields: [
        'reason',
        'note',
        'licenceValidUntil',
        'owner',
        'owner/name',
        'owner/fatherName',
        'owner/cnic',
        'owner/address',
      ],
    }),
    form.busy ? el(Busy, { s }) : null,
    el(
      'button',
      { type: 'submit', class: 'primary', disabled: form.busy, 'data-testid': `send-${change}` },
      changeLabel(ctx, change),
    ),
  );
}

function fact(label: string, value: preact.ComponentChildren) {
  return el('div', { class: 'fact' }, el('dt', null, label), el('dd', null, value));
}
