// The `rahdari` command as a user meets it: exit codes, one-line errors, the trust state file and what verify prints.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/rahdari.ts';
import { signTrustBundle } from '../../shared/trust-bundle.ts';
import { loadKeyDir } from '../../signing/key-dir.ts';

const dir = mkdtempSync(join(tmpdir(), 'rahdari-cli-'));
const keys = join(dir, 'keys');
const strangerKeys = join(dir, 'stranger');
const rootJwk = join(keys, 'root.jwk');
const NOW = new Date('2026-07-01T00:00:00Z');
const LATER = new Date('2026-07-01T01:00:00Z');
const at = (name: string) => join(dir, name);

/** Runs the command in this process with a pinned clock and captured output. */
async function run(args: string[], now: Date = NOW, stdin = '') {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(args, {
    stdout: (line) => stdout.push(line),
    stderr: (line) => stderr.push(line),
    readStdin: async () => stdin,
    now: () => now,
  });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n'), stderrLines: stderr };
}

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
let strangerQr: string;

/** A state file at version 1 with no revocations, taken at NOW. */
async function freshState(name: string): Promise<string> {
  const file = at(name);
  rmSync(file, { force: true });
  expect((await run(['trust', 'init', '--state', file, '--root', rootJwk, at('v1.jwt')])).code).toBe(0);
  return file;
}

beforeAll(async () => {
  expect((await run(['keys', 'init', '--dir', keys])).code).toBe(0);
  expect((await run(['keys', 'init', '--dir', strangerKeys])).code).toBe(0);
  writeFileSync(at('claims.json'), JSON.stringify(claims));
  const signArgs = ['sign', '--type', 'bp', '--claims', at('claims.json')];
  qrText = (await run([...signArgs, '--keys', keys, '--png', at('p.png')])).stdout.trim();
  strangerQr = (await run([...signArgs, '--keys', strangerKeys])).stdout.trim();
  writeFileSync(at('revoked.txt'), 'BP-2026-000042\n');
  const bundle = (name: string, extra: string[], now: Date) =>
    run(['trust-bundle', '--keys', keys, '--out', at(name), ...extra], now);
  expect((await bundle('v1.jwt', ['--version', '1'], NOW)).code).toBe(0);
  expect(
    (await bundle('d2.jwt', ['--version', '2', '--since', '1', '--revoked', at('revoked.txt')], LATER)).code,
  ).toBe(0);
  expect((await bundle('v2.jwt', ['--version', '2', '--revoked', at('revoked.txt')], LATER)).code).toBe(0);
  // A bundle the real root signed, but holding a key with its private part: a server bug, not an attacker.
  const { root, signing } = await loadKeyDir(keys);
  const leaked = JSON.parse(readFileSync(join(keys, 'jwks.json'), 'utf8')).keys[0];
  const badKey = { ...leaked, d: signing.publicJwk.x };
  const iat = NOW.getTime() / 1000;
  writeFileSync(
    at('bad-key.jwt'),
    await signTrustBundle(root, {
      iss: 'rahdari',
      iat,
      validUntil: iat + 3600,
      keys: [badKey],
      version: 3,
      revoked: [],
    }),
  );
});
// The directory holds private keys: removed, not left behind in /tmp.
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rahdari verify', () => {
  it('exits 0 and prints the holder for a valid pass read from its PNG, against a trust state', async () => {
    const state = await freshState('state-png.json');

    const out = await run(['verify', at('p.png'), '--trust', state, '--checkpoint', 'MND']);

    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^VALID: /);
    expect(out.stdout).toContain('Noor Bibi Rind');
    expect(out.stdout).toContain('52201-1234567-8');
  });

  it('exits 0 against a full bundle checked with --root', async () => {
    const out = await run(['verify', qrText, '--trust', at('v1.jwt'), '--root', rootJwk]);

    expect([out.code, out.stdout.split('\n')[0]]).toEqual([
      0,
      'VALID: signature, type and validity verified',
    ]);
  });

  it('reads the input from standard input when it is -', async () => {
    const out = await run(['verify', '-', '--trust', at('v1.jwt'), '--root', rootJwk], NOW, `${qrText}\n`);

    expect(out.code).toBe(0);
  });

  it('exits 1 with the verdict for a pass shown at a point it does not list', async () => {
    const out = await run([
      'verify',
      qrText,
      '--trust',
      at('v1.jwt'),
      '--root',
      rootJwk,
      '--checkpoint',
      'TFT',
      '--json',
    ]);

    expect(out.code).toBe(1);
    expect(JSON.parse(out.stdout)).toMatchObject({ verdict: 'NOT_VALID_HERE', warnings: [] });
  });

  it('refuses a checkpoint code that is not in the reference data, in one line', async () => {
    const out = await run([
      'verify',
      qrText,
      '--trust',
      at('v1.jwt'),
      '--root',
      rootJwk,
      '--checkpoint',
      'XYZ',
    ]);

    expect([out.code, out.stderrLines[0]]).toEqual([
      2,
      'rahdari: --checkpoint XYZ is not a crossing point or port code',
    ]);
  });

  it('exits 3 for a pass checked against a bare JWKS, saying trust is not rooted and revocation unknown', async () => {
    const out = await run(['verify', qrText, '--trust', join(keys, 'jwks.json')]);

    expect(out.code).toBe(3);
    expect(out.stdout).toMatch(/^VALID \(not rooted, revocation unknown\)/);
    expect(out.stdout).toContain('warning: trust not rooted');
  });

  it('exits 3 for a valid pass once the state is past its validUntil', async () => {
    const state = await freshState('state-old.json');

    const out = await run(['verify', qrText, '--trust', state, '--json'], new Date('2026-07-05T00:00:00Z'));

    expect(out.code).toBe(3);
    expect(JSON.parse(out.stdout).warnings).toEqual(['BUNDLE_STALE', 'REVOCATION_UNKNOWN']);
  });

  it('refuses a bundle without a pinned root', async () => {
    const out = await run(['verify', qrText, '--trust', at('v1.jwt')]);

    expect(out.code).toBe(2);
    expect(out.stderrLines[0]).toMatch(/^rahdari: .*--root/);
  });

  it('accepts --root with a state file only when it is the root the state is pinned to', async () => {
    const state = await freshState('state-root.json');

    const same = await run(['verify', qrText, '--trust', state, '--root', rootJwk]);
    const other = await run(['verify', qrText, '--trust', state, '--root', join(strangerKeys, 'root.jwk')]);

    expect(same.code).toBe(0);
    expect([other.code, other.stdout]).toEqual([2, '']);
    expect(other.stderr).toMatch(/trust state refused \(ROOT_MISMATCH\)/);
  });

  it('names a missing input file', async () => {
    const out = await run(['verify', at('nope.png'), '--trust', join(keys, 'jwks.json')]);

    expect([out.code, out.stderr]).toEqual([
      2,
      `rahdari: ${at('nope.png')}: no such file, and not QR text or a JWS either`,
    ]);
  });

  it('names an image that is not a PNG or JPEG', async () => {
    writeFileSync(at('notes.png'), 'not an image');

    const out = await run(['verify', at('notes.png'), '--trust', join(keys, 'jwks.json')]);

    expect(out.code).toBe(2);
    expect(out.stderrLines).toHaveLength(1);
    expect(out.stderr).toMatch(/^rahdari: /);
  });

  it('names a damaged root file in one line', async () => {
    writeFileSync(at('root-bad.jwk'), JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'short' }));

    const out = await run(['verify', 'x.y.z', '--trust', at('v1.jwt'), '--root', at('root-bad.jwk')]);

    expect([out.code, out.stderr]).toEqual([
      2,
      `rahdari: ${at('root-bad.jwk')}: not a P-256 public key (JWK)`,
    ]);
  });
});

describe('attacks on rahdari verify never answer VALID', () => {
  const neverValid = (out: { code: number; stdout: string }) => {
    expect(out.code).not.toBe(0);
    expect(out.code).not.toBe(3);
    expect(out.stdout).not.toMatch(/^VALID/);
  };

  it('a delta given alone as the trust: exit 2, one line saying it needs its state', async () => {
    const out = await run(['verify', qrText, '--trust', at('d2.jwt'), '--root', rootJwk]);

    neverValid(out);
    expect(out.code).toBe(2);
    expect(out.stderrLines).toHaveLength(1);
    expect(out.stderr).toMatch(/is a delta bundle: it needs the trust state it applies to/);
  });

  it('an older bundle after a newer one: refused, the state file untouched, the pass still REVOKED', async () => {
    const state = await freshState('state-replay.json');
    expect((await run(['trust', 'update', '--state', state, at('v2.jwt')], LATER)).code).toBe(0);
    const before = readFileSync(state, 'utf8');

    const update = await run(['trust', 'update', '--state', state, at('v1.jwt')], LATER);
    const out = await run(['verify', qrText, '--trust', state], LATER);

    expect(update.code).toBe(1);
    expect(update.stderrLines[0]).toMatch(/v1\.jwt: refused \(OLDER\)/);
    expect(readFileSync(state, 'utf8')).toBe(before);
    neverValid(out);
    expect(out.stdout).toMatch(/^REVOKED: /);
  });

  it('a bare JWKS with --root: exit 2, since no root signs a JWKS', async () => {
    const out = await run(['verify', qrText, '--trust', join(keys, 'jwks.json'), '--root', rootJwk]);

    neverValid(out);
    expect(out.stderrLines[0]).toMatch(/is a bare JWKS, which no root signs/);
  });

  it("a stranger's JWKS with --root, for the stranger's own pass: exit 2", async () => {
    const out = await run([
      'verify',
      strangerQr,
      '--trust',
      join(strangerKeys, 'jwks.json'),
      '--root',
      rootJwk,
    ]);

    neverValid(out);
    expect(out.code).toBe(2);
  });

  it('a root-signed bundle holding a private key: exit 2, one line, no stack trace', async () => {
    const out = await run(['verify', qrText, '--trust', at('bad-key.jwt'), '--root', rootJwk]);

    neverValid(out);
    expect(out.stderrLines).toEqual([
      `rahdari: ${at('bad-key.jwt')}: trust bundle refused (MALFORMED): a key holds private key material (d)`,
    ]);
  });

  it('a state file edited to drop a revocation: refused as a whole', async () => {
    const state = await freshState('state-edited.json');
    expect((await run(['trust', 'update', '--state', state, at('d2.jwt')], LATER)).code).toBe(0);
    const saved = JSON.parse(readFileSync(state, 'utf8'));
    const [h, p, sig] = saved.bundles[1].token.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    const edited = Buffer.from(JSON.stringify({ ...payload, revoked: [] })).toString('base64url');
    saved.bundles[1].token = `${h}.${edited}.${sig}`;
    writeFileSync(state, JSON.stringify(saved));

    const out = await run(['verify', qrText, '--trust', state], LATER);

    neverValid(out);
    expect(out.stderr).toMatch(/trust state refused/);
  });
});

describe('rahdari trust', () => {
  it('init starts a state from a full bundle and show reports it', async () => {
    const state = await freshState('state-show.json');

    const out = await run(['trust', 'show', '--state', state], LATER);

    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^version: +1$/m);
    expect(out.stdout).toMatch(/^issued: +2026-07-01T00:00:00Z \(1\.0 h ago by this clock\)$/m);
    expect(out.stdout).toMatch(/^root: +\S{8} \(thumbprint [\w-]{43}\)$/m);
  });

  it('init refuses a delta, and refuses to overwrite a state that exists', async () => {
    const state = await freshState('state-init.json');

    const delta = await run(['trust', 'init', '--state', at('other.json'), '--root', rootJwk, at('d2.jwt')]);
    const again = await run(['trust', 'init', '--state', state, '--root', rootJwk, at('v1.jwt')]);

    expect([delta.code, existsSync(at('other.json'))]).toEqual([2, false]);
    expect(delta.stderr).toMatch(/refused \(NOT_FULL\)/);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  });

  it('update applies a delta from the state version, and the pass is then REVOKED', async () => {
    const state = await freshState('state-delta.json');

    const update = await run(['trust', 'update', '--state', state, at('d2.jwt')], LATER);
    const out = await run(['verify', qrText, '--trust', state, '--json'], LATER);

    expect(update.code).toBe(0);
    expect(update.stdout).toMatch(/version 2, 1 revocation/);
    expect(JSON.parse(out.stdout).verdict).toBe('REVOKED');
  });

  it('update names every refused bundle and saves nothing when one is refused', async () => {
    const state = await freshState('state-mixed.json');
    const before = readFileSync(state, 'utf8');

    const out = await run(
      ['trust', 'update', '--state', state, at('d2.jwt'), at('bad-key.jwt'), at('d2.jwt')],
      LATER,
    );

    expect(out.code).toBe(2);
    expect(out.stderrLines).toEqual([
      expect.stringMatching(/bad-key\.jwt: refused \(MALFORMED\)/),
      expect.stringMatching(/d2\.jwt: refused \(OUT_OF_ORDER\)/),
      `rahdari: ${state} left unchanged`,
    ]);
    expect(readFileSync(state, 'utf8')).toBe(before);
  });

  it('update takes no --root: the state carries its own', async () => {
    const state = await freshState('state-flag.json');

    const out = await run(['trust', 'update', '--state', state, '--root', rootJwk, at('d2.jwt')]);

    expect(out.code).toBe(2);
    expect(out.stderrLines[1]).toBe('run rahdari --help for usage');
  });
});

describe('rahdari sign, keys and help', () => {
  it('refuses claims missing a field, naming what a pass needs', async () => {
    writeFileSync(at('bad.json'), JSON.stringify({ ...claims, f: undefined }));

    const out = await run(['sign', '--keys', keys, '--type', 'bp', '--claims', at('bad.json')]);

    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/needs sub, nbf, exp, n, f, c, p/);
  });

  it('refuses to overwrite existing keys', async () => {
    const out = await run(['keys', 'init', '--dir', keys]);

    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/refusing to overwrite keys$/);
  });

  it('refuses an unknown option with a pointer to the usage', async () => {
    const out = await run(['sign', '--kees', keys]);

    expect(out.code).toBe(2);
    expect(out.stderrLines).toEqual([expect.stringMatching(/^rahdari: /), 'run rahdari --help for usage']);
  });

  it('documents the exit codes of verify in --help', async () => {
    const out = await run(['--help']);

    expect(out.code).toBe(0);
    expect(out.stdout).toContain('3 for VALID when revocation is unknown');
  });
});

describe('the installed command, spawned', () => {
  const spawn = (...args: string[]) => {
    const out = spawnSync(process.execPath, ['cli/rahdari.ts', ...args], { encoding: 'utf8' });
    return { code: out.status, stdout: out.stdout, stderr: out.stderr };
  };

  it('verifies a pass against a state file and exits 0', async () => {
    // The spawned command runs on the real clock, so its state starts from a bundle issued now.
    expect(spawn('trust-bundle', '--keys', keys, '--out', at('now.jwt')).code).toBe(0);
    expect(spawn('trust', 'init', '--state', at('spawned.json'), '--root', rootJwk, at('now.jwt')).code).toBe(
      0,
    );

    const out = spawn('verify', qrText, '--trust', at('spawned.json'), '--checkpoint', 'MND');

    expect([out.code, out.stdout.split('\n')[0]]).toEqual([
      0,
      'VALID: signature, type and validity verified',
    ]);
  });

  it('exits 2 with one line and a pointer to --help for bad usage', () => {
    const out = spawn('verify', qrText);

    expect(out.code).toBe(2);
    expect(out.stderr).toBe('rahdari: --trust is required\nrun rahdari --help for usage\n');
  });

  it('does nothing when imported, so tests and other tools can call main', () => {
    const out = spawnSync(process.execPath, ['-e', "await import('./cli/rahdari.ts')"], { encoding: 'utf8' });

    expect([out.status, out.stdout, out.stderr]).toEqual([0, '', '']);
  });
});
