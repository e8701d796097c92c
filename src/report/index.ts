// HTML reports of a run and of a profile comparison: one self-contained page each (see html.ts).
// Imported by the CLI only when --html is given: it loads Vega.
export { compareReportHtml, type CompareReportInput } from './compare-page.js';
export { runReportHtml, type RunReportInput } from './run-page.js';
export { writeReport } from './write.js';
