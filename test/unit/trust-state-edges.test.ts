// The trust state at its edges: warning thresholds, refusal details, refresh deltas and the saved form's checks.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLOCK_DRIFT_SECONDS, STALE_BUNDLE_SECONDS } from '../../shared/credential.ts';
import { generateSigningKey, type Signer, signerFromPkcs8 } from '../../shared/keys.ts';
import { signTrustBundle, type TrustBundle } from '../../shared/trust-bundle.ts';
import { type SerializedTrustState, TRUST_STATE_FORMAT, TrustState } from '../../shared/trust-state.ts';

const T0 = Date.parse('2026-07-01T00:00:00Z') / 1000;
let root: Signer;
let issuer: Signer;
let nextIssuer: Signer;
let stranger: Signer;

beforeAll(async () => {
  const signers = await Promise.all(
    [1, 2, 3, 4].map(async () => signerFromPkcs8((await generateSigningKey()).pkcs8Pem)),
  );
  [root, issuer, nextIssuer, stranger] = signers as [Signer, Signer, Signer, Signer];
});

const sign = (over: Partial<TrustBundle> = {}, signer: Signer = root) =>
  signTrustBundle(signer, {
    iss: 'rahdari',
    iat: T0,
    validUntil: T0 + 72 * 3600,
    keys: [issuer.publicJwk],
    version: 3,
    revoked: ['BP-2026-000001'],
    ...over,
  });

async function started(over: Partial<TrustBundle> = {}, receivedAt: number | null = T0): Promise<TrustState> {
  const result = await TrustState.fromFullBundle(await sign(over), root.publicJwk, receivedAt);
  if (!result.ok) throw new Error(result.detail);
  return result.state;
}

async function applied(
  state: TrustState,
  over: Partial<TrustBundle>,
  receivedAt: number | null = T0,
): Promise<TrustState> {
  const result = await state.apply(await sign(over), receivedAt);
  if (!result.ok) throw new Error(`${result.reason}: ${result.detail}`);
  return result.state;
}

async function restored(state: TrustState | SerializedTrustState): Promise<TrustState> {
  const result = await TrustState.restore(JSON.parse(JSON.stringify(state)), root.publicJwk);
  if (!result.ok) throw new Error(`${result.reason}: ${result.detail}`);
  return result.state;
}

describe('a same-version delta', () => {
  it('adds the revocations it carries', async () => {
    const state = await applied(await started(), {
      iat: T0 + 60,
      since: 3,
      version: 3,
      revoked: ['BP-2026-000002'],
    });

    expect([state.version, state.isRevoked('BP-2026-000002'), state.revokedCount]).toEqual([3, true, 2]);
  });

  it('keeps its revocations in the saved state when an empty refresh follows it', async () => {
    let state = await applied(await started(), {
      iat: T0 + 60,
      since: 3,
      version: 3,
      revoked: ['BP-2026-000002'],
    });
    state = await applied(state, { iat: T0 + 120, since: 3, version: 3, revoked: [] });
    state = await applied(state, { iat: T0 + 180, since: 3, version: 3, revoked: [] });

    const loaded = await restored(state);

    expect([loaded.isRevoked('BP-2026-000002'), loaded.bundleCount, loaded.issuedAt]).toEqual([
      true,
      3,
      T0 + 180,
    ]);
  });

  it('never makes an empty delta to a newer version redundant, so the saved chain stays whole', async () => {
    let state = await applied(await started(), { iat: T0 + 60, since: 3, version: 4, revoked: [] });
    state = await applied(state, { iat: T0 + 120, since: 4, version: 4, revoked: [] });
    state = await applied(state, { iat: T0 + 180, since: 4, version: 4, revoked: [] });

    const loaded = await restored(state);

    expect([loaded.version, loaded.bundleCount, loaded.issuedAt]).toEqual([4, 3, T0 + 180]);
  });

  it('keeps a refresh that a delta with revocations follows', async () => {
    let state = await applied(await started(), { iat: T0 + 60, since: 3, version: 3, revoked: [] });
    state = await applied(state, { iat: T0 + 120, since: 3, version: 4, revoked: ['BP-2026-000002'] });

    expect([state.bundleCount, (await restored(state)).isRevoked('BP-2026-000002')]).toEqual([3, true]);
  });

  it('keeps the full bundle when the first refresh arrives', async () => {
    const state = await applied(await started(), { iat: T0 + 60, since: 3, version: 3, revoked: [] });

    expect([state.bundleCount, (await restored(state)).version]).toEqual([2, 3]);
  });

  it('takes a bundle issued at the very second of the one it holds', async () => {
    const state = await applied(await started(), { iat: T0, since: 3, version: 4, revoked: [] });

    expect(state.version).toBe(4);
  });
});

describe('what moving forward carries over', () => {
  it('takes the newest bundle keys, times and arrival', async () => {
    const state = await applied(
      await started(),
      { iat: T0 + 60, validUntil: T0 + 999, since: 3, version: 4, revoked: [], keys: [nextIssuer.publicJwk] },
      T0 + 61,
    );

    expect([
      state.keys.map((k) => k.kid),
      state.publicKeys,
      state.issuedAt,
      state.validUntil,
      state.receivedAt,
      state.root,
    ]).toEqual([[nextIssuer.kid], [nextIssuer.publicJwk], T0 + 60, T0 + 999, T0 + 61, root.publicJwk]);
  });

  it('takes the keys and times of a newer full bundle', async () => {
    const state = await applied(
      await started(),
      { iat: T0 + 60, validUntil: T0 + 999, version: 4, keys: [nextIssuer.publicJwk] },
      null,
    );

    expect([state.keys.map((k) => k.kid), state.validUntil, state.receivedAt, state.version]).toEqual([
      [nextIssuer.kid],
      T0 + 999,
      null,
      4,
    ]);
  });

  it('leaves the state it was asked to move as it was when a newer full bundle applies', async () => {
    const state = await started();
    const before = JSON.stringify(state);

    await applied(state, { iat: T0 + 60, version: 4, revoked: [] });

    expect([JSON.stringify(state), state.version, state.isRevoked('BP-2026-000001')]).toEqual([
      before,
      3,
      true,
    ]);
  });

  it('leaves the state it was asked to move as it was when a refresh replaces its last refresh', async () => {
    const state = await applied(await started(), { iat: T0 + 60, since: 3, version: 3, revoked: [] });
    const before = JSON.stringify(state);

    await applied(state, { iat: T0 + 120, since: 3, version: 3, revoked: [] });

    expect([JSON.stringify(state), state.bundleCount]).toEqual([before, 2]);
  });

  it('names its saved form rahdari-trust-state/1, which every device already holds', () => {
    expect(TRUST_STATE_FORMAT).toBe('rahdari-trust-state/1');
  });

  it('saves each bundle token with its arrival time in the current format', async () => {
    const full = await sign();
    const delta = await sign({ iat: T0 + 60, since: 3, version: 4, revoked: [] });
    const first = await TrustState.fromFullBundle(full, root.publicJwk, null);
    if (!first.ok) throw new Error(first.detail);
    const next = await first.state.apply(delta, T0 + 61);
    if (!next.ok) throw new Error(next.detail);

    expect(next.state.toJSON()).toStrictEqual({
      format: TRUST_STATE_FORMAT,
      root: root.publicJwk,
      bundles: [
        { token: full, receivedAt: null },
        { token: delta, receivedAt: T0 + 61 },
      ],
    });
  });

  it('keeps arrival times through saving and loading', async () => {
    const state = await applied(
      await started({}, null),
      { iat: T0 + 60, since: 3, version: 4, revoked: [] },
      T0 + 70,
    );

    const loaded = await restored(state);

    expect([loaded.receivedAt, loaded.toJSON().bundles.map((b) => b.receivedAt)]).toEqual([
      T0 + 70,
      [null, T0 + 70],
    ]);
  });

  it('lists its revocations', async () => {
    const state = await applied(await started(), { iat: T0 + 60, since: 3, version: 4, revoked: ['VR-1'] });

    expect([...state.revocations()].sort()).toEqual(['BP-2026-000001', 'VR-1']);
  });
});

describe('the detail of a refused bundle', () => {
  const refusal = async (state: TrustState, over: Partial<TrustBundle>) => {
    const result = await state.apply(await sign(over), T0);
    return result.ok ? 'applied' : { reason: result.reason, detail: result.detail };
  };

  it('names both issue times of a bundle older than the one held', async () => {
    expect(await refusal(await started(), { iat: T0 - 1, version: 9 })).toEqual({
      reason: 'OLDER',
      detail: "it was issued at 2026-06-30T23:59:59Z, before the state's bundle of 2026-07-01T00:00:00Z",
    });
  });

  it('names both versions of a full bundle older than the state', async () => {
    expect(await refusal(await started(), { iat: T0 + 60, version: 2 })).toEqual({
      reason: 'OLDER',
      detail: "it is version 2, older than the state's 3",
    });
  });

  it('names the version of a same-version full bundle that drops a revocation', async () => {
    expect(await refusal(await started(), { iat: T0 + 60, version: 3, revoked: [] })).toEqual({
      reason: 'DROPS_REVOCATIONS',
      detail: 'it is version 3 but lacks revocations the state holds',
    });
  });

  it('names both versions of a delta that applies elsewhere', async () => {
    expect(await refusal(await started(), { iat: T0 + 60, since: 4, version: 5, revoked: [] })).toEqual({
      reason: 'OUT_OF_ORDER',
      detail: 'it is a delta from version 4, and the state is at version 3',
    });
  });

  it('passes on the reason of a bundle that fails its own checks', async () => {
    expect(await refusal(await started(), { iat: T0 + 60, version: 4, revoked: [''] })).toEqual({
      reason: 'MALFORMED',
      detail: 'the revocation list is not a list of credential numbers',
    });
  });

  it('refuses a bundle the root did not sign, leaving the state to apply the next one', async () => {
    const state = await started();
    const result = await state.apply(await sign({ iat: T0 + 60, version: 4 }, stranger), T0);

    expect(result).toMatchObject({ ok: false, reason: 'UNKNOWN_KEY' });
  });

  it('passes on the reason a first bundle is refused', async () => {
    const result = await TrustState.fromFullBundle(await sign({ version: -1 }), root.publicJwk, T0);

    expect(result).toEqual({ ok: false, reason: 'MALFORMED', detail: 'the bundle has no version' });
  });
});

describe('loading a saved state', () => {
  async function chain(): Promise<SerializedTrustState> {
    const state = await applied(await started(), { iat: T0 + 60, since: 3, version: 4, revoked: [] });
    return JSON.parse(JSON.stringify(state));
  }

  it.each([
    ['null', null, 'it is not a JSON object'],
    ['text', 'rahdari', 'it is not a JSON object'],
    ['a list', [], 'it is not a JSON object'],
    ['without a format', { root: {}, bundles: [] }, `its format is not ${TRUST_STATE_FORMAT}`],
    ['with bundles that are not a list', { format: TRUST_STATE_FORMAT, bundles: {} }, 'it holds no bundles'],
    ['with no bundles', { format: TRUST_STATE_FORMAT, bundles: [] }, 'it holds no bundles'],
    [
      'with a null bundle entry',
      { format: TRUST_STATE_FORMAT, bundles: [null] },
      'a bundle entry lacks its token or receivedAt',
    ],
    [
      'with a bundle entry without its token',
      { format: TRUST_STATE_FORMAT, bundles: [{ receivedAt: null }] },
      'a bundle entry lacks its token or receivedAt',
    ],
    [
      'with an arrival time in fractions of seconds',
      { format: TRUST_STATE_FORMAT, bundles: [{ token: 'a.b.c', receivedAt: 1.5 }] },
      'a bundle entry lacks its token or receivedAt',
    ],
    [
      'with an arrival time as text',
      { format: TRUST_STATE_FORMAT, bundles: [{ token: 'a.b.c', receivedAt: '1' }] },
      'a bundle entry lacks its token or receivedAt',
    ],
  ])('refuses a saved form %s as DAMAGED, saying why', async (_case, value, detail) => {
    expect(await TrustState.restore(value)).toEqual({ ok: false, reason: 'DAMAGED', detail });
  });

  it('checks the bundles of a well-formed entry list whatever their arrival times', async () => {
    const saved = await chain();
    (saved.bundles[0] as { receivedAt: number | null }).receivedAt = null;
    (saved.bundles[1] as { receivedAt: number | null }).receivedAt = 0;

    const loaded = await restored(saved);

    expect([loaded.version, loaded.receivedAt]).toEqual([4, 0]);
  });

  it('refuses a saved root that is no public key as DAMAGED', async () => {
    const saved = await chain();
    saved.root = { ...saved.root, crv: 'P-384' } as never;

    expect(await TrustState.restore(saved)).toEqual({
      ok: false,
      reason: 'DAMAGED',
      detail: 'its root: a key is not an EC P-256 key',
    });
  });

  it('refuses a state pinned to another root, naming both kids', async () => {
    expect(await TrustState.restore(await chain(), stranger.publicJwk)).toEqual({
      ok: false,
      reason: 'ROOT_MISMATCH',
      detail: `it is pinned to root ${root.kid}, not ${stranger.kid}`,
    });
  });

  it('refuses a provisioned root that shares only x with the saved one', async () => {
    const lookalike = { ...root.publicJwk, y: stranger.publicJwk.y };

    expect(await TrustState.restore(await chain(), lookalike)).toMatchObject({
      ok: false,
      reason: 'ROOT_MISMATCH',
    });
  });

  it('refuses a provisioned root that shares only y with the saved one', async () => {
    const lookalike = { ...root.publicJwk, x: stranger.publicJwk.x };

    expect(await TrustState.restore(await chain(), lookalike)).toMatchObject({
      ok: false,
      reason: 'ROOT_MISMATCH',
    });
  });

  it('says which bundle of the chain is refused', async () => {
    const saved = await chain();
    saved.bundles.push({ ...(saved.bundles[1] as { token: string; receivedAt: number | null }) });

    expect(await TrustState.restore(saved)).toEqual({
      ok: false,
      reason: 'OUT_OF_ORDER',
      detail: 'its bundle 3: it is a delta from version 3, and the state is at version 4',
    });
  });

  it('says when the first bundle is refused', async () => {
    const saved = await chain();
    saved.bundles.shift();

    expect(await TrustState.restore(saved)).toEqual({
      ok: false,
      reason: 'NOT_FULL',
      detail:
        'its first bundle: this is a delta from version 3 to 4: it only applies to the trust state at version 3',
    });
  });

  it('shows its root by the full RFC 7638 thumbprint', async () => {
    const { x, y } = root.publicJwk;
    const expected = createHash('sha256')
      .update(`{"crv":"P-256","kty":"EC","x":"${x}","y":"${y}"}`)
      .digest('base64url');

    expect(await (await started()).rootThumbprint()).toBe(expected);
  });
});

describe('warning thresholds', () => {
  it('calls a bundle stale only past 24 hours', async () => {
    const state = await started();

    expect([
      state.warnings(T0 + STALE_BUNDLE_SECONDS),
      state.warnings(T0 + STALE_BUNDLE_SECONDS + 1),
    ]).toEqual([[], ['BUNDLE_STALE']]);
  });

  it('calls revocation unknown only after validUntil', async () => {
    const state = await started({ validUntil: T0 + 3600 });

    expect([state.warnings(T0 + 3600), state.warnings(T0 + 3601)]).toEqual([[], ['REVOCATION_UNKNOWN']]);
  });

  it('calls a device clock behind the server only past five minutes', async () => {
    const state = await started();

    expect([state.warnings(T0 - CLOCK_DRIFT_SECONDS), state.warnings(T0 - CLOCK_DRIFT_SECONDS - 1)]).toEqual([
      [],
      ['CLOCK_DRIFT'],
    ]);
  });

  it('calls the clock off at arrival past five minutes either way', async () => {
    const onEdge = await started({}, T0 - CLOCK_DRIFT_SECONDS);
    const behind = await started({}, T0 - CLOCK_DRIFT_SECONDS - 1);
    const ahead = await started({}, T0 + CLOCK_DRIFT_SECONDS + 1);

    expect([onEdge.warnings(T0), behind.warnings(T0), ahead.warnings(T0 + 400)]).toEqual([
      [],
      ['CLOCK_DRIFT'],
      ['CLOCK_DRIFT'],
    ]);
  });

  it('calls the clock gone back only past five minutes before its arrival', async () => {
    const state = await started({}, T0 + 200);

    expect([
      state.warnings(T0 + 200 - CLOCK_DRIFT_SECONDS),
      state.warnings(T0 + 200 - CLOCK_DRIFT_SECONDS - 1),
    ]).toEqual([[], ['CLOCK_DRIFT']]);
  });

  it('measures no drift at arrival when the arrival time is unknown', async () => {
    const state = await started({}, null);

    expect([state.warnings(T0), state.warnings(T0 - 200)]).toEqual([[], []]);
  });

  it('gives every warning at once in a fixed order', async () => {
    const state = await started({ validUntil: T0 + 10 }, T0 + 10 * 86400);

    expect(state.warnings(T0 + 2 * 86400)).toEqual(['BUNDLE_STALE', 'REVOCATION_UNKNOWN', 'CLOCK_DRIFT']);
  });
});
