// What every handler in a container shares, created once at cold start: configuration and the store.
import { loadConfig } from './config.ts';
import { documentClient } from './store/client.ts';
import { Store } from './store/store.ts';

export const config = loadConfig();
export const store = new Store(documentClient(config), config.tableName);
