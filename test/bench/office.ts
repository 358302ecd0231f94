// Office pages in Chromium: each page's JavaScript (gzip) and its first render on a 4x throttled CPU, beside a
// script-free document from the same static server (the pages' icon) loaded the same way.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { startPlatform } from '../../local/platform.ts';
import { launchChromium } from '../e2e/browser.ts';
import { applicationBody } from '../support/data.ts';
import { type BenchRow, quantile } from './harness.ts';

const THROTTLE = 4;
const RUNS = 3;
const JS_BUDGET_KB = 150;
const RENDER_BUDGET_MS = 1500;

interface PageCase {
  name: string;
  hash: string;
  login?: Record<string, string>;
}

/** The person the search and person pages show: one application on record, as on a desk at work. */
const SEEDED_CNIC = '5210112345673';

const PAGES: PageCase[] = [
  { name: 'login', hash: '' },
  {
    name: 'resident',
    hash: '#/apply',
    login: { role: 'applicant', sub: 'bench-resident', cnic: '5210112345673' },
  },
  {
    name: 'group leader',
    hash: '#/groups/new',
    login: { role: 'applicant', sub: 'bench-leader', cnic: '4210112345673' },
  },
  { name: 'FIA queue', hash: '#/queue', login: { role: 'fia-officer', sub: 'bench-officer' } },
  { name: 'FIA groups', hash: '#/groups', login: { role: 'fia-officer', sub: 'bench-officer' } },
  {
    name: 'Fisheries',
    hash: '#/register',
    login: { role: 'fisheries-officer', sub: 'bench-fisheries', port: 'GWD' },
  },
  {
    name: 'FIA search',
    hash: `#/search/${encodeURIComponent('q=mohd hafizullah tarin')}`,
    login: { role: 'fia-officer', sub: 'bench-officer' },
  },
  {
    name: 'FIA person',
    hash: `#/person/${SEEDED_CNIC}`,
    login: { role: 'fia-officer', sub: 'bench-officer' },
  },
  { name: 'Ministry', hash: '#/reports', login: { role: 'moi-analyst', sub: 'bench-moi' } },
  {
    name: 'Ministry person',
    hash: `#/person/${SEEDED_CNIC}`,
    login: { role: 'moi-analyst', sub: 'bench-moi' },
  },
  { name: 'Ministry groups', hash: '#/groups', login: { role: 'moi-analyst', sub: 'bench-moi' } },
];

/** One cold load (fresh context, no cache) at 4x CPU: the page's JS by gzip size and the time to its first render. */
async function coldLoad(
  browser: Browser,
  url: string,
  dir: string,
  token: string | undefined,
  mark: string | undefined,
): Promise<{ ms: number; jsGzip: number }> {
  const context = await browser.newContext({ viewport: { width: 412, height: 915 } });
  if (token)
    await context.addInitScript(
      (t) => sessionStorage.setItem('rahdari.office.session', JSON.stringify(t)),
      token,
    );
  const page = await context.newPage();
  const scripts = new Set<string>();
  page.on('response', (response) => {
    const path = new URL(response.url()).pathname;
    if (path.startsWith('/office/') && path.endsWith('.js')) scripts.add(path.slice('/office/'.length));
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  await page.goto(url);
  let ms: number;
  if (mark) {
    await page.waitForFunction((m) => performance.getEntriesByName(m).length > 0, mark, { timeout: 30_000 });
    ms = await page.evaluate((m) => performance.getEntriesByName(m)[0]?.startTime ?? Number.NaN, mark);
  } else {
    await page.waitForLoadState('load');
    ms = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      return nav ? nav.loadEventEnd || nav.responseEnd : Number.NaN;
    });
  }
  await context.close();
  let jsGzip = 0;
  for (const file of scripts) jsGzip += gzipSync(readFileSync(join(dir, file))).length;
  return { ms, jsGzip };
}

async function seedPerson(url: string): Promise<void> {
  const login = await fetch(`${url}/dev/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'applicant', sub: 'bench-resident', cnic: SEEDED_CNIC }),
  });
  const { token } = (await login.json()) as { token: string };
  const applied = await fetch(`${url}/applications`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(
      applicationBody(SEEDED_CNIC, {
        name: 'Muhammad Hafeezullah Tareen',
        fatherName: 'Abdul Wahid Tareen',
        district: 'GWADAR',
        crossingPoints: ['GBD'],
      }),
    ),
  });
  if (applied.status !== 201) throw new Error(`seeding the person failed: ${applied.status}`);
}

export async function benchOffice(): Promise<BenchRow[]> {
  const work = mkdtempSync(join(tmpdir(), 'rahdari-bench-office-'));
  const dir = join(work, 'office');
  execFileSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/office/vite.config.ts', '--logLevel', 'warn'],
    { env: { ...process.env, RAHDARI_OFFICE_OUT: dir }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (!existsSync(join(dir, 'index.html'))) throw new Error('the office build made no index.html');
  const dynamodb = await startDynamoDbLocal({ port: 0 });
  const platform = await startPlatform({
    dynamodbEndpoint: dynamodb.endpoint,
    tableName: 'rahdari-bench-office',
    keyDir: join(work, 'keys'),
    port: 0,
    // The office pages are served beside the checkpoint app's folder (local/static.ts); only they are built here.
    checkpointApp: { dir: join(work, 'checkpoint') },
  });
  const browser = await launchChromium();
  try {
    const blank: number[] = [];
    for (let i = 0; i < RUNS; i++)
      blank.push((await coldLoad(browser, `${platform.url}/office/icon.svg`, dir, undefined, undefined)).ms);
    blank.sort((a, b) => a - b);
    await seedPerson(platform.url);
    const rows: BenchRow[] = [];
    for (const page of PAGES) {
      let token: string | undefined;
      if (page.login) {
        const res = await fetch(`${platform.url}/dev/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(page.login),
        });
        token = ((await res.json()) as { token: string }).token;
      }
      const runs: { ms: number; jsGzip: number }[] = [];
      for (let i = 0; i < RUNS; i++)
        runs.push(
          await coldLoad(
            browser,
            `${platform.url}/office/${page.hash}`,
            dir,
            token,
            'rahdari:office-first-render',
          ),
        );
      const times = runs.map((r) => r.ms).sort((a, b) => a - b);
      const js = Math.max(...runs.map((r) => r.jsGzip)) / 1024;
      const renderMs = quantile(times, 0.5);
      rows.push(
        {
          name: `${page.name}: JavaScript, gzip`,
          value: Math.round(js * 10) / 10,
          unit: 'KB',
          note: `budget ≤ ${JS_BUDGET_KB} KB${js > JS_BUDGET_KB ? ' — OVER' : ''}`,
        },
        {
          name: `${page.name}: first render, cold, ${THROTTLE}x CPU (median of ${RUNS})`,
          value: Math.round(renderMs),
          unit: 'ms',
          baseline: {
            name: `script-free page, same server, ${THROTTLE}x`,
            value: Math.round(quantile(blank, 0.5)),
          },
          note: `budget ≤ ${RENDER_BUDGET_MS} ms${renderMs > RENDER_BUDGET_MS ? ' — OVER' : ''}`,
        },
      );
    }
    return rows;
  } finally {
    await browser.close();
    await platform.close();
    await dynamodb.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
