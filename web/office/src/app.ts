// The office pages' shell: runtime config, login, the language switch, and each role's pages loaded on demand.
import type { ComponentChildren, FunctionComponent } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import { PORT_CODES, PORTS } from '../../../shared/domain/reference.ts';
import { applyLang, type Lang, savedLang } from '../../shared/i18n.ts';
import { apiFor, problemError } from './api.ts';
import { loadConfig, type RuntimeConfig } from './config.ts';
import {
  devLogin,
  finishCognitoLogin,
  forgetSession,
  OFFICE_ROLES,
  type OfficeRole,
  type Session,
  savedSession,
  startCognitoLogin,
} from './session.ts';
import { STRINGS, type Strings } from './strings.ts';
import { Busy, CnicField, type Ctx, el, Failure, SelectField, TextField, useForm } from './ui.ts';

/** Each role's pages, as a module loaded only by those who need it (the Ministry's chart library is large). */
type RolePages = FunctionComponent<{ ctx: Ctx; route: string[] }>;
const ROLE_PAGES: Record<OfficeRole, () => Promise<RolePages>> = {
  applicant: () => import('./resident.ts').then((m) => m.ResidentPages),
  'fia-officer': () => import('./fia.ts').then((m) => m.FiaPages),
  'fia-supervisor': () => import('./fia.ts').then((m) => m.FiaPages),
  'fisheries-officer': () => import('./fisheries.ts').then((m) => m.FisheriesPages),
  'moi-analyst': () => import('./ministry.ts').then((m) => m.MinistryPages),
};

/** The navigation of each role: hash routes and their labels. */
export function navFor(role: OfficeRole, s: Strings): [string, string][] {
  switch (role) {
    case 'applicant':
      return [
        ['#/apply', s.resident.apply],
        ['#/status', s.resident.status],
        // Every applicant sees it: the page itself says how to become a registered organizer.
        ['#/groups', s.groups.mine],
      ];
    case 'fia-officer':
    case 'fia-supervisor':
      return [
        ['#/queue', s.fia.queue],
        ['#/counter', s.fia.counter],
        ['#/groups', s.groups.queue],
        ['#/organizers', s.groups.organizers],
        ['#/pass', s.fia.pass],
        ['#/watchlist', s.fia.watchlist],
        ['#/history', s.fia.history],
        // The feed's status is for supervisors only (GET /feed/status).
        ...(role === 'fia-supervisor' ? ([['#/feed', s.ministry.feed]] as [string, string][]) : []),
      ];
    case 'fisheries-officer':
      return [
        ['#/register', s.fisheries.register],
        ['#/find', s.fisheries.find],
      ];
    case 'moi-analyst':
      return [
        ['#/reports', s.ministry.title],
        ['#/groups', s.groups.ministryTitle],
      ];
  }
}

/** User Timing mark of the first page a user can work on (the login, or their role's pages), for the bench. */
function markFirstRender(): void {
  if (performance.getEntriesByName('rahdari:office-first-render').length === 0)
    performance.mark('rahdari:office-first-render');
}

function useHash(): [string[], (hash: string) => void] {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => setHash(location.hash);
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  const route = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return [
    route,
    (next: string) => {
      location.hash = next;
    },
  ];
}

/** Asked for as the module loads, not after the first render: on a slow phone that is a round trip earlier. */
const configAtStart = loadConfig();
/** A reload with a login kept in this tab fetches that role's pages alongside the config, for the same reason. */
const pagesAtStart = (() => {
  const kept = savedSession();
  return kept ? { role: kept.role, pages: ROLE_PAGES[kept.role]() } : undefined;
})();

export function App() {
  const [lang, setLang] = useState<Lang>(savedLang());
  const [config, setConfig] = useState<RuntimeConfig | undefined>();
  const [session, setSession] = useState<Session | undefined>(savedSession());
  const [fatal, setFatal] = useState<string | undefined>();
  const [ended, setEnded] = useState(false);
  const [route, go] = useHash();
  const s = STRINGS[lang];

  useEffect(() => applyLang(lang), [lang]);
  useEffect(() => {
    configAtStart
      .then(async (loaded) => {
        setConfig(loaded);
        const back = await finishCognitoLogin(loaded).catch(() => undefined);
        if (back) setSession(back);
      })
      .catch((error: unknown) => setFatal(String(error)));
  }, []);

  const logout = () => {
    forgetSession();
    setSession(undefined);
    go('#/');
  };

  let body: ComponentChildren;
  if (fatal) body = el('p', { class: 'banner bad', role: 'alert' }, fatal);
  else if (!config) body = el(Busy, { s, label: s.loading });
  else if (!session)
    body = el(Login, {
      s,
      config,
      ended,
      onLogin: (next: Session) => {
        setEnded(false);
        setSession(next);
        go(navFor(next.role, s)[0]?.[0] ?? '#/');
      },
    });
  else
    body = el(RoleArea, {
      key: session.token,
      s,
      lang,
      config,
      session,
      route,
      go,
      onLoginEnded: () => {
        forgetSession();
        setEnded(true);
        setSession(undefined);
      },
    });

  const nav = session ? navFor(session.role, s) : [];
  const here = `#/${route[0] ?? ''}`;
  return el(
    'div',
    { class: 'office' },
    el('a', { class: 'skip', href: '#main' }, s.skip),
    el(
      'header',
      { class: 'bar no-print' },
      el(
        'h1',
        null,
        s.appName,
        session ? el('span', { class: 'role' }, ` · ${s.roles[session.role]}`) : null,
      ),
      el(
        'div',
        { class: 'bar-actions' },
        el(
          'button',
          {
            type: 'button',
            class: 'lang',
            lang: lang === 'en' ? 'ur' : 'en',
            'data-testid': 'lang',
            onClick: () => setLang(lang === 'en' ? 'ur' : 'en'),
          },
          s.langSwitch,
        ),
        session ? el('button', { type: 'button', onClick: logout, 'data-testid': 'logout' }, s.logout) : null,
      ),
    ),
    nav.length > 0
      ? el(
          'nav',
          { class: 'tabs no-print', 'aria-label': s.nav },
          nav.map(([href, label]) =>
            el(
              'a',
              {
                href,
                key: href,
                'aria-current': href === here ? 'page' : undefined,
                'data-testid': `nav-${href.slice(2)}`,
              },
              label,
            ),
          ),
        )
      : null,
    el('main', { id: 'main', tabIndex: -1 }, body),
  );
}

function RoleArea(props: {
  s: Strings;
  lang: Lang;
  config: RuntimeConfig;
  session: Session;
  route: string[];
  go: (hash: string) => void;
  onLoginEnded: () => void;
}) {
  const { s, lang, config, session, route, go, onLoginEnded } = props;
  const [Pages, setPages] = useState<RolePages | undefined>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    const loading = pagesAtStart?.role === session.role ? pagesAtStart.pages : ROLE_PAGES[session.role]();
    loading.then(
      (component) => setPages(() => component),
      (e: unknown) => setError(e),
    );
  }, [session.role]);
  const api = useMemo(() => apiFor(config, session, onLoginEnded), [config, session, onLoginEnded]);
  // A layout effect runs once the page is in the DOM, before the browser paints it: the mark is that moment.
  useLayoutEffect(() => {
    if (Pages) markFirstRender();
  }, [Pages]);
  if (error) return el(Failure, { error, s });
  if (!Pages) return el(Busy, { s, label: s.loading });
  return el(Pages, { ctx: { s, lang, api, session, go }, route });
}

function Login({
  s,
  config,
  ended,
  onLogin,
}: {
  s: Strings;
  config: RuntimeConfig;
  ended: boolean;
  onLogin: (session: Session) => void;
}) {
  const form = useForm({ role: 'applicant', sub: '', cnic: '', port: '' });
  useLayoutEffect(markFirstRender, []);
  const role = form.values.role as OfficeRole;
  if (config.auth.kind === 'cognito')
    return el(
      'section',
      { class: 'card' },
      el('h2', null, s.login.title),
      ended ? el('p', { class: 'banner bad', role: 'alert' }, s.login.ended) : null,
      el(
        'button',
        { type: 'button', class: 'primary', onClick: () => void startCognitoLogin(config) },
        s.login.cognito,
      ),
      el('p', { class: 'hint' }, s.login.checkpointNote),
    );
  const send = (event: Event) => {
    event.preventDefault();
    void form.submit(async () => {
      const result = await devLogin(config, {
        role,
        sub: form.values.sub ?? '',
        ...(role === 'applicant' && form.values.cnic ? { cnic: form.values.cnic } : {}),
        ...(role === 'fisheries-officer' && form.values.port ? { port: form.values.port } : {}),
      });
      if (!result.ok) throw problemError(result.status, result.body);
      onLogin(result.session);
    });
  };
  return el(
    'form',
    { class: 'card', onSubmit: send, 'data-testid': 'login', noValidate: true },
    el('h2', null, s.login.title),
    ended ? el('p', { class: 'banner bad', role: 'alert' }, s.login.ended) : null,
    el('p', { class: 'hint' }, s.login.devNote),
    el(SelectField, {
      form,
      name: 'role',
      label: s.login.role,
      options: OFFICE_ROLES.map((r) => ({ value: r, label: s.roles[r] })),
    }),
    el(TextField, {
      form,
      name: 'sub',
      label: s.login.sub,
      hint: s.login.subHint,
      dir: 'ltr',
      autoComplete: 'username',
    }),
    role === 'applicant' ? el(CnicField, { form, name: 'cnic', label: s.login.cnic, s }) : null,
    role === 'fisheries-officer'
      ? el(SelectField, {
          form,
          name: 'port',
          label: s.login.port,
          options: [
            { value: '', label: s.login.noPort },
            ...PORT_CODES.map((p) => ({ value: p, label: `${p} · ${PORTS[p].name}` })),
          ],
        })
      : null,
    el(Failure, { error: form.failure, s, shownFields: ['role', 'sub', 'cnic', 'port'] }),
    form.busy ? el(Busy, { s }) : null,
    el(
      'button',
      { type: 'submit', class: 'primary', disabled: form.busy, 'data-testid': 'login-submit' },
      s.login.submit,
    ),
    el('p', { class: 'hint' }, s.login.checkpointNote),
  );
}
