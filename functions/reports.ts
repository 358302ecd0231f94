// Lambda entry of the reports route group: dependencies from the environment, once per container.
import { createReportsHandler } from './api/reports.ts';
import { dependenciesFromEnv } from './environment.ts';

export const handler = createReportsHandler(dependenciesFromEnv(process.env, 'reports'));
