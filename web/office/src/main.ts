// Starts the office pages: fonts for Urdu, the shared look, and the app.
import '@fontsource/noto-nastaliq-urdu/arabic-400.css';
import '@fontsource/noto-naskh-arabic/arabic-400.css';
import '@fontsource/noto-naskh-arabic/arabic-700.css';
import '../../shared/base.css';
import './office.css';
import { h, render } from 'preact';
import { App } from './app.ts';

render(h(App, null), document.getElementById('app') as HTMLElement);
