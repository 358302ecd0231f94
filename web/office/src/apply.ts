// The application form, used by a resident on a phone and by an FIA officer at a counter: pass types in force with
// their dates, crossing points limited to what the district may use, and the API's field errors beside each field.
import type { ComponentChildren } from 'preact';
import {
  allowedPointsFor,
  karachiDate,
  karachiDatePlus,
  PASS_TYPES,
  passTypeInEffect,
} from '../../../shared/domain/pass-types.ts';
import {
  CROSSING_POINTS,
  DISTRICT_CODES,
  DISTRICTS,
  isDistrictCode,
} from '../../../shared/domain/reference.ts';
import { format } from '../../shared/i18n.ts';
import {
  Busy,
  CheckGroup,
  CnicField,
  type Ctx,
  el,
  Failure,
  type Form,
  SelectField,
  TextField,
  useForm,
} from './ui.ts';

/** The fields this form shows, so field errors for anything else go in the banner. */
const FIELDS = [
  'passType',
  'cnic',
  'name',
  'fatherName',
  'district',
  'crossingPoints',
  'validFrom',
  'validUntil',
  'phone',
];

export interface Submitted {
  id: string;
  status: string;
}

/** The types a person applies for on their own: a group type is applied for by its leader (groups.ts). */
const PERSONAL_TYPES = PASS_TYPES.filter((t) => t.group === undefined);

export function applicationForm(cnic = ''): Form {
  const today = karachiDate(new Date());
  const inForce = PERSONAL_TYPES.filter((t) => passTypeInEffect(t, new Date()));
  return useForm(
    {
      passType: inForce[0]?.code ?? '',
      cnic: cnic ? `${cnic.slice(0, 5)}-${cnic.slice(5, 12)}-${cnic.slice(12)}` : '',
      name: '',
      fatherName: '',
      district: '',
      validFrom: today,
      validUntil: karachiDatePlus(new Date(), 89),
      phone: '',
    },
    { crossingPoints: [] },
  );
}

export function ApplicationForm(props: {
  ctx: Ctx;
  form: Form;
  cnicLocked: boolean;
  submitLabel: string;
  onSubmitted: (app: Submitted) => void;
  extra?: ComponentChildren;
  beforeSend?: () => Promise<void>;
}) {
  const { ctx, form } = props;
  const { s } = ctx;
  const type = PERSONAL_TYPES.find((t) => t.code === form.values.passType);
  const district = form.values.district ?? '';
  const points = type && isDistrictCode(district) ? allowedPointsFor(type, district) : [];
  const typeOptions = PERSONAL_TYPES.map((t) => ({
    value: t.code,
    label:
      format(s.passTypeDates, { name: t.name, from: t.effectiveFrom }) +
      (t.effectiveUntil ? format(s.passTypeUntil, { until: t.effectiveUntil }) : ''),
  }));
  const districtOptions = DISTRICT_CODES.filter((d) => !type || type.eligibleDistricts.includes(d)).map(
    (d) => ({
      value: d,
      label: DISTRICTS[d].name,
    }),
  );
  // A change of type or district can take points off the allowed list: the chosen ones keep only those still allowed.
  const keepAllowed = (nextType: string, nextDistrict: string) => {
    const t = PERSONAL_TYPES.find((x) => x.code === nextType);
    const allowed = t && isDistrictCode(nextDistrict) ? allowedPointsFor(t, nextDistrict) : [];
    form.setList(
      'crossingPoints',
      (form.lists.crossingPoints ?? []).filter((p) => (allowed as readonly string[]).includes(p)),
    );
  };
  const send = (event: Event) => {
    event.preventDefault();
    void form.submit(async () => {
      await props.beforeSend?.();
      const v = form.values;
      const created = await ctx.api.json<Submitted>('POST', '/applications', {
        passType: v.passType,
        cnic: v.cnic,
        name: v.name,
        fatherName: v.fatherName,
        district: v.district,
        crossingPoints: form.lists.crossingPoints ?? [],
        validFrom: v.validFrom,
        validUntil: v.validUntil,
        ...(v.phone ? { phone: v.phone } : {}),
      });
      props.onSubmitted(created);
      return created;
    });
  };
  return el(
    'form',
    { class: 'card form', onSubmit: send, noValidate: true, 'data-testid': 'apply-form' },
    el(SelectField, {
      form,
      name: 'passType',
      label: s.fields.passType,
      options: typeOptions,
      onChange: (value) => keepAllowed(value, district),
    }),
    el(CnicField, { form, name: 'cnic', label: s.fields.cnic, s, readOnly: props.cnicLocked }),
    el(TextField, { form, name: 'name', label: s.fields.name, autoComplete: 'name' }),
    el(TextField, { form, name: 'fatherName', label: s.fields.fatherName }),
    el(SelectField, {
      form,
      name: 'district',
      label: s.fields.district,
      options: districtOptions,
      placeholder: s.choose,
      onChange: (value) => keepAllowed(form.values.passType ?? '', value),
    }),
    el(CheckGroup, {
      form,
      name: 'crossingPoints',
      label: s.fields.crossingPoints,
      options: points.map((p) => ({ value: p, label: `${p} · ${CROSSING_POINTS[p].name}` })),
      hint: district ? s.fields.crossingPointsHint : s.chooseDistrict,
      empty: district ? s.noPoints : '',
    }),
    el(
      'div',
      { class: 'pair' },
      el(TextField, { form, name: 'validFrom', label: s.fields.validFrom, type: 'date' }),
      el(TextField, {
        form,
        name: 'validUntil',
        label: s.fields.validUntil,
        type: 'date',
        hint: type ? format(s.fields.validityHint, { days: type.maxValidityDays }) : undefined,
      }),
    ),
    el(TextField, {
      form,
      name: 'phone',
      label: s.fields.phone,
      hint: s.fields.phoneHint,
      type: 'tel',
      inputMode: 'tel',
      dir: 'ltr',
    }),
    props.extra,
    el(Failure, { error: form.failure, s, shownFields: FIELDS }),
    form.busy ? el(Busy, { s }) : null,
    el(
      'button',
      { type: 'submit', class: 'primary', disabled: form.busy, 'data-testid': 'apply-submit' },
      props.submitLabel,
    ),
  );
}
