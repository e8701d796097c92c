// The generated grammar artifacts: serialized productions (JSON) and Chevrotain's railroad diagrams (HTML).
// The page is self-contained: Chevrotain's diagram scripts and styles are copied into it (from the
// installed chevrotain package, when the page is generated), so it opens from anywhere, offline, with
// no node_modules beside it; its Content-Security-Policy lets the browser fetch nothing.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { mergeParser } from './parser.js';

export interface GrammarArtifacts {
  json: string;
  html: string;
}

/** Chevrotain's diagrams folder (beside its package.json). */
function diagramsDir(): string {
  const entry = createRequire(import.meta.url).resolve('chevrotain'); // …/chevrotain/lib/src/api.js
  return join(dirname(entry), '..', '..', 'diagrams');
}

/** Script text that cannot end its <script> element early. */
function inlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

const SCRIPTS = ['vendor/railroad-diagrams.js', 'src/diagrams_builder.js', 'src/diagrams_behavior.js', 'src/main.js'];

const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

export function grammarArtifacts(): GrammarArtifacts {
  const productions = mergeParser().getSerializedGastProductions();
  const json = JSON.stringify(productions, null, 2) + '\n';
  const dir = diagramsDir();
  const css = readFileSync(join(dir, 'diagrams.css'), 'utf8');
  const scripts = SCRIPTS.map((f) => `<script>/* chevrotain/diagrams/${f} */\n${inlineScript(readFileSync(join(dir, f), 'utf8'))}</script>`).join('\n');
  // `<` escaped so no production text can close the script element.
  const grammar = JSON.stringify(productions, null, 2).replace(/</g, '\\u003c');
  const html = `<!-- This is a generated file: npm run grammar -->
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>Merg-E grammar: railroad diagrams</title>
<style>
body { background-color: hsl(30, 20%, 95%); font-family: system-ui, sans-serif; }
${css}</style>
${scripts}
</head>
<body>
<h1>Merg-E grammar</h1>
<noscript><p>The railroad diagrams are drawn by the scripts in this page: allow JavaScript to see them. The grammar itself is in merg-e.grammar.json beside this file.</p></noscript>
<div id="diagrams" align="center"></div>
<script>
window.serializedGrammar = ${grammar};
</script>
<script>
main.drawDiagramsFromSerializedGrammar(serializedGrammar, document.getElementById("diagrams"));
</script>
</body>
</html>
`;
  return { json, html };
}
