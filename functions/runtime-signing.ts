// The signers of a container, for the route groups that sign (issuing, trust bundles); the others never load KMS.

import { signingFromConfig } from '../signing/signing.ts';
import { config } from './runtime.ts';

export const signing = signingFromConfig(config);
