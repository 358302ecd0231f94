// The function bundles as deployed: every route group's entry bundles, as ESM with the AWS SDK inside, within its
// size budget, and nothing from the local stack reaches it.
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_GROUPS, type RouteGroupName } from '../../functions/routes.ts';
import { LAMBDA_ESBUILD_OPTIONS } from '../../infra/constructs/function.ts';
import { GROUP_SWEEP } from '../../infra/constructs/group-sweep.ts';
import type { DeployedRouteGroup } from '../../infra/constructs/route-group.ts';
import {
  BUNDLE_BUDGET_KB,
  bundleEveryRouteGroup,
  bundleFloor,
  bundleRouteGroup,
  type RouteGroupBundle,
} from '../bench/bundles.ts';

/**
 * The most each function's bundle may weigh, in KB of 1,024 bytes as the bench reports them: a regression guard,
 * so a new dependency or a lost tree-shake fails here rather than in a slower cold start.
 */
const BUNDLE_BUDGETS_KB: Record<RouteGroupName, number> = {
  health: BUNDLE_BUDGET_KB,
  watchlist: BUNDLE_BUDGET_KB,
  trust: BUNDLE_BUDGET_KB,
  applications: BUNDLE_BUDGET_KB,
  approvals: BUNDLE_BUDGET_KB,
  passes: BUNDLE_BUDGET_KB,
  accounts: BUNDLE_BUDGET_KB,
  vessels: BUNDLE_BUDGET_KB,
  // The boat register indexes each owner's name for FIA's search, so it carries the name matcher (8 KB).
  certificates: BUNDLE_BUDGET_KB + 10,
  // Every function bundles the whole store factory, which now includes the search store (3.4 KB), and a crossing
  // also claims its id (1.4 KB): over 400 KB by 4 KB until the store is split per function.
  crossings: BUNDLE_BUDGET_KB + 10,
  feed: BUNDLE_BUDGET_KB,
  reports: BUNDLE_BUDGET_KB,
  groups: BUNDLE_BUDGET_KB,
  groupApprovals: BUNDLE_BUDGET_KB,
  search: BUNDLE_BUDGET_KB,
};

/** Functions no route reaches, with their budgets (the feed's deliverer and exporter are not measured here). */
const OTHER_FUNCTIONS = [
  { name: GROUP_SWEEP.serviceName, entry: GROUP_SWEEP.entry, budgetKb: BUNDLE_BUDGET_KB },
];

let outdir = '';
let bundles: RouteGroupBundle[] = [];
let others: RouteGroupBundle[] = [];

beforeAll(async () => {
  ({ outdir, bundles } = await bundleEveryRouteGroup());
  others = [];
  for (const fn of OTHER_FUNCTIONS) others.push(await bundleRouteGroup(fn.name, fn.entry, outdir));
}, 60_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

const inputsOf = (bundle: RouteGroupBundle) => Object.keys(bundle.metafile.inputs);

describe('function bundles', () => {
  it('builds one bundle per route group', () => {
    expect(bundles.map((bundle) => bundle.name)).toEqual(Object.keys(ROUTE_GROUPS));
  });

  it.each(Object.keys(ROUTE_GROUPS) as RouteGroupName[])('keeps the %s bundle within its budget', (name) => {
    const bundle = bundles.find((b) => b.name === name) as RouteGroupBundle;
    const kb = bundle.bytes / 1024;
    expect(kb, `${name} bundle is ${kb.toFixed(1)} KB`).toBeLessThanOrEqual(BUNDLE_BUDGETS_KB[name]);
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

describe.each(OTHER_FUNCTIONS)('the $name function, which no route reaches', ({ name, budgetKb }) => {
  const bundle = () => others.find((b) => b.name === name) as RouteGroupBundle;

  it('keeps its bundle within its budget', () => {
    const kb = bundle().bytes / 1024;
    expect(kb, `${name} bundle is ${kb.toFixed(1)} KB`).toBeLessThanOrEqual(budgetKb);
  });

  it('keeps the local stack out of it (local/ runs the same sweep on a timer)', () => {
    expect(inputsOf(bundle()).filter((input) => input.startsWith('local/'))).toEqual([]);
    expect(readFileSync(bundle().file, 'utf8')).not.toMatch(/dev-login|dev-issuer/);
  });

  it('bundles the AWS SDK as ESM, and no KMS client: it signs nothing', () => {
    const inputs = inputsOf(bundle());
    expect(inputs.some((input) => input.includes('node_modules/@aws-sdk/client-dynamodb/'))).toBe(true);
    expect(inputs.some((input) => input.includes('node_modules/@aws-sdk/client-kms/'))).toBe(false);
    expect(readFileSync(bundle().file, 'utf8').startsWith(LAMBDA_ESBUILD_OPTIONS.banner.js)).toBe(true);
  });
});

describe('floor bundles, the cold-import baseline of `npm run bench`', () => {
  const groups: Readonly<Record<string, DeployedRouteGroup>> = ROUTE_GROUPS;

  it.each(Object.keys(ROUTE_GROUPS))(
    'holds for %s exactly the SDK clients its declaration implies',
    async (name) => {
      const group = groups[name] as DeployedRouteGroup;
      const floor = await bundleFloor(name, group, outdir);
      const packages = new Set(
        inputsOf(floor)
          .map(
            (input) =>
              /node_modules\/(@aws-sdk\/client-[a-z-]+|@aws-lambda-powertools\/(?:logger|metrics|tracer))\//.exec(
                input,
              )?.[1],
          )
          .filter((match): match is string => match !== undefined),
      );
      expect([...packages].sort()).toEqual(
        [
          '@aws-lambda-powertools/logger',
          '@aws-lambda-powertools/metrics',
          '@aws-sdk/client-dynamodb',
          ...(group.signs || group.readsPublicKeys ? ['@aws-sdk/client-kms'] : []),
          ...((group.cognitoActions ?? []).length > 0 ? ['@aws-sdk/client-cognito-identity-provider'] : []),
        ].sort(),
      );
      // The function carries at least what its floor does: a floor heavier than the function would flatter it.
      const bundle = bundles.find((b) => b.name === name) as RouteGroupBundle;
      expect(floor.bytes).toBeLessThanOrEqual(bundle.bytes);
    },
  );
});
