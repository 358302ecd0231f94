// Independent checks: a pass signed by the `rahdari` CLI verifies in PyJWT with the published jwks.json, and its
// PNG reads in zbarimg. Both tools come from Debian (python3-jwt, zbar-tools), which .ci/run installs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromQrText } from '../../shared/qr.ts';
import { zbarQrTexts } from '../field/zbar.ts';

const PYTHON = '/usr/bin/python3';
const _ZBARIMG = '/usr/bin/zbarimg';
// CI installs both tools, so there a missing tool fails the run instead of skipping the check.
const dir = mkdtempSync(join(tmpdir(), 'rahdari-interop-'));
const rahdari = (...args: string[]) =>
  execFileSync(process.execPath, ['cli/rahdari.ts', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

let qrText: string;

beforeAll(() => {
  rahdari('keys', 'init', '--dir', join(dir, 'keys'));
  const claims = {
    sub: 'BP-2026-000777',
    nbf: '2026-01-01T00:00:00Z',
    exp: '2036-01-01T00:00:00Z',
    n: 'Haji Abdul Rahim Notezai',
    f: 'Malik Gul Khan Notezai',
    c: '54102-7654321-5',
    p: ['TFT', 'RJY'],
  };
  writeFileSync(join(dir, 'claims.json'), JSON.stringify(claims));
  qrText = rahdari(
    'sign',
    '--keys',
    join(dir, 'keys'),
    '--type',
    'bp',
    '--claims',
    join(dir, 'claims.json'),
    '--png',
    join(dir, 'pass.png'),
  ).trim();
});
// The directory holds private keys: removed, not left behind in /tmp.
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a pass signed by the CLI, checked by independent tools', () => {
  it('verifies in PyJWT with the published jwks.json, ES256 only', () => {
    const script = `
import json, sys, jwt
token, jwks_path = sys.argv[1], sys.argv[2]
header = jwt.get_unverified_header(token)
keys = {k["kid"]: k for k in json.load(open(jwks_path))["keys"]}
key = jwt.PyJWK(keys[header["kid"]]).key
claims = jwt.decode(token, key, algorithms=["ES256"], options={"require": ["sub", "nbf", "exp"]})
print(json.dumps({"typ": header["typ"], "sub": claims["sub"], "c": claims["c"], "p": claims["p"]}))
`;
    const out = execFileSync(PYTHON, ['-c', script, fromQrText(qrText), join(dir, 'keys', 'jwks.json')], {
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({ typ: 'bp+jwt', sub: 'BP-2026-000777', c: 5410276543215, p: 'TFT RJY' });
  });

  it('PyJWT refuses the same pass when one payload character changes', () => {
    const [h, p, s] = fromQrText(qrText).split('.') as [string, string, string];
    const changed = `${h}.${p.slice(0, 10)}${p[10] === 'A' ? 'B' : 'A'}${p.slice(11)}.${s}`;
    const script = `
import json, sys, jwt
keys = json.load(open(sys.argv[2]))["keys"]
try:
    jwt.decode(sys.argv[1], jwt.PyJWK(keys[0]).key, algorithms=["ES256"])
    print("accepted")
except jwt.InvalidTokenError as e:
    print("refused")
`;
    const out = execFileSync(PYTHON, ['-c', script, changed, join(dir, 'keys', 'jwks.json')], {
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('refused');
  });

  it('its PNG reads back in zbarimg as the exact QR text', () => {
    expect(zbarQrTexts(join(dir, 'pass.png'))).toEqual([qrText]);
    expect(readFileSync(join(dir, 'pass.png')).subarray(1, 4).toString()).toBe('PNG');
  });
});
