// Lambda entry of the groups route group: dependencies from the environment, once per container.
import { createGroupsHandler } from './api/groups.ts';
import { dependenciesFromEnv } from './environment.ts';
import { loadPassTypesConfig } from './pass-types-config.ts';

const deps = dependenciesFromEnv(process.env, 'groups');
export const handler = createGroupsHandler({ ...deps, passTypes: loadPassTypesConfig(process.env) });
