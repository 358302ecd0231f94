// Credential benchmarks: sign and verify through the full path against raw node:crypto, and QR size over realistic holders.
import { createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { base64url } from 'jose';
import { type PassClaims, signCredential, verifyCredential } from '../../shared/credential.ts';
import { generateSigningKey, type Signer, signerFromPkcs8 } from '../../shared/keys.ts';
import { qrVersion, toQrText } from '../../shared/qr.ts';
import { signTrustBundle, type TrustBundle } from '../../shared/trust-bundle.ts';
import { TrustState } from '../../shared/trust-state.ts';
import { generateHolders } from '../support/holders.ts';
import { type BenchRow, opsPerSecond, quantile } from './harness.ts';

const NBF = Date.parse('2026-12-01T00:00:00Z') / 1000;
const EXP = Date.parse('2027-11-30T00:00:00Z') / 1000;

export async function benchCredential(): Promise<BenchRow[]> {
  const { pkcs8Pem } = await generateSigningKey();
  const signer = await signerFromPkcs8(pkcs8Pem);
  const root = await signerFromPkcs8((await generateSigningKey()).pkcs8Pem);
  const trust = await startState(root, {
    iss: 'rahdari',
    iat: NBF,
    validUntil: EXP,
    keys: [signer.publicJwk],
    version: 1,
    revoked: [],
  });
  const [holder] = generateHolders(1, 7);
  if (!holder) throw new Error('no holder generated');
  const claims: PassClaims = {
    sub: 'BP-2026-000123',
    nbf: NBF,
    exp: EXP,
    n: holder.name,
    f: holder.fatherName,
    c: Number(holder.cnic),
    p: holder.crossingPoints.join(' '),
  };
  const token = await signCredential(signer, 'bp', claims);
  const qrText = toQrText(token);
  const now = new Date('2027-01-15T00:00:00Z');

  // Raw baseline: the same key, the same signing input, node:crypto with IEEE P1363 (r‖s) signatures.
  const privateKey = createPrivateKey(pkcs8Pem);
  const publicKey = createPublicKey(privateKey);
  const [h, p, s] = token.split('.') as [string, string, string];
  const signingInput = Buffer.from(`${h}.${p}`);
  const signature = base64url.decode(s);
  const rawVerify = () =>
    nodeVerify('sha256', signingInput, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  if (!rawVerify()) throw new Error('baseline verify failed');

  const verifyFull = async () => {
    const r = await verifyCredential(qrText, trust, {
      now,
      kind: 'bp',
      checkpoint: holder.crossingPoints[0] as string,
    });
    if (r.verdict !== 'VALID') throw new Error(r.verdict);
  };
  const verifyRate = await opsPerSecond(verifyFull, 1500);
  const rawVerifyRate = await opsPerSecond(rawVerify, 1500);
  const signRate = await opsPerSecond(() => signCredential(signer, 'bp', claims), 1500);
  const rawSignRate = await opsPerSecond(
    () => nodeSign('sha256', signingInput, { key: privateKey, dsaEncoding: 'ieee-p1363' }),
    1500,
  );

  // A checkpoint's trust state at 100,000 revocations: started from the full bundle, then saved and loaded again
  // (the load re-verifies and replays every bundle), against parsing the same JSON list with nothing checked.
  const revoked = Array.from({ length: 100_000 }, (_, i) => `BP-2026-${String(i).padStart(6, '0')}`);
  const bigBundle = {
    iss: 'rahdari',
    iat: NBF,
    validUntil: EXP,
    keys: [signer.publicJwk],
    version: 1,
    revoked,
  };
  const bigState = await startState(root, bigBundle);
  const saved = JSON.stringify(bigState);
  const plainList = JSON.stringify(revoked);
  const loadTimes: number[] = [];
  const parseTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    let began = performance.now();
    const restored = await TrustState.restore(JSON.parse(saved), root.publicJwk);
    if (!restored.ok) throw new Error(restored.detail);
    loadTimes.push(performance.now() - began);
    began = performance.now();
    new Set(JSON.parse(plainList) as string[]);
    parseTimes.push(performance.now() - began);
  }
  loadTimes.sort((a, b) => a - b);
  parseTimes.sort((a, b) => a - b);

  // QR size over 10,000 realistic holders, against a plain JWT that spells every claim out.
  const holders = generateHolders(10_000, 2026);
  const fakeSig = 'A'.repeat(86);
  const header = base64url.encode(JSON.stringify({ alg: 'ES256', kid: signer.kid, typ: 'bp+jwt' }));
  const ours: number[] = [];
  const plain: number[] = [];
  for (const [i, x] of holders.entries()) {
    const sub = `BP-2026-${String(i + 1).padStart(6, '0')}`;
    const compact = {
      sub,
      nbf: NBF,
      exp: EXP,
      n: x.name,
      f: x.fatherName,
      c: Number(x.cnic),
      p: x.crossingPoints.join(' '),
    };
    const spelled = {
      iss: 'https://rahdari.fia.gov.pk',
      sub,
      nbf: NBF,
      exp: EXP,
      name: x.name,
      father_name: x.fatherName,
      cnic: `${x.cnic.slice(0, 5)}-${x.cnic.slice(5, 12)}-${x.cnic.slice(12)}`,
      crossing_points: x.crossingPoints,
    };
    ours.push(qrVersion(`${header}.${base64url.encode(JSON.stringify(compact))}.${fakeSig}`));
    plain.push(qrVersion(`${header}.${base64url.encode(JSON.stringify(spelled))}.${fakeSig}`));
  }
  ours.sort((a, b) => a - b);
  plain.sort((a, b) => a - b);
  const nameLengths = holders.map((x) => x.name.length + x.fatherName.length).sort((a, b) => a - b);
  const dist = (q: number, label: string): BenchRow => ({
    name: `QR version at ECC M, ${label}`,
    value: q === 1 ? (ours.at(-1) as number) : quantile(ours, q),
    unit: '',
    baseline: {
      name: 'plain JWT, claims spelled out',
      value: q === 1 ? (plain.at(-1) as number) : quantile(plain, q),
    },
    note: label === 'p95' ? 'target <= 12' : '',
  });

  return [
    {
      name: 'verify pass (QR text → verdict)',
      value: verifyRate,
      unit: 'ops/s',
      baseline: { name: 'raw node:crypto ES256 verify', value: rawVerifyRate },
    },
    {
      name: 'sign pass (claims → JWS)',
      value: signRate,
      unit: 'ops/s',
      baseline: { name: 'raw node:crypto ES256 sign', value: rawSignRate },
    },
    {
      name: 'load a saved trust state, 100,000 revocations',
      value: Math.round(quantile(loadTimes, 0.5)),
      unit: 'ms',
      baseline: {
        name: 'JSON.parse of the bare list into a Set',
        value: Math.round(quantile(parseTimes, 0.5)),
      },
      note: `saved form ${(saved.length / 1e6).toFixed(1)} MB; median of 5`,
    },
    dist(0.5, 'median'),
    dist(0.95, 'p95'),
    dist(1, 'max'),
    {
      name: 'holder name + father name length',
      value: quantile(nameLengths, 0.5),
      unit: 'chars',
      note: `median; p95 ${quantile(nameLengths, 0.95)}, max ${nameLengths.at(-1)} over 10,000 generated holders`,
    },
    {
      name: 'QR text length, sample pass',
      value: qrText.length,
      unit: 'chars',
      note: `JWS ${token.length} chars, version ${qrVersion(token)}`,
    },
  ];
}

async function startState(root: Signer, bundle: TrustBundle): Promise<TrustState> {
  const started = await TrustState.fromFullBundle(
    await signTrustBundle(root, bundle),
    root.publicJwk,
    bundle.iat,
  );
  if (!started.ok) throw new Error(started.detail);
  return started.state;
}
