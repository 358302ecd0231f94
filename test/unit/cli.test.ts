// The `rahdari` command as a user meets it: exit codes, one-line errors, and what verify prints.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'rahdari-cli-'));
const keys = join(dir, 'keys');
const run = (...args: string[]) => {
  const out = spawnSync(process.execPath, ['cli/rahdari.ts', ...args], { encoding: 'utf8' });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
};
const claims = {
  sub: 'BP-2026-000042',
  nbf: '2026-01-01',
  exp: '2036-01-01',
  n: 'Noor Bibi Rind',
  f: 'Muhammad Ayub Rind',
  c: '52201-1234567-8',
  p: ['MND'],
};
let qrText: string;

beforeAll(() => {
  expect(run('keys', 'init', '--dir', keys).code).toBe(0);
  writeFileSync(join(dir, 'claims.json'), JSON.stringify(claims));
  qrText = run(
    'sign',
    '--keys',
    keys,
    '--type',
    'bp',
    '--claims',
    join(dir, 'claims.json'),
    '--png',
    join(dir, 'p.png'),
  ).stdout.trim();
  writeFileSync(join(dir, 'revoked.txt'), 'BP-2026-000042\n');
  expect(run('trust-bundle', '--keys', keys, '--out', join(dir, 'bundle.jwt')).code).toBe(0);
  expect(
    run(
      'trust-bundle',
      '--keys',
      keys,
      '--revoked',
      join(dir, 'revoked.txt'),
      '--out',
      join(dir, 'revoked.jwt'),
    ).code,
  ).toBe(0);
});
// The directory holds private keys: removed, not left behind in /tmp.
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rahdari verify', () => {
  it('exits 0 and prints the holder for a valid pass read from its PNG', () => {
    const out = run(
      'verify',
      join(dir, 'p.png'),
      '--trust',
      join(dir, 'bundle.jwt'),
      '--root',
      join(keys, 'root.jwk'),
      '--checkpoint',
      'MND',
    );
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^VALID: /);
    expect(out.stdout).toContain('Noor Bibi Rind');
    expect(out.stdout).toContain('52201-1234567-8');
  });

  it('exits 1 with the verdict for a pass shown at a point it does not list', () => {
    const out = run(
      'verify',
      qrText,
      '--trust',
      join(dir, 'bundle.jwt'),
      '--root',
      join(keys, 'root.jwk'),
      '--checkpoint',
      'TFT',
      '--json',
    );
    expect(out.code).toBe(1);
    expect(JSON.parse(out.stdout)).toMatchObject({ verdict: 'NOT_VALID_HERE', warnings: [] });
  });

  it('reports REVOKED from a bundle that lists the pass', () => {
    const out = run(
      'verify',
      qrText,
      '--trust',
      join(dir, 'revoked.jwt'),
      '--root',
      join(keys, 'root.jwk'),
      '--json',
    );
    expect(JSON.parse(out.stdout).verdict).toBe('REVOKED');
  });

  it('says revocation is unknown when checked against a bare JWKS', () => {
    const out = run('verify', qrText, '--trust', join(keys, 'jwks.json'));
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^VALID \(revocation unknown\)/);
  });

  it('refuses a bundle without a pinned root', () => {
    const out = run('verify', qrText, '--trust', join(dir, 'bundle.jwt'));
    expect(out.code).toBe(2);
    expect(out.stderr.split('\n')[0]).toMatch(/^rahdari: .*--root/);
  });

  it('refuses a bundle that fails its own signature against the root, in one line', () => {
    const other = join(dir, 'other-keys');
    run('keys', 'init', '--dir', other);
    const out = run('verify', qrText, '--trust', join(dir, 'bundle.jwt'), '--root', join(other, 'root.jwk'));
    expect(out.code).toBe(2);
    expect(out.stderr.trim()).toMatch(/^rahdari: .*trust bundle refused/);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('names a missing input file', () => {
    const out = run('verify', join(dir, 'nope.png'), '--trust', join(keys, 'jwks.json'));
    expect(out.code).toBe(2);
    expect(out.stderr.trim()).toBe(
      `rahdari: ${join(dir, 'nope.png')}: no such file, and not QR text or a JWS either`,
    );
  });

  it('names an image that is not a PNG or JPEG', () => {
    writeFileSync(join(dir, 'notes.png'), 'not an image');
    const out = run('verify', join(dir, 'notes.png'), '--trust', join(keys, 'jwks.json'));
    expect(out.code).toBe(2);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toMatch(/^rahdari: /);
  });
});

describe('rahdari sign and keys', () => {
  it('refuses claims missing a field, naming what a pass needs', () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...claims, f: undefined }));
    const out = run('sign', '--keys', keys, '--type', 'bp', '--claims', join(dir, 'bad.json'));
    expect(out.code).toBe(2);
    expect(out.stderr.trim()).toMatch(/needs sub, nbf, exp, n, f, c, p/);
  });

  it('refuses to overwrite existing keys', () => {
    const out = run('keys', 'init', '--dir', keys);
    expect(out.code).toBe(2);
    expect(out.stderr.trim()).toMatch(/refusing to overwrite keys$/);
  });

  it('refuses an unknown option with a pointer to the usage', () => {
    const out = run('sign', '--kees', keys);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^rahdari: /);
  });
});

describe('rahdari verify with a damaged root file', () => {
  it('names the file in one line instead of failing with a stack trace', () => {
    const dir2 = mkdtempSync(join(tmpdir(), 'rahdari-cli-root-'));
    try {
      const keysDir = join(dir2, 'keys');
      run('keys', 'init', '--dir', keysDir);
      run('trust-bundle', '--keys', keysDir, '--out', join(dir2, 'b.jwt'));
      writeFileSync(join(dir2, 'root.jwk'), JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'short' }));
      const out = run('verify', 'x.y.z', '--trust', join(dir2, 'b.jwt'), '--root', join(dir2, 'root.jwk'));
      expect(out.code).toBe(2);
      expect(out.stderr.trim()).toBe(`rahdari: ${join(dir2, 'root.jwk')}: not a P-256 public key (JWK)`);
    } finally {
      rmSync(dir2, { recursive: true, force: true });
    }
  });
});
