// The layers hold: the web apps and the shared core reach nothing of the server, the server nothing of the CLI,
// the local stack or the pages. A wrong relative import fails here before it fails in a bundle.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Each top folder, and the top folders its modules may import from. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  shared: ['shared'],
  web: ['web', 'shared'],
  functions: ['functions', 'shared', 'signing'],
  infra: ['infra', 'shared', 'functions', 'signing'],
};

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function modules(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return modules(path);
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : [];
  });
}

/** The top folder each relative import of `path` lands in. */
function importedTops(path: string): { spec: string; top: string }[] {
  const source = readFileSync(join(ROOT, path), 'utf8');
  return [...source.matchAll(IMPORT)].map((match) => {
    const spec = (match[1] ?? match[2]) as string;
    const target = relative(ROOT, normalize(join(ROOT, dirname(path), spec)));
    return { spec, top: target.split(sep)[0] as string };
  });
}

describe('the layers of the code base', () => {
  it('finds the imports it checks (a change to the import syntax cannot silence it)', () => {
    expect(importedTops('web/office/src/desk.ts').some(({ top }) => top === 'shared')).toBe(true);
  });

  for (const [top, allowed] of Object.entries(MAY_IMPORT)) {
    it(`lets ${top}/ import only from ${allowed.join(', ')}`, () => {
      const wrong = modules(top).flatMap((path) =>
        importedTops(path)
          .filter((found) => !allowed.includes(found.top))
          .map(({ spec }) => `${path} imports ${spec}`),
      );
      expect(wrong).toEqual([]);
    });
  }
});
