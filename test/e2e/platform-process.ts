// The local platform in a process of its own, so a test can kill it mid-request (SIGKILL) and start it again on
// the same table, keys and port. Prints `ready <url>` once it listens.
import { startPlatform } from '../../local/platform.ts';

const need = (name: string): string => {
  const value = process.env[name];
  if (!value) {
    console.error(`platform-process: ${name} is not set`);
    process.exit(2);
  }
  return value;
};

const platform = await startPlatform({
  dynamodbEndpoint: need('RAHDARI_DYNAMODB_ENDPOINT'),
  tableName: need('RAHDARI_TABLE'),
  keyDir: need('RAHDARI_KEY_DIR'),
  port: Number(need('RAHDARI_PORT')),
  checkpointApp: { dir: need('RAHDARI_APP_DIR') },
});
console.log(`ready ${platform.url}`);
process.on('SIGTERM', () => void platform.close().then(() => process.exit(0)));
