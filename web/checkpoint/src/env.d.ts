// Types for what Vite and its PWA plugin resolve at build time: `?url` assets and the service worker register.
/// <reference types="vite/client" />
/// <reference types="vite-plugin-pwa/client" />
