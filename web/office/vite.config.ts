// Builds the office pages (resident, FIA, Fisheries, Ministry) into web/dist/office: plain static files, no service worker.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Where the pages are served from; the local server and CloudFront both put them under /office/. */
export const OFFICE_BASE = '/office/';

/** Where this build writes: beside the checkpoint app's output when that is redirected, so one folder holds both. */
export function officeOutDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.RAHDARI_OFFICE_OUT) return env.RAHDARI_OFFICE_OUT;
  if (env.RAHDARI_WEB_OUT) return join(dirname(env.RAHDARI_WEB_OUT), 'office');
  return here('../dist/office');
}

export default defineConfig({
  root: here('.'),
  base: OFFICE_BASE,
  publicDir: here('./public'),
  server: { fs: { allow: [here('../..')] } },
  build: {
    outDir: officeOutDir(),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    assetsInlineLimit: 0,
  },
});
