// npm run schemas: writes schemas/*.schema.json and src/schemas/validators.generated.ts (scripts/schemas.ts).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { writeFileAtomic } from '../src/atomic-write.js';
import { schemaArtifacts } from './schemas.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
for (const [path, text] of schemaArtifacts()) {
  writeFileAtomic(join(root, path), text);
  process.stdout.write(`wrote ${path} (${text.length} bytes)\n`);
}
