// A stage's pass-type overrides reach every function as PASS_TYPES, and a bad one stops the synthesis.
import { describe, expect, it } from 'vitest';
import { STAGES } from '../../infra/config.ts';
import { synthStage } from './synth.ts';

const ended = {
  code: 'RAHDARI',
  name: 'Rahdari (Iran border resident pass)',
  kind: 'bp',
  effectiveFrom: '2024-01-01',
  effectiveUntil: '2027-06-30',
  maxValidityDays: 365,
  eligibleDistricts: ['CHAGAI'],
  allowedPoints: { CHAGAI: ['TFT', 'RJY'] },
};

// Each case synthesizes a whole stage, every function bundled: seconds on a loaded machine, not milliseconds.
const SYNTH_TIMEOUT_MS = 60_000;

describe('pass types per stage', () => {
  it(
    'are handed to the functions as PASS_TYPES',
    () => {
      const { stateless } = synthStage({ ...STAGES.dev, passTypes: [ended] });
      const functions = stateless.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: { PASS_TYPES: JSON.stringify([ended]) } } },
      });
      expect(Object.keys(functions).length).toBeGreaterThan(0);
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    'are absent when the stage keeps the built-in ones',
    () => {
      const { stateless } = synthStage(STAGES.dev);
      // Every function, CDK's app-delivery ones included (which have no environment at all).
      const functions = Object.values(stateless.findResources('AWS::Lambda::Function'));
      expect(functions.length).toBeGreaterThan(0);
      for (const fn of functions) expect(fn.Properties.Environment?.Variables?.PASS_TYPES).toBeUndefined();
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    'stop the synthesis when invalid',
    () => {
      expect(() => synthStage({ ...STAGES.dev, passTypes: [{ ...ended, maxValidityDays: 0 }] })).toThrow(
        /stage passTypes: 0\/maxValidityDays/,
      );
    },
    SYNTH_TIMEOUT_MS,
  );
});
