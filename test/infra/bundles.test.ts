// The function bundles as deployed: every route group's entry bundles, as ESM with the AWS SDK inside, and nothing
// from the local stack reaches it.
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_GROUPS } from '../../functions/routes.ts';
import { LAMBDA_ESBUILD_OPTIONS } from '../../infra/constructs/function.ts';
import { bundleEveryRouteGroup, type RouteGroupBundle } from '../bench/bundles.ts';

let outdir = '';
let bundles: RouteGroupBundle[] = [];

beforeAll(async () => {
  ({ outdir, bundles } = await bundleEveryRouteGroup());
}, 60_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

const inputsOf = (bundle: RouteGroupBundle) => Object.keys(bundle.metafile.inputs);

describe('function bundles', () => {
  it('builds one bundle per route group', () => {
    expect(bundles.map((bundle) => bundle.name)).toEqual(Object.keys(ROUTE_GROUPS));
  });

  it.each(Object.keys(ROUTE_GROUPS))('keeps the local stack out of the %s bundle', (name) => {
    const bundle = bundles.find((b) => b.name === name) as RouteGroupBundle;
    expect(inputsOf(bundle).filter((input) => input.startsWith('local/'))).toEqual([]);
    expect(readFileSync(bundle.file, 'utf8')).not.toMatch(/dev-login|dev-issuer/);
  });

  it.each(Object.keys(ROUTE_GROUPS))('bundles the AWS SDK into the %s bundle as ESM', (name) => {
    const bundle = bundles.find((b) => b.name === name) as RouteGroupBundle;
    expect(inputsOf(bundle).some((input) => input.includes('node_modules/@aws-sdk/client-dynamodb/'))).toBe(
      true,
    );
    expect(readFileSync(bundle.file, 'utf8').startsWith(LAMBDA_ESBUILD_OPTIONS.banner.js)).toBe(true);
  });
});
