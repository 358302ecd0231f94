// `rahdari search reindex`: index by name the people of records stored before FIA's search existed.
import { type CliIo, parseCommand, UsageError } from '../io.ts';
import { storeFromFlags, TABLE_FLAGS } from './feed.ts';

export async function searchCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'reindex') throw new UsageError('search takes reindex');
  const { values } = parseCommand(rest, { ...TABLE_FLAGS, json: { type: 'boolean' } });
  const { reindexPeople } = await import('../../functions/services/search-reindex.ts');
  const { store, close } = await storeFromFlags(values);
  try {
    const report = await reindexPeople(store);
    if (values.json) io.stdout(JSON.stringify(report));
    else
      io.stdout(
        `indexed ${report.applications} applications, ${report.vessels} boats and ${report.groups} groups: ${report.nameItems} name index items written`,
      );
    return 0;
  } finally {
    close();
  }
}
