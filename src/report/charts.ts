// Charts for the HTML reports: Vega-Lite specifications, compiled to Vega and rendered to static SVG by
// Vega's own SVG renderer in Node, when the report is written. The page then needs no script to show
// them. Vega is imported only here, and only when a report is asked for (the command line loads it from
// its own bundle, dist/bin/charts.cjs, through src/package-import.ts).
import type { TopLevelSpec } from 'vega-lite';

import { importPackage } from '../package-import.js';
import { esc } from './html.js';

export type ChartSpec = TopLevelSpec;

/**
 * Colours that work on a light and a dark page: axes, labels and titles take `currentColor` (the
 * page's text colour, so the SVG follows prefers-color-scheme), the background is transparent, and
 * data colours come from a palette readable on both.
 */
const THEME = {
  background: null,
  // The page's CSS gives SVG text the system font; one short name here keeps the SVG small.
  font: 'sans-serif',
  padding: 6,
  view: { stroke: null },
  range: { category: ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'] },
  axis: {
    labelColor: 'currentColor',
    titleColor: 'currentColor',
    domainColor: 'currentColor',
    tickColor: 'currentColor',
    gridColor: 'currentColor',
    gridOpacity: 0.15,
    domainOpacity: 0.5,
    tickOpacity: 0.5,
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 600,
    labelLimit: 220,
  },
  legend: { labelColor: 'currentColor', titleColor: 'currentColor', labelFontSize: 11, titleFontSize: 12, labelLimit: 260 },
  title: { color: 'currentColor', fontSize: 13 },
  header: { labelColor: 'currentColor', titleColor: 'currentColor' },
  text: { color: 'currentColor' },
} as const;

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');
let libs: Promise<{ vega: Vega; vl: VegaLite }> | null = null;

function load(): Promise<{ vega: Vega; vl: VegaLite }> {
  libs ??= Promise.all([importPackage<Vega>('vega'), importPackage<VegaLite>('vega-lite')]).then(([vega, vl]) => {
    // Text widths estimated from the font size, never measured on a canvas: the same SVG on every
    // machine, whether or not the optional 'canvas' package happens to be installed.
    // (vega-scenegraph's textMetrics, which vega exports but does not type.)
    (vega as unknown as { textMetrics: { canvas(use: boolean): void } }).textMetrics.canvas(false);
    return { vega, vl };
  });
  return libs;
}

const QUIET = {
  level(): number {
    return 0;
  },
  error: (...args: unknown[]) => {
    throw new Error(`chart: ${args.join(' ')}`);
  },
  warn: () => QUIET,
  info: () => QUIET,
  debug: () => QUIET,
} as unknown as NonNullable<Parameters<VegaLite['compile']>[1]>['logger'];

/** Gives every id in an SVG a prefix, so several SVGs inline in one page cannot clash. */
function scopeIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}${id})`)
    .replace(/\bhref="#([^"]+)"/g, (_, id: string) => `href="#${prefix}${id}"`);
}

/**
 * Renders each spec to an SVG element (a string), in order, named by its `description` for assistive
 * technology. `idPrefix` keeps the SVGs' ids apart from
 * each other's and the page's. Data must be inline (`data: { values }`): nothing is loaded.
 */
export async function renderCharts(specs: readonly ChartSpec[], idPrefix = 'chart'): Promise<string[]> {
  const { vega, vl } = await load();
  // A loader that loads nothing: a spec that names a URL or file fails instead of reaching out.
  const loader = vega.loader();
  loader.load = async (uri: string) => {
    throw new Error(`charts load no data (asked for ${uri})`);
  };
  const out: string[] = [];
  for (const [i, spec] of specs.entries()) {
    // Warnings go nowhere: a report's reader cannot act on them, and tests render every chart.
    const compiled = vl.compile({ ...spec, config: { ...THEME, ...(spec.config ?? {}) } } as TopLevelSpec, { logger: QUIET }).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader, logLevel: vega.None });
    try {
      const svg = await view.toSVG();
      // The chart's accessible name (its spec's description): a screen reader announces an image with it.
      out.push(scopeIds(svg, `${idPrefix}${i}-`).replace('<svg ', `<svg role="img" aria-label="${esc(spec.description ?? 'chart')}" `));
    } finally {
      view.finalize();
    }
  }
  return out;
}
