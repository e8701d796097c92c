// npm run grammar: writes grammar/merg-e.grammar.json and grammar/merg-e.html from the parser.
// Both are committed; test/grammar/generated.test.ts fails when they are stale.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { grammarArtifacts } from '../grammar/diagrams.js';
import { writeFileAtomic } from '../src/atomic-write.js';

const grammarDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'grammar');
const { json, html } = grammarArtifacts();
writeFileAtomic(join(grammarDir, 'merg-e.grammar.json'), json);
writeFileAtomic(join(grammarDir, 'merg-e.html'), html);
process.stdout.write(`wrote grammar/merg-e.grammar.json (${json.length} bytes) and grammar/merg-e.html (${html.length} bytes)\n`);
