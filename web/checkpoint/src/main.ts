// Starts the checkpoint app and registers the service worker that keeps it working with no network.
import '@fontsource/noto-nastaliq-urdu/arabic-400.css';
import '@fontsource/noto-naskh-arabic/arabic-400.css';
import '@fontsource/noto-naskh-arabic/arabic-700.css';
import '../../shared/base.css';
import './checkpoint.css';
import { registerSW } from 'virtual:pwa-register';
import { h, render } from 'preact';
import { App } from './app.ts';

registerSW({ immediate: true });
render(h(App, null), document.getElementById('app') as HTMLElement);
