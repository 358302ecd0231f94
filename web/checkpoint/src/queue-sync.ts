// Sending the post's crossing queue: after a run of records, when the network returns, every minute while records
// wait and on the button; one send at a time across the app's tabs, on the sync worker.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { loginValid } from './auth.ts';
import { backoffMs, deviceId, pruneAnswered, queuedCount, type SyncResult } from './crossings.ts';
import { type CrossingSyncRecord, load, type RuntimeConfig, type SavedLogin, save } from './storage.ts';
import type { SyncReply, SyncRequest } from './sync-worker.ts';

/** Crossings recorded in a quick run of scans go out together, this long after the last one. */
const SEND_AFTER_RECORD_MS = 1500;
/** How often crossings still waiting are tried, when no retry is already set. */
const SEND_EVERY_MS = 60 * 1000;

let syncWorker: Worker | undefined;

/** One send of the queue on the sync worker; undefined when another tab was already sending it. */
function syncInWorker(
  config: RuntimeConfig,
  login: SavedLogin,
  onProgress: (waiting: number) => void,
): Promise<SyncResult | undefined> {
  syncWorker ??= new Worker(new URL('./sync-worker.ts', import.meta.url), { type: 'module' });
  const worker = syncWorker;
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<SyncReply>) => {
      const message = event.data;
      if (message.kind === 'progress') onProgress(message.waiting);
      else if (message.kind === 'done') resolve(message.result ?? undefined);
      else reject(new Error(message.error));
    };
    worker.onerror = (event) => reject(new Error(event.message || 'the sync worker failed'));
    worker.postMessage({ config, login } satisfies SyncRequest);
  });
}

/**
 * The crossing queue's state on screen and the sending of it: after a run of records, when the network comes back,
 * every minute while records wait, and on the button; one send at a time across the app's tabs. A failed send is
 * tried again after an exponential backoff with jitter, so posts coming back online do not all call at once.
 */
export function useCrossingQueue(config: RuntimeConfig | undefined, login: SavedLogin) {
  const [waiting, setWaiting] = useState<number | undefined>(undefined);
  const [version, setVersion] = useState(0);
  const [sending, setSending] = useState(false);
  const [last, setLast] = useState<CrossingSyncRecord | undefined>();
  const [retryAt, setRetryAt] = useState<number | undefined>();
  const [device, setDevice] = useState<string | undefined>();
  const loginRef = useRef(login);
  loginRef.current = login;
  const busy = useRef(false);
  const attempts = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const sendRef = useRef<() => Promise<void>>(async () => {});

  const refresh = useCallback(async () => {
    setWaiting(await queuedCount());
    setVersion((v) => v + 1);
  }, []);

  const later = (ms: number) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = undefined;
      void sendRef.current();
    }, ms);
  };

  sendRef.current = async () => {
    if (busy.current || !config) return;
    const current = loginRef.current;
    if ((await queuedCount()) === 0) return;
    if (!loginValid(current, Date.now())) {
      const record: CrossingSyncRecord = { at: Date.now(), outcome: 'login-needed' };
      await save('lastCrossingSync', record);
      setLast(record);
      return;
    }
    busy.current = true;
    clearTimeout(timer.current);
    timer.current = undefined;
    setRetryAt(undefined);
    setSending(true);
    try {
      const result = await syncInWorker(config, current, (n) => {
        setWaiting(n);
        setVersion((v) => v + 1);
      }).catch(
        (error: unknown): SyncResult => ({
          // An IndexedDB or worker failure: the records stay queued and are tried again like a network failure.
          record: {
            at: Date.now(),
            outcome: 'failed',
            detail: error instanceof Error ? error.message : String(error),
          },
          retry: true,
        }),
      );
      // Another tab of the app is sending the same queue.
      if (!result) return;
      await save('lastCrossingSync', result.record);
      setLast(result.record);
      if (result.retry) {
        const wait =
          result.retryAfterS !== undefined ? result.retryAfterS * 1000 : backoffMs(attempts.current);
        attempts.current += 1;
        setRetryAt(Date.now() + wait);
        later(wait);
      } else attempts.current = 0;
    } finally {
      busy.current = false;
      setSending(false);
      await refresh();
    }
  };

  useEffect(() => {
    void (async () => {
      setDevice(await deviceId());
      setLast(await load('lastCrossingSync'));
      await pruneAnswered();
      await refresh();
      if (navigator.onLine) void sendRef.current();
    })();
    const onOnline = () => {
      attempts.current = 0;
      void sendRef.current();
    };
    window.addEventListener('online', onOnline);
    const every = setInterval(() => {
      if (timer.current === undefined) void sendRef.current();
    }, SEND_EVERY_MS);
    return () => {
      window.removeEventListener('online', onOnline);
      clearInterval(every);
      clearTimeout(timer.current);
    };
  }, [refresh]);

  // A new login (the old one had run out) sends what waited for it.
  useEffect(() => {
    if (loginValid(login, Date.now())) void sendRef.current();
  }, [login.token]);

  const recorded = useCallback(() => {
    void refresh();
    if (navigator.onLine && !busy.current) later(SEND_AFTER_RECORD_MS);
  }, [refresh]);

  return {
    waiting,
    version,
    sending,
    last,
    retryAt,
    device,
    recorded,
    sendNow: () => {
      attempts.current = 0;
      // The count is read afresh first: another tab of the app may have recorded or sent since.
      void refresh().then(() => sendRef.current());
    },
  };
}
