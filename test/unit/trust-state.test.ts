// The device's trust state: started from a root-signed full bundle only, forward only, saved and re-verified as JSON.
import fc from 'fast-check';
import { base64url } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey, type Signer, signerFromPkcs8 } from '../../shared/keys.ts';
import { signTrustBundle, type TrustBundle } from '../../shared/trust-bundle.ts';
import { type SerializedTrustState, TrustState } from '../../shared/trust-state.ts';

const T0 = Date.parse('2026-07-01T00:00:00Z') / 1000;
let root: Signer;
let issuer: Signer;
let stranger: Signer;

beforeAll(async () => {
  const signers = await Promise.all(
    [1, 2, 3].map(async () => signerFromPkcs8((await generateSigningKey()).pkcs8Pem)),
  );
  [root, issuer, stranger] = signers as [Signer, Signer, Signer];
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

async function started(over: Partial<TrustBundle> = {}): Promise<TrustState> {
  const result = await TrustState.fromFullBundle(await sign(over), root.publicJwk, T0);
  if (!result.ok) throw new Error(result.detail);
  return result.state;
}

async function applied(state: TrustState, over: Partial<TrustBundle>): Promise<TrustState> {
  const result = await state.apply(await sign(over), T0);
  if (!result.ok) throw new Error(`${result.reason}: ${result.detail}`);
  return result.state;
}

async function refusal(state: TrustState, over: Partial<TrustBundle>): Promise<string> {
  const result = await state.apply(await sign(over), T0);
  return result.ok ? 'applied' : result.reason;
}

describe('starting a trust state', () => {
  it('takes a full bundle signed by the pinned root', async () => {
    const state = await started();

    expect([state.version, state.revokedCount, state.isRevoked('BP-2026-000001')]).toEqual([3, 1, true]);
  });

  it('refuses a delta on its own, saying it needs the state it applies to', async () => {
    const result = await TrustState.fromFullBundle(await sign({ since: 3, version: 4 }), root.publicJwk, T0);

    expect(result).toEqual({
      ok: false,
      reason: 'NOT_FULL',
      detail: 'this is a delta from version 3 to 4: it only applies to the trust state at version 3',
    });
  });

  it('refuses a bundle signed by any key but the pinned root', async () => {
    const result = await TrustState.fromFullBundle(await sign({}, stranger), root.publicJwk, T0);

    expect(result).toMatchObject({ ok: false, reason: 'UNKNOWN_KEY' });
  });
});

describe('moving a trust state forward', () => {
  it('applies a delta from its own version, adding the delta revocations', async () => {
    const state = await applied(await started(), {
      iat: T0 + 60,
      since: 3,
      version: 5,
      revoked: ['BP-2026-000002'],
    });

    expect([state.version, state.isRevoked('BP-2026-000001'), state.isRevoked('BP-2026-000002')]).toEqual([
      5,
      true,
      true,
    ]);
  });

  it('refuses a delta from any other version', async () => {
    const state = await started();

    expect(await refusal(state, { iat: T0 + 60, since: 4, version: 5, revoked: [] })).toBe('OUT_OF_ORDER');
    expect(await refusal(state, { iat: T0 + 60, since: 2, version: 5, revoked: [] })).toBe('OUT_OF_ORDER');
  });

  it('refuses a full bundle of a lower version, however fresh', async () => {
    expect(await refusal(await started(), { iat: T0 + 3600, version: 2, revoked: [] })).toBe('OLDER');
  });

  it('refuses any bundle issued before the one it holds, even of a higher version', async () => {
    const state = await started();

    expect(await refusal(state, { iat: T0 - 1, version: 9 })).toBe('OLDER');
    expect(await refusal(state, { iat: T0 - 1, since: 3, version: 4, revoked: [] })).toBe('OLDER');
  });

  it('lets a newer full bundle replace the list, so revocations of expired passes can be dropped', async () => {
    const state = await applied(await started(), { iat: T0 + 60, version: 4, revoked: ['BP-2026-000009'] });

    expect([state.isRevoked('BP-2026-000001'), state.isRevoked('BP-2026-000009'), state.bundleCount]).toEqual(
      [false, true, 1],
    );
  });

  it('takes a full bundle of its own version as a refresh of time and keys when it keeps every revocation', async () => {
    const state = await applied(await started(), { iat: T0 + 60, validUntil: T0 + 99_999, version: 3 });

    expect([state.issuedAt, state.validUntil, state.revokedCount]).toEqual([T0 + 60, T0 + 99_999, 1]);
  });

  it('refuses a full bundle of its own version that lacks a revocation it holds', async () => {
    expect(await refusal(await started(), { iat: T0 + 60, version: 3, revoked: [] })).toBe(
      'DROPS_REVOCATIONS',
    );
  });

  it('leaves the state it was asked to move exactly as it was, whether the bundle applies or not', async () => {
    const state = await started();
    const before = JSON.stringify(state);

    await applied(state, { iat: T0 + 60, since: 3, version: 4, revoked: ['BP-2026-000002'] });
    await refusal(state, { iat: T0 + 60, version: 1 });

    expect([JSON.stringify(state), state.isRevoked('BP-2026-000002')]).toEqual([before, false]);
  });

  it('keeps one empty refresh delta at a time, so daily refreshes do not grow the saved state', async () => {
    let state = await started();
    for (let day = 1; day <= 5; day++) {
      state = await applied(state, {
        iat: T0 + day * 86400,
        validUntil: T0 + (day + 3) * 86400,
        since: 3,
        version: 3,
        revoked: [],
      });
    }

    expect([state.bundleCount, state.issuedAt]).toEqual([2, T0 + 5 * 86400]);
  });
});

describe('saving and loading a trust state', () => {
  async function saved(): Promise<SerializedTrustState> {
    let state = await started();
    state = await applied(state, { iat: T0 + 60, since: 3, version: 4, revoked: ['BP-2026-000002'] });
    state = await applied(state, { iat: T0 + 120, since: 4, version: 5, revoked: ['BP-2026-000003'] });
    return JSON.parse(JSON.stringify(state));
  }

  it('restores the same version, revocations and times after a JSON round trip', async () => {
    const restored = await TrustState.restore(await saved());
    if (!restored.ok) throw new Error(restored.detail);

    expect({
      version: restored.state.version,
      revoked: [...restored.state.revocations()].sort(),
      issuedAt: restored.state.issuedAt,
      receivedAt: restored.state.receivedAt,
    }).toEqual({
      version: 5,
      revoked: ['BP-2026-000001', 'BP-2026-000002', 'BP-2026-000003'],
      issuedAt: T0 + 120,
      receivedAt: T0,
    });
  });

  it('refuses a state whose revocation was edited out of a bundle, since the signature no longer holds', async () => {
    const state = await saved();
    const entry = state.bundles[1] as { token: string };
    const [h, p, s] = entry.token.split('.') as [string, string, string];
    const payload = JSON.parse(new TextDecoder().decode(base64url.decode(p)));
    entry.token = `${h}.${base64url.encode(JSON.stringify({ ...payload, revoked: [] }))}.${s}`;

    expect(await TrustState.restore(state)).toMatchObject({ ok: false, reason: 'INVALID_SIGNATURE' });
  });

  it('refuses a state with a bundle taken out of the middle of its chain', async () => {
    const state = await saved();
    state.bundles.splice(1, 1);

    expect(await TrustState.restore(state)).toMatchObject({ ok: false, reason: 'OUT_OF_ORDER' });
  });

  it('refuses a state that starts from a delta', async () => {
    const state = await saved();
    state.bundles.shift();

    expect(await TrustState.restore(state)).toMatchObject({ ok: false, reason: 'NOT_FULL' });
  });

  it('refuses a state pinned to another root than the one the device was provisioned with', async () => {
    expect(await TrustState.restore(await saved(), stranger.publicJwk)).toMatchObject({
      ok: false,
      reason: 'ROOT_MISMATCH',
    });
  });

  it('refuses a state whose root was swapped for a stranger re-signing everything', async () => {
    const state = await saved();
    state.root = stranger.publicJwk;

    expect(await TrustState.restore(state)).toMatchObject({ ok: false, reason: 'UNKNOWN_KEY' });
  });

  it.each([
    ['not an object', []],
    ['another format', { format: 'x', root: {}, bundles: [] }],
    ['no bundles', { format: 'rahdari-trust-state/1', root: {}, bundles: [] }],
    [
      'a bundle without its time',
      { format: 'rahdari-trust-state/1', root: {}, bundles: [{ token: 'a.b.c' }] },
    ],
  ])('refuses a saved form that is %s as DAMAGED', async (_name, value) => {
    expect(await TrustState.restore(value)).toMatchObject({ ok: false, reason: 'DAMAGED' });
  });
});

describe('warnings a trust state gives every verdict', () => {
  it('says nothing for a fresh bundle received on time', async () => {
    expect((await started()).warnings(T0 + 3600)).toEqual([]);
  });

  it('reports a bundle over 24 hours old as stale, and past validUntil revocation as unknown', async () => {
    const state = await started();

    expect(state.warnings(T0 + 25 * 3600)).toEqual(['BUNDLE_STALE']);
    expect(state.warnings(T0 + 73 * 3600)).toEqual(['BUNDLE_STALE', 'REVOCATION_UNKNOWN']);
  });

  it('reports clock drift at arrival, behind the server now, and a clock gone back since arrival', async () => {
    const late = await TrustState.fromFullBundle(await sign(), root.publicJwk, T0 + 600);
    const onTime = await started();
    if (!late.ok) throw new Error(late.detail);

    expect(late.state.warnings(T0 + 700)).toEqual(['CLOCK_DRIFT']);
    expect(onTime.warnings(T0 - 400)).toEqual(['CLOCK_DRIFT']);
    const arrivedAhead = await TrustState.fromFullBundle(await sign(), root.publicJwk, T0 + 290);
    if (!arrivedAhead.ok) throw new Error(arrivedAhead.detail);
    expect(arrivedAhead.state.warnings(T0 - 100)).toEqual(['CLOCK_DRIFT']);
  });
});

describe('a trust state under any sequence of root-signed bundles', () => {
  const POOL = ['BP-2026-000001', 'BP-2026-000002', 'BP-2026-000003', 'BP-2026-000004', 'VR-2026-000001'];
  const bundleArb = fc.record({
    full: fc.boolean(),
    version: fc.integer({ min: 0, max: 8 }),
    back: fc.integer({ min: 0, max: 2 }),
    iatStep: fc.integer({ min: -120, max: 600 }),
    revoked: fc.subarray(POOL),
  });

  it('never lowers its version or time, and loses a revocation only through a newer full bundle', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(bundleArb, { minLength: 1, maxLength: 8 }), async (steps) => {
        let state = await started({ version: 2, revoked: [] });
        let iat = T0;
        for (const step of steps) {
          iat += step.iatStep;
          const bundle: Partial<TrustBundle> = {
            iat,
            version: step.version,
            revoked: step.revoked,
            ...(step.full ? {} : { since: Math.max(0, step.version - step.back) }),
          };
          const result = await state.apply(await sign(bundle), iat);
          if (!result.ok) continue;
          const next = result.state;
          expect(next.version).toBeGreaterThanOrEqual(state.version);
          expect(next.issuedAt).toBeGreaterThanOrEqual(state.issuedAt);
          const lost = [...state.revocations()].filter((n) => !next.isRevoked(n));
          if (lost.length > 0) expect(step.full && step.version > state.version).toBe(true);
          state = next;
        }
        const restored = await TrustState.restore(JSON.parse(JSON.stringify(state)), root.publicJwk);
        if (!restored.ok) throw new Error(restored.detail);
        expect([restored.state.version, [...restored.state.revocations()].sort()]).toEqual([
          state.version,
          [...state.revocations()].sort(),
        ]);
      }),
      { numRuns: 60 },
    );
  });
});

describe('a trust state with 100,000 revocations', () => {
  it('starts, takes deltas, saves and loads again with every revocation', async () => {
    const revoked = Array.from({ length: 100_000 }, (_, i) => `BP-2026-${String(i).padStart(6, '0')}`);
    const full = await sign({ version: 100_000, revoked });
    const deltas = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        sign({ iat: T0 + i + 1, since: 100_000 + i, version: 100_001 + i, revoked: [`VR-2026-${i}`] }),
      ),
    );
    const first = await TrustState.fromFullBundle(full, root.publicJwk, T0);
    if (!first.ok) throw new Error(first.detail);
    let state = first.state;
    for (const delta of deltas) {
      const next = await state.apply(delta, T0);
      if (!next.ok) throw new Error(next.detail);
      state = next.state;
    }
    const restored = await TrustState.restore(JSON.parse(JSON.stringify(state)), root.publicJwk);
    if (!restored.ok) throw new Error(restored.detail);
    expect([restored.state.revokedCount, restored.state.version]).toEqual([100_030, 100_030]);
    expect(restored.state.isRevoked('BP-2026-099999')).toBe(true);
    expect(restored.state.isRevoked('VR-2026-29')).toBe(true);
  }, 30_000);
});
