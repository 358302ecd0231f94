// Sends the crossing queue off the UI thread: reading each batch from IndexedDB, the JSON, the POST and writing the
// answers back all happen here, so the camera and the buttons stay quick while a week of records goes out.
/// <reference lib="webworker" />
import { type SyncResult, sendTo, syncQueue } from './crossings.ts';
import type { RuntimeConfig, SavedLogin } from './storage.ts';

export type SyncRequest = { config: RuntimeConfig; login: SavedLogin };
export type SyncReply =
  | { kind: 'progress'; waiting: number }
  /** `result` is null when another tab of the app was already sending the queue. */
  | { kind: 'done'; result: SyncResult | null }
  | { kind: 'error'; error: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;
const reply = (message: SyncReply) => scope.postMessage(message);

scope.onmessage = async (event: MessageEvent<SyncRequest>) => {
  const { config, login } = event.data;
  const run = () =>
    syncQueue(sendTo(config, login), Date.now, (waiting) => reply({ kind: 'progress', waiting }));
  try {
    // One sender across the app's tabs: a second one would post the same batches again.
    const result = await navigator.locks.request('rahdari-crossing-sync', { ifAvailable: true }, (lock) =>
      lock ? run() : null,
    );
    reply({ kind: 'done', result });
  } catch (error) {
    reply({ kind: 'error', error: error instanceof Error ? error.message : String(error) });
  }
};
