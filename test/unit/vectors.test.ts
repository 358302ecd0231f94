// Runs every credential test vector in test/vectors/ through the offline verifier at its pinned time.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type TrustStore, trustStoreFromJwks, verifyCredential } from '../../shared/credential.ts';
import { trustStoreFromBundle, verifyTrustBundle } from '../../shared/trust-bundle.ts';
import type { Vector } from '../vectors/generate.ts';

const dir = join(import.meta.dirname, '../vectors');
const vectors = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({
    name: f.replace(/\.json$/, ''),
    ...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as Vector),
  }));

describe('credential test vectors', () => {
  it('cover at least 25 cases', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(25);
  });

  it.each(vectors)('$name: $description', async (vector) => {
    let trust: TrustStore;
    if ('jwks' in vector.trust) {
      trust = await trustStoreFromJwks(vector.trust.jwks);
    } else {
      const check = await verifyTrustBundle(vector.trust.bundle, vector.trust.root);
      if ('bundleRefused' in vector.expected) {
        expect(check.ok ? 'accepted' : check.reason).toBe(vector.expected.bundleRefused);
        return;
      }
      if (!check.ok) throw new Error(`bundle refused: ${check.detail}`);
      const receivedAt = vector.trust.receivedAt ? Date.parse(vector.trust.receivedAt) / 1000 : undefined;
      trust = await trustStoreFromBundle(check.bundle, receivedAt);
    }
    if ('bundleRefused' in vector.expected) throw new Error('a bare JWKS cannot be refused as a bundle');

    const result = await verifyCredential(vector.input, trust, {
      now: new Date(vector.validationTime),
      ...(vector.kind ? { kind: vector.kind } : {}),
      ...(vector.checkpoint ? { checkpoint: vector.checkpoint } : {}),
    });

    expect({ verdict: result.verdict, warnings: result.warnings }).toEqual(vector.expected);
  });
});
