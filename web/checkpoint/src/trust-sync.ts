// Keeping the trust data current: an update whenever there is signal (at start, when the connection returns, every
// few minutes and on the button) or from a file, one at a time, with the group rosters beside it; and the clock.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { PublicJwk } from '../../../shared/keys.ts';
import type { TrustState } from '../../../shared/trust-state.ts';
import { loginValid } from './auth.ts';
import type { RuntimeConfig, SavedLogin, SyncRecord } from './storage.ts';
import { save } from './storage.ts';
import { applyBundle, clockConfirmed, clockWentBack, syncTrust } from './trust.ts';

/** How often the app tries to update its trust data while it has signal. */
const SYNC_EVERY_MS = 10 * 60 * 1000;

interface TrustSyncInput {
  config: RuntimeConfig | undefined;
  login: SavedLogin;
  root: PublicJwk;
  state: TrustState;
  /** Tick of the screen's clock: the clock check runs again on each. */
  nowMs: number;
  update: (change: { lastSync: SyncRecord; state?: TrustState }) => void;
  syncRosters: (config: RuntimeConfig, login: SavedLogin, nowMs: number) => Promise<void>;
}

export function useTrustSync({ config, login, root, state, nowMs, update, syncRosters }: TrustSyncInput) {
  const [syncing, setSyncing] = useState(false);
  const [wentBack, setWentBack] = useState(false);
  const stateRef = useRef(state);
  stateRef.current = state;
  const inFlight = useRef(false);

  useEffect(() => {
    void clockWentBack(Date.now()).then(setWentBack);
  }, [nowMs]);

  const finish = useCallback(
    async (record: SyncRecord, next: TrustState | undefined) => {
      await save('lastSync', record);
      const now = Date.now();
      // Signed by the server moments ago and agreeing with the clock: the clock is right now, whatever it read before.
      const fresh = next ?? stateRef.current;
      const online = record.outcome === 'updated' || record.outcome === 'current';
      if (online && !fresh.warnings(Math.floor(now / 1000)).includes('CLOCK_DRIFT')) {
        await clockConfirmed(now);
        setWentBack(false);
      }
      update({ lastSync: record, ...(next ? { state: next } : {}) });
    },
    [update],
  );

  const sync = useCallback(async () => {
    // One update at a time: the 'online' event, the timer and the button may all fire together.
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      const at = Date.now();
      if (!config) return await finish({ at, outcome: 'offline' }, undefined);
      if (!loginValid(login, at)) return await finish({ at, outcome: 'login-needed' }, undefined);
      setSyncing(true);
      const result = await syncTrust(config, login, stateRef.current, root, at);
      // The group rosters come with every trust update, so a post offline for weeks has the latest it could get.
      await syncRosters(config, login, at);
      setSyncing(false);
      await finish(result.record, result.state);
    } finally {
      inFlight.current = false;
      setSyncing(false);
    }
  }, [config, login, root, finish, syncRosters]);

  // Whenever there is signal: at start, when the connection comes back, and every few minutes.
  useEffect(() => {
    if (navigator.onLine) void sync();
    const onOnline = () => void sync();
    window.addEventListener('online', onOnline);
    const timer = setInterval(() => navigator.onLine && void sync(), SYNC_EVERY_MS);
    return () => {
      window.removeEventListener('online', onOnline);
      clearInterval(timer);
    };
  }, [sync]);

  /** A bundle loaded from a file (brought from the office on a memory card). */
  const fromFile = useCallback(
    async (token: string) => {
      const at = Date.now();
      const outcome = await applyBundle(token, stateRef.current, root, at);
      // A file is no word from the server about the clock: it does not clear a clock warning.
      const record: SyncRecord =
        outcome.kind === 'refused'
          ? { at, outcome: 'refused', reason: outcome.reason, detail: outcome.detail }
          : {
              at,
              outcome: outcome.to === outcome.from ? 'current' : 'updated',
              ...(outcome.from !== undefined ? { from: outcome.from } : {}),
              to: outcome.to,
            };
      await save('lastSync', record);
      update({ lastSync: record, ...(outcome.kind === 'updated' ? { state: outcome.state } : {}) });
    },
    [root, update],
  );

  return { sync, syncing, fromFile, wentBack, stateRef };
}
