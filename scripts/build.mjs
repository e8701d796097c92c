// npm run build (also run by `npm ci` / `npm install` through prepare):
// 1. the library: tsc compiles everything into a fresh dist/ (so no file of an older build is
//    packed), with declarations;
// 2. the executables: esbuild bundles each command line into one file in dist/bin (a command then
//    loads one file instead of ~150 modules), beside the loader the bin stubs call
//    (src/cli/launch.ts: the compile cache) and vectorize's worker; the parser in them reads its
//    lookahead paths, its rules and its lexer's hints from tables computed now from the grammar
//    (grammar/build-tables.ts);
// 3. the bin stubs named in package.json `bin` keep their run bit (git has it; this restores it
//    where a checkout or an unpacking lost it).
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const require = createRequire(import.meta.url);

rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

// grammar/chevrotain.ts picks chevrotain's one-file build at run time; in the bundle, inline it.
const chevrotainMin = join(dirname(require.resolve('chevrotain')), '..', 'chevrotain.min.mjs');
const inlineChevrotain = {
  name: 'inline-chevrotain',
  setup(build) {
    build.onLoad({ filter: /grammar[\\/]chevrotain\.ts$/ }, () => ({
      contents: `import * as chevrotainBundle from ${JSON.stringify(chevrotainMin)};\nexport const chevrotain = chevrotainBundle;\n`,
      resolveDir: root,
      loader: 'js',
    }));
  },
};

/** vega-canvas without the optional 'canvas' package: no canvas and no image, as when it is not installed. */
const noCanvas = {
  name: 'no-canvas',
  setup(build) {
    build.onResolve({ filter: /^vega-canvas$/ }, () => ({ path: 'vega-canvas', namespace: 'no-canvas' }));
    build.onLoad({ filter: /.*/, namespace: 'no-canvas' }, () => ({ contents: 'export function canvas() { return null; }\nexport function image() { return null; }\n', loader: 'js' }));
  },
};

// The grammar's lookahead paths, the records of its rules and its lexer's hints, computed once here
// rather than when a command builds its parser and lexer: the bundles get them in place of
// grammar/lookahead-table.ts, grammar/recorded-rules.ts and grammar/lexer-hints.ts (which have none).
const tables = await import(pathToFileURL(join(root, 'dist', 'grammar', 'build-tables.js')).href);
const lookaheadTable = [...tables.computeLookaheadTable()];
const ruleRecords = [...tables.computeRuleRecords()];
const lexerHints = [...tables.computeLexerHints()];
if (lookaheadTable.length === 0 || ruleRecords.length === 0 || lexerHints.length === 0) throw new Error('the grammar has no lookahead decisions, rules or lexer hints: grammar/build-tables.ts is broken');
const grammarTables = {
  name: 'grammar-tables',
  setup(build) {
    build.onLoad({ filter: /grammar[\\/]lookahead-table\.ts$/ }, () => ({
      contents: `export const LOOKAHEAD_TABLE = new Map(${JSON.stringify(lookaheadTable)});\n`,
      loader: 'js',
    }));
    build.onLoad({ filter: /grammar[\\/]recorded-rules\.ts$/ }, () => ({
      contents: `export const RECORDED_RULES = new Map(${JSON.stringify(ruleRecords)});\n`,
      loader: 'js',
    }));
    build.onLoad({ filter: /grammar[\\/]lexer-hints\.ts$/ }, () => ({
      contents: `export const LEXER_HINTS = new Map(${JSON.stringify(lexerHints)});\n`,
      loader: 'js',
    }));
  },
};

const esbuild = require('esbuild');
const common = { bundle: true, platform: 'node', target: 'node20', plugins: [inlineChevrotain, grammarTables], logLevel: 'warning', legalComments: 'none' };
const bin = join(root, 'dist', 'bin');
try {
  // Each command line in one CommonJS file that exports `main` (src/cli/bundle-entries.ts), loaded by
  // launch.js with a compile cache; systeminformation stays external (coren imports it only when it
  // measures), and so do vega and vega-lite (imported only for --html, as ES modules from
  // node_modules; vega-canvas's top-level await cannot go into CommonJS). import.meta.url becomes the
  // bundle's own URL.
  // merg-e also exports `warm` (src/cli/warm-up.ts), run once before a new code cache is written.
  for (const [name, exported] of [['merg-e', 'mergE as main, warmUp as warm'], ['coren', 'coren as main']]) {
    await esbuild.build({
      ...common,
      stdin: { contents: `export { ${exported} } from './src/cli/bundle-entries.ts';`, resolveDir: root, loader: 'ts', sourcefile: `${name}-entry.ts` },
      outfile: join(bin, `${name}.cjs`),
      format: 'cjs',
      external: ['systeminformation', 'vega', 'vega-lite'],
      define: { 'import.meta.url': '__bundleUrl' },
      banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
    });
  }
  // Vega and Vega-Lite for --html in one CommonJS file (dist/bin/charts.cjs), which the launcher loads
  // with the compile cache only when a report is written (about a third of the CPU time of importing
  // the packages' ~100 ES modules, and less again once cached). vega-canvas is replaced by a stand-in
  // without a canvas: its Node build imports the optional 'canvas' package with a top-level await,
  // which CommonJS cannot hold, and the reports never use a canvas (charts.ts estimates text widths).
  await esbuild.build({
    ...common,
    stdin: { contents: "export * as vega from 'vega';\nexport * as vl from 'vega-lite';\n", resolveDir: root, loader: 'js', sourcefile: 'charts-entry.js' },
    outfile: join(bin, 'charts.cjs'),
    format: 'cjs',
    plugins: [noCanvas],
  });
  // The loader the bin stubs import, and the workers the command line starts from beside itself:
  // vectorize's (dist/bin/worker.js) and the Redis memo store's connection (dist/bin/redis-worker.js,
  // with the Redis client inside: only a run with a Redis store loads it).
  await esbuild.build({
    ...common,
    entryPoints: { launch: join(root, 'src/cli/launch.ts'), worker: join(root, 'src/runtime/vectorize/worker.ts'), 'redis-worker': join(root, 'src/runtime/vectorize/memo/redis-worker.ts') },
    outdir: bin,
    format: 'esm',
    // Bundled CommonJS packages call require() for Node's modules.
    banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  });
} catch {
  process.exit(1); // esbuild printed the errors
}

for (const file of Object.values(pkg.bin)) {
  const path = join(root, file);
  chmodSync(path, statSync(path).mode | 0o111);
}
