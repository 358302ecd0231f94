// Lambda entry of the applications route group: dependencies from the environment, once per container.
import { createApplicationsHandler } from './api/applications.ts';
import { dependenciesFromEnv } from './environment.ts';
import { loadPassTypesConfig } from './pass-types-config.ts';

const deps = dependenciesFromEnv(process.env, 'applications');
export const handler = createApplicationsHandler({ ...deps, passTypes: loadPassTypesConfig(process.env) });
