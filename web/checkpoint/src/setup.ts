// First setup of a device: pin the trust root after comparing its thumbprint, log in, take the first trust data.
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { PublicJwk } from '../../../shared/keys.ts';
import type { TrustState } from '../../../shared/trust-state.ts';
import { devLogin, startCognitoLogin } from './auth.ts';
import { POSTS, placeName } from './places.ts';
import { syncMessage } from './status.ts';
import type { RuntimeConfig, SavedLogin, SyncRecord } from './storage.ts';
import { save } from './storage.ts';
import type { Strings } from './strings.ts';
import { applyBundle, pinRoot, printedThumbprint, readRootJwk, syncTrust } from './trust.ts';

const el = h;

/** What the app holds of the device before and after setup. */
export interface Device {
  config: RuntimeConfig | undefined;
  root: PublicJwk | undefined;
  state: TrustState | undefined;
  login: SavedLogin | undefined;
  lastSync: SyncRecord | undefined;
}

interface SetupProps {
  s: Strings;
  device: Device;
  update: (change: Partial<Device>) => void;
}

export function Setup({ s, device, update }: SetupProps) {
  return el(
    'section',
    { class: 'setup', 'data-testid': 'setup' },
    el('h2', null, s.setupTitle),
    el(RootStep, { s, device, update }),
    device.root ? el(LoginStep, { s, device, update }) : null,
    device.root && device.login ? el(FirstTrustStep, { s, device, update }) : null,
  );
}

function RootStep({ s, device, update }: SetupProps) {
  const [candidate, setCandidate] = useState<{ jwk: PublicJwk; thumbprint: string } | undefined>();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [pinnedThumbprint, setPinnedThumbprint] = useState<string | undefined>();

  useEffect(() => {
    if (device.root) void printedThumbprint(device.root).then(setPinnedThumbprint);
  }, [device.root]);

  if (device.root)
    return el(
      'div',
      { class: 'step done' },
      el('h3', null, s.setupRootStep),
      el(
        'p',
        null,
        `${s.rootPinned}: `,
        el('code', { dir: 'ltr', 'data-testid': 'thumbprint' }, pinnedThumbprint),
      ),
    );

  const consider = async (jwkText: string) => {
    const read = await readRootJwk(jwkText);
    if (!read.ok) {
      setError(`${s.rootBad}: ${read.reason}`);
      setCandidate(undefined);
      return;
    }
    setError(undefined);
    setCandidate({ jwk: read.jwk, thumbprint: await printedThumbprint(read.jwk) });
  };
  const fetchRoot = async () => {
    const url = device.config?.rootJwkUrl;
    if (!url) return;
    try {
      const response = await fetch(new URL(url, document.baseURI), { cache: 'no-store' });
      await consider(await response.text());
    } catch (e) {
      setError(String(e));
    }
  };

  return el(
    'div',
    { class: 'step' },
    el('h3', null, s.setupRootStep),
    el('p', { class: 'muted' }, s.setupRootHelp),
    device.config?.rootJwkUrl
      ? el('button', { type: 'button', 'data-testid': 'root-fetch', onClick: fetchRoot }, s.rootFetch)
      : null,
    el('label', { for: 'root-text' }, s.rootPaste),
    el('textarea', {
      id: 'root-text',
      dir: 'ltr',
      rows: 3,
      value: text,
      'data-testid': 'root-text',
      onInput: (e: Event) => setText((e.target as HTMLTextAreaElement).value),
    }),
    el('button', { type: 'button', onClick: () => consider(text) }, s.rootUse),
    el(
      'label',
      { class: 'file button' },
      s.rootFile,
      el('input', {
        type: 'file',
        class: 'visually-hidden',
        accept: '.jwk,.json,application/json',
        onChange: async (e: Event) => {
          const file = (e.target as HTMLInputElement).files?.[0];
          if (file) await consider(await file.text());
        },
      }),
    ),
    error ? el('p', { class: 'error', role: 'alert' }, error) : null,
    candidate
      ? el(
          'div',
          { class: 'thumbprint' },
          el('p', null, s.rootThumbprint),
          el(
            'code',
            { dir: 'ltr', class: 'big', 'data-testid': 'candidate-thumbprint' },
            candidate.thumbprint,
          ),
          el('p', null, s.rootCompare),
          el(
            'button',
            {
              type: 'button',
              class: 'primary',
              'data-testid': 'root-confirm',
              onClick: async () => {
                await pinRoot(candidate.jwk);
                update({ root: candidate.jwk });
              },
            },
            s.rootConfirm,
          ),
          el('button', { type: 'button', onClick: () => setCandidate(undefined) }, s.rootCancel),
        )
      : null,
  );
}

export function LoginForm({
  s,
  config,
  onLogin,
  idPrefix = 'login',
}: {
  s: Strings;
  config: RuntimeConfig | undefined;
  onLogin: (l: SavedLogin) => void;
  /** Ids of the form's fields, so that two forms on one page keep their labels apart. */
  idPrefix?: string;
}) {
  const [sub, setSub] = useState('');
  const [checkpoint, setCheckpoint] = useState<string>('TFT');
  const [error, setError] = useState<string | undefined>();
  if (!config) return el('p', { class: 'error' }, s.syncOffline);
  if (config.auth.kind === 'cognito')
    return el(
      'div',
      null,
      el(
        'button',
        {
          type: 'button',
          class: 'primary',
          'data-testid': 'login-cognito',
          onClick: () => void startCognitoLogin(config).catch((e: unknown) => setError(String(e))),
        },
        s.loginCognito,
      ),
      error ? el('p', { class: 'error', role: 'alert' }, `${s.loginFailed}: ${error}`) : null,
    );
  return el(
    'form',
    {
      class: 'login',
      onSubmit: async (e: Event) => {
        e.preventDefault();
        try {
          onLogin(await devLogin(config, sub.trim(), checkpoint));
          setError(undefined);
        } catch (err) {
          setError(err instanceof Error ? err.message : String(err));
        }
      },
    },
    el('label', { for: `${idPrefix}-officer` }, s.loginOfficer),
    el('input', {
      id: `${idPrefix}-officer`,
      name: 'officer',
      required: true,
      dir: 'ltr',
      autocomplete: 'username',
      value: sub,
      'data-testid': 'login-officer',
      onInput: (e: Event) => setSub((e.target as HTMLInputElement).value),
    }),
    el('label', { for: `${idPrefix}-checkpoint` }, s.loginCheckpoint),
    el(
      'select',
      {
        id: `${idPrefix}-checkpoint`,
        name: 'checkpoint',
        value: checkpoint,
        'data-testid': 'login-checkpoint',
        onChange: (e: Event) => setCheckpoint((e.target as HTMLSelectElement).value),
      },
      POSTS.map((code) => el('option', { value: code, key: code }, `${code} — ${placeName(code, s.lang)}`)),
    ),
    el('button', { type: 'submit', class: 'primary', 'data-testid': 'login-submit' }, s.loginButton),
    error ? el('p', { class: 'error', role: 'alert' }, `${s.loginFailed}: ${error}`) : null,
  );
}

function LoginStep({ s, device, update }: SetupProps) {
  if (device.login)
    return el(
      'div',
      { class: 'step done' },
      el('h3', null, s.setupLoginStep),
      el('p', null, `${device.login.sub} · ${device.login.checkpoint}`),
    );
  return el(
    'div',
    { class: 'step' },
    el('h3', null, s.setupLoginStep),
    el(LoginForm, { s, config: device.config, onLogin: (login) => update({ login }) }),
  );
}

export function BundleFileInput({
  label,
  testId,
  onToken,
}: {
  label: string;
  testId: string;
  onToken: (token: string) => void;
}) {
  return el(
    'label',
    { class: 'file button' },
    label,
    el('input', {
      type: 'file',
      class: 'visually-hidden',
      accept: '.jwt,.txt,application/jwt',
      'data-testid': testId,
      onChange: async (e: Event) => {
        const input = e.target as HTMLInputElement;
        const file = input.files?.[0];
        if (file) onToken(await file.text());
        input.value = '';
      },
    }),
  );
}

function FirstTrustStep({ s, device, update }: SetupProps) {
  const [message, setMessage] = useState<string | undefined>();
  const root = device.root as PublicJwk;
  const finish = async (record: SyncRecord, state: TrustState | undefined) => {
    await save('lastSync', record);
    if (state) update({ state, lastSync: record });
    else setMessage(syncMessage(record, s, undefined));
  };
  return el(
    'div',
    { class: 'step' },
    el('h3', null, s.setupTrustStep),
    el('p', { class: 'muted' }, s.setupTrustHelp),
    el(
      'button',
      {
        type: 'button',
        class: 'primary',
        'data-testid': 'trust-fetch',
        onClick: async () => {
          if (!device.config || !device.login) return;
          const result = await syncTrust(device.config, device.login, undefined, root, Date.now());
          await finish(result.record, result.state);
        },
      },
      s.trustFetch,
    ),
    el(BundleFileInput, {
      label: s.trustFile,
      testId: 'trust-file-first',
      onToken: async (token) => {
        const now = Date.now();
        const outcome = await applyBundle(token, undefined, root, now);
        if (outcome.kind === 'refused')
          await finish(
            { at: now, outcome: 'refused', reason: outcome.reason, detail: outcome.detail },
            undefined,
          );
        else await finish({ at: now, outcome: 'updated', to: outcome.to }, outcome.state);
      },
    }),
    message ? el('p', { class: 'error', role: 'alert' }, message) : null,
  );
}
