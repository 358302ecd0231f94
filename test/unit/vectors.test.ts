// Runs every credential test vector in test/vectors/ through the trust state and the offline verifier at its pinned time.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MalformedTrustError,
  trustStoreFromJwks,
  type VerifierTrust,
  verifyCredential,
} from '../../shared/credential.ts';
import { TrustState } from '../../shared/trust-state.ts';
import type { Vector } from '../vectors/generate.ts';

const dir = join(import.meta.dirname, '../vectors');
const vectors = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({
    name: f.replace(/\.json$/, ''),
    ...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as Vector),
  }));

const seconds = (iso: string | undefined) => (iso === undefined ? null : Date.parse(iso) / 1000);

/** The device's trust as the vector describes it, the bundles it refused on the way, or why it cannot start. */
async function trustOf(
  trust: Vector['trust'],
): Promise<
  { trust: VerifierTrust; refused: { bundle: number; reason: string }[] } | { startRefused: string }
> {
  if ('jwks' in trust) {
    try {
      return { trust: await trustStoreFromJwks(trust.jwks), refused: [] };
    } catch (error) {
      if (error instanceof MalformedTrustError) return { startRefused: 'MALFORMED' };
      throw error;
    }
  }
  // The bundle a device arrived with when none is given is taken at its issue time: no drift measured.
  const bundles = 'bundle' in trust ? [{ token: trust.bundle, receivedAt: trust.receivedAt }] : trust.bundles;
  const [first, ...rest] = bundles as [(typeof bundles)[number], ...typeof bundles];
  const started = await TrustState.fromFullBundle(first.token, trust.root, seconds(first.receivedAt));
  if (!started.ok) return { startRefused: started.reason };
  let state = started.state;
  const refused: { bundle: number; reason: string }[] = [];
  for (const [index, entry] of rest.entries()) {
    const next = await state.apply(entry.token, seconds(entry.receivedAt));
    if (next.ok) state = next.state;
    else refused.push({ bundle: index + 1, reason: next.reason });
  }
  return { trust: state, refused };
}

describe('credential test vectors', () => {
  it('cover at least 40 cases', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(40);
  });

  it.each(vectors)('$name: $description', async (vector) => {
    const trust = await trustOf(vector.trust);
    if ('startRefused' in trust) {
      expect({ bundleRefused: trust.startRefused }).toEqual(vector.expected);
      return;
    }

    const result = await verifyCredential(vector.input, trust.trust, {
      now: new Date(vector.validationTime),
      ...(vector.kind ? { kind: vector.kind } : {}),
      ...(vector.checkpoint ? { checkpoint: vector.checkpoint } : {}),
    });

    expect({
      verdict: result.verdict,
      warnings: result.warnings,
      ...(trust.refused.length > 0 ? { refused: trust.refused } : {}),
    }).toEqual(vector.expected);
  });
});
