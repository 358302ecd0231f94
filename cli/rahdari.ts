#!/usr/bin/env node
// The installed `rahdari` command: runs main with the process's arguments and streams, and only when run directly.
import { processIo } from './io.ts';
import { main } from './main.ts';

export { main } from './main.ts';

if (import.meta.main) process.exitCode = await main(process.argv.slice(2), processIo());
