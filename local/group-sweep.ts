// The overdue-group sweep on this machine: at start and then hourly, as the schedule runs it in AWS.
import type { Clock, MetricsRecorder } from '../functions/services/context.ts';
import { sweepOverdueGroups } from '../functions/services/groups.ts';
import type { Store } from '../functions/store/store.ts';

export function startGroupSweep(options: {
  store: Store;
  clock: Clock;
  metrics: MetricsRecorder;
  everyMs?: number;
  log: (line: string) => void;
}): { stop(): void } {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const { anomalies, closed } = await sweepOverdueGroups(options);
      if (anomalies + closed > 0) {
        options.log(`group sweep: ${anomalies} overdue member(s) recorded, ${closed} group(s) closed`);
      }
    } catch (error) {
      options.log(`group sweep failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), options.everyMs ?? 3_600_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
