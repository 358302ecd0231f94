// The office pages' shared parts: labelled fields that show the API's field errors beside them, the error banner
// that says what to do next, progress, paging, Pakistan-time dates, CNIC typing help, downloads and printing.
import { type ComponentChildren, h } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { parseCnic } from '../../../shared/domain/cnic.ts';
import { format, type Lang } from '../../shared/i18n.ts';
import { type Api, ApiError } from './api.ts';
import type { Session } from './session.ts';
import type { Strings } from './strings.ts';

export const el = h;

/** What every page is handed: the words, the API with the login, and a way to move to another page. */
export interface Ctx {
  s: Strings;
  lang: Lang;
  api: Api;
  session: Session;
  go: (hash: string) => void;
}

/** Form state that survives a refused request: values stay as typed, errors are keyed by the API's field path. */
export interface Form {
  values: Record<string, string>;
  lists: Record<string, string[]>;
  errors: Record<string, string>;
  failure: ApiError | Error | undefined;
  busy: boolean;
  set: (name: string, value: string) => void;
  setList: (name: string, value: string[]) => void;
  /** Runs a request; on refusal keeps every value and shows the errors, on success returns its result. */
  submit: <T>(send: () => Promise<T>) => Promise<T | undefined>;
  clearFailure: () => void;
}

export function useForm(initial: Record<string, string>, initialLists: Record<string, string[]> = {}): Form {
  const [values, setValues] = useState(initial);
  const [lists, setLists] = useState(initialLists);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<ApiError | Error | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  return {
    values,
    lists,
    errors,
    failure,
    busy,
    set: (name, value) => setValues((v) => ({ ...v, [name]: value })),
    setList: (name, value) => setLists((v) => ({ ...v, [name]: value })),
    clearFailure: () => {
      setFailure(undefined);
      setErrors({});
    },
    async submit(send) {
      setBusy(true);
      setFailure(undefined);
      setErrors({});
      try {
        return await send();
      } catch (error) {
        const failed = error instanceof Error ? error : new Error(String(error));
        setFailure(failed);
        if (failed instanceof ApiError) {
          setErrors({ ...failed.fields });
          // Keyboard users land on the first field to fix.
          queueMicrotask(() => {
            const first = document.querySelector<HTMLElement>('[aria-invalid="true"]');
            first?.focus();
          });
        }
        return undefined;
      } finally {
        setBusy(false);
      }
    },
  };
}

const fieldId = (name: string) => `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

interface FieldProps {
  form: Form;
  name: string;
  label: string;
  hint?: string | undefined;
  type?: string;
  inputMode?: 'numeric' | 'decimal' | 'tel' | 'email' | 'text';
  autoComplete?: string;
  readOnly?: boolean;
  required?: boolean;
  dir?: 'ltr' | 'auto';
  onValue?: (value: string) => string;
  multiline?: boolean;
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

function FieldShell(props: {
  name: string;
  id: string;
  label: string;
  hint?: ComponentChildren;
  error?: string | undefined;
  children?: ComponentChildren;
}) {
  return el(
    'div',
    { class: props.error ? 'field invalid' : 'field', 'data-field': props.name },
    el('label', { for: props.id }, props.label),
    props.children,
    props.hint ? el('p', { class: 'hint', id: `${props.id}-hint` }, props.hint) : null,
    props.error
      ? el(
          'p',
          {
            class: 'field-error',
            id: `${props.id}-error`,
            dir: 'auto',
            'data-testid': `error-${props.name}`,
          },
          props.error,
        )
      : null,
  );
}

export function TextField(props: FieldProps) {
  const { form, name } = props;
  const id = fieldId(name);
  const error = form.errors[name];
  const common = {
    id,
    name,
    value: form.values[name] ?? '',
    'aria-invalid': error ? 'true' : 'false',
    'aria-describedby': describedBy(id, props.hint, error),
    readOnly: props.readOnly,
    required: props.required,
    // A Latin name typed on an Urdu page, or the reverse, keeps its own direction.
    dir: props.dir ?? 'auto',
    onInput: (event: Event) => {
      const raw = (event.currentTarget as HTMLInputElement).value;
      form.set(name, props.onValue ? props.onValue(raw) : raw);
    },
  };
  return el(
    FieldShell,
    { name, id, label: props.label, hint: props.hint, error },
    props.multiline
      ? el('textarea', { ...common, rows: 3 })
      : el('input', {
          ...common,
          type: props.type ?? 'text',
          inputMode: props.inputMode,
          autoComplete: props.autoComplete ?? 'off',
        }),
  );
}

export interface Option {
  value: string;
  label: string;
}

export function SelectField(props: {
  form: Form;
  name: string;
  label: string;
  options: readonly Option[];
  hint?: string;
  placeholder?: string;
  onChange?: (value: string) => void;
}) {
  const { form, name } = props;
  const id = fieldId(name);
  const error = form.errors[name];
  return el(
    FieldShell,
    { name, id, label: props.label, hint: props.hint, error },
    el(
      'select',
      {
        id,
        name,
        value: form.values[name] ?? '',
        'aria-invalid': error ? 'true' : 'false',
        'aria-describedby': describedBy(id, props.hint, error),
        onChange: (event: Event) => {
          const value = (event.currentTarget as HTMLSelectElement).value;
          form.set(name, value);
          props.onChange?.(value);
        },
      },
      props.placeholder !== undefined ? el('option', { value: '' }, props.placeholder) : null,
      props.options.map((o) => el('option', { value: o.value, key: o.value }, o.label)),
    ),
  );
}

/** A list of checkboxes in a fieldset; its error sits under the legend's group like any other field's. */
export function CheckGroup(props: {
  form: Form;
  name: string;
  label: string;
  options: readonly Option[];
  hint?: string | undefined;
  empty?: string;
}) {
  const { form, name } = props;
  const id = fieldId(name);
  const error = form.errors[name];
  const chosen = form.lists[name] ?? [];
  return el(
    'fieldset',
    {
      class: error ? 'field invalid' : 'field',
      'data-field': name,
      'aria-describedby': describedBy(id, props.hint, error),
      'aria-invalid': error ? 'true' : undefined,
    },
    el('legend', null, props.label),
    props.options.length === 0 && props.empty ? el('p', { class: 'hint' }, props.empty) : null,
    props.options.map((o) =>
      el(
        'label',
        { class: 'check', key: o.value },
        el('input', {
          type: 'checkbox',
          name,
          value: o.value,
          checked: chosen.includes(o.value),
          onChange: (event: Event) => {
            const on = (event.currentTarget as HTMLInputElement).checked;
            form.setList(name, on ? [...chosen, o.value] : chosen.filter((c) => c !== o.value));
          },
        }),
        ` ${o.label}`,
      ),
    ),
    props.hint ? el('p', { class: 'hint', id: `${id}-hint` }, props.hint) : null,
    error
      ? el(
          'p',
          { class: 'field-error', id: `${id}-error`, dir: 'auto', 'data-testid': `error-${name}` },
          error,
        )
      : null,
  );
}

/** Dashes a CNIC as it is typed (12345-1234567-1), keeping only digits, so the card's layout guides the typist. */
export function typeCnic(raw: string): string {
  const digits = raw.replace(/[^0-9]/g, '').slice(0, 13);
  if (digits.length <= 5) return digits;
  if (digits.length <= 12) return `${digits.slice(0, 5)}-${digits.slice(5)}`;
  return `${digits.slice(0, 5)}-${digits.slice(5, 12)}-${digits.slice(12)}`;
}

/** The live help under a CNIC field: how many digits remain, then the province and gender the card encodes. */
export function cnicHint(value: string, s: Strings): string {
  const digits = value.replace(/[^0-9]/g, '');
  if (digits.length === 0) return s.cnicHelp.format;
  if (digits.length < 13) return format(s.cnicHelp.more, { n: 13 - digits.length });
  const parsed = parseCnic(value);
  if (!parsed.ok) return parsed.error;
  return format(s.cnicHelp.ok, {
    province: parsed.province,
    gender: parsed.gender === 'male' ? s.cnicHelp.male : s.cnicHelp.female,
  });
}

export function CnicField(props: {
  form: Form;
  name: string;
  label: string;
  s: Strings;
  readOnly?: boolean;
}) {
  return el(TextField, {
    form: props.form,
    name: props.name,
    label: props.label,
    inputMode: 'numeric',
    dir: 'ltr',
    readOnly: props.readOnly,
    hint: cnicHint(props.form.values[props.name] ?? '', props.s),
    onValue: typeCnic,
  });
}

/** A failed request: what went wrong in words, what to do next, and field errors with no field on this form. */
export function Failure({
  error,
  s,
  shownFields,
}: {
  error: unknown;
  s: Strings;
  shownFields?: readonly string[];
}) {
  if (!error) return null;
  if (!(error instanceof ApiError))
    return el(
      'p',
      { class: 'banner bad', role: 'alert' },
      error instanceof Error ? error.message : String(error),
    );
  const elsewhere = Object.entries(error.fields).filter(([f]) => !shownFields?.includes(f));
  const next = s.errors[error.kind];
  return el(
    'div',
    { class: 'banner bad', role: 'alert', 'data-testid': 'failure', 'data-kind': error.kind },
    el('p', null, next),
    // A second pass or group: the record in the way, named in the reader's language before the server's sentence.
    error.inTheWay.activePass
      ? el('p', { 'data-testid': 'active-pass' }, ...named(s.desk.activePass, error.inTheWay.activePass))
      : null,
    error.inTheWay.openGroup
      ? el('p', { 'data-testid': 'open-group' }, ...named(s.desk.openGroup, error.inTheWay.openGroup))
      : null,
    // The server's own sentence is English: it keeps its direction inside an Urdu page.
    error.detail && (error.kind !== 'invalid' || Object.keys(error.fields).length === 0)
      ? el('p', { dir: 'auto' }, error.detail)
      : null,
    elsewhere.length > 0
      ? el(
          'ul',
          null,
          elsewhere.map(([f, m]) => el('li', { key: f }, el('code', { dir: 'ltr' }, f), `: ${m}`)),
        )
      : null,
    // A long list (a group's members) is answered with its first problems only: the rest come after a fix.
    error.more > 0
      ? el('p', { 'data-testid': 'more-errors' }, format(s.errors.more, { n: error.more }))
      : null,
  );
}

/** A sentence with a record's number in it, the number kept left to right inside Urdu. */
function named(template: string, number: string): ComponentChildren[] {
  const [before = '', after = ''] = template.split('{no}');
  return [before, ltr(number), after];
}

export function Busy({ s, label }: { s: Strings; label?: string }) {
  return el(
    'p',
    { class: 'busy', role: 'status', 'aria-live': 'polite' },
    el('progress', { 'aria-label': label ?? s.working }),
    ` ${label ?? s.working}`,
  );
}

export function Notice({ children }: { children: ComponentChildren }) {
  return el('p', { class: 'banner ok', role: 'status', 'data-testid': 'notice' }, children);
}

/** Page through a cursor-paged list: the cursors seen so far make "previous" possible on a forward-only API. */
export function usePager() {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [index, setIndex] = useState(0);
  return {
    cursor: cursors[index],
    page: index + 1,
    reset: () => {
      setCursors([undefined]);
      setIndex(0);
    },
    next: (cursor: string) => {
      setCursors((list) => [...list.slice(0, index + 1), cursor]);
      setIndex(index + 1);
    },
    previous: () => setIndex(Math.max(0, index - 1)),
  };
}

export function Pager(props: {
  s: Strings;
  page: number;
  next: string | undefined;
  onNext: () => void;
  onPrevious: () => void;
}) {
  const { s } = props;
  return el(
    'nav',
    { class: 'pager', 'aria-label': format(s.fia.page, { n: props.page }) },
    el('button', { type: 'button', disabled: props.page <= 1, onClick: props.onPrevious }, s.fia.previous),
    el('span', { 'aria-live': 'polite' }, format(s.fia.page, { n: props.page })),
    el(
      'button',
      { type: 'button', disabled: !props.next, onClick: props.onNext, 'data-testid': 'next-page' },
      s.fia.next,
    ),
  );
}

/** The cursor of a `next` link the API returned. */
export function cursorOf(next: unknown): string | undefined {
  if (typeof next !== 'string' || next === '') return undefined;
  // A link to the next page, or (as some lists answer) the bare cursor itself.
  if (!next.includes('?') && !next.startsWith('/')) return next;
  return new URLSearchParams(next.split('?')[1] ?? '').get('cursor') ?? undefined;
}

const locale = (lang: Lang) => (lang === 'ur' ? 'ur-PK-u-nu-latn' : 'en-PK');

/** An instant as people in Pakistan read it: Pakistan time, day month year and the time. */
export function pkDateTime(iso: string | undefined, lang: Lang): string {
  if (!iso) return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(lang), {
    timeZone: 'Asia/Karachi',
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(at);
}

/** A calendar day (YYYY-MM-DD, already a Pakistan date) as people write it. */
export function pkDay(day: string | undefined, lang: Lang): string {
  if (!day) return '';
  const at = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(at.getTime())) return day;
  return new Intl.DateTimeFormat(locale(lang), { timeZone: 'UTC', dateStyle: 'medium' }).format(at);
}

/** A code, number or CNIC inside text that may run right to left. */
export const ltr = (text: string, testid?: string) =>
  el('bdi', { dir: 'ltr', class: 'code', ...(testid ? { 'data-testid': testid } : {}) }, text);

export function statusText(s: Strings, status: string): string {
  return (s.status as Record<string, string>)[status] ?? status;
}

export function StatusBadge({ s, status }: { s: Strings; status: string }) {
  return el(
    'span',
    { class: `badge badge-${status.toLowerCase()}`, 'data-status': status },
    statusText(s, status),
  );
}

/** Saves a downloaded file under a name, as the browser's own download would. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Downloads a report as the API's CSV file (`Accept: text/csv`), named as the browser saves it. */
export function CsvButton({ ctx, path, name }: { ctx: Ctx; path: string; name: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  return el(
    'span',
    { class: 'csv' },
    el(
      'button',
      {
        type: 'button',
        disabled: busy,
        'data-testid': `csv-${name}`,
        onClick: () => {
          setBusy(true);
          setError(undefined);
          ctx.api
            .blob(path, 'text/csv')
            .then((blob) => saveBlob(blob, `${name}.csv`))
            .catch((e: unknown) => setError(e))
            .finally(() => setBusy(false));
        },
      },
      ctx.s.ministry.csv,
    ),
    busy ? el(Busy, { s: ctx.s }) : null,
    el(Failure, { error, s: ctx.s }),
  );
}

/**
 * Shows a printable document from the API (a pass card, a boat certificate) and prints it. The document is put in
 * a shadow root with its stylesheet adopted through the CSS object model, so the page's strict CSP (no inline
 * styles) holds and the document's styles cannot leak into the page.
 */
export function PrintView({
  html,
  title,
  s,
  onClose,
}: {
  html: string;
  title: string;
  s: Strings;
  onClose: () => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const target = host.current;
    if (!target) return;
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const css = [...doc.querySelectorAll('style')]
      .map((style) => style.textContent ?? '')
      .join('\n')
      .replace(/(^|[\s}])body(?=\s*\{)/g, '$1:host');
    for (const node of doc.querySelectorAll('script, style, link, meta, title, iframe, object'))
      node.remove();
    // A labelled box around the QR is an image to assistive technology; a div may not carry a label without a role.
    for (const node of doc.querySelectorAll('div[aria-label]:not([role])')) node.setAttribute('role', 'img');
    const root = target.shadowRoot ?? target.attachShadow({ mode: 'open' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    // On a phone the document's fixed-width QR must still fit the screen; printed, it keeps its own size.
    const fit = new CSSStyleSheet();
    fit.replaceSync(
      '@media screen { .card, .qr { max-inline-size: 100%; } .qr svg { max-inline-size: 100%; } }',
    );
    root.adoptedStyleSheets = [sheet, fit];
    root.replaceChildren(...[...doc.body.childNodes].map((n) => document.importNode(n, true)));
  }, [html]);
  return el(
    'section',
    { class: 'print-view', 'aria-label': title, 'data-testid': 'print-view' },
    el(
      'div',
      { class: 'no-print actions' },
      el(
        'button',
        {
          type: 'button',
          class: 'primary',
          'data-testid': 'print',
          onClick: () => {
            document.body.classList.add('printing');
            addEventListener('afterprint', () => document.body.classList.remove('printing'), { once: true });
            window.print();
          },
        },
        title,
      ),
      el('button', { type: 'button', onClick: onClose }, s.close),
    ),
    el('div', { ref: host, class: 'print-host', lang: 'en', dir: 'ltr' }),
  );
}

/** Loads something when the page opens or its inputs change, with progress and the failure shown in place. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, round]);
  return { ...state, reload: () => setRound((r) => r + 1) };
}
