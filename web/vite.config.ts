// Builds the checkpoint app into web/dist/checkpoint: a plain static folder with a service worker that precaches it all.
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Where the app is served from; the local server and CloudFront both put it under /checkpoint/. */
export const CHECKPOINT_BASE = '/checkpoint/';

/** One `npm run build:web` also builds the office pages, with their own config, into web/dist/office. */
function officePages(): Plugin {
  return {
    name: 'rahdari-office-pages',
    apply: 'build',
    async closeBundle() {
      const { build } = await import('vite');
      await build({ configFile: here('./office/vite.config.ts'), logLevel: 'warn' });
    },
  };
}

export default defineConfig({
  root: here('./checkpoint'),
  base: CHECKPOINT_BASE,
  publicDir: here('./checkpoint/public'),
  // Other folders of the repository (shared/, node_modules/) are imported from outside the root.
  server: { fs: { allow: [here('..')] } },
  build: {
    outDir: process.env.RAHDARI_WEB_OUT ?? here('./dist/checkpoint'),
    emptyOutDir: true,
    target: 'es2022',
    // Source maps help a developer, but a post's phone should not download or cache them.
    sourcemap: false,
    assetsInlineLimit: 0,
  },
  worker: { format: 'es' },
  plugins: [
    officePages(),
    VitePWA({
      strategies: 'generateSW',
      registerType: 'autoUpdate',
      injectRegister: false,
      manifest: {
        name: 'Rahdari checkpoint',
        short_name: 'Rahdari',
        description: 'Verifies border passes and boat certificates offline.',
        start_url: CHECKPOINT_BASE,
        scope: CHECKPOINT_BASE,
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#0b3d2e',
        icons: [{ src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      includeAssets: ['icon.svg'],
      workbox: {
        // Everything the app needs offline, the decoder's WebAssembly and the Urdu fonts included. The .woff
        // fallbacks are left out: every browser that runs this app reads .woff2.
        globPatterns: ['**/*.{js,css,html,wasm,woff2,svg,webmanifest}'],
        // The ZXing-C++ WebAssembly is about 1 MB, over Workbox's 2 MB default only with room to spare.
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        navigateFallback: `${CHECKPOINT_BASE}index.html`,
        navigateFallbackDenylist: [/\/config\.json$/, /\/root\.jwk$/],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
        runtimeCaching: [
          {
            // The server's settings change without a rebuild, so they are fetched fresh when there is signal and
            // the last copy is used when there is none (the app keeps its own copy in IndexedDB too).
            urlPattern: ({ url }) => url.pathname === `${CHECKPOINT_BASE}config.json`,
            handler: 'NetworkFirst',
            options: {
              cacheName: 'checkpoint-config',
              networkTimeoutSeconds: 4,
              expiration: { maxEntries: 1 },
            },
          },
        ],
      },
    }),
  ],
});
