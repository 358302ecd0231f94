// When `npm start` builds the web apps first: none built, a source newer than the build, or nothing to do.
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { webBuildNeeded } from '../../local/web-build.ts';

function project(files: Record<string, number>): string {
  const root = mkdtempSync(join(tmpdir(), 'rahdari-web-build-'));
  for (const [path, mtimeSeconds] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), 'x');
    utimesSync(join(root, path), mtimeSeconds, mtimeSeconds);
  }
  // Directories take the time of their newest entry's creation; pin them old so only files decide.
  for (const dir of ['web/checkpoint/src', 'web/checkpoint', 'web/office', 'shared', 'shared/domain']) {
    try {
      utimesSync(join(root, dir), 1000, 1000);
    } catch {
      // not part of this project
    }
  }
  return root;
}

const built = { 'web/dist/checkpoint/index.html': 5000, 'web/dist/office/index.html': 5000 };

describe('the web build npm start runs first', () => {
  it('is needed on a fresh clone, where nothing is built', () => {
    expect(webBuildNeeded(project({ 'web/checkpoint/src/app.ts': 1000 }))).toBe('missing');
  });

  it('is needed when only one of the two apps is built', () => {
    const root = project({ 'web/checkpoint/src/app.ts': 1000, 'web/dist/checkpoint/index.html': 5000 });
    expect(webBuildNeeded(root)).toBe('missing');
  });

  it('is needed when a shared module changed after the build', () => {
    const root = project({ ...built, 'web/checkpoint/src/app.ts': 1000, 'shared/domain/cnic.ts': 6000 });
    expect(webBuildNeeded(root)).toBe('stale');
  });

  it('is not needed when the build is newer than every source', () => {
    const root = project({ ...built, 'web/checkpoint/src/app.ts': 1000, 'shared/domain/cnic.ts': 2000 });
    expect(webBuildNeeded(root)).toBeUndefined();
  });
});
