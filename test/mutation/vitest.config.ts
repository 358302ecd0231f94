// The unit tests that guard the offline verifier, alone: what `npm run mutate` runs against each mutant.
// No DynamoDB and no preflight: these tests need neither, and every mutant reruns them.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: [
      'test/unit/credential*.test.ts',
      'test/unit/trust-state*.test.ts',
      'test/unit/trust-bundle*.test.ts',
      'test/unit/verifier*.test.ts',
      'test/unit/qr*.test.ts',
      'test/unit/vectors.test.ts',
    ],
  },
});
