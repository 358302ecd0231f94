// Mutation testing of the offline verifier: `npm run mutate` (docs/mutation.md).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'test/mutation/vitest.config.ts', related: false },
  mutate: ['shared/credential.ts', 'shared/trust-state.ts', 'shared/trust-bundle.ts', 'shared/qr-text.ts'],
  // TypeScript 7 has no JavaScript API: no type-checking of mutants, and no tsconfig for Stryker to rewrite
  // (a tsconfig it finds makes it load `typescript`). This path names no file on purpose.
  checkers: [],
  tsconfigFile: 'test/mutation/no-tsconfig.json',
  // The sandbox needs only what these tests import; the web apps, Lambdas and infrastructure stay out.
  ignorePatterns: ['/*', '!/shared', '!/test', '!/cli', '!/package.json'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 30_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: '.artifacts/mutation/index.html' },
  jsonReporter: { fileName: '.artifacts/mutation/mutation.json' },
  // Reruns only mutants whose code or covering tests changed; `npm run mutate -- --force` runs them all.
  incremental: true,
  incrementalFile: '.artifacts/mutation/stryker-incremental.json',
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
