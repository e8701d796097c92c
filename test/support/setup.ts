// vitest setup, run before every test file: fixed property-test seeds (see properties.ts).
import { configureProperties, FIXED_SEED, PROPERTY_SEED } from './properties.js';

configureProperties();
if (PROPERTY_SEED !== FIXED_SEED) process.stderr.write(`property tests: seed ${PROPERTY_SEED} (replay with MERG_E_SEED=${PROPERTY_SEED})\n`);
