// Writes the credential test vectors: one JSON file per case with its input, trust, pinned time and expected verdict.
// Run `node test/vectors/generate.ts` to regenerate; the keys under keys/ are test-only and committed.
import { createHmac, createPrivateKey, createPublicKey, sign as nodeSign } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { base64url } from 'jose';
import { type PassClaims, signCredential, signJwt, type VesselClaims } from '../../shared/credential.ts';
import { generateSigningKey, type PublicJwk, type Signer, signerFromPkcs8 } from '../../shared/keys.ts';
import { toQrText } from '../../shared/qr.ts';
import { signTrustBundle, type TrustBundle } from '../../shared/trust-bundle.ts';

const here = dirname(fileURLToPath(import.meta.url));
const keysDir = join(here, 'keys');

export interface Vector {
  description: string;
  /** What the checkpoint scanned: QR text or a raw JWS. */
  input: string;
  /**
   * The device's trust: a full bundle that starts a trust state against the pinned root; a sequence of bundles
   * where the first starts the state and the rest are applied in order; or a bare JWKS (unrooted keys).
   */
  trust:
    | { bundle: string; root: PublicJwk; receivedAt?: string }
    | { bundles: { token: string; receivedAt?: string }[]; root: PublicJwk }
    | { jwks: { keys: unknown[] } };
  validationTime: string;
  checkpoint?: string;
  kind?: 'bp' | 'vr';
  /**
   * The verdict, with the bundles of a sequence that were refused (index and reason: the state kept what it
   * had); or, when the trust itself cannot start, the reason it is refused and no verdict at all.
   */
  expected:
    | { verdict: string; warnings: string[]; refused?: { bundle: number; reason: string }[] }
    | { bundleRefused: string };
}

async function loadOrCreate(name: string): Promise<Signer> {
  const file = join(keysDir, `${name}.pem`);
  if (!existsSync(file)) {
    mkdirSync(keysDir, { recursive: true });
    writeFileSync(file, (await generateSigningKey()).pkcs8Pem);
  }
  return signerFromPkcs8(readFileSync(file, 'utf8'));
}

const seconds = (iso: string) => Date.parse(iso) / 1000;
const NBF = seconds('2026-06-01T00:00:00Z');
const EXP = seconds('2026-12-01T00:00:00Z');
const BUNDLE_AT = seconds('2026-07-01T00:00:00Z');
const T = '2026-07-01T06:00:00Z';

const pass: PassClaims = {
  sub: 'BP-2026-000123',
  nbf: NBF,
  exp: EXP,
  n: 'Abdul Ghafoor Sanjrani',
  f: 'Haji Muhammad Hassan',
  c: 5410112345673,
  p: 'TFT RJY',
};
// A boat certificate from a registration whose licence began at once: no nbf (docs/credential-format.md).
const vessel: VesselClaims = {
  sub: 'JWN-2026-00045/1',
  exp: EXP,
  n: 'Al-Madina',
  o: 'Karim Bakhsh Baloch',
  c: 5220198765431,
  h: 'JWN',
  m: 8,
};

/** Signs a payload under any protected header, to build tokens our own signer would never produce. */
async function signWithHeader(signer: Signer, header: object, payload: object): Promise<string> {
  const input = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}`;
  const signature = await signer.sign(new TextEncoder().encode(input));
  return `${input}.${base64url.encode(signature)}`;
}

function flipBit(token: string, part: number, byteIndex: number): string {
  const parts = token.split('.');
  const bytes = base64url.decode(parts[part] as string);
  bytes[byteIndex] = (bytes[byteIndex] as number) ^ 0x01;
  parts[part] = base64url.encode(bytes);
  return parts.join('.');
}

async function main(): Promise<void> {
  const root = await loadOrCreate('root');
  const issuer = await loadOrCreate('issuer');
  const stranger = await loadOrCreate('stranger');
  const bundleFor = (over: Partial<TrustBundle> = {}, signer: Signer = root) =>
    signTrustBundle(signer, {
      iss: 'rahdari',
      iat: BUNDLE_AT,
      validUntil: BUNDLE_AT + 7 * 86400,
      keys: [issuer.publicJwk],
      version: 3,
      revoked: ['BP-2026-000099'],
      ...over,
    });
  const bundle = await bundleFor();
  const trust = { bundle, root: root.publicJwk };
  const token = await signCredential(issuer, 'bp', pass);
  const vesselToken = await signCredential(issuer, 'vr', vessel);
  const [h, p] = token.split('.') as [string, string];
  const vectors: Record<string, Omit<Vector, 'trust' | 'validationTime'> & Partial<Vector>> = {};
  const ok = { verdict: 'VALID', warnings: [] };
  const add = (name: string, v: Omit<Vector, 'trust' | 'validationTime'> & Partial<Vector>) => {
    vectors[name] = v;
  };

  add('valid-pass-qr', {
    description: 'A border pass as QR text, at a point it lists',
    input: toQrText(token),
    checkpoint: 'TFT',
    kind: 'bp',
    expected: ok,
  });
  add('valid-pass-raw-jws', {
    description: 'The same pass typed by a scanner as a raw JWS',
    input: token,
    expected: ok,
  });
  add('valid-pass-scanner-enter', {
    description: 'QR text followed by the Enter a keyboard scanner sends',
    input: `${toQrText(token)}\r\n`,
    expected: ok,
  });
  add('valid-vessel', {
    description: 'A vessel registration where one is expected',
    input: toQrText(vesselToken),
    kind: 'vr',
    checkpoint: 'JWN',
    expected: ok,
  });
  add('alg-none', {
    description: 'Unsigned token with alg none',
    input: `${base64url.encode(JSON.stringify({ alg: 'none', kid: issuer.kid, typ: 'bp+jwt' }))}.${p}.`,
    expected: { verdict: 'INVALID_SIGNATURE', warnings: [] },
  });
  const spki = createPublicKey({ key: { ...issuer.publicJwk }, format: 'jwk' }).export({
    type: 'spki',
    format: 'pem',
  });
  const hsHeader = base64url.encode(JSON.stringify({ alg: 'HS256', kid: issuer.kid, typ: 'bp+jwt' }));
  const hsMac = createHmac('sha256', spki).update(`${hsHeader}.${p}`).digest();
  add('hs256-public-key-as-secret', {
    description: 'HS256 MAC keyed with the public key PEM (algorithm confusion)',
    input: `${hsHeader}.${p}.${base64url.encode(hsMac)}`,
    expected: { verdict: 'INVALID_SIGNATURE', warnings: [] },
  });
  const der = nodeSign('sha256', Buffer.from(`${h}.${p}`), {
    key: createPrivateKey(readFileSync(join(keysDir, 'issuer.pem'), 'utf8')),
    dsaEncoding: 'der',
  });
  add('der-signature', {
    description: 'A valid ECDSA signature in DER form instead of raw r‖s',
    input: `${h}.${p}.${base64url.encode(der)}`,
    expected: { verdict: 'INVALID_SIGNATURE', warnings: [] },
  });
  add('flipped-bit-header', {
    description: 'One bit flipped inside the typ value of the header',
    input: flipBit(token, 0, 40),
    expected: { verdict: 'INVALID_SIGNATURE', warnings: [] },
  });
  add('flipped-bit-payload', {
    description: "One bit flipped inside the holder's name",
    input: flipBit(token, 1, 80),
    expected: { verdict: 'INVALID_SIGNATURE', warnings: [] },
  });
  add('flipped-bit-signature', {
    description: 'One bit flipped in the signature',
    input: flipBit(token, 2, 10),
    expected: { verdict: 'INVALID_SIGNATURE', warnings: [] },
  });
  add('unknown-kid', {
    description: 'Signed by a key the bundle does not carry',
    input: await signCredential(stranger, 'bp', pass),
    expected: { verdict: 'UNKNOWN_KEY', warnings: [] },
  });
  const impostor: PublicJwk = { ...stranger.publicJwk, kid: issuer.kid };
  add('two-keys-same-kid', {
    description: 'Two bundle keys share the kid; the second one verifies',
    input: token,
    trust: { bundle: await bundleFor({ keys: [impostor, issuer.publicJwk] }), root: root.publicJwk },
    expected: ok,
  });
  add('vessel-presented-as-pass', {
    description: 'A vessel registration shown where a border pass is expected',
    input: vesselToken,
    kind: 'bp',
    expected: { verdict: 'WRONG_TYPE', warnings: [] },
  });
  add('pass-presented-as-vessel', {
    description: 'A border pass shown where a vessel registration is expected',
    input: token,
    kind: 'vr',
    expected: { verdict: 'WRONG_TYPE', warnings: [] },
  });
  add('trust-bundle-presented-as-pass', {
    description: 'The trust bundle itself scanned as a credential (root key is not a pass key)',
    input: bundle,
    expected: { verdict: 'UNKNOWN_KEY', warnings: [] },
  });
  add('expired', {
    description: 'Checked a day after exp',
    input: token,
    validationTime: '2026-12-02T00:00:00Z',
    trust: {
      bundle: await bundleFor({
        iat: seconds('2026-12-01T12:00:00Z'),
        validUntil: seconds('2026-12-08T12:00:00Z'),
      }),
      root: root.publicJwk,
    },
    expected: { verdict: 'EXPIRED', warnings: [] },
  });
  const early = {
    bundle: await bundleFor({
      iat: seconds('2026-05-20T00:00:00Z'),
      validUntil: seconds('2026-06-20T00:00:00Z'),
    }),
    root: root.publicJwk,
  };
  add('not-yet-valid', {
    description: 'Checked ten days before nbf',
    input: token,
    validationTime: '2026-05-22T00:00:00Z',
    trust: early,
    expected: { verdict: 'NOT_YET_VALID', warnings: ['BUNDLE_STALE'] },
  });
  add('nbf-just-inside-skew', {
    description: '299 s before nbf, within the 300 s skew',
    input: token,
    validationTime: '2026-05-31T23:55:01Z',
    trust: early,
    expected: { verdict: 'VALID', warnings: ['BUNDLE_STALE'] },
  });
  add('nbf-just-outside-skew', {
    description: '301 s before nbf, outside the 300 s skew',
    input: token,
    validationTime: '2026-05-31T23:54:59Z',
    trust: early,
    expected: { verdict: 'NOT_YET_VALID', warnings: ['BUNDLE_STALE'] },
  });
  const late = {
    bundle: await bundleFor({
      iat: seconds('2026-11-30T00:00:00Z'),
      validUntil: seconds('2026-12-07T00:00:00Z'),
    }),
    root: root.publicJwk,
  };
  add('exp-just-inside-skew', {
    description: '299 s after exp, within the 300 s skew',
    input: token,
    validationTime: '2026-12-01T00:04:59Z',
    trust: late,
    expected: { verdict: 'VALID', warnings: ['BUNDLE_STALE'] },
  });
  add('exp-just-outside-skew', {
    description: '300 s after exp: the skew is spent',
    input: token,
    validationTime: '2026-12-01T00:05:00Z',
    trust: late,
    expected: { verdict: 'EXPIRED', warnings: ['BUNDLE_STALE'] },
  });
  add('revoked', {
    description: 'The pass number is on the bundle revocation list',
    input: token,
    trust: { bundle: await bundleFor({ revoked: ['BP-2026-000099', pass.sub] }), root: root.publicJwk },
    expected: { verdict: 'REVOKED', warnings: [] },
  });
  add('crossing-point-not-on-pass', {
    description: 'Shown at Mashkel; the pass lists Taftan and Rajay',
    input: toQrText(token),
    checkpoint: 'MSK',
    kind: 'bp',
    expected: { verdict: 'NOT_VALID_HERE', warnings: [] },
  });
  add('truncated', {
    description: 'Cut off in the middle of the payload',
    input: token.slice(0, 120),
    expected: { verdict: 'MALFORMED', warnings: [] },
  });
  add('truncated-qr-text', {
    description: 'QR text that lost its last digit',
    input: toQrText(token).slice(0, -1),
    expected: { verdict: 'MALFORMED', warnings: [] },
  });
  add('trailing-characters', {
    description: 'Extra characters after the signature',
    input: `${token}~x`,
    expected: { verdict: 'MALFORMED', warnings: [] },
  });
  add('utf8-bom', {
    description: 'A UTF-8 byte order mark before the token',
    input: `\uFEFF${token}`,
    expected: { verdict: 'MALFORMED', warnings: [] },
  });
  add('non-base64url-characters', {
    description: 'Standard base64 characters (+ and /) in the signature',
    input: `${h}.${p}.${token.split('.')[2]?.replace(/[-_]/g, '+').replace(/^./, '/')}`,
    expected: { verdict: 'MALFORMED', warnings: [] },
  });
  const sig = token.split('.')[2] as string;
  const last = sig.at(-1) as string;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  // 64 bytes = 86 chars: the last char carries 2 data bits, so index ^ 1 changes only padding bits.
  const sibling = alphabet[alphabet.indexOf(last) ^ 1] as string;
  add('non-canonical-base64url', {
    description: 'Last signature character swapped for one that decodes to the same bytes',
    input: `${h}.${p}.${sig.slice(0, -1)}${sibling}`,
    expected: { verdict: 'MALFORMED', warnings: [] },
  });
  add('missing-claim', {
    description: 'Correctly signed pass without the CNIC claim',
    input: await signJwt(issuer, 'bp+jwt', { ...pass, c: undefined }),
    expected: { verdict: 'MALFORMED', warnings: [] },
  });
  add('bundle-signed-by-non-root', {
    description: 'A trust bundle signed by a key other than the pinned root',
    input: token,
    trust: { bundle: await bundleFor({}, stranger), root: root.publicJwk },
    expected: { bundleRefused: 'UNKNOWN_KEY' },
  });
  add('bundle-root-kid-forged', {
    description: 'A bundle whose header claims the root kid but is signed by another key',
    input: token,
    trust: {
      bundle: await signJwt(
        { ...stranger, kid: root.kid, sign: (d) => stranger.sign(d) },
        'tb+jwt',
        JSON.parse(new TextDecoder().decode(base64url.decode(bundle.split('.')[1] as string))),
      ),
      root: root.publicJwk,
    },
    expected: { bundleRefused: 'INVALID_SIGNATURE' },
  });
  add('stale-bundle', {
    description: 'Bundle issued 30 h before the check',
    input: token,
    validationTime: '2026-07-02T06:00:00Z',
    expected: { verdict: 'VALID', warnings: ['BUNDLE_STALE'] },
  });
  add('bundle-past-valid-until', {
    description: 'Bundle past validUntil: valid, revocation unknown',
    input: token,
    validationTime: '2026-07-09T00:00:00Z',
    expected: { verdict: 'VALID', warnings: ['BUNDLE_STALE', 'REVOCATION_UNKNOWN'] },
  });
  add('bare-jwks', {
    description: 'Checked against the public JWKS only: not rooted, revocation unknown',
    input: token,
    trust: { jwks: { keys: [issuer.publicJwk] } },
    expected: { verdict: 'VALID', warnings: ['UNROOTED', 'REVOCATION_UNKNOWN'] },
  });
  add('device-clock-behind', {
    description: 'Device clock 20 minutes behind the server time in the bundle',
    input: token,
    validationTime: '2026-06-30T23:40:00Z',
    expected: { verdict: 'VALID', warnings: ['CLOCK_DRIFT'] },
  });
  add('delta-alone', {
    description: 'A root-signed delta given as the whole trust: it needs the state it applies to',
    input: token,
    trust: {
      bundle: await bundleFor({ version: 4, since: 3, revoked: [] }),
      root: root.publicJwk,
    },
    expected: { bundleRefused: 'NOT_FULL' },
  });
  const beforeRevocation = await bundleFor({ iat: BUNDLE_AT - 3600, version: 3 });
  const afterRevocation = await bundleFor({ version: 4, revoked: ['BP-2026-000099', pass.sub] });
  add('replay-of-older-full-bundle', {
    description: 'A full bundle from before the revocation, applied after the one that carries it',
    input: token,
    trust: {
      bundles: [{ token: beforeRevocation }, { token: afterRevocation }, { token: beforeRevocation }],
      root: root.publicJwk,
    },
    expected: { verdict: 'REVOKED', warnings: [], refused: [{ bundle: 2, reason: 'OLDER' }] },
  });
  add('older-version-newer-time', {
    description: 'A freshly issued full bundle of a lower version than the state holds',
    input: token,
    trust: {
      bundles: [{ token: afterRevocation }, { token: await bundleFor({ iat: BUNDLE_AT + 60, version: 3 }) }],
      root: root.publicJwk,
    },
    expected: { verdict: 'REVOKED', warnings: [], refused: [{ bundle: 1, reason: 'OLDER' }] },
  });
  add('delta-in-order', {
    description: 'A delta from the state version adds the revocation of the pass',
    input: token,
    trust: {
      bundles: [
        { token: beforeRevocation },
        { token: await bundleFor({ version: 4, since: 3, revoked: [pass.sub] }) },
      ],
      root: root.publicJwk,
    },
    expected: { verdict: 'REVOKED', warnings: [] },
  });
  add('out-of-order-delta', {
    description: 'A delta from version 5 offered to a state at version 3 is refused; the state stays at 3',
    input: token,
    trust: {
      bundles: [
        { token: beforeRevocation },
        { token: await bundleFor({ version: 6, since: 5, revoked: [pass.sub] }) },
      ],
      root: root.publicJwk,
    },
    expected: { verdict: 'VALID', warnings: [], refused: [{ bundle: 1, reason: 'OUT_OF_ORDER' }] },
  });
  add('same-version-dropping-revocation', {
    description: 'A full bundle of the same version that lacks a revocation the state holds',
    input: token,
    trust: {
      bundles: [
        { token: afterRevocation },
        { token: await bundleFor({ iat: BUNDLE_AT + 60, version: 4, revoked: ['BP-2026-000099'] }) },
      ],
      root: root.publicJwk,
    },
    expected: { verdict: 'REVOKED', warnings: [], refused: [{ bundle: 1, reason: 'DROPS_REVOCATIONS' }] },
  });
  const badKey = async (key: object) => ({
    bundle: await bundleFor({ keys: [issuer.publicJwk, key as PublicJwk] }),
    root: root.publicJwk,
  });
  const issuerPrivate = createPrivateKey(readFileSync(join(keysDir, 'issuer.pem'), 'utf8')).export({
    format: 'jwk',
  });
  add('bundle-key-with-private-part', {
    description: 'A root-signed bundle whose second key carries its private part d',
    input: token,
    trust: await badKey({ ...issuer.publicJwk, d: issuerPrivate.d }),
    expected: { bundleRefused: 'MALFORMED' },
  });
  add('bundle-key-short-x', {
    description: 'A root-signed bundle whose second key has a 31-byte x',
    input: token,
    trust: await badKey({
      ...stranger.publicJwk,
      x: base64url.encode(base64url.decode(stranger.publicJwk.x).subarray(1)),
    }),
    expected: { bundleRefused: 'MALFORMED' },
  });
  const y = base64url.decode(stranger.publicJwk.y);
  y[31] = (y[31] as number) ^ 0x01;
  add('bundle-key-off-curve', {
    description: 'A root-signed bundle whose second key is not a point on P-256',
    input: token,
    trust: await badKey({ ...stranger.publicJwk, y: base64url.encode(y) }),
    expected: { bundleRefused: 'MALFORMED' },
  });
  add('jwks-key-with-private-part', {
    description: 'A bare JWKS whose key carries its private part d',
    input: token,
    trust: { jwks: { keys: [{ ...issuer.publicJwk, d: issuerPrivate.d }] } },
    expected: { bundleRefused: 'MALFORMED' },
  });
  add('header-with-jwk', {
    description: 'A pass signed by a known key whose header also embeds a jwk',
    input: await signWithHeader(
      issuer,
      { alg: 'ES256', kid: issuer.kid, typ: 'bp+jwt', jwk: stranger.publicJwk },
      pass,
    ),
    expected: { verdict: 'MALFORMED', warnings: [] },
  });
  add('header-with-crit', {
    description: 'A pass signed by a known key whose header names a critical extension',
    input: await signWithHeader(
      issuer,
      { alg: 'ES256', kid: issuer.kid, typ: 'bp+jwt', crit: ['exp'], exp: 1 },
      pass,
    ),
    expected: { verdict: 'MALFORMED', warnings: [] },
  });
  add('vessel-at-land-post', {
    description: 'A vessel registration shown at Taftan, a land crossing',
    input: toQrText(vesselToken),
    checkpoint: 'TFT',
    expected: { verdict: 'NOT_VALID_HERE', warnings: [] },
  });
  add('vessel-at-port', {
    description: 'A vessel registration shown at Gwadar port, not its home port',
    input: toQrText(vesselToken),
    checkpoint: 'GWD',
    kind: 'vr',
    expected: ok,
  });
  // Renewal replaces certificate /1 with /2 and puts /1 on the revocation list.
  const renewed = await signCredential(issuer, 'vr', { ...vessel, sub: 'JWN-2026-00045/2' });
  const afterRenewal = {
    bundle: await bundleFor({ version: 4, revoked: ['BP-2026-000099', vessel.sub] }),
    root: root.publicJwk,
  };
  add('vessel-old-certificate-after-renewal', {
    description: 'A boat certificate replaced by a renewal, shown at Jiwani: its serial is on the list',
    input: toQrText(vesselToken),
    trust: afterRenewal,
    checkpoint: 'JWN',
    kind: 'vr',
    expected: { verdict: 'REVOKED', warnings: [] },
  });
  add('vessel-new-certificate-after-renewal', {
    description: 'The certificate the renewal issued, shown at Jiwani with the same trust',
    input: toQrText(renewed),
    trust: afterRenewal,
    checkpoint: 'JWN',
    kind: 'vr',
    expected: ok,
  });
  add('vessel-licence-not-begun', {
    description: 'A boat certificate whose licence starts after the validation time (nbf present)',
    input: await signCredential(issuer, 'vr', { ...vessel, nbf: seconds('2026-08-01T00:00:00Z') }),
    checkpoint: 'PSN',
    expected: { verdict: 'NOT_YET_VALID', warnings: [] },
  });
  add('vessel-nbf-not-a-number', {
    description: 'A boat certificate whose nbf is text',
    input: await signJwt(issuer, 'vr+jwt', { ...vessel, nbf: '2026-06-01' }),
    expected: { verdict: 'MALFORMED', warnings: [] },
  });
  const passListingPort = await signCredential(issuer, 'bp', { ...pass, p: 'TFT GWD' });
  add('pass-at-port', {
    description: 'A pass that lists Gwadar port, shown there: a port is not a crossing point',
    input: passListingPort,
    checkpoint: 'GWD',
    expected: { verdict: 'NOT_VALID_HERE', warnings: [] },
  });
  add('pass-at-sea-crossing', {
    description: 'A pass that lists Jiwani, the sea crossing, shown there',
    input: await signCredential(issuer, 'bp', { ...pass, p: 'GBD JWN' }),
    checkpoint: 'JWN',
    expected: ok,
  });
  add('clock-went-back', {
    description:
      'Nearly on time when the bundle arrived and now, but 6m50s before the arrival: the clock went back',
    input: token,
    validationTime: '2026-06-30T23:58:00Z',
    trust: { ...trust, receivedAt: '2026-07-01T00:04:50Z' },
    expected: { verdict: 'VALID', warnings: ['CLOCK_DRIFT'] },
  });
  add('device-clock-drift-at-download', {
    description: 'The bundle arrived when the device clock was 10 minutes ahead',
    input: token,
    trust: { ...trust, receivedAt: '2026-07-01T00:10:00Z' },
    expected: { verdict: 'VALID', warnings: ['CLOCK_DRIFT'] },
  });

  for (const file of readdirSync(here)) if (file.endsWith('.json')) rmSync(join(here, file));
  for (const [name, v] of Object.entries(vectors)) {
    const vector: Vector = { trust, validationTime: T, ...v } as Vector;
    writeFileSync(join(here, `${name}.json`), `${JSON.stringify(vector, null, 2)}\n`);
  }
  console.log(`wrote ${Object.keys(vectors).length} vectors to ${here}`);
}

await main();
