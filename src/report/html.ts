// The frame every HTML report shares: one self-contained page (no script, no external resource, and a
// Content-Security-Policy that forbids the browser to fetch anything), the system's own fonts, light
// and dark colour schemes (prefers-color-scheme), and print rules.
import { printableLine, printableText } from '../code-window.js';

/** Text for HTML content and attribute values (control characters shown as escapes). */
export function esc(s: string): string {
  return printableText(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A source line for a code frame: one character for one character, so marked columns stay put. */
export function escLine(s: string): string {
  return printableLine(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A table: header cells, rows of cells already escaped (HTML), and which columns are numbers. */
export function htmlTable(head: readonly string[], rows: readonly (readonly string[])[], numeric: ReadonlySet<number> = new Set(), cls = ''): string {
  const cell = (tag: 'th' | 'td', c: string, i: number) => `<${tag}${numeric.has(i) ? ' class="num"' : ''}>${c}</${tag}>`;
  const thead = `<thead><tr>${head.map((h, i) => cell('th', esc(h), i)).join('')}</tr></thead>`;
  const tbody = `<tbody>${rows.map((r) => `<tr>${r.map((c, i) => cell('td', c, i)).join('')}</tr>`).join('\n')}</tbody>`;
  return `<table${cls ? ` class="${cls}"` : ''}>${thead}\n${tbody}</table>`;
}

const CSS = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1c2024; --muted: #5d6670; --line: #d5dae0; --panel: #f5f7f9;
  --direct: #2f6fd0; --below: #178a6a; --total: #7a4fc2; --refused: #c8283c; --refused-bg: #fdecee;
  --track: #e6e9ed; --mark: #ffe08a;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
  --mono: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #15181c; --fg: #e3e6ea; --muted: #9aa4ae; --line: #343a42; --panel: #1d2126;
    --direct: #6aa2f5; --below: #4cc49f; --total: #b190ee; --refused: #ff6b7d; --refused-bg: #3a1d22;
    --track: #2b3037; --mark: #6b5518;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); font: 15px/1.45 var(--sans); }
body { margin: 0 auto; padding: 24px 28px 48px; max-width: 1100px; }
h1 { font-size: 1.55rem; margin: 0 0 4px; }
h2 { font-size: 1.2rem; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 18px 0 6px; }
p { margin: 6px 0; }
code, pre, .mono { font-family: var(--mono); font-size: 0.9em; }
.muted { color: var(--muted); }
.num { text-align: right; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); vertical-align: top; text-align: left; }
th { font-weight: 600; font-size: 0.9em; color: var(--muted); }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 8px 16px; margin: 14px 0; }
.facts div { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.facts dt { font-size: 0.8em; color: var(--muted); }
.facts dd { margin: 0; font-size: 1.1em; font-weight: 600; font-variant-numeric: tabular-nums; }
.ok { color: var(--below); }
.bad { color: var(--refused); }
.error { border: 2px solid var(--refused); background: var(--refused-bg); border-radius: 6px; padding: 10px 14px; margin: 12px 0; }
.error h2 { border: 0; margin-top: 0; color: var(--refused); }
pre.frame { background: var(--panel); border: 1px solid var(--line); border-radius: 4px; padding: 8px 10px; overflow-x: auto; line-height: 1.35; }
pre.frame .gutter { color: var(--muted); user-select: none; }
pre.frame mark { background: var(--mark); color: inherit; outline: 1px solid var(--refused); }
pre.out { background: var(--panel); border: 1px solid var(--line); padding: 8px 10px; max-height: 24em; overflow: auto; white-space: pre-wrap; }
figure { margin: 10px 0 18px; }
figure svg { max-width: 100%; height: auto; }
figure svg text { font-family: var(--sans); }
figcaption { font-size: 0.9em; color: var(--muted); }
.nowrap { white-space: nowrap; }
table.kv th { text-align: left; padding-right: 18px; font-weight: 600; }
@media print {
  :root { color-scheme: light; --bg: #fff; --fg: #000; --muted: #444; --panel: #fff; --track: #e6e9ed; }
  body { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  section, figure, li.membrane, tr { break-inside: avoid; }
  pre.out { max-height: none; overflow: visible; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
`;

/** Everything a browser may load for the page: nothing but its own inline styles and data: images. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** A whole page. `extraCss` is appended to the shared styles; `body` is HTML. */
export function page(title: string, body: string, extraCss = ''): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="merg-e-sim">
<title>${esc(title)}</title>
<style>${CSS}${extraCss}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** A definition list of key facts (shown as tiles). Values are HTML. */
export function facts(items: readonly [string, string][]): string {
  return `<dl class="facts">${items.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${v}</dd></div>`).join('')}</dl>`;
}
