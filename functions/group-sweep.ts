// Lambda entry of the overdue-group sweep: a schedule runs it hourly; each run names every member still out past
// their group's return date (once) and closes groups with no one out.
import { dependenciesFromEnv } from './environment.ts';
import { sweepOverdueGroups } from './services/groups.ts';

const deps = dependenciesFromEnv(process.env, 'groupSweep');

export const handler = async () => {
  const result = await sweepOverdueGroups(deps);
  deps.logger.info('groups swept', result);
  deps.metrics.publishStoredMetrics();
  return result;
};
