// Independent checks of a boat certificate the server issued: PyJWT verifies it with the published JWKS, and
// zbarimg reads its PNG back as the exact QR text. Both tools come from Debian, which .ci/run installs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zbarQrTexts } from '../field/zbar.ts';
import { karachiDay } from '../support/data.ts';
import { vesselBody } from '../support/fleet.ts';
import { type TestPlatform, testPlatform } from '../support/platform.ts';

const PYTHON = '/usr/bin/python3';
const _ZBARIMG = '/usr/bin/zbarimg';
// CI installs both tools, so there a missing tool fails the run instead of skipping the check.
const dir = mkdtempSync(join(tmpdir(), 'rahdari-vessel-interop-'));

let p: TestPlatform;
let officialNumber: string;
let token: string;
let qrText: string;
let officer: string;

beforeAll(async () => {
  p = await testPlatform();
  officer = await p.login('fisheries-officer', 'fisheries-gwd-1', { port: 'GWD' });
  const res = await p.api('POST', '/vessels', { token: officer, body: vesselBody(karachiDay()) });
  if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${res.text}`);
  officialNumber = res.json.officialNumber;
  token = res.json.certificate.token;
  qrText = res.json.certificate.qrText;
  const jwks = await p.api('GET', '/.well-known/jwks.json');
  writeFileSync(join(dir, 'jwks.json'), jwks.text);
});
afterAll(async () => {
  await p.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a boat certificate, checked by independent tools', () => {
  it('verifies in PyJWT with the published jwks.json, ES256 only', () => {
    const script = `
import json, sys, jwt
token, jwks_path = sys.argv[1], sys.argv[2]
header = jwt.get_unverified_header(token)
keys = {k["kid"]: k for k in json.load(open(jwks_path))["keys"]}
key = jwt.PyJWK(keys[header["kid"]]).key
claims = jwt.decode(token, key, algorithms=["ES256"], options={"require": ["sub", "exp"]})
print(json.dumps({"typ": header["typ"], "sub": claims["sub"], "c": claims["c"], "h": claims["h"], "m": claims["m"]}))
`;
    const out = execFileSync(PYTHON, ['-c', script, token, join(dir, 'jwks.json')], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({
      typ: 'vr+jwt',
      sub: `${officialNumber}/1`,
      c: 5210112345673,
      h: 'GWD',
      m: 12,
    });
  });

  it('its PNG from the API reads back in zbarimg as the exact QR text', async () => {
    const png = await fetch(`${p.url}/vessels/${officialNumber}/qr.png`, {
      headers: { authorization: `Bearer ${officer}` },
    });
    expect(png.headers.get('content-type')).toBe('image/png');
    writeFileSync(join(dir, 'certificate.png'), new Uint8Array(await png.arrayBuffer()));
    expect(zbarQrTexts(join(dir, 'certificate.png'))).toEqual([qrText]);
  });
});
