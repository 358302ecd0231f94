// The signers of a container, for the route groups that sign (issuing, trust bundles); the others never load KMS.
import { config } from './runtime.ts';
import { signingFromConfig } from './signing.ts';

export const signing = signingFromConfig(config);
