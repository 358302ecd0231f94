// The credential core end to end on this machine: keys under .data/keys, a sample pass, its QR PNG, an offline check.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readQrFromImage } from '../cli/read-qr-image.ts';
import { type PassClaims, passPoints, signCredential, verifyCredential } from '../shared/credential.ts';
import { qrVersion, toQrText } from '../shared/qr.ts';
import { renderQrPng } from '../shared/qr-png.ts';
import { signTrustBundle } from '../shared/trust-bundle.ts';
import { TrustState } from '../shared/trust-state.ts';
import { initKeyDir, KEY_FILES, loadKeyDir } from '../signing/key-dir.ts';

const dataDir = process.env.RAHDARI_DATA ?? '.data';
const keyDir = join(dataDir, 'keys');
const keys = existsSync(join(keyDir, KEY_FILES.signingKey))
  ? await loadKeyDir(keyDir)
  : await initKeyDir(keyDir);
console.log(`keys: trust root ${keys.root.kid}, pass-signing key ${keys.signing.kid} in ${keyDir}`);

const now = Math.floor(Date.now() / 1000);
const claims: PassClaims = {
  sub: 'BP-2026-000001',
  nbf: now,
  exp: now + 180 * 86400,
  n: 'Abdul Ghafoor Baloch Sanjrani',
  f: 'Haji Muhammad Hassan Sanjrani',
  c: 5410112345673,
  p: 'TFT RJY',
};
const token = await signCredential(keys.signing, 'bp', claims);
const pngPath = join(dataDir, `${claims.sub}.png`);
mkdirSync(dataDir, { recursive: true });
writeFileSync(pngPath, await renderQrPng(token));
console.log(`issued ${claims.sub}: QR version ${qrVersion(token)}, image ${pngPath}`);

const bundleToken = await signTrustBundle(keys.root, {
  iss: 'rahdari',
  iat: now,
  validUntil: now + 7 * 86400,
  keys: keys.jwks.keys,
  version: 0,
  revoked: [],
});
const trust = await TrustState.fromFullBundle(bundleToken, keys.root.publicJwk, now);
if (!trust.ok) throw new Error(`trust bundle refused: ${trust.detail}`);
const scanned = await readQrFromImage(pngPath);
if (scanned !== toQrText(token)) throw new Error('the PNG did not decode to the QR text');
const result = await verifyCredential(scanned, trust.state, {
  now: new Date(),
  kind: 'bp',
  checkpoint: 'TFT',
});
console.log(`checked offline at TFT from the PNG: ${result.verdict} (${result.detail})`);
console.log(`  holder ${claims.n}, father ${claims.f}, crossing points ${passPoints(claims).join(', ')}`);
process.exitCode = result.verdict === 'VALID' ? 0 : 1;
