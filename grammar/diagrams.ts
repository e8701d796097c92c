// The generated grammar artifacts: serialized productions (JSON) and Chevrotain's railroad diagrams (HTML).
import { chevrotain } from './chevrotain.js';
import { mergeParser } from './parser.js';

/**
 * The diagrams page loads Chevrotain's diagram scripts from the installed package, so it works offline
 * from a checkout after `npm install` (path relative to grammar/).
 */
const RESOURCE_BASE = '../node_modules/chevrotain/diagrams/';

export interface GrammarArtifacts {
  json: string;
  html: string;
}

export function grammarArtifacts(): GrammarArtifacts {
  const productions = mergeParser().getSerializedGastProductions();
  const json = JSON.stringify(productions, null, 2) + '\n';
  const html = chevrotain.createSyntaxDiagramsCode(productions, { resourceBase: RESOURCE_BASE, css: `${RESOURCE_BASE}diagrams.css` });
  return { json, html };
}
